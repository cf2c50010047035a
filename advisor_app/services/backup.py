"""Local backups of the laptop database (SQLite's online backup API, so the app may keep
working meanwhile), their rotation, and restoring one.

Backups live in a ``sauvegardes`` folder beside the database, one file per backup named
``<database>-AAAAMMJJ-HHMMSS.sqlite``. Rotation keeps the newest backup of each of the last
``daily`` days that have one, and the newest of each of the last ``weekly`` ISO weeks."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor_app.i18n import tr
from advisor_app.services.database import Database, _default_passphrase, open_database
from advisor_app.services.errors import UserError
from advisor_app.storage import encryption, migrate

BACKUP_FOLDER = "sauvegardes"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
MAX_AGE = dt.timedelta(days=1)  # an automatic backup when the newest is older than this
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: dt.datetime  # local time, from the file name
    size: int  # bytes


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous_copy: Path | None  # the database as it was before, None if there was none
    revision: str


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / BACKUP_FOLDER


def list_backups(db_path: Path) -> list[BackupFile]:
    """The backups of ``db_path``, newest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    pattern = re.compile(re.escape(db_path.stem) + r"-(\d{8}-\d{6})(?:-\d+)?\.sqlite$")
    found = []
    for path in folder.iterdir():
        match = pattern.fullmatch(path.name)
        if match and path.is_file():
            taken = dt.datetime.strptime(match.group(1), _STAMP)
            found.append(BackupFile(path=path, taken_at=taken, size=path.stat().st_size))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def _connect(path: Path, passphrase: str | None, *, read_only: bool = False) -> Any:
    """A DB-API connection to a database file: plain sqlite3, or SQLCipher keyed with the
    passphrase of an encrypted database (its backups are encrypted with the same key)."""
    if passphrase is not None:
        try:
            return encryption.connect(path, passphrase, read_only=read_only)
        except encryption.WrongPassphrase as exc:
            raise UserError(tr("« {path} » ne s'ouvre pas avec la phrase secrète de cette base.").format(
                path=path)) from exc
    if read_only:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    return sqlite3.connect(path)


@contextmanager
def _connection(path: Path, passphrase: str | None, *, read_only: bool = False) -> Iterator[Any]:
    conn = _connect(path, passphrase, read_only=read_only)
    try:
        yield conn
    finally:
        conn.close()


