"""Whole rows of a synced table in wire form (``capture.to_wire``'s JSON), read from the
database driver's raw values instead of SQLAlchemy's typed ones: a pull page is thousands
of rows, and most raw values are already what the wire carries.

Per backend, only the columns whose raw value differs from the wire form are converted:

* SQLite: datetimes are naive UTC text ``YYYY-MM-DD HH:MM:SS.ffffff`` (sent with ``T`` and
  ``+00:00``), times ``HH:MM:SS.ffffff`` (zero microseconds left out as ``isoformat``
  does), booleans are 0/1, JSON is text (sent as it is, ``orjson.Fragment``);
* PostgreSQL: datetimes are naive UTC ``datetime`` objects (given their UTC offset);
  dates, booleans, numbers and JSON come as orjson serializes them.

A test compares both forms with ``SyncedTable.row`` on every column type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import JSON, Boolean, Connection, DateTime, Select, Time, type_coerce
from sqlalchemy.types import NullType

Converter = Callable[[Any], Any]


def _whole_seconds(text: str) -> str:
    return text[:-7] if text.endswith(".000000") else text  # as isoformat() writes them


def _sqlite_datetime(value: Any) -> Any:
    return None if value is None else _whole_seconds(str(value).replace(" ", "T", 1)) + "+00:00"


def _sqlite_time(value: Any) -> Any:
    return None if value is None else _whole_seconds(str(value))


def _pg_datetime(value: Any) -> Any:
    return None if value is None else value.replace(tzinfo=dt.UTC).isoformat()


def _sqlite_bool(value: Any) -> Any:
    return None if value is None else bool(value)


def _sqlite_json(value: Any) -> Any:
    return None if value is None else orjson.Fragment(value)


def _converter(column_type: Any, dialect: str) -> Converter | None:
    if isinstance(column_type, DateTime) or isinstance(getattr(column_type, "impl", None), DateTime):
        return _sqlite_datetime if dialect == "sqlite" else _pg_datetime
    if dialect != "sqlite":
        return None
    if isinstance(column_type, Time):
        return _sqlite_time
    if isinstance(column_type, Boolean):
        return _sqlite_bool
    if isinstance(column_type, JSON):
        return _sqlite_json
    return None


def raw_rows(connection: Connection, stmt: Select[Any]) -> list[dict[str, Any]]:
    """``stmt`` selects whole table rows (its columns, in any order); their wire form."""
    columns = list(stmt.selected_columns)
    dialect = connection.dialect.name
    raw = stmt.with_only_columns(*(type_coerce(c, NullType()).label(c.key) for c in columns))
    names = [str(c.key) for c in columns]
    fixes = [(n, fix) for n, c in enumerate(columns) if (fix := _converter(c.type, dialect))]
    rows = []
    for row in connection.execute(raw):
        values = list(row)
        for index, fix in fixes:
            values[index] = fix(values[index])
        rows.append(dict(zip(names, values, strict=True)))
    return rows
