"""What a laptop pulls: the rows of its scope changed after its cursor, in server_seq order,
a page at a time (tombstones included), and the counts and digests ``verify`` compares.

Run inside one snapshot (``HqDatabase.read``): the per-table queries then agree on what
is committed, so taking the smallest numbers across tables never skips one."""

from __future__ import annotations

import heapq
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.hq.auth import Caller
from advisor_app.hq.db import read_counter
from advisor_app.sync.raw import RawTable
from advisor_app.sync.rows import SyncedTable, in_scope, synced_tables
from advisor_app.sync.wire import VerifyResponse, VerifyTable, scope_digest

_READERS: dict[tuple[str, str], RawTable] = {}


def _reader(session: Session, table: SyncedTable) -> RawTable:
    dialect = session.get_bind().dialect
    key = (table.name, dialect.name)
    if key not in _READERS:
        _READERS[key] = RawTable(table.cls.__table__, dialect)
    return _READERS[key]


def _scoped_after(session: Session, table: SyncedTable, caller: Caller, since: int,
                  limit: int, known: list[tuple[int, int]]) -> tuple[list[Any], bool]:
    """The first ``limit`` rows of the caller's scope after ``since``, in server_seq order
    (raw tuples, see ``RawTable``), and whether there may be more. One query per scope
    column, each an index range scan of at most ``limit`` rows ((scope, server_seq)
    indexes); a row in both scopes is read twice and kept once. (One query with OR made
    the database gather the whole scope and sort it, for every page.)"""
    reader = _reader(session, table)
    key, seq = reader.index["id"], reader.index["server_seq"]
    found: dict[str, Any] = {}
    full = False
    skip, skip_params = "", cast(tuple[Any, ...], ())
    if known:
        skip = (" AND NOT (coalesce(origin_device, '') = ? AND ("
                + " OR ".join("server_seq BETWEEN ? AND ?" for _ in known) + "))")
        skip_params = (caller.device_id, *(number for pair in known for number in pair))
    for column, value in (("scope_region", caller.region), ("scope_advisor", caller.advisor_id)):
        where = f"{column} = ? AND server_seq > ?{skip} ORDER BY server_seq LIMIT ?"
        rows = reader.select(session.connection(), where, (value, since, *skip_params, limit))
        full = full or len(rows) == limit
        found.update((row[key], row) for row in rows)
    ordered = sorted(found.values(), key=lambda row: row[seq])
    return ordered[:limit], full or len(ordered) > limit


def pull(session: Session, caller: Caller, since: int, limit: int,
         known: list[tuple[int, int]] | None = None) -> dict[str, Any]:
    """A ``PullResponse`` as plain JSON-ready data (validated by the laptop, not re-checked
    here: the rows come from HQ's own tables). ``known``: ranges of server_seq numbers of
    the caller's own changes it holds as HQ does (HQ answered "applied"), left out."""
    candidates: list[tuple[int, int, SyncedTable, Any]] = []
    full = False
    for rank, table in enumerate(synced_tables().values()):
        found, table_full = _scoped_after(session, table, caller, since, limit, known or [])
        full = full or table_full
        seq = _reader(session, table).index["server_seq"]
        candidates.extend((row[seq], rank, table, row) for row in found)
    page = heapq.nsmallest(limit, candidates, key=lambda c: (c[0], c[1]))
    has_more = full or len(candidates) > len(page)
    cursor = page[-1][0] if page else max(since, 0)
    if not has_more:
        # nothing else in scope: jump to HQ's counter so that the next pull starts there
        cursor = max(cursor, read_counter(session))
    rows: list[dict[str, Any]] = []
    whole: list[dict[str, Any]] = []
    for seq, _, table, raw in page:
        reader = _reader(session, table)
        if raw[reader.index["origin_device"]] == caller.device_id:
            # the caller's own change coming back: it holds the row (or asks for it, /rows)
            rows.append({"table": table.name, "server_seq": seq, "echo": True,
                         "row": {"id": raw[reader.index["id"]],
                                 "row_version": raw[reader.index["row_version"]]}})
        else:
            whole.append({"table": table.name, "server_seq": seq, "row": reader.wire(raw)})
            rows.append(whole[-1])
    return {"rows": _parents(session, caller, whole, cursor) + rows, "cursor": cursor, "has_more": has_more}


def rows_by_id(session: Session, caller: Caller, wanted: dict[str, list[str]]) -> dict[str, Any]:
    """Whole rows of the caller's scope by id (rows it was sent as echoes and does not hold
    at that version: a merge, a laptop restored from a copy), with every parent in scope.
    Ids out of scope or unknown are left out."""
    tables = synced_tables()
    rows = []
    for name, ids in wanted.items():
        table = tables.get(name)
        if table is None:
            continue
        for start in range(0, len(ids), 500):
            for row in _scoped_by_id(session, table, caller, ids[start:start + 500]):
                rows.append({"table": name, "server_seq": row["server_seq"], "row": row})
    return {"rows": _parents(session, caller, rows, -1) + rows}


def _scoped_by_id(session: Session, table: SyncedTable, caller: Caller, ids: list[str],
                  after: int | None = None) -> list[dict[str, Any]]:
    """Rows of ``ids`` in the caller's scope (numbered after ``after``), in wire form."""
    where = f"id IN ({', '.join('?' for _ in ids)}) AND (scope_region = ? OR scope_advisor = ?)"
    params: tuple[Any, ...] = (*ids, caller.region, caller.advisor_id)
    if after is not None:
        where, params = f"{where} AND server_seq > ?", (*params, after)
    return _reader(session, table).rows(session.connection(), where, params)


def _parents(session: Session, caller: Caller, rows: list[dict[str, Any]],
             cursor: int) -> list[dict[str, Any]]:
    """Rows the page's rows refer to that the laptop cannot have yet: changed after the
    page's cursor, so due in a later page (a company renamed after its people were added).
    Sent now as well, so that every page can be applied on its own (they come again later:
    applying a row twice changes nothing)."""
    tables = synced_tables()
    found: dict[tuple[str, str], dict[str, Any]] = {}
    todo = rows
    while todo:
        wanted: dict[str, set[str]] = {}
        for pulled in todo:
            for name, column in tables[pulled["table"]].columns.items():
                value = pulled["row"].get(name)
                for fk in column.foreign_keys:
                    parent = fk.column.table.name
                    if value is not None and parent in tables and (parent, value) not in found:
                        wanted.setdefault(parent, set()).add(value)
        todo = []
        for parent, ids in wanted.items():
            for row in _scoped_by_id(session, tables[parent], caller, sorted(ids), cursor):
                pulled = {"table": parent, "server_seq": row["server_seq"], "row": row}
                found[(parent, row["id"])] = pulled
                todo.append(pulled)
    return sorted(found.values(), key=lambda r: (tables[r["table"]].rank, r["server_seq"]))


def verify(session: Session, caller: Caller) -> VerifyResponse:
    tables = []
    for table in synced_tables().values():
        cls = table.cls
        count, digest = scope_digest(session.execute(
            select(cls.id, cls.row_version).where(in_scope(cls, caller.region, caller.advisor_id))))
        tables.append(VerifyTable(table=table.name, count=count, digest=digest))
    return VerifyResponse(cursor=read_counter(session), tables=tables)
