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

from advisor_app.sync.push_request import has_long_number
from advisor_app.sync.raw import wire_moment
from advisor_app.sync.wire import MAX_BATCH, MAX_RUN

RUN_MIN = 100  # inserts in a row worth a push of their own, as a run


def next_push(batch: list[Any]) -> tuple[list[Any], bytes]:
    """The entries at the head of ``batch`` that leave in the next push, and its body
    (none: nothing, empty)."""
    if not batch:
        return [], b""
    streaks = _streaks(batch)
    if streaks[0] >= RUN_MIN:
        columns, run = _leading_run(batch[:min(streaks[0], MAX_RUN)])
        if len(run) >= RUN_MIN:
            return batch[:len(run)], _run_body(batch[:len(run)], columns, run)
    # up to where a run starts (not inside the head's own streak: its columns cut it short)
    head = min(len(batch), MAX_BATCH)
    count = next((i for i in range(1, head) if streaks[i] >= RUN_MIN and streaks[i - 1] != streaks[i] + 1),
                 head)
    return batch[:count], _mutations_body(batch[:count])


def may_run_on(batch: list[Any]) -> bool:
    """Whether every entry of ``batch`` inserts a row into one table: a run may take more
    entries than a push of mutations."""
    return bool(batch) and _streaks(batch)[0] == len(batch)


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


def _leading_run(streak: list[Any]) -> tuple[list[str], list[list[Any]]]:
    """The columns and the rows of values of the inserts at the head of ``streak`` (inserts
    into one table) that have the same columns."""
    columns: list[str] = []
    rows: list[list[Any]] = []
    # a change holding an integer beyond 64 bits goes as mutations, copied as it is stored
    # (read with orjson, such an integer would become a float)
    long = has_long_number("\n".join(entry.changed for entry in streak).encode())
    for entry in streak:
        if long and has_long_number(entry.changed.encode()):
            break
        changed = orjson.loads(entry.changed)
        if not rows:
            columns = list(changed)
        elif list(changed) != columns:
            break
        rows.append(list(changed.values()))
    return columns, rows


def _run_body(entries: list[Any], columns: list[str], rows: list[list[Any]]) -> bytes:
    return orjson.dumps({"inserts": {
        "table": entries[0].table_name, "columns": columns,
        "mutation_ids": [e.mutation_id for e in entries], "row_ids": [e.row_id for e in entries],
        "at": [wire_moment(e.created_at) for e in entries], "rows": rows}})


def _mutations_body(entries: list[Any]) -> bytes:
    return orjson.dumps({"mutations": [
        {"mutation_id": e.mutation_id, "table": e.table_name, "row_id": e.row_id, "op": e.op,
         "base_version": e.base_version, "at": wire_moment(e.created_at),
         "changed": orjson.Fragment(e.changed)}
        for e in entries]})
