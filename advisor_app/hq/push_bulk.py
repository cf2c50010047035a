"""The plain inserts of a push (new rows with valid values in the caller's scope: most of
any push) found and checked a column at a time. ``push`` writes them in bulk; every other
mutation is decided one by one, with its reason."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from advisor_app.hq.auth import Caller
from advisor_app.sync.raw import binder
from advisor_app.sync.rows import SyncedTable, WireValueError, column_parser
from advisor_app.sync.wire import Change, Op


class Plain(NamedTuple):
    """The columns a plain insert sets and their values in the driver's form."""

    names: tuple[str, ...]
    values: tuple[Any, ...]


def plain_inserts(caller: Caller, mutations: list[Change], tables: dict[str, SyncedTable],
                  known: set[tuple[str, str]], dialect: str) -> dict[int, Plain]:
    """Position in ``mutations`` -> the values of a mutation that inserts a row HQ does
    not hold (``known``: rows it holds), with only columns a laptop may set, every value
    valid and the row in the caller's region, ready for the driver of ``dialect``
    (``raw.insert_tuples``: no dict per row, a column checked and bound at a time). Rows the
    caller inserts twice in one push are left to ``push`` (it keeps ``known`` up to date as
    it goes)."""
    groups: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for index, m in enumerate(mutations):
        table = tables.get(m.table)
        if m.op != Op.INSERT or table is None or (m.table, m.row_id) in known:
            continue
        names = tuple(m.changed)
        if not table.writable.issuperset(names):
            continue
        groups.setdefault((m.table, names), []).append(index)
    found: dict[int, Plain] = {}
    for (name, names), indexes in groups.items():
        table = tables[name]
        if "scope_region" not in names:
            continue  # outside the caller's region: push says why
        # every dict of the group has exactly ``names``, in that order: its values are a row
        try:
            columns = typed_columns(table, names, zip(*[mutations[i].changed.values() for i in indexes],
                                                      strict=True))
        except WireValueError:
            indexes, columns = _fitting(table, names, indexes, mutations)
        region = columns[names.index("scope_region")]
        columns = bound_columns(table, names, columns, dialect)
        for index, in_region, values in zip(indexes, region, zip(*columns, strict=True), strict=True):
            if in_region == caller.region:
                found[index] = Plain(names, values)
    return found


def typed_columns(table: SyncedTable, names: tuple[str, ...],
                  columns: Iterable[Iterable[Any]]) -> list[list[Any]]:
    """The values of ``columns`` (one per name) checked and typed a column at a time;
    WireValueError if one does not fit."""
    return [column_parser(table.columns[name])(list(values))
            for name, values in zip(names, columns, strict=True)]


def bound_columns(table: SyncedTable, names: tuple[str, ...], columns: list[list[Any]],
                  dialect: str) -> list[list[Any]]:
    """Typed ``columns`` in the form the driver of ``dialect`` takes."""
    binds = [binder(table.columns[name].type, dialect) for name in names]
    return [column if bind is None else list(map(bind, column))
            for column, bind in zip(columns, binds, strict=True)]


def _fitting(table: SyncedTable, names: tuple[str, ...], indexes: list[int],
             mutations: list[Change]) -> tuple[list[int], list[list[Any]]]:
    """A group with a value that does not fit: the rows that do (checked one at a time)
    and their typed values, a column per name."""
    kept: list[int] = []
    rows: list[tuple[Any, ...]] = []
    for index in indexes:
        try:
            typed = table.typed(mutations[index].changed)
        except WireValueError:
            continue
        kept.append(index)
        rows.append(tuple(typed[name] for name in names))
    return kept, [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in names]