def _copy(db: Database, target: Path) -> None:
    """Online backup of ``db`` (through its own engine, whatever its driver) into
    ``target``, written beside it first, then renamed: a crash never leaves a half-written
    file under a backup's name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partiel")
    migrate.remove_file_set(partial)
    raw = db.engine.raw_connection()
    try:
        with _connection(partial, db.passphrase) as destination:
            source: Any = raw.driver_connection
            source.backup(destination)
            # one self-contained file, whatever the journal mode of the original
            destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        raw.close()
    os.replace(partial, target)
    migrate.remove_file_set(partial)


def backup_to(db: Database, target: Path) -> BackupFile:
    """A backup of ``db`` at ``target`` (``advisor-app backup --out``)."""
    target = target.expanduser()
    if target.exists() and target.resolve() == db.path.resolve():
        raise UserError(tr("La sauvegarde ne peut pas remplacer la base elle-même."))
    try:
        _copy(db, target)
    except (OSError, sqlite3.Error) as exc:
        raise UserError(tr("Sauvegarde impossible dans « {path} » : {error}").format(
            path=target, error=exc)) from exc
    return BackupFile(path=target, taken_at=dt.datetime.now(), size=target.stat().st_size)


def backup_now(db: Database, *, now: dt.datetime | None = None, daily: int = KEEP_DAILY,
               weekly: int = KEEP_WEEKLY) -> BackupFile:
    """A new backup in the backups folder, then rotation."""
    moment = (now or dt.datetime.now()).replace(microsecond=0)
    folder = backups_dir(db.path)
    target = folder / f"{db.path.stem}-{moment.strftime(_STAMP)}.sqlite"
    n = 1
    while target.exists():  # two backups within one second
        target = folder / f"{db.path.stem}-{moment.strftime(_STAMP)}-{n}.sqlite"
        n += 1
    made = backup_to(db, target)
    rotate(db.path, daily=daily, weekly=weekly)
    return BackupFile(path=made.path, taken_at=moment, size=made.size)


def backup_if_due(db: Database, *, now: dt.datetime | None = None,
                  max_age: dt.timedelta = MAX_AGE) -> BackupFile | None:
    """The automatic backup: only when the newest one is older than ``max_age``."""
    moment = now or dt.datetime.now()
    existing = list_backups(db.path)
    if existing and moment - existing[0].taken_at < max_age:
        return None
    return backup_now(db, now=moment)


def rotate(db_path: Path, *, daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY) -> list[Path]:
    """Deletes the backups rotation no longer keeps; returns their paths."""
    backups = list_backups(db_path)
    keep: set[Path] = set()
    days: set[dt.date] = set()
    weeks: set[tuple[int, int]] = set()
    for backup in backups:  # newest first: the first seen of a day or week is its newest
        day = backup.taken_at.date()
        week = day.isocalendar()[:2]
        if day not in days and len(days) < daily:
            days.add(day)
            keep.add(backup.path)
        if week not in weeks and len(weeks) < weekly:
            weeks.add(week)
            keep.add(backup.path)
    if backups:
        keep.add(backups[0].path)
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def in_use(db_path: Path, passphrase: str | None = None) -> bool:
    """Whether another connection (the app, another process) holds the database open: an
    exclusive lock cannot be taken then, in WAL mode even while it is idle."""
    if not db_path.exists() or not db_path.stat().st_size:
        return False
    probe = _connect(db_path, passphrase) if passphrase is not None else sqlite3.connect(db_path)
    probe.isolation_level = None
    probe.execute("PRAGMA busy_timeout=0")
    try:
        probe.execute("PRAGMA locking_mode=EXCLUSIVE")
        probe.execute("BEGIN EXCLUSIVE")
        probe.execute("SELECT count(*) FROM sqlite_master").fetchall()
        probe.execute("ROLLBACK")
        return False
    except Exception as exc:  # sqlite3's or SQLCipher's "database is locked"
        if "locked" in str(exc) or "busy" in str(exc):
            return True
        raise
    finally:
        probe.close()


def backup_passphrase(path: Path, passphrase: str | None) -> str | None:
    """The key to read ``path`` with: None for a plain file; for an encrypted one, the
    passphrase given or the one the app was given (``use_passphrase``)."""
    if not encryption.is_encrypted(path):
        return None
    key = passphrase if passphrase is not None else _default_passphrase()
    if not key:
        raise UserError(tr("« {path} » est chiffrée : sa phrase secrète est nécessaire.").format(path=path))
    return key


def check_backup(path: Path, passphrase: str | None = None) -> str:
    """The schema revision of a usable Mowakaba backup; ``UserError`` otherwise."""
    path = path.expanduser()
    if not path.is_file():
        raise UserError(tr("Sauvegarde introuvable : {path}").format(path=path))
    key = backup_passphrase(path, passphrase)
    try:
        state = (migrate.inspect_sqlite_file(path) if key is None
                 else encryption.inspect_encrypted_file(path, key))
    except encryption.WrongPassphrase as exc:
        raise UserError(tr("« {path} » ne s'ouvre pas avec la phrase secrète de cette base.").format(
            path=path)) from exc
    except migrate.DatabaseFileError as exc:
        raise UserError(str(exc)) from exc
    if state.revision is None:
        raise UserError(tr("« {path} » n'est pas une base Mowakaba.").format(path=path))
    try:
        with _connection(path, key, read_only=True) as conn:
            verdict = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error as exc:
        raise UserError(tr("« {path} » est illisible : {error}").format(path=path, error=exc)) from exc
    if verdict != [("ok",)]:
        raise UserError(tr("« {path} » est endommagée (contrôle d'intégrité : {detail}).").format(
            path=path, detail=verdict[0][0]))
    return state.revision


def restore(db_path: Path, source: Path, *, now: dt.datetime | None = None,
            passphrase: str | None = None) -> RestoreResult:
    """Replaces the database at ``db_path`` by the backup ``source``, after keeping a copy of
    the current one in the backups folder; an older backup is then migrated. An encrypted
    backup is read with ``passphrase`` (by default the app's) and stays encrypted."""
    db_path, source = db_path.expanduser(), source.expanduser()
    check_backup(source, passphrase)
    key = backup_passphrase(source, passphrase)
    current_key = backup_passphrase(db_path, passphrase) if db_path.exists() else None
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise UserError(tr("Cette sauvegarde est la base elle-même."))
    if in_use(db_path, current_key):
        raise UserError(tr("La base « {path} » est ouverte par Mowakaba : fermez l'application, "
                           "puis recommencez.").format(path=db_path))
    previous = None
    if db_path.exists() and db_path.stat().st_size:
        moment = (now or dt.datetime.now()).replace(microsecond=0)
        previous = backups_dir(db_path) / f"{db_path.stem}.avant-restauration-{moment:{_STAMP}}.sqlite"
        current = open_database(db_path, load_reference=False, passphrase=current_key)
        try:
            backup_to(current, previous)
        finally:
            current.close()
    incoming = db_path.with_name(db_path.name + ".restauration")
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with _connection(source, key, read_only=True) as src, _connection(incoming, key) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        migrate.remove_file_set(db_path)
        os.replace(incoming, db_path)
    except (OSError, sqlite3.Error) as exc:
        raise UserError(tr("Restauration impossible : {error}").format(error=exc)) from exc
    finally:
        migrate.remove_file_set(incoming)
    restored = open_database(db_path, passphrase=key)  # migrates a backup made by an older version
    restored.close()
    return RestoreResult(restored_from=source, previous_copy=previous, revision=migrate.head_revision())

