"""Opening a laptop database: checks, backup, migrations, device identity, reference data."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

# Every mapped class registered, whatever the caller imported: a relationship or foreign
# key names its target by table, and the mappers are configured on first use.
from advisor_app.domain import models as _models  # noqa: F401
from advisor_app.domain.base import new_id
from advisor_app.domain.local import LocalSetting
from advisor_app.i18n import tr
from advisor_app.services.errors import UserError
from advisor_app.storage import encryption, migrate
from advisor_app.storage.engine import laptop_engine, make_session_factory
from advisor_app.storage.repositories.settings import get_setting as get_setting  # re-exported
from advisor_app.storage.repositories.settings import set_setting as set_setting
from advisor_app.sync.capture import ADVISOR_ID, DEVICE_ID, install_capture

DEVICE_KEY = "device_id"
ADVISOR_KEY = "advisor_id"
DEMO_KEY = "demo_data"
# For tests and scripts only (documented in the README): the passphrase of an encrypted
# database, read when none is given. Never set it on an advisor's laptop.
PASSPHRASE_ENV = "MOWAKABA_PASSPHRASE"
_given_passphrase: str | None = None


class PassphraseRequired(UserError):
    """The file is encrypted and no passphrase was given."""


class WrongPassphrase(UserError):
    """The passphrase does not open the file."""


def use_passphrase(passphrase: str | None) -> None:
    """The passphrase ``open_database`` uses when none is passed (the command line's
    ``--passphrase-stdin``)."""
    global _given_passphrase
    _given_passphrase = passphrase


def _default_passphrase() -> str | None:
    return _given_passphrase if _given_passphrase is not None else os.environ.get(PASSPHRASE_ENV)


@dataclass
class Database:
    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    # kept to open a second connection (background sync); None: a plain SQLite file
    passphrase: str | None = None

    @property
    def encrypted(self) -> bool:
        return self.passphrase is not None

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any exception."""
        with self.sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def is_encrypted(path: Path) -> bool:
    """True when ``path`` is an encrypted database (the app then asks its passphrase)."""
    return encryption.is_encrypted(path.expanduser())


def _passphrase_for(path: Path, passphrase: str | None) -> str | None:
    """None for a plain file; the passphrase to use for an encrypted one."""
    if not encryption.is_encrypted(path):
        return None
    passphrase = passphrase if passphrase is not None else _default_passphrase()
    if not passphrase:
        raise PassphraseRequired(tr(
            "« {path} » est chiffrée : sa phrase secrète est nécessaire pour l'ouvrir.").format(path=path))
    return passphrase


def _wrong_passphrase(path: Path) -> WrongPassphrase:
    return WrongPassphrase(tr(
        "Phrase secrète incorrecte pour « {path} » (ou ce fichier n'est pas une base Mowakaba). "
        "Rien n'a été modifié.").format(path=path))


def _check_file(path: Path, passphrase: str | None = None) -> migrate.FileState:
    try:
        if passphrase is not None:
            return encryption.inspect_encrypted_file(path, passphrase)
        return migrate.inspect_sqlite_file(path)
    except encryption.WrongPassphrase as exc:
        raise _wrong_passphrase(path) from exc
    except migrate.DatabaseFileError as exc:
        raise UserError(str(exc)) from exc


def _cannot_write(path: Path) -> UserError:
    return UserError(tr(
        "Impossible d'écrire la base « {path} » : vérifiez que le dossier existe, "
        "qu'il est accessible en écriture et que le disque n'est pas plein.").format(path=path))


def open_database(path: Path, *, load_reference: bool = True,
                  passphrase: str | None = None) -> Database:
    """Creates or upgrades the database at ``path``; an encrypted file is opened with
    ``passphrase`` (by default the one given to ``use_passphrase`` or, for tests, the
    MOWAKABA_PASSPHRASE variable).

    Raises ``UserError`` (file untouched) if it is not a SQLite file, belongs to another
    program, was made by a newer version of the app, or cannot be written;
    ``PassphraseRequired``/``WrongPassphrase`` for an encrypted file without the right key."""
    path = path.expanduser()
    passphrase = _passphrase_for(path, passphrase)
    state = _check_file(path, passphrase)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(tr("Impossible de créer le dossier « {path} ».").format(
            path=path.parent)) from exc
    if state.revision is not None and state.revision != migrate.head_revision():
        try:
            if passphrase is None:
                migrate.backup_before_upgrade(path, state.revision)
            else:
                encryption.backup_copy(path, passphrase, path.with_name(
                    f"{path.stem}.avant-mise-a-jour-{state.revision}{path.suffix}"))
        except (OSError, sqlite3.Error, migrate.DatabaseFileError) as exc:
            raise UserError(tr(
                "Copie de sécurité impossible avant la mise à jour de « {path} » ; "
                "la base n'a pas été modifiée.").format(path=path)) from exc
    engine = laptop_engine(path, passphrase)
    try:
        # Only when behind: an upgrade ends with a full foreign key check, which on a large
        # file would cost every start-up.
        if state.revision != migrate.head_revision():
            migrate.upgrade(engine)
    except CommandError as exc:  # e.g. a revision written by a newer app, seen only in the WAL
        engine.dispose()
        raise UserError(tr("Mise à jour de « {path} » impossible : {error}").format(
            path=path, error=exc)) from exc
    except (OperationalError, sqlite3.OperationalError, OSError) as exc:
        engine.dispose()
        raise _cannot_write(path) from exc
    except Exception:
        engine.dispose()
        raise
    factory = make_session_factory(engine)
    install_capture(factory)
    db = Database(path=path, engine=engine, sessions=factory, passphrase=passphrase)
    with db.unit_of_work() as session:
        device = get_setting(session, DEVICE_KEY)
        if device is None:
            device = new_id()
            set_setting(session, DEVICE_KEY, device)
        advisor = get_setting(session, ADVISOR_KEY)
    factory.configure(info={DEVICE_ID: device, ADVISOR_ID: advisor})
    if load_reference:
        from advisor_app.services.reference_data import load_reference_data

        load_reference_data(db)
    return db


def open_database_readonly(path: Path, *, passphrase: str | None = None) -> Database:
    """Opens an existing, up-to-date database without writing anything (``stats``)."""
    path = path.expanduser()
    if not path.exists():
        raise UserError(tr("Base introuvable : {path}").format(path=path))
    passphrase = _passphrase_for(path, passphrase)
    state = _check_file(path, passphrase)
    if state.revision is None:
        raise UserError(tr("« {path} » est vide : créez-la avec « advisor-app init ».").format(
            path=path))
    if state.revision != migrate.head_revision():
        raise UserError(tr(
            "« {path} » doit d'abord être mise à jour (schéma {revision}) : "
            "lancez « advisor-app init » avec cette base.").format(path=path,
                                                                    revision=state.revision))
    # No WAL/synchronous pragmas here: they are for writers, and this engine never writes.
    url: str | URL = f"sqlite+pysqlite:///{path.resolve().as_uri()}?mode=ro&uri=true"
    if passphrase is not None:
        url = URL.create("sqlite+pysqlcipher", password=passphrase,
                         database=f"{path.resolve().as_uri()}?mode=ro", query={"uri": "true"})
    engine = create_engine(url)
    return Database(path=path, engine=engine, sessions=make_session_factory(engine),
                    passphrase=passphrase)


def device_id(db: Database) -> str:
    with db.sessions() as session:
        value = session.scalar(select(LocalSetting.value).where(LocalSetting.key == DEVICE_KEY))
    assert value is not None
    return value
