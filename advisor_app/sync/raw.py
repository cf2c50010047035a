"""Whole rows of a synced table in wire form (``capture.to_wire``'s JSON), read from the
database driver's raw values instead of SQLAlchemy's typed ones: a pull page is thousands
of rows, and most raw values are already what the wire carries.

Per backend, only the columns whose raw value differs from the wire form are converted:

* SQLite: datetimes are naive UTC text ``YYYY-MM-DD HH:MM:SS.ffffff`` (sent with ``T`` and
  ``+00:00``), times ``HH:MM:SS.ffffff`` (zero microseconds left out as ``isoformat``
  does), booleans are 0/1, JSON is text (sent as it is, ``orjson.Fragment``);
* PostgreSQL: datetimes are naive UTC ``datetime`` objects (given their UTC offset);
  dates, booleans, numbers and JSON come as orjson serializes them.

A test compares both forms with ``SyncedTable.row`` on every column type. Writing goes the
other way (``insert_rows``): typed values handed to the driver as SQLAlchemy stores them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    String,
    Table,
    Time,
    TypeDecorator,
)

Converter = Callable[[Any], Any]


def _whole_seconds(text: str) -> str:
    return text[:-7] if text.endswith(".000000") else text  # as isoformat() writes them


def wire_moment(value: Any) -> Any:
    """A DATETIME as SQLite stores it (naive UTC text), in wire form."""
    return None if value is None else _whole_seconds(str(value).replace(" ", "T", 1)) + "+00:00"


def _sqlite_time(value: Any) -> Any:
    return None if value is None else _whole_seconds(str(value))


def _pg_datetime(value: Any) -> Any:
    return None if value is None else value.replace(tzinfo=dt.UTC).isoformat()


def _sqlite_bool(value: Any) -> Any:
    return None if value is None else bool(value)


def _sqlite_json(value: Any) -> Any:
    return None if value is None else orjson.Fragment(value)


def _is_moment(column_type: Any) -> bool:
    return isinstance(column_type, DateTime) or isinstance(getattr(column_type, "impl", None), DateTime)


def _placeholder(dialect: Any) -> str:
    return "?" if dialect.paramstyle == "qmark" else "%s"


def _converter(column_type: Any, dialect: str) -> Converter | None:
    if _is_moment(column_type):
        return wire_moment if dialect == "sqlite" else _pg_datetime
    if dialect != "sqlite":
        return None
    if isinstance(column_type, Time):
        return _sqlite_time
    if isinstance(column_type, Boolean):
        return _sqlite_bool
    if isinstance(column_type, JSON):
        return _sqlite_json
    return None


# -- writing: typed values handed to the driver as they are stored ---------------------------

_NO_OFFSET = dt.timedelta(0)


def sqlite_moment(value: Any) -> Any:
    """An aware datetime as SQLAlchemy's SQLite DATETIME stores it (naive UTC text)."""
    if value is None:
        return None
    if value.utcoffset() == _NO_OFFSET:  # most moments: isoformat writes the same, in C
        return value.isoformat(" ", "microseconds")[:26]
    utc = _utc(value)
    return (f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d} {utc.hour:02d}:{utc.minute:02d}:"
            f"{utc.second:02d}.{utc.microsecond:06d}")


def _repeated(convert: Converter) -> Converter:
    """``convert`` remembering its last value: a column of a bulk insert often holds one
    moment in every row (when HQ received them)."""
    last: list[Any] = [object(), None]

    def cached(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]
    return cached


def _sqlite_time_bind(value: Any) -> Any:
    return None if value is None else (f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}."
                                       f"{value.microsecond:06d}")


def _pg_datetime_bind(value: Any) -> Any:
    return None if value is None else _utc(value).replace(tzinfo=None)


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:  # as UTCDateTime refuses it: a naive moment is a bug, not UTC
        raise ValueError("a moment without its time zone")
    return value.astimezone(dt.UTC)


def _json_bind(value: Any) -> Any:
    # compact where SQLAlchemy's json.dumps puts spaces: the same JSON, read back the same
    return None if value is None else orjson.dumps(value).decode()


def _json_null_bind(value: Any) -> Any:
    return orjson.dumps(value).decode()


def _str_bind(value: Any) -> Any:
    return None if value is None else str(value)  # a StrEnum member as its value


