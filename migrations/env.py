"""Alembic environment shared by the laptop database and the HQ database."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection, pool

from advisor_app.domain.models import Base
from advisor_app.storage.engine import make_engine

config = context.config
target_metadata = Base.metadata

# Virtual tables (FTS5) and their shadow tables are made by hand in revisions; autogenerate
# must not try to drop them.
IGNORED_TABLE_PREFIXES = ("company_fts",)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(IGNORED_TABLE_PREFIXES))


def run_with(connection: Connection) -> None:
    is_sqlite = connection.dialect.name == "sqlite"
    if is_sqlite:
        # Batch mode recreates tables; foreign keys must not cascade while it does.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=is_sqlite,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "", poolclass=pool.NullPool)
    with engine.begin() as conn:
        run_with(conn)


if context.is_offline_mode():
    raise SystemExit("Offline SQL generation is not supported; run against a database.")
run_migrations_online()
