"""A push's run of inserts (``wire.InsertRun``): new rows of one table, as columns.

The common case (every row new, every mutation id new, every value valid, every row in
the caller's region) is written straight from the columns: one check per column, one
``executemany``, one record per mutation, no object per row. Anything else (a replay, a row
HQ holds, a refused value or reference) is decided by ``push`` over the mutations the run
stands for, so a run and those mutations always get the same answers and leave the same
rows."""

from __future__ import annotations

from itertools import repeat
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.exc import DataError, IntegrityError, StatementError
from sqlalchemy.orm import Session

from advisor_app.hq.auth import Caller
from advisor_app.hq.push import STAMPS, allocate, answer, moment_binder, push, store_answers, where_in
from advisor_app.hq.push_bulk import bound_columns, typed_columns
from advisor_app.sync.raw import insert_tuples
from advisor_app.sync.rows import WireValueError, synced_tables
from advisor_app.sync.wire import Run, Status


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
            or len(set(run.mutation_ids)) != count or len(set(run.row_ids)) != count
            # a replay (an answer lost on the way) is the usual reason not to write: asked first
            or where_in(session, "mutation_id", "hq_mutation", "mutation_id", run.mutation_ids)
            or where_in(session, "id", table.name, "id", run.row_ids)):
        return None
    try:
        typed = typed_columns(table, run.columns, zip(*run.rows, strict=True))
    except WireValueError:
        return None
    if set(typed[run.columns.index("scope_region")]) != {caller.region}:
        return None
    dialect = session.connection().dialect.name
    columns = bound_columns(table, run.columns, typed, dialect)
    moments = list(map(moment_binder(dialect), run.at))
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
    results = [answer(mutation_id, Status.APPLIED, 1, number)
               for mutation_id, number in zip(run.mutation_ids, numbers, strict=True)]
    store_answers(session, caller, [(run.table, row_id, result)
                                    for row_id, result in zip(run.row_ids, results, strict=True)])
    return results
