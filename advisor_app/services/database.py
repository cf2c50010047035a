"""Opening a laptop database: checks, backup, migrations, device identity, reference data."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from advisor_app.domain.base import new_id
from advisor_app.domain.local import LocalSetting
from advisor_app.i18n import tr
from advisor_app.services.errors import UserError
from advisor_app.storage import migrate
from advisor_app.storage.engine import make_engine, make_session_factory, sqlite_url
from advisor_app.storage.repositories.settings import get_setting as get_setting  # re-exported
from advisor_app.storage.repositories.settings import set_setting as set_setting
from advisor_app.sync.capture import ADVISOR_ID, DEVICE_ID, install_capture

DEVICE_KEY = "device_id"
ADVISOR_KEY = "advisor_id"
DEMO_KEY = "demo_data"


@dataclass
class Database:
    path: Path
    engine: Engine
    sessions: sessionmaker[Session]

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any exception."""
        with self.sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _check_file(path: Path) -> migrate.FileState:
    try:
        return migrate.inspect_sqlite_file(path)
    except migrate.DatabaseFileError as exc:
        raise UserError(str(exc)) from exc


def _cannot_write(path: Path) -> UserError:
    return UserError(tr(
        "Impossible d'écrire la base « {path} » : vérifiez que le dossier existe, "
        "qu'il est accessible en écriture et que le disque n'est pas plein.").format(path=path))


def open_database(path: Path, *, load_reference: bool = True) -> Database:
    """Creates or upgrades the database at ``path``.

    Raises ``UserError`` (file untouched) if it is not a SQLite file, belongs to another
    program, was made by a newer version of the app, or cannot be written."""
    path = path.expanduser()
    state = _check_file(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(tr("Impossible de créer le dossier « {path} ».").format(
            path=path.parent)) from exc
    if state.revision is not None and state.revision != migrate.head_revision():
        try:
            migrate.backup_before_upgrade(path, state.revision)
        except (OSError, sqlite3.Error) as exc:
            raise UserError(tr(
                "Copie de sécurité impossible avant la mise à jour de « {path} » ; "
                "la base n'a pas été modifiée.").format(path=path)) from exc
    engine = make_engine(sqlite_url(path))
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
    db = Database(path=path, engine=engine, sessions=factory)
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


def open_database_readonly(path: Path) -> Database:
    """Opens an existing, up-to-date database without writing anything (``stats``)."""
    path = path.expanduser()
    if not path.exists():
        raise UserError(tr("Base introuvable : {path}").format(path=path))
    state = _check_file(path)
    if state.revision is None:
        raise UserError(tr("« {path} » est vide : créez-la avec « advisor-app init ».").format(
            path=path))
    if state.revision != migrate.head_revision():
        raise UserError(tr(
            "« {path} » doit d'abord être mise à jour (schéma {revision}) : "
            "lancez « advisor-app init » avec cette base.").format(path=path,
                                                                    revision=state.revision))
    # No WAL/synchronous pragmas here: they are for writers, and this engine never writes.
    engine = create_engine(f"sqlite+pysqlite:///{path.resolve().as_uri()}?mode=ro&uri=true")
    return Database(path=path, engine=engine, sessions=make_session_factory(engine))


def device_id(db: Database) -> str:
    with db.sessions() as session:
        value = session.scalar(select(LocalSetting.value).where(LocalSetting.key == DEVICE_KEY))
    assert value is not None
    return value
