"""Encryption at rest of the laptop database: SQLCipher (through the ``sqlcipher3`` binding,
whose wheels bundle SQLCipher for Linux, Windows and macOS).

An encrypted database is a SQLCipher 4 file keyed with the advisor's passphrase (SQLCipher
derives the key with PBKDF2-HMAC-SHA512, 256 000 iterations, and a random salt kept in the
file's first 16 bytes). Every page, the WAL and the journal are encrypted and authenticated
(HMAC): a wrong passphrase or a tampered page is refused, never read as garbage.

Nothing here imports Qt; ``sqlcipher3`` is imported only when an encrypted file is used."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from advisor_app.storage.migrate import (
    APPLICATION_ID,
    SQLITE_HEADER,
    DatabaseFileError,
    FileState,
    known_revisions,
)

# SQLCipher pages are 4096 bytes (1024 in SQLCipher 3): a file of another size is no database.
_PAGE_MULTIPLE = 512
_WIPE_CHUNK = 1 << 20


class WrongPassphrase(Exception):
    """The passphrase does not open the file (or the file is no SQLCipher database)."""


def companions(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def is_encrypted(path: Path) -> bool:
    """True for a file that looks like a SQLCipher database: not empty, no plain SQLite
    header, a whole number of pages. (Without the passphrase nothing more can be told.)"""
    try:
        if not path.is_file():
            return False
        size = path.stat().st_size
        if size == 0 or size % _PAGE_MULTIPLE:
            return False
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER
    except OSError:
        return False


def _quoted(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def _module() -> Any:
    import sqlcipher3

    return sqlcipher3


class FileInUse(Exception):
    """Another connection holds the file (``connect(..., exclusive=True)``)."""


def connect(path: Path, passphrase: str | None, *, read_only: bool = False,
            exclusive: bool = False) -> Any:
    """A DB-API connection to ``path`` (plain when ``passphrase`` is None), checked: a wrong
    passphrase raises ``WrongPassphrase``. ``exclusive``: the connection keeps the file to
    itself (SQLite's exclusive locking mode, set before the first read, which in WAL mode is
    the only way to tell an idle connection elsewhere); ``FileInUse`` when one is there."""
    module = _module()
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    conn = module.connect(target, uri=read_only, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not stderr's
        if passphrase is not None:
            conn.execute(f"PRAGMA key = {_quoted(passphrase)}")
        if exclusive:
            conn.execute("PRAGMA busy_timeout = 0")
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if exclusive:
            conn.execute("COMMIT")
    except module.OperationalError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise FileInUse(str(exc)) from exc
        raise WrongPassphrase(str(exc)) from exc
    except module.DatabaseError as exc:
        conn.close()
        raise WrongPassphrase(str(exc)) from exc
    return conn


def engine_url(path: Path, passphrase: str) -> URL:
    """SQLAlchemy's ``sqlite+pysqlcipher`` dialect: it runs ``PRAGMA key`` (quoted) on every
    new connection, before any other statement, and keeps the passphrase out of repr()."""
    return URL.create("sqlite+pysqlcipher", password=passphrase, database=str(path))


def inspect_encrypted_file(path: Path, passphrase: str) -> FileState:
    """``migrate.inspect_sqlite_file`` for an encrypted file: read-only checks that it is a
    Mowakaba database this version can open. ``WrongPassphrase`` when the key does not fit."""
    conn = connect(path, passphrase, read_only=True)
    try:
        objects = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        revision = None
        if "alembic_version" in objects:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    finally:
        conn.close()
    if application_id not in (0, APPLICATION_ID) or (revision is None and objects - {"sqlite_sequence"}):
        raise DatabaseFileError(f"« {path} » n'est pas une base Mowakaba ; le fichier n'a pas été modifié.")
    if revision is not None and revision not in known_revisions():
        raise DatabaseFileError(
            f"« {path} » a été créée par une version plus récente de Mowakaba "
            f"(schéma {revision}). Mettez l'application à jour ; le fichier n'a pas été modifié.")
    return FileState(exists=True, revision=revision)


def export(source: Path, source_key: str | None, target: Path, target_key: str | None) -> None:
    """Copies the whole database ``source`` into a new file ``target`` (SQLCipher's
    ``sqlcipher_export``: schema, rows, FTS5 indexes), keyed with ``target_key`` (plain when
    None), then checks the copy (integrity, same row counts)."""
    # nobody else may hold the file: a connection left open on it would go on writing to
    # the replaced (wiped) file
    try:
        conn = connect(source, source_key, exclusive=True)
    except FileInUse as exc:
        raise DatabaseFileError(
            f"« {source} » est ouverte (Mowakaba ou un autre programme) : fermez-la, puis "
            "recommencez. Rien n'a été modifié.") from exc
    conn.isolation_level = None  # transactions spelled out below
    try:
        conn.execute(f"ATTACH DATABASE ? AS target KEY {_quoted(target_key or '')}", (str(target),))
        conn.execute("BEGIN EXCLUSIVE")
        application_id = conn.execute("PRAGMA main.application_id").fetchone()[0]
        user_version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute("SELECT sqlcipher_export('target')")
        conn.execute(f"PRAGMA target.application_id = {int(application_id)}")
        conn.execute(f"PRAGMA target.user_version = {int(user_version)}")
        conn.execute("COMMIT")
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
        counts = {name: conn.execute(f'SELECT count(*) FROM main."{name}"').fetchone()[0] for name in tables}
        conn.execute("DETACH DATABASE target")
    finally:
        conn.close()
    check = connect(target, target_key)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DatabaseFileError(f"La copie « {target} » est endommagée ; l'original est intact.")
        for name, count in counts.items():
            if check.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] != count:
                raise DatabaseFileError(f"La copie « {target} » est incomplète ; l'original est intact.")
    finally:
        check.close()


def checkpoint(path: Path, passphrase: str | None) -> None:
    """Folds the WAL into the file and empties it (before a copy or a conversion)."""
    conn = connect(path, passphrase)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        conn.close()


def wipe(path: Path) -> None:
    """Overwrites a file with zeros, flushes, then deletes it. On an SSD (wear levelling) or a
    copy-on-write file system, old blocks may survive: the README says so."""
    if not path.exists():
        return
    with path.open("r+b") as handle:
        _overwrite(handle.fileno(), path.stat().st_size)
    path.unlink()


def _overwrite(descriptor: int, size: int) -> None:
    zeros = bytes(_WIPE_CHUNK)
    os.lseek(descriptor, 0, os.SEEK_SET)
    left = size
    while left > 0:
        left -= os.write(descriptor, zeros[:min(left, _WIPE_CHUNK)])
    os.fsync(descriptor)


@contextlib.contextmanager
def _work_file(path: Path, suffix: str) -> Iterator[Path]:
    work = path.with_name(f".{path.name}.{suffix}")
    for leftover in (work, *companions(work)):
        leftover.unlink(missing_ok=True)
    try:
        yield work
    finally:
        for leftover in (work, *companions(work)):
            leftover.unlink(missing_ok=True)


def convert(path: Path, old_key: str | None, new_key: str | None) -> None:
    """Re-keys ``path`` in place: plain -> encrypted (``old_key`` None), encrypted -> plain
    (``new_key`` None) or a new passphrase. The copy is made and checked beside the file,
    then renamed over it (all or nothing); the old file's bytes are then overwritten with
    zeros through a handle opened before the rename, and its WAL/SHM are wiped."""
    checkpoint(path, old_key)
    with _work_file(path, "conversion") as work:
        export(path, old_key, work, new_key)
        with path.open("r+b") as old:
            size = os.fstat(old.fileno()).st_size
            os.replace(work, path)
            _overwrite(old.fileno(), size)  # the old inode, now unlinked
    for companion in companions(path):
        wipe(companion)


def backup_copy(path: Path, passphrase: str, target: Path) -> Path:
    """An encrypted copy of an encrypted database, same passphrase (pre-upgrade backup)."""
    export(path, passphrase, target, passphrase)
    return target
