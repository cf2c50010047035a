"""The body of the next push, from outbox entries in order (the driver's rows: ``changed``
is the JSON text it is stored as).

Consecutive inserts into one table with the same columns (a first sync, an import: most
of any large push) go as one ``InsertRun``, a column list and rows of values, which HQ
checks and writes a column at a time; anything else goes as ``mutations``, ``changed``
copied into the body as it is stored. A push carries one form: the mutations before a run
leave first, the run next."""

from __future__ import annotations

from typing import Any

import orjson

from advisor_app.sync.raw import wire_moment
from advisor_app.sync.wire import MAX_BATCH, MAX_RUN

RUN_MIN = 100  # inserts in a row worth a push of their own, as a run


def next_push(batch: list[Any]) -> tuple[list[Any], bytes]:
    """The entries at the head of ``batch`` that leave in the next push, and its body
    (none: nothing, empty)."""
    if not batch:
        return [], b""
    streaks = _streaks(batch)
    run = _leading_run(batch) if streaks[0] >= RUN_MIN else []
    if run:
        return batch[:len(run)], _run_body(batch[:len(run)], run)
    # up to where a run starts (not inside the head's own streak: its columns cut it short)
    head = min(len(batch), MAX_BATCH)
    count = next((i for i in range(1, head) if streaks[i] >= RUN_MIN and streaks[i - 1] != streaks[i] + 1),
                 head)
    return batch[:count], _mutations_body(batch[:count])


def _streaks(batch: list[Any]) -> list[int]:
    """For each entry, how many inserts into its table follow from it on (itself included;
    0 if it is no insert): one pass from the end."""
    streaks = [0] * (len(batch) + 1)
    table = None
    for i in range(len(batch) - 1, -1, -1):
        entry = batch[i]
        if entry.op == "insert" and entry.base_version == 0:
            streaks[i] = 1 + (streaks[i + 1] if entry.table_name == table else 0)
            table = entry.table_name
        else:
            table = None
    return streaks


def _leading_run(batch: list[Any]) -> list[dict[str, Any]]:
    """The ``changed`` of the inserts into one table with the same columns at the head of
    ``batch``, if there are at least ``RUN_MIN``; empty otherwise."""
    table = batch[0].table_name
    run: list[dict[str, Any]] = []
    columns: list[str] | None = None
    for entry in batch[:MAX_RUN]:
        if entry.op != "insert" or entry.base_version != 0 or entry.table_name != table:
            break
        changed = orjson.loads(entry.changed)
        if columns is None:
            columns = list(changed)
        elif list(changed) != columns:
            break
        run.append(changed)
    return run if len(run) >= RUN_MIN and columns else []


def _run_body(entries: list[Any], run: list[dict[str, Any]]) -> bytes:
    return orjson.dumps({"inserts": {
        "table": entries[0].table_name, "columns": list(run[0]),
        "mutation_ids": [e.mutation_id for e in entries], "row_ids": [e.row_id for e in entries],
        "at": [wire_moment(e.created_at) for e in entries],
        "rows": [list(changed.values()) for changed in run]}})


def _mutations_body(entries: list[Any]) -> bytes:
    return orjson.dumps({"mutations": [
        {"mutation_id": e.mutation_id, "table": e.table_name, "row_id": e.row_id, "op": e.op,
         "base_version": e.base_version, "at": wire_moment(e.created_at),
         "changed": orjson.Fragment(e.changed)}
        for e in entries]})
