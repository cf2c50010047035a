"""Opening a laptop database: checks, backup, migrations, device identity, reference data."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alembic.util import CommandError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from advisor_app.domain.base import new_id
from advisor_app.domain.local import LocalSetting
from advisor_app.services.errors import UserError
from advisor_app.storage import migrate
from advisor_app.storage.engine import make_engine, make_session_factory, sqlite_url
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


def get_setting(session: Session, key: str) -> str | None:
    row = session.get(LocalSetting, key)
    return row.value if row else None


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(LocalSetting, key)
    if row is None:
        session.add(LocalSetting(key=key, value=value))
    else:
        row.value = value


def open_database(path: Path, *, load_reference: bool = True) -> Database:
    """Creates or upgrades the database at ``path``.

    Raises ``UserError`` (file untouched) if it is not a SQLite file, belongs to another
    program, or was made by a newer version of the app."""
    path = path.expanduser()
    try:
        state = migrate.inspect_sqlite_file(path)
    except migrate.DatabaseFileError as exc:
        raise UserError(str(exc)) from exc
    if not path.parent.exists():
        try:
            path.parent.mkdir(parents=True)
        except OSError as exc:
            raise UserError(f"Impossible de créer le dossier « {path.parent} » : {exc.strerror}.") from exc
    if state.revision is not None and state.revision != migrate.head_revision():
        migrate.backup_before_upgrade(path, state.revision)
    engine = make_engine(sqlite_url(path))
    try:
        migrate.upgrade(engine)
    except CommandError as exc:  # e.g. a revision written by a newer app, seen only in the WAL
        engine.dispose()
        raise UserError(f"Mise à jour de « {path} » impossible : {exc}") from exc
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


def device_id(db: Database) -> str:
    with db.sessions() as session:
        value = session.scalar(select(LocalSetting.value).where(LocalSetting.key == DEVICE_KEY))
    assert value is not None
    return value
