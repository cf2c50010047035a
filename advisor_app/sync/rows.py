"""Synced rows on the wire: which tables sync, which of their columns a mutation may set,
and how a column value travels as JSON and comes back typed (with a reason when it does
not fit: HQ refuses such a mutation instead of failing)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ColumnElement,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    Text,
    Time,
    or_,
)

from advisor_app.domain import models
from advisor_app.domain.base import SYNC_COLUMNS, SyncMixin, UTCDateTime
from advisor_app.domain.enums import TolerantEnum
from advisor_app.sync.capture import to_wire

# Tables whose rows are never changed once written: a correction is a new row.
APPEND_ONLY = frozenset({"attendance", "diagnostic_answer", "certificate"})
# Columns HQ owns or stamps: a mutation never sets them.
SERVER_COLUMNS = SYNC_COLUMNS | {"id"}


# What the smallest database (PostgreSQL) holds per integer type.
_INT_LIMITS = {"SmallInteger": 2**15, "Integer": 2**31, "BigInteger": 2**63}


Parser = Callable[[Any], Any]


class WireValueError(ValueError):
    """A value that does not fit its column; the message says why (shown to the advisor)."""


@dataclass(frozen=True)
class SyncedTable:
    name: str
    cls: type[Any]  # a SyncMixin model
    columns: dict[str, Column[Any]]  # every column, by name
    writable: frozenset[str]  # what a mutation may set
    identity: frozenset[str]  # never overwritten silently by a merge
    rank: int  # parents before children
    parsers: dict[str, Parser]  # ``from_wire`` per column, decided once

    def typed(self, changed: dict[str, Any]) -> dict[str, Any]:
        """``changed`` (wire form, known columns) typed; WireValueError at the first value
        that does not fit."""
        return {name: self.parsers[name](value) for name, value in changed.items()}

    def row(self, obj: Any) -> dict[str, Any]:
        """Every column of ``obj`` in wire form."""
        return {name: to_wire(getattr(obj, name)) for name in self.columns}


@functools.cache
def synced_tables() -> dict[str, SyncedTable]:
    ranks = {table.name: rank for rank, table in enumerate(models.Base.metadata.sorted_tables)}
    tables = {}
    for mapper in models.Base.registry.mappers:
        cls = mapper.class_
        if not issubclass(cls, SyncMixin):
            continue
        table: Table = cls.__table__  # type: ignore[attr-defined]
        columns: dict[str, Column[Any]] = {c.name: c for c in table.columns}
        tables[table.name] = SyncedTable(
            name=table.name, cls=cls, columns=columns, writable=frozenset(columns) - SERVER_COLUMNS,
            identity=frozenset(cls.__identity_fields__), rank=ranks[table.name],
            parsers={name: parser(column) for name, column in columns.items()})
    return dict(sorted(tables.items(), key=lambda item: item[1].rank))


def in_scope(cls: Any, region: str, advisor_id: str) -> ColumnElement[bool]:
    """The rows of a synced table an advisor pulls: their region's, and their own."""
    return or_(cls.scope_region == region, cls.scope_advisor == advisor_id)


def from_wire(column: Column[Any], value: Any) -> Any:
    """The Python value of ``column`` for the JSON ``value``; WireValueError if it does not
    fit (wrong type, too long, missing where required)."""
    return parser(column)(value)


@functools.cache
def parser(column: Column[Any]) -> Parser:
    """``from_wire`` for one column, its checks decided once (a push or a pull converts
    every value of thousands of rows)."""
    name, nullable = column.name, column.nullable
    convert = _converter(column)

    def parse(value: Any) -> Any:
        if value is None:
            if not nullable:
                raise WireValueError(f"{name} : valeur obligatoire")
            return None
        try:
            return convert(value)
        except WireValueError:
            raise
        except (TypeError, ValueError, OverflowError):
            raise WireValueError(f"{name} : valeur invalide ({value!r:.40})") from None

    if not isinstance(column.type, TolerantEnum | String):
        return parse
    # text, most of every row: its common case checked in one call, the rest as above
    length = getattr(column.type, "length", None) or 2**62

    def parse_text(value: Any) -> Any:
        if type(value) is str and len(value) <= length and "\x00" not in value:
            return value
        return parse(value)

    return parse_text


