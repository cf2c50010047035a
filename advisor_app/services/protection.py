"""Data protection (law 09-08): encrypting the laptop database with the advisor's
passphrase, the idle lock delay, and password-protected exports (.xlsx, PDF).

What is and is not protected is listed in the README ("Protection des données")."""

from __future__ import annotations

import hmac
import io
import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from advisor_app.i18n import tr
from advisor_app.services.database import Database, get_setting, set_setting
from advisor_app.services.errors import UserError
from advisor_app.storage import encryption, migrate

MIN_PASSPHRASE = 8
IDLE_LOCK_KEY = "idle_lock_minutes"
IDLE_LOCK_CHOICES = (0, 5, 15, 30, 60)  # 0: never
DEFAULT_IDLE_LOCK_ENCRYPTED = 15
MIN_EXPORT_PASSWORD = 4


# -- the database file ----------------------------------------------------------------------
def check_new_passphrase(passphrase: str, confirmation: str) -> str:
    """The passphrase to set, or a UserError saying what is wrong with it."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError(tr("La phrase secrète doit compter au moins {n} caractères.").format(
            n=MIN_PASSPHRASE))
    if passphrase != confirmation:
        raise UserError(tr("Les deux saisies de la phrase secrète ne sont pas identiques."))
    return passphrase


def _existing(path: Path) -> Path:
    path = path.expanduser()
    if not path.is_file() or path.stat().st_size == 0:
        raise UserError(tr("Base introuvable : {path}").format(path=path))
    return path


def _converted(path: Path, old: str | None, new: str | None) -> None:
    try:
        encryption.convert(path, old, new)
    except encryption.WrongPassphrase as exc:
        raise UserError(tr("Phrase secrète incorrecte pour « {path} » ; rien n'a été modifié.").format(
            path=path)) from exc
    except migrate.DatabaseFileError as exc:
        raise UserError(str(exc)) from exc
    except (OSError, sqlite3.Error) as exc:
        raise UserError(tr("Conversion de « {path} » impossible ({error}) ; la base n'a pas été "
                           "modifiée. Fermez Mowakaba si elle est ouverte.").format(
            path=path, error=exc)) from exc
    except Exception as exc:
        if type(exc).__module__.startswith("sqlcipher3"):  # its errors are not sqlite3's
            raise UserError(tr("Conversion de « {path} » impossible ({error}) ; la base n'a pas été "
                               "modifiée. Fermez Mowakaba si elle est ouverte.").format(
                path=path, error=exc)) from exc
        raise


def encrypt_database(path: Path, passphrase: str) -> None:
    """Encrypts a plain database in place with ``passphrase``; the plain bytes are
    overwritten. UserError (file untouched) when it is already encrypted or in use."""
    path = _existing(path)
    if encryption.is_encrypted(path):
        raise UserError(tr("« {path} » est déjà chiffrée.").format(path=path))
    try:
        migrate.inspect_sqlite_file(path)
    except migrate.DatabaseFileError as exc:
        raise UserError(str(exc)) from exc
    _converted(path, None, passphrase)


def decrypt_database(path: Path, passphrase: str) -> None:
    """Turns an encrypted database back into a plain SQLite file (the passphrase is checked)."""
    path = _existing(path)
    if not encryption.is_encrypted(path):
        raise UserError(tr("« {path} » n'est pas chiffrée.").format(path=path))
    _converted(path, passphrase, None)


def change_passphrase(path: Path, old: str, new: str) -> None:
    path = _existing(path)
    if not encryption.is_encrypted(path):
        raise UserError(tr("« {path} » n'est pas chiffrée.").format(path=path))
    _converted(path, old, new)


def passphrase_matches(db: Database, typed: str) -> bool:
    """The lock screen's check: the passphrase the open database was unlocked with."""
    if db.passphrase is None:
        return False
    return hmac.compare_digest(typed.encode(), db.passphrase.encode())


# -- idle lock --------------------------------------------------------------------------------
def idle_lock_minutes(db: Database) -> int:
    """Minutes without input before the window locks; 0: never. Only an encrypted database
    locks (the passphrase unlocks it); its default is 15 minutes."""
    if not db.encrypted:
        return 0  # the lock asks the passphrase: a plain database has none
    with db.sessions() as session:
        value = get_setting(session, IDLE_LOCK_KEY)
    try:
        minutes = int(value) if value is not None else None
    except ValueError:
        minutes = None
    if minutes is None or minutes not in IDLE_LOCK_CHOICES:
        return DEFAULT_IDLE_LOCK_ENCRYPTED
    return minutes


def set_idle_lock_minutes(db: Database, minutes: int) -> None:
    if minutes not in IDLE_LOCK_CHOICES:
        raise UserError(tr("Délai de verrouillage inconnu : {n} min.").format(n=minutes))
    with db.unit_of_work() as session:
        set_setting(session, IDLE_LOCK_KEY, str(minutes))


# -- password-protected exports ---------------------------------------------------------------
def check_export_password(password: str, confirmation: str) -> str | None:
    """None when no password is wanted (both empty); else the password, or a UserError."""
    if not password and not confirmation:
        return None
    if len(password) < MIN_EXPORT_PASSWORD:
        raise UserError(tr("Le mot de passe du fichier doit compter au moins {n} caractères.").format(
            n=MIN_EXPORT_PASSWORD))
    if password != confirmation:
        raise UserError(tr("Les deux saisies du mot de passe ne sont pas identiques."))
    return password


def write_pdf(path: Path, render: Callable[[Path | BinaryIO], object], password: str | None) -> None:
    """Writes a PDF with ``render`` (reportlab, to a path or a binary file). With
    ``password`` the file is encrypted (AES-256, pypdf over ``cryptography``): it opens only
    with the password, printing stays allowed; the document is built in memory, so its
    unprotected form never touches the disk."""
    if not password:
        render(path)
        return
    from pypdf import PdfReader, PdfWriter

    plain = io.BytesIO()
    render(plain)
    plain.seek(0)
    writer = PdfWriter(clone_from=PdfReader(plain))
    # the owner password is random: nobody can lift the restrictions without the source data
    writer.encrypt(user_password=password, owner_password=os.urandom(24).hex(), algorithm="AES-256")
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=".protege-", suffix=path.suffix)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            writer.write(handle)
        os.replace(name, path)
    finally:
        Path(name).unlink(missing_ok=True)
