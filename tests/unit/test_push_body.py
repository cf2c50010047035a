"""The laptop's next push (``push_body.next_push``): the outbox entries it takes, in order,
read by HQ as exactly those mutations; inserts of one table with the same columns in a row
go as one run of columns, everything else as mutations, and no push exceeds its limit."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor_app.sync import push_body, wire
from advisor_app.sync.push_request import parse_push_request
from advisor_app.sync.raw import wire_moment


class Entry(NamedTuple):
    """A ``sync_outbox`` row as the engine reads it with the driver."""

    seq: int
    mutation_id: str
    table_name: str
    row_id: str
    op: str
    base_version: int
    created_at: str
    changed: str
    result: str | None = None


COMPANY = {"name": "Atelier", "city": "Settat", "scope_region": "MA-06"}
kinds = st.sampled_from(["company", "company", "company", "person", "company, other columns",
                         "company update", "person delete"])


def _entry(seq: int, kind: str) -> Entry:
    table = kind.split(",")[0].split(" ")[0]
    op = "update" if "update" in kind else "delete" if "delete" in kind else "insert"
    changed = ({"city": "Berrechid"} if op != "insert" else {**COMPANY, "notes": "x"} if "other" in kind
               else COMPANY if table == "company" else {"first_name": "Amina", "scope_region": "MA-06"})
    moment = dt.datetime(2026, 11, 23, 10, seq % 60, seq % 60, seq * 1000 % 1_000_000)
    return Entry(seq, str(uuid.uuid4()), table, str(uuid.uuid4()), op, 0 if op == "insert" else 2,
                 f"{moment:%Y-%m-%d %H:%M:%S.%f}", json.dumps(changed))


def _pushes(entries: list[Entry]) -> list[tuple[list[Entry], bytes]]:
    pushes = []
    while entries:
        sent, body = push_body.next_push(entries)
        assert sent == entries[:len(sent)] and sent
        pushes.append((sent, body))
        entries = entries[len(sent):]
    return pushes


def _as_sent(entry: Entry) -> wire.Change:
    return wire.Change(entry.mutation_id, entry.table_name, entry.row_id, wire.Op(entry.op),
                       entry.base_version, dt.datetime.fromisoformat(wire_moment(entry.created_at)),
                       json.loads(entry.changed))


@settings(max_examples=200, deadline=None)
@given(kinds_in_order=st.lists(kinds, max_size=30))
def test_hq_reads_the_outbox_in_order(kinds_in_order: list[str]) -> None:
    entries = [_entry(seq, kind) for seq, kind in enumerate(kinds_in_order, start=1)]
    read: list[wire.Change] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(push_body, "RUN_MIN", 2)  # runs in short outboxes
        pushes = _pushes(entries)
    for sent, body in pushes:
        parsed = parse_push_request(body)
        if isinstance(parsed, wire.Run):
            assert len(sent) >= 2
            assert {(e.table_name, e.op, tuple(json.loads(e.changed))) for e in sent} == {
                (parsed.table, "insert", parsed.columns)}
            read += parsed.changes()
        else:
            read += parsed
    assert read == [_as_sent(entry) for entry in entries]


def _forms(kinds_in_order: list[str]) -> list[tuple[int, str]]:
    entries = [_entry(seq, kind) for seq, kind in enumerate(kinds_in_order, start=1)]
    return [(len(sent), next(iter(json.loads(body)))) for sent, body in _pushes(entries)]


def test_inserts_in_a_row_leave_as_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(push_body, "RUN_MIN", 2)
    assert _forms(["company update", *["company"] * 3, "person", "person", "company, other columns",
                   "company"]) == [(1, "mutations"), (3, "inserts"), (2, "inserts"), (2, "mutations")]
    # columns that change inside a streak of inserts: the streak leaves as mutations, whole
    assert _forms(["company, other columns", *["company"] * 3]) == [(4, "mutations")]
    # a short streak stays among the mutations
    monkeypatch.setattr(push_body, "RUN_MIN", 4)
    assert _forms(["company update", *["company", "person", "person"] * 2, *["company"] * 4]) == [
        (7, "mutations"), (4, "inserts")]


def test_a_push_stays_within_its_limits() -> None:
    entries = [_entry(seq, "company") for seq in range(1, wire.MAX_RUN + 11)]
    assert [len(sent) for sent, _ in _pushes(entries)] == [wire.MAX_RUN, 10]
    updates = [_entry(seq, "company update") for seq in range(1, wire.MAX_BATCH + 11)]
    assert [len(sent) for sent, _ in _pushes(updates)] == [wire.MAX_BATCH, 10]


def test_an_integer_beyond_64_bits_leaves_as_it_is_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(push_body, "RUN_MIN", 2)
    big = {**COMPANY, "name": 2**70}  # orjson would read it back as a float
    entries = [_entry(seq, "company") for seq in range(1, 6)]
    entries[2] = entries[2]._replace(changed=json.dumps(big))
    pushes = _pushes(entries)
    assert [(len(sent), next(iter(json.loads(body)))) for sent, body in pushes] == [
        (2, "inserts"), (3, "mutations")]
    assert str(2**70).encode() in pushes[1][1]
