"""Schema migrations (Alembic) and the checks made before touching a database file."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from advisor_app.storage.paths import migrations_dir

SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseFileError(Exception):
    """The file cannot be used; it has not been modified. The message is for the user."""


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


@dataclass(frozen=True)
class FileState:
    exists: bool
    revision: str | None  # None: empty or new file


def inspect_sqlite_file(path: Path) -> FileState:
    """Read-only look at a file before anything writes to it (WAL mode alone would)."""
    if not path.exists() or path.stat().st_size == 0:
        return FileState(exists=path.exists(), revision=None)
    if path.is_dir():
        raise DatabaseFileError(f"« {path} » est un dossier, pas une base de données.")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
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
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseFileError(
            f"« {path} » est illisible ({exc}) ; le fichier n'a pas été modifié."
        ) from exc
    if revision is None and tables - {"sqlite_sequence"}:
        raise DatabaseFileError(
            f"« {path} » est une base SQLite qui n'appartient pas à Mowakaba ; "
            "le fichier n'a pas été modifié."
        )
    if revision is not None and revision not in known_revisions():
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


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrates to ``revision``. On SQLite the work runs on a throw-away connection: the
    environment turns foreign keys off for batch table rebuilds, and that connection must
    not go back to the pool that way."""
    config = alembic_config()
    is_sqlite = engine.dialect.name == "sqlite"
    target = create_engine(engine.url, poolclass=NullPool) if is_sqlite else engine
    try:
        with target.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            if is_sqlite:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left dangling foreign keys: {broken[:5]}")
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
