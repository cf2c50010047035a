"""Schema migrations (Alembic) and the checks made before touching a database file."""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

from advisor_app.storage.paths import migrations_dir

SQLITE_HEADER = b"SQLite format 3\x00"
# Stamped in every laptop database (PRAGMA application_id): "MWKB". Files made before the
# stamp existed read 0 and are recognised by their Alembic revision.
APPLICATION_ID = 0x4D574B42


class DatabaseFileError(Exception):
    """The file cannot be used; it has not been modified. The message is for the user."""


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


@functools.cache  # the scripts do not change while the process runs; parsing them is I/O
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@functools.cache
def known_revisions() -> frozenset[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(rev.revision for rev in script.walk_revisions())


@dataclass(frozen=True)
class FileState:
    exists: bool
    revision: str | None  # None: empty or new file


def inspect_sqlite_file(path: Path) -> FileState:
    """Read-only look at a file before anything writes to it (WAL mode alone would)."""
    if path.exists() and not path.is_file():
        kind = "un dossier" if path.is_dir() else "un fichier spécial"
        raise DatabaseFileError(f"« {path} » est {kind}, pas une base de données.")
    if not path.exists() or path.stat().st_size == 0:
        return FileState(exists=path.exists(), revision=None)
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseFileError(f"« {path} » est illisible ({exc.strerror}).") from exc
    if header != SQLITE_HEADER:
        raise DatabaseFileError(
            f"« {path} » n'est pas une base de données SQLite ; le fichier n'a pas été modifié."
        )
    # Without a pending WAL, open as immutable: even a read-only connection to a WAL-mode
    # file would otherwise leave -wal/-shm companions beside a file we may refuse.
    wal = path.with_name(path.name + "-wal")
    flags = "mode=ro" if wal.exists() and wal.stat().st_size else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True)
        try:
            objects = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            application_id = conn.execute("PRAGMA application_id").fetchone()[0]
            revision = None
            if "alembic_version" in objects:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseFileError(
            f"« {path} » est illisible ou endommagée ; le fichier n'a pas été modifié."
        ) from exc
    foreign = DatabaseFileError(
        f"« {path} » est une base SQLite qui n'appartient pas à Mowakaba ; "
        "le fichier n'a pas été modifié."
    )
    if application_id not in (0, APPLICATION_ID):
        raise foreign
    if revision is None and objects - {"sqlite_sequence"}:
        raise foreign
    if revision is not None and revision not in known_revisions():
        if application_id != APPLICATION_ID:  # another program's Alembic database
            raise foreign
        raise DatabaseFileError(
            f"« {path} » a été créée par une version plus récente de Mowakaba "
            f"(schéma {revision}). Mettez l'application à jour ; le fichier n'a pas été modifié."
        )
    return FileState(exists=True, revision=revision)


def backup_before_upgrade(path: Path, revision: str) -> Path:
    """Copy of the file as it was, taken with SQLite's online backup API."""
    target = path.with_name(f"{path.stem}.avant-mise-a-jour-{revision}{path.suffix}")
    src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _atomic_sqlite_engine(engine: Engine) -> Engine:
    """A throw-away engine whose transactions really are transactions.

    pysqlite runs DDL outside any transaction by default, so a crash half-way through an
    upgrade would leave a half-migrated file. Here the driver's own transaction handling
    is off and we emit BEGIN ourselves (SQLAlchemy's documented pysqlite recipe); foreign
    keys are switched off before BEGIN (inside a transaction the pragma is a no-op) so that
    batch mode can rebuild tables."""
    target = create_engine(engine.url, poolclass=NullPool)

    @event.listens_for(target, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        dbapi_connection.execute("PRAGMA busy_timeout=5000")

    @event.listens_for(target, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return target


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrates to ``revision``: all of it or nothing. On SQLite the work runs on a
    throw-away connection (foreign keys off must not go back to the pool) and ends with a
    foreign key check and the application id stamp."""
    config = alembic_config()
    is_sqlite = engine.dialect.name == "sqlite"
    target = _atomic_sqlite_engine(engine) if is_sqlite else engine
    try:
        with target.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            if is_sqlite:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left dangling foreign keys: {broken[:5]}")
                conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    finally:
        if is_sqlite:
            target.dispose()


def remove_file_set(path: Path) -> None:
    """Deletes a SQLite file and its WAL/SHM companions (tests and restore)."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if candidate.exists():
            candidate.unlink()


__all__ = [
    "DatabaseFileError",
    "FileState",
    "alembic_config",
    "backup_before_upgrade",
    "current_revision",
    "head_revision",
    "inspect_sqlite_file",
    "known_revisions",
    "remove_file_set",
    "upgrade",
]
