"""The plain inserts of a push (new rows with valid values in the caller's scope: most of
any push) found and checked a column at a time. ``push`` writes them in bulk; every other
mutation is decided one by one, with its reason."""

from __future__ import annotations

from typing import Any

from advisor_app.hq.auth import Caller
from advisor_app.sync.rows import SyncedTable, WireValueError, column_parser
from advisor_app.sync.wire import Change, Op


def plain_inserts(caller: Caller, mutations: list[Change], tables: dict[str, SyncedTable],
                  known: set[tuple[str, str]]) -> dict[int, dict[str, Any]]:
    """Position in ``mutations`` -> the typed values of a mutation that inserts a row HQ
    does not hold (``known``: rows it holds), with only columns a laptop may set, every
    value valid and the row in the caller's region. Rows the caller inserts twice in one
    push are left to ``push`` (it keeps ``known`` up to date as it goes)."""
    groups: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for index, m in enumerate(mutations):
        table = tables.get(m.table)
        if m.op != Op.INSERT or table is None or (m.table, m.row_id) in known:
            continue
        names = tuple(m.changed)
        if not table.writable.issuperset(names):
            continue
        groups.setdefault((m.table, names), []).append(index)
    found: dict[int, dict[str, Any]] = {}
    for (name, names), indexes in groups.items():
        table = tables[name]
        try:
            columns = [column_parser(table.columns[column])([mutations[i].changed[column] for i in indexes])
                       for column in names]
        except WireValueError:
            found.update(_one_by_one(table, [(i, mutations[i]) for i in indexes]))
            continue
        for index, values in zip(indexes, zip(*columns, strict=True), strict=True):
            found[index] = dict(zip(names, values, strict=True))
    return {index: values for index, values in found.items() if values.get("scope_region") == caller.region}


def _one_by_one(table: SyncedTable, group: list[tuple[int, Change]]) -> dict[int, dict[str, Any]]:
    """A group with a value that does not fit: the rows that do, checked one at a time."""
    found = {}
    for index, m in group:
        try:
            found[index] = table.typed(m.changed)
        except WireValueError:
            continue
    return found
