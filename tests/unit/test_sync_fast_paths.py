"""The sync's fast paths decide exactly as the slow ones they stand in for: a push read by
hand (``push_request.parse_push_request``), mutations or a run of inserts, as the pydantic
model reads it, a column of values
checked at once (``rows.column_parser``) as value by value (``rows.parser``); and the
ranges of numbers a pull names as already held."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from advisor_app.sync import wire
from advisor_app.sync.push_request import parse_push_request
from advisor_app.sync.rows import WireValueError, column_parser, parser, synced_tables

COLUMNS = [column for table in synced_tables().values() for column in table.columns.values()]

values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.text(min_size=190, max_size=320), st.sampled_from(["a\x00b", "2026-03-01", "2026-03-01T08:30:00+01:00",
                                                          "09:45:00", "tpe", ""]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def _outcome(parse: Any, argument: Any) -> tuple[str, Any]:
    try:
        return "ok", parse(argument)
    except WireValueError:
        return "refused", None


@settings(max_examples=300, deadline=None)
@given(column=st.sampled_from(COLUMNS), column_values=st.lists(values, max_size=6))
def test_a_column_is_checked_as_its_values_one_by_one(column: Any, column_values: list[Any]) -> None:
    one_by_one = _outcome(lambda vs: [parser(column)(v) for v in vs], column_values)
    assert _outcome(column_parser(column), column_values) == one_by_one


ids = st.one_of(st.uuids().map(str), st.sampled_from(["", "x" * 37, "0a-1", "ZZ", "1" * 36, "aaaa,bbbb"]))
names = st.one_of(st.sampled_from(["name", "city", "employees", "Name", "1abc", "a" * 65, "a" * 64, "_x",
                                   "city,name"]),
                  st.text(max_size=5))
moments = st.one_of(st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
                    st.sampled_from(["2026-03-01T08:30:00Z", "2026-13-01T08:30:00+00:00",
                                     "2026-03-01T08:30:00", "2026-03-01 08:30:00+00:00",
                                     "2026-03-01T08:30:00.1234567+00:00", "0001-01-01T00:00:00+01:00",
                                     "9999-12-31T23:59:59-01:00"]),
                    st.integers())
mutations = st.fixed_dictionaries({
    "mutation_id": ids, "table": names, "row_id": ids,
    "op": st.one_of(st.sampled_from(["insert", "update", "delete", "restore", "explode"]),
                    st.lists(st.integers(), max_size=1), st.integers()),
    "base_version": st.one_of(st.integers(min_value=-2, max_value=2**64), st.booleans(), st.just("2")),
    "at": moments,
    "changed": st.dictionaries(names, values, max_size=4),
}, optional={"extra": st.just(1)})
as_laptops_send = st.fixed_dictionaries({
    "mutation_id": st.uuids().map(str), "table": st.sampled_from(sorted(synced_tables())),
    "row_id": st.uuids().map(str), "op": st.sampled_from(["insert", "update", "delete", "restore"]),
    "base_version": st.integers(min_value=0, max_value=2**40),
    "at": st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    "changed": st.dictionaries(st.sampled_from(["name", "city", "employees", "notes"]), values, max_size=4),
})


@settings(max_examples=400, deadline=None)
@given(body=st.lists(st.one_of(as_laptops_send, as_laptops_send, as_laptops_send, mutations),  # mostly valid
                     max_size=4))
def test_a_push_is_read_by_hand_as_the_model_reads_it(body: list[dict[str, Any]]) -> None:
    content = json.dumps({"mutations": body}).encode()  # the json module: integers of any size, NaN
    try:
        expected = [(m.mutation_id, m.table, m.row_id, m.op, m.base_version, m.at, m.changed)
                    for m in wire.PushRequest.model_validate_json(content).mutations]
    except ValidationError:
        with pytest.raises(ValidationError):
            parse_push_request(content)
        return
    assert [tuple(change) for change in parse_push_request(content)] == expected


def _column_lists(count: int) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({
        "mutation_ids": st.lists(ids, min_size=count, max_size=count),
        "row_ids": st.lists(ids, min_size=count, max_size=count),
        "at": st.lists(moments, min_size=count, max_size=count),
    })


@st.composite
def runs(draw: st.DrawFn) -> dict[str, Any]:
    """Runs of inserts, mostly as laptops send them, some malformed in one way or another."""
    columns = draw(st.one_of(st.lists(st.sampled_from(["name", "city", "employees", "notes"]), min_size=1,
                                      max_size=4, unique=True),
                             st.lists(names, max_size=3)))
    count = draw(st.integers(min_value=0, max_value=4))
    run = {"table": draw(st.one_of(st.sampled_from(sorted(synced_tables())), names)), "columns": columns,
           **draw(_column_lists(count)),
           "rows": draw(st.lists(st.lists(values, min_size=len(columns), max_size=len(columns)),
                                 min_size=count, max_size=count))}
    if draw(st.booleans()):  # valid ids and moments (most runs)
        run.update(mutation_ids=[str(uuid.uuid4()) for _ in range(count)],
                   row_ids=[str(uuid.uuid4()) for _ in range(count)],
                   at=["2026-03-01T08:30:00.5+01:00"] * count)
    broken = draw(st.sampled_from(["", "", "", "short row", "short list", "extra key", "not a list"]))
    if broken == "short row" and run["rows"]:
        run["rows"][0] = run["rows"][0][1:]
    elif broken == "short list" and run["rows"]:
        run["at"] = run["at"][1:]
    elif broken == "extra key":
        run["extra"] = 1
    elif broken == "not a list":
        run["rows"] = {"0": []}
    return run


@settings(max_examples=400, deadline=None)
@given(run=runs())
def test_a_run_is_read_by_hand_as_the_model_reads_it(run: dict[str, Any]) -> None:
    content = json.dumps({"inserts": run}).encode()
    try:
        model = wire.PushRequest.model_validate_json(content).inserts
    except ValidationError:
        with pytest.raises(ValidationError):
            parse_push_request(content)
        return
    assert model is not None
    assert parse_push_request(content) == wire.Run(model.table, tuple(model.columns), model.mutation_ids,
                                                   model.row_ids, model.at, model.rows)


def test_a_push_is_mutations_or_a_run_not_both() -> None:
    mutation = {"mutation_id": "1", "table": "company", "row_id": "2", "op": "insert", "base_version": 0,
                "at": "2026-03-01T08:30:00+00:00", "changed": {"name": "Atelier"}}
    run = {"table": "company", "columns": ["name"], "mutation_ids": ["3"], "row_ids": ["4"],
           "at": ["2026-03-01T08:30:00+00:00"], "rows": [["Atelier"]]}
    with pytest.raises(ValidationError, match="pas les deux"):
        parse_push_request(json.dumps({"mutations": [mutation], "inserts": run}).encode())
    assert parse_push_request(json.dumps({"mutations": [], "inserts": run}).encode()) == wire.Run(
        "company", ("name",), ["3"], ["4"], [dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)], [["Atelier"]])
    assert wire.Run("company", ("name",), ["3"], ["4"], [dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)],
                    [["Atelier"]]).changes() == [
        wire.Change("3", "company", "4", wire.Op.INSERT, 0, dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC),
                    {"name": "Atelier"})]


def test_a_malformed_push_gets_the_models_reasons() -> None:
    with pytest.raises(ValidationError, match="base_version"):
        parse_push_request(b'{"mutations": [{"mutation_id": "1", "table": "company", "row_id": "2", '
                                b'"op": "insert", "base_version": "deux", "at": "2026-03-01T08:30:00+00:00", '
                                b'"changed": {}}]}')
    with pytest.raises(ValidationError):
        parse_push_request(b"{not json")


def test_known_numbers_travel_as_ranges() -> None:
    assert wire.known_ranges([7, 3, 4, 5, 9, 4]) == [(3, 5), (7, 7), (9, 9)]
    assert wire.parse_known(wire.format_known([(3, 5), (7, 7)])) == [(3, 5), (7, 7)]
    many = list(range(0, 2 * (wire.MAX_KNOWN + 10), 2))
    assert wire.known_ranges(many) == [(n, n) for n in many[-wire.MAX_KNOWN:]]  # the latest ones
    with pytest.raises(ValueError, match="envers"):
        wire.parse_known("9-3")
    with pytest.raises(ValueError, match="au plus"):
        wire.parse_known(",".join(["1-2"] * (wire.MAX_KNOWN + 1)))