def _converter(column: Column[Any]) -> Parser:
    kind, name = column.type, column.name
    if isinstance(kind, UTCDateTime | DateTime):
        def moment(value: Any) -> dt.datetime:
            parsed = dt.datetime.fromisoformat(_text(value, name))
            if parsed.tzinfo is None:
                raise WireValueError(f"{name} : date et heure sans fuseau")
            return parsed.astimezone(dt.UTC)
        return moment
    if isinstance(kind, Date):
        return lambda value: dt.date.fromisoformat(_text(value, name))
    if isinstance(kind, Time):
        return lambda value: dt.time.fromisoformat(_text(value, name))
    if isinstance(kind, Boolean):
        def boolean(value: Any) -> bool:
            if not isinstance(value, bool):
                raise WireValueError(f"{name} : vrai ou faux attendu")
            return value
        return boolean
    if isinstance(kind, Integer):
        limit = _INT_LIMITS.get(type(kind).__name__, 2**31)

        def integer(value: Any) -> int:
            if type(value) is not int:  # bool is not an int here
                raise WireValueError(f"{name} : nombre entier attendu")
            if abs(value) >= limit:
                raise WireValueError(f"{name} : nombre trop grand")
            return value
        return integer
    if isinstance(kind, Float):
        def number(value: Any) -> float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise WireValueError(f"{name} : nombre attendu")
            if value != value or value in (float("inf"), float("-inf")):
                raise WireValueError(f"{name} : nombre attendu")
            return float(value)
        return number
    if isinstance(kind, JSON):
        def json_value(value: Any) -> Any:
            orjson.dumps(value)  # what HQ stores it with: an integer beyond 64 bits is refused
            return value
        return json_value
    if isinstance(kind, TolerantEnum | String | Text):
        length = getattr(kind, "length", None)

        def text(value: Any) -> str:
            if type(value) is not str:
                value = _text(value, name)
            elif "\x00" in value:
                raise WireValueError(f"{name} : caractère nul interdit")
            if length is not None and len(value) > length:
                raise WireValueError(f"{name} : texte trop long ({len(value)} > {length})")
            return str(value)
        return text

    def unsupported(value: Any) -> Any:
        raise WireValueError(f"{name} : type de colonne non pris en charge")
    return unsupported


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise WireValueError(f"{name} : texte attendu")
    if "\x00" in value:
        raise WireValueError(f"{name} : caractère nul interdit")
    return value


ColumnParser = Callable[[list[Any]], list[Any]]


@functools.cache
def column_parser(column: Column[Any]) -> ColumnParser:
    """``parser`` over a whole column of values at once (a push's inserts, thousands of
    rows): the same checks and results, the common cases of text and integers checked by
    builtins over the column instead of a call per value. WireValueError as ``parser``."""
    one = parser(column)
    kind = column.type
    base: type | None = (str if isinstance(kind, TolerantEnum | String)
                         else int if isinstance(kind, Integer) else None)
    if base is None:
        return lambda values: list(map(one, values))
    allowed: set[type] = {base}
    if column.nullable:
        allowed.add(type(None))
    length = getattr(kind, "length", None) or 2**62
    limit = _INT_LIMITS.get(type(kind).__name__, 2**31)

    def parse_column(values: list[Any]) -> list[Any]:
        types = set(map(type, values))
        if types <= allowed:
            present = [v for v in values if v is not None] if type(None) in types else values
            if str in allowed:
                if not present or (max(map(len, present)) <= length and "\x00" not in "".join(present)):
                    return values
            elif not present or max(map(abs, present)) < limit:
                return values
        return list(map(one, values))  # raises with the first value's reason

    return parse_column
