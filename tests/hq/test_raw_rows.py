"""HQ's pull reads the driver's raw values (``sync.raw.RawTable``): they must travel exactly as the
typed values would (``capture.to_wire``), for every column type a synced table uses, on
SQLite and on PostgreSQL. A push writes rows with the driver's executemany
(``sync.raw.insert_rows``): they must be stored exactly as Core would store them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
import pytest
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    Float,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    select,
)

from advisor_app.domain.base import UTCDateTime
from advisor_app.domain.enums import Segment, str_enum
from advisor_app.storage.engine import make_engine
from advisor_app.sync.capture import to_wire
from advisor_app.sync.raw import RawTable, insert_rows
from advisor_app.sync.rows import synced_tables

metadata = MetaData()
sample = Table(
    "raw_sample", metadata,
    Column("id", String(36), primary_key=True),
    Column("at", UTCDateTime, nullable=True),
    Column("on", Date, nullable=True),
    Column("hour", Time, nullable=True),
    Column("flag", Boolean, nullable=True),
    Column("facts", JSON, nullable=True),
    Column("ratio", Float, nullable=True),
    Column("count", Integer, nullable=True),
    Column("small", SmallInteger, nullable=True),
    Column("big", BigInteger, nullable=True),
    Column("segment", str_enum(Segment), nullable=True),
    Column("notes", Text, nullable=True),
)

ROWS = [
    {"id": "1", "at": dt.datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=dt.UTC), "on": dt.date(2026, 3, 1),
     "hour": dt.time(9, 45), "flag": True, "facts": {"nom": "Atelier Amal", "heures": [3, 1.5], "ar": "أمل"},
     "ratio": 0.75, "count": 12, "small": -3, "big": 2**40, "segment": Segment.TPE, "notes": "l'été « ici »"},
    {"id": "2", "at": dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC), "on": None, "hour": None, "flag": False,
     "facts": [], "ratio": 2.0, "count": 0, "small": 0, "big": 0, "segment": None, "notes": ""},
    {"id": "3", "at": None, "on": None, "hour": None, "flag": None, "facts": None, "ratio": None,
     "count": None, "small": None, "big": None, "segment": None, "notes": None},
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'raw.sqlite'}"
    return str(request.getfixturevalue("pg_url"))


def test_raw_values_travel_as_the_typed_ones(url: str) -> None:
    engine = make_engine(url)
    try:
        metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(sample.insert(), ROWS)
        stmt = select(sample).where(sample.c.id > "0").order_by(sample.c.id)
        with engine.connect() as connection:
            typed = [{str(name): to_wire(value) for name, value in row._asdict().items()}
                     for row in connection.execute(stmt)]
            raw = RawTable(sample, engine.dialect).rows(connection, "id > ? ORDER BY id", ("0",))
    finally:
        engine.dispose()
    assert len(raw) == 3
    # compared as the laptop receives them: through JSON
    assert orjson.loads(orjson.dumps(raw)) == orjson.loads(orjson.dumps(typed))


def test_every_synced_column_type_is_covered_by_the_sample() -> None:
    """A new column type in a synced table must be added to the sample above."""
    covered = {type(column.type) for column in sample.columns}
    used = {type(column.type) for table in synced_tables().values() for column in table.columns.values()}
    assert used <= covered, f"add to raw_sample: {sorted(t.__name__ for t in used - covered)}"


def _stored(connection: Connection, table: Table) -> list[tuple[object, ...]]:
    """Rows as the driver returns them (what is really stored), by id; JSON text parsed
    (the raw insert writes it compact, Core with spaces)."""
    names = ", ".join(f'"{c.name}"' for c in table.columns)
    json_at = [n for n, c in enumerate(table.columns) if isinstance(c.type, JSON)]
    rows = []
    for row in connection.exec_driver_sql(f'SELECT {names} FROM "{table.name}" ORDER BY id'):
        values = list(row)
        for n in json_at:
            values[n] = orjson.loads(values[n]) if isinstance(values[n], str) else values[n]
        rows.append(tuple(values))
    return rows


def test_raw_inserts_store_what_core_stores(url: str) -> None:
    other = MetaData()
    by_core = sample.to_metadata(other, name="by_core")
    by_driver = sample.to_metadata(other, name="by_driver")
    with_default = Table("with_default", other, Column("id", String(36), primary_key=True),
                         Column("stamp", String(8), default="v1"),
                         Column("made", String(8), default=lambda: "fn"))
    engine = make_engine(url)
    try:
        other.create_all(engine)
        with engine.begin() as connection:
            connection.execute(by_core.insert(), ROWS)
            insert_rows(connection, by_driver, ROWS)
            insert_rows(connection, with_default, [{"id": "1"}, {"id": "2", "stamp": "given"}])
        with engine.connect() as connection:
            assert _stored(connection, by_driver) == _stored(connection, by_core)
            assert len(_stored(connection, by_core)) == 3
            # and read back typed, they are the same values
            assert [r._asdict() for r in connection.execute(select(by_driver).order_by(by_driver.c.id))] == \
                [r._asdict() for r in connection.execute(select(by_core).order_by(by_core.c.id))]
            assert _stored(connection, with_default) == [("1", "v1", "fn"), ("2", "given", "fn")]
    finally:
        engine.dispose()