def binder(column_type: Any, dialect: str) -> Converter | None:
    """What turns a typed value of ``column_type`` into the driver's value as SQLAlchemy
    stores it on ``dialect``; None where the driver takes the typed value as it is."""
    if _is_moment(column_type):
        return sqlite_moment if dialect == "sqlite" else _pg_datetime_bind
    if isinstance(column_type, JSON):
        # Core stores None as JSON null unless the type says none_as_null
        return _json_bind if column_type.none_as_null else _json_null_bind
    if dialect == "sqlite":
        if isinstance(column_type, Time):
            return _sqlite_time_bind
        if isinstance(column_type, Date):
            return lambda value: None if value is None else value.isoformat()
    enum = isinstance(column_type, TypeDecorator) and isinstance(column_type.impl, String)
    if enum and dialect != "sqlite":
        return _str_bind  # an enum member: its value (SQLite's driver stores it as its text)
    return None


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Inserts typed ``rows`` (dicts of column values, any subset of the table's columns;
    columns not given take their server or Python default as Core would) with the driver's
    ``executemany``: a push is thousands of rows, and Core's per-value bind processing
    cost as much as the insert itself. A test compares the rows with Core's on every column
    type, on SQLite and PostgreSQL."""
    dialect = connection.dialect.name
    by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        by_keys.setdefault(tuple(row), []).append(row)
    for keys, group in by_keys.items():
        fixes = [(index, bind) for index, name in enumerate(keys)
                 if (bind := _bulk_binder(table.columns[name].type, dialect)) is not None]
        params = []
        for row in group:
            values = list(row.values())
            for index, bind in fixes:
                values[index] = bind(values[index])
            params.append(tuple(values))
        insert_tuples(connection, table, keys, params)


def insert_tuples(connection: Connection, table: Table, names: tuple[str, ...],
                  params: list[tuple[Any, ...]]) -> None:
    """``insert_rows`` for rows already in the driver's form: one tuple per row, its values
    in the order of ``names``, each passed through its column's ``binder``. The table's
    columns with a default that ``names`` leaves out get it, row by row, as Core would."""
    if not params:
        return
    dialect = connection.dialect.name
    missing = [c.name for c in table.columns if c.name not in names and c.default is not None]
    if missing:
        defaults = [_bound(_default(table.columns[name]), _bulk_binder(table.columns[name].type, dialect))
                    for name in missing]
        params = [(*row, *(make() for make in defaults)) for row in params]
    quote = connection.dialect.identifier_preparer.quote
    mark = _placeholder(connection.dialect)
    columns = [*names, *missing]
    connection.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in columns)}) "
                               f"VALUES ({', '.join(mark for _ in columns)})", params)


def _bulk_binder(column_type: Any, dialect: str) -> Converter | None:
    """``binder``, remembering its last moment: a column of a bulk insert often holds one
    moment in every row (when HQ received them)."""
    bind = binder(column_type, dialect)
    return _repeated(bind) if bind in (sqlite_moment, _pg_datetime_bind) else bind


def _bound(make: Callable[[], Any], bind: Converter | None) -> Callable[[], Any]:
    return make if bind is None else lambda: bind(make())


def _default(column: Any) -> Callable[[], Any]:
    default = column.default
    if default.is_callable:
        function = default.arg
        return lambda: function(None)
    if default.is_scalar:
        value = default.arg
        return lambda: value
    raise ValueError(f"{column.name}: default not supported by the raw insert")


class RawTable:
    """Whole rows of one table read with the driver (SQL built once per table and
    backend): ``select`` returns the raw tuples, ``wire`` turns one into its wire form. A
    pull page runs dozens of such queries; building each with Core cost more than running
    it."""

    def __init__(self, table: Table, dialect: Any) -> None:
        quote = dialect.identifier_preparer.quote
        self.names = [str(c.name) for c in table.columns]  # quoted_name is no key for orjson
        self.index = {name: n for n, name in enumerate(self.names)}
        self._fixes = [(n, fix) for n, c in enumerate(table.columns)
                       if (fix := _converter(c.type, dialect.name))]
        self._head = f"SELECT {', '.join(quote(n) for n in self.names)} FROM {quote(table.name)} WHERE "
        self._mark = _placeholder(dialect)

    def select(self, connection: Connection, where: str, params: tuple[Any, ...]) -> list[Any]:
        """Rows matching ``where`` (SQL with ``?`` for each of ``params``)."""
        return list(connection.exec_driver_sql(self._head + where.replace("?", self._mark), params))

    def rows(self, connection: Connection, where: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        """``select``, each row in wire form."""
        return [self.wire(raw) for raw in self.select(connection, where, params)]

    def wire(self, raw: Any) -> dict[str, Any]:
        values = list(raw)
        for index, fix in self._fixes:
            values[index] = fix(values[index])
        return dict(zip(self.names, values, strict=True))
