"""HQ's database: SQLite file (embedded default) or PostgreSQL, same Alembic schema.

Writers and readers get their own transactions: on SQLite a push starts with BEGIN
IMMEDIATE (one writer at a time, no lock upgrade deadlock) and a pull reads one WAL
snapshot; on PostgreSQL a pull runs in REPEATABLE READ so that its per-table queries see
one snapshot (a commit between two of them could otherwise make the cursor skip a row)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from advisor_app.domain.hq_records import SERVER_SEQ, HqCounter
from advisor_app.services.errors import UserError
from advisor_app.storage import migrate
from advisor_app.storage.engine import make_engine

EPOCH = "epoch"


@dataclass
class HqDatabase:
    url: str
    engine: Engine
    is_sqlite: bool
    _writes: sessionmaker[Session]
    _reads: sessionmaker[Session]
    reader: Engine  # the writer's engine on PostgreSQL; SQLite's readers have their own

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction, committed at the end, rolled back on error."""
        with self._writes() as session, session.begin():
            yield session

    def unit_of_work(self) -> AbstractContextManager[Session]:
        """``write`` under the name the services' loaders expect (reference data)."""
        return self.write()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One read-only snapshot."""
        with self._reads() as session, session.begin():
            if not self.is_sqlite:
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            yield session

    def epoch(self) -> str:
        with self.read() as session:
            value = session.scalar(select(HqCounter.value).where(HqCounter.name == EPOCH))
        return f"{value or 0:x}"

    def counter(self) -> int:
        with self.read() as session:
            return read_counter(session)

    def close(self) -> None:
        self.engine.dispose()
        self.reader.dispose()  # else its connections keep the SQLite file (and its WAL) open


def read_counter(session: Session) -> int:
    """The last server_seq number given."""
    return session.scalar(select(HqCounter.value).where(HqCounter.name == SERVER_SEQ)) or 0


def check_url(url: str) -> str:
    """The backend name of a supported URL; UserError with the reason otherwise."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UserError(f"URL de base invalide : « {url} »") from None
    backend = parsed.get_backend_name()
    if backend not in {"sqlite", "postgresql"}:
        raise UserError(f"Base non prise en charge : {backend} (SQLite ou PostgreSQL).")
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise UserError("Une base SQLite en mémoire ne conserverait rien : donnez un fichier, "
                        "ex. sqlite:///mowakaba-hq.sqlite.")
    return backend


def _sqlite_transactions(engine: Engine, begin: str) -> None:
    """pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT: SQLAlchemy
    emits the BEGIN itself (SQLAlchemy's documented recipe)."""

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)


def open_hq(url: str, *, pool_size: int = 20) -> HqDatabase:
    """Opens an HQ database that ``advisor-hq init`` has prepared (UserError otherwise)."""
    backend = check_url(url)
    is_sqlite = backend == "sqlite"
    if is_sqlite:
        writer = make_engine(url)
        reader = make_engine(url)
        _sqlite_transactions(writer, "BEGIN IMMEDIATE")
        _sqlite_transactions(reader, "BEGIN")
    else:
        # pool_size + max_overflow (60) covers the server's 40 worker threads: a request
        # never waits for a connection another request holds
        # prepare_threshold None: every statement planned with the tables as they are. A
        # plan psycopg prepared while a table was empty (a seq scan) stayed in use as it
        # grew (no ANALYZE invalidated it): a push of 100,000 rows slowed to 800 rows/s
        writer = reader = make_engine(url, pool_size=pool_size, max_overflow=pool_size * 2,
                                      pool_pre_ping=True, connect_args={"prepare_threshold": None})
    if migrate.current_revision(writer) != migrate.head_revision():
        writer.dispose()
        reader.dispose()
        raise UserError("La base du siège n'est pas prête ou pas à jour : lancez "
                        "« advisor-hq init --database-url ... » d'abord.")
    if is_sqlite:
        drop_laptop_triggers(writer)
    db = HqDatabase(url, writer, is_sqlite,
                    sessionmaker(bind=writer, expire_on_commit=False, autoflush=True),
                    sessionmaker(bind=reader, expire_on_commit=False, autoflush=False), reader)
    ensure_counters(db)
    return db


# The laptop's companies list and search index (migrations 0002 and 0003) are kept by
# SQLite triggers on every write to company, person, enrolment... HQ never reads them (on
# PostgreSQL they do not exist), and on a SQLite HQ they cost most of a push.
LAPTOP_TRIGGER_PREFIXES = ("company_fts_", "company_listing_")


def drop_laptop_triggers(engine: Engine) -> None:
    """Idempotent: also run at every start, for triggers a later migration may recreate."""
    with engine.begin() as connection:
        names = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars()
        for name in [n for n in names if n.startswith(LAPTOP_TRIGGER_PREFIXES)]:
            connection.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')


def ensure_counters(db: HqDatabase) -> None:
    """The server_seq counter and HQ's epoch (a random number drawn once per database:
    a database restored from an older copy gets a new one with ``reset_epoch``)."""
    with db.write() as session:
        names = set(session.scalars(select(HqCounter.name)))
        if SERVER_SEQ not in names:
            session.add(HqCounter(name=SERVER_SEQ, value=0))
        if EPOCH not in names:
            session.add(HqCounter(name=EPOCH, value=secrets.randbits(48)))


def reset_epoch(db: HqDatabase) -> str:
    """After restoring HQ from a backup: every laptop then pulls everything again."""
    with db.write() as session:
        counter = session.get(HqCounter, EPOCH)
        assert counter is not None
        counter.value = secrets.randbits(48)
    return db.epoch()
