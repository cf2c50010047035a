"""A push's run of inserts (``wire.InsertRun``): new rows of one table, as columns.

The common case (every row new, every mutation id new, every value valid, every row in
the caller's region) is written straight from the columns: one check per column, one
``executemany``, one record per mutation, no object per row. Anything else (a replay, a row
HQ holds, a refused value or reference) is decided by ``push`` over the mutations the run
stands for, so a run and those mutations always get the same answers and leave the same
rows."""

from __future__ import annotations

import datetime as dt
from itertools import repeat
from typing import Any, cast

import orjson
from sqlalchemy import Table
from sqlalchemy.exc import DataError, IntegrityError, StatementError
from sqlalchemy.orm import Session

from advisor_app.domain.base import utcnow
from advisor_app.domain.hq_records import HqMutation
from advisor_app.hq.auth import Caller
from advisor_app.hq.push import RECORD, STAMPS, allocate, moment_binder, push, where_in
from advisor_app.sync.raw import binder, insert_tuples
from advisor_app.sync.rows import SyncedTable, WireValueError, column_parser, synced_tables
from advisor_app.sync.wire import Run, Status

_UTC = dt.timedelta(0)


def push_run(session: Session, caller: Caller, run: Run) -> list[dict[str, Any]]:
    """The ``MutationResult``s of the run's mutations in JSON form (as ``push`` returns
    them), decided in the caller's transaction."""
    if not run.mutation_ids:
        return []
    results = _written(session, caller, run)
    return results if results is not None else push(session, caller, run.changes())


def _written(session: Session, caller: Caller, run: Run) -> list[dict[str, Any]] | None:
    """The answers, if the whole run is the common case and was written; None otherwise
    (nothing written)."""
    table = synced_tables().get(run.table)
    count = len(run.mutation_ids)
    if (table is None or not table.writable.issuperset(run.columns) or "scope_region" not in run.columns
            or len(set(run.mutation_ids)) != count or len(set(run.row_ids)) != count):
        return None
    columns = _columns(table, run, session.connection().dialect.name)
    if (columns is None or set(columns[run.columns.index("scope_region")]) != {caller.region}
            or where_in(session, "mutation_id", "hq_mutation", "mutation_id", run.mutation_ids)
            or where_in(session, "id", table.name, "id", run.row_ids)):
        return None
    moments = _moments(run.at, session.connection().dialect.name)
    try:
        with session.begin_nested():
            # inside the savepoint (taken when the nested transaction first asks for its
            # connection): a refused run leaves no gap in the numbers
            numbers = allocate(session, count)
            params = list(zip(*columns, run.row_ids, repeat(1), moments, repeat(caller.advisor_id),
                              repeat(caller.device_id), numbers))
            insert_tuples(session.connection(), cast(Table, table.cls.__table__), (*run.columns, *STAMPS),
                          params)
    except (IntegrityError, DataError, StatementError):
        return None  # a missing parent, a duplicate...: push says which and why
    return _answered(session, caller, run, numbers)


def _columns(table: SyncedTable, run: Run, dialect: str) -> list[list[Any]] | None:
    """The run's values a column at a time, checked and in the driver's form; None if one
    does not fit its column."""
    found = []
    for name, values in zip(run.columns, zip(*run.rows, strict=True), strict=True):
        column = table.columns[name]
        try:
            typed = column_parser(column)(list(values))
        except WireValueError:
            return None
        bind = binder(column.type, dialect)
        found.append(typed if bind is None else list(map(bind, typed)))
    return found


def _moments(moments: list[dt.datetime], dialect: str) -> list[Any]:
    """``updated_at`` of the new rows in the driver's form; on SQLite, a moment sent in UTC
    is written by ``isoformat`` (as SQLAlchemy stores it: naive, with microseconds)."""
    bind = moment_binder(dialect)
    if dialect != "sqlite":
        return list(map(bind, moments))
    return [m.isoformat(" ", "microseconds")[:26] if m.utcoffset() == _UTC else bind(m) for m in moments]


def _answered(session: Session, caller: Caller, run: Run, numbers: range) -> list[dict[str, Any]]:
    """Every mutation applied: the answers, each stored with its mutation id."""
    now = moment_binder(session.connection().dialect.name)(utcnow())
    results: list[dict[str, Any]] = [
        {"mutation_id": mutation_id, "status": Status.APPLIED.value, "row_version": 1, "server_seq": number,
         "reason": "", "conflicts": [], "original": None}
        for mutation_id, number in zip(run.mutation_ids, numbers, strict=True)]
    device, table = caller.device_id, run.table
    records = [(result["mutation_id"], device, table, row_id, orjson.dumps(result).decode(), now)
               for result, row_id in zip(results, run.row_ids, strict=True)]
    insert_tuples(session.connection(), cast(Table, HqMutation.__table__), RECORD, records)
    return results
