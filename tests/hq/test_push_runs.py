"""A run of inserts (``InsertRun``: new rows of one table, as columns) is decided exactly as
the mutations it stands for: the same answers and the same rows at HQ, whether it is the
common case written from its columns or holds a replay, a row HQ has, a row outside the
caller's region, a value that does not fit or a missing parent (SQLite and PostgreSQL).
Over HTTP, a run and its replay are answered as laptops expect, and a laptop sends its new
rows as a run."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from advisor_app.domain.companies import Company
from advisor_app.hq import admin
from advisor_app.hq import push_run as push_run_module
from advisor_app.hq.admin import NewAdvisor
from advisor_app.hq.auth import Caller
from advisor_app.hq.push import push
from advisor_app.hq.push_run import push_run
from advisor_app.sync import wire
from advisor_app.sync.push_body import RUN_MIN
from advisor_app.sync.push_request import parse_push_request
from advisor_app.sync.rows import synced_tables
from tests.hq.harness import Laptop, LiveHq, hq_state

COMPANY = {"name": "Atelier", "legal_form": "sarl", "segment": "tpe", "region_code": "MA-06",
           "city": "Settat", "employees": 3, "created_on": "2021-04-01", "scope_region": "MA-06"}


class _Undone(Exception):
    """Raised to roll a write transaction back once its effects are read."""


def _run(rows: list[dict[str, Any]], table: str = "company", *, ids: list[str] | None = None,
         at: str = "2026-11-23T10:00:00.250000+01:00") -> dict[str, Any]:
    return {"table": table, "columns": list(rows[0]),
            "mutation_ids": ids or [str(uuid.uuid4()) for _ in rows],
            "row_ids": [str(uuid.uuid4()) for _ in rows], "at": [at] * len(rows),
            "rows": [list(row.values()) for row in rows]}


def _companies(count: int, **changes: Any) -> list[dict[str, Any]]:
    return [{**COMPANY, "name": f"Atelier {n}", **changes} for n in range(count)]


def _decided(hq: LiveHq, caller: Caller, run: dict[str, Any], *, as_run: bool) -> tuple[Any, Any]:
    """The answers to ``run`` (as a run or as its mutations) and HQ's rows of its table
    afterwards, every column; the transaction is then rolled back."""
    parsed = parse_push_request(wire.PushRequest(inserts=wire.InsertRun.model_validate(run))
                                .model_dump_json(exclude_none=True).encode())
    assert isinstance(parsed, wire.Run)
    found: list[Any] = []
    with pytest.raises(_Undone), hq.db.write() as session:
        answers = push_run(session, caller, parsed) if as_run else push(session, caller, parsed.changes())
        session.flush()
        table = synced_tables().get(run["table"], synced_tables()["company"])
        rows = {row.id: table.row(row) for row in session.scalars(select(table.cls))}
        found += [answers, rows]
        raise _Undone
    return found[0], found[1]


@pytest.fixture
def caller(hq: LiveHq, samira: NewAdvisor) -> Caller:
    with hq.db.write() as session:
        device = admin.enroll(session, samira.code, "poste")[0]
        return Caller(device.id, samira.advisor_id, samira.region_code)


def _push(hq: LiveHq, caller: Caller, run: dict[str, Any]) -> None:
    parsed = parse_push_request(wire.PushRequest(inserts=wire.InsertRun.model_validate(run))
                                .model_dump_json(exclude_none=True).encode())
    assert isinstance(parsed, wire.Run)
    with hq.db.write() as session:
        push_run(session, caller, parsed)


def _replayed(hq: LiveHq, caller: Caller) -> dict[str, Any]:
    """The run's first mutation was decided before (its answer was lost)."""
    run = _run(_companies(3))
    _push(hq, caller, {**run, "mutation_ids": run["mutation_ids"][:1], "row_ids": run["row_ids"][:1],
                       "at": run["at"][:1], "rows": run["rows"][:1]})
    return run


def _one_held(hq: LiveHq, caller: Caller) -> dict[str, Any]:
    """HQ holds the run's second row already (the same device made it: an edit, applied)."""
    run = _run(_companies(3))
    _push(hq, caller, {**run, "mutation_ids": [str(uuid.uuid4())], "row_ids": run["row_ids"][1:2],
                       "at": run["at"][:1], "rows": [list({**COMPANY, "city": "Berrechid"}.values())]})
    return run


def _person(company_id: str) -> dict[str, Any]:
    return {"company_id": company_id, "role": "owner", "first_name": "Amina", "last_name": "Alami",
            "scope_region": "MA-06"}


APPLIED, REJECTED = "applied", "rejected"
# case -> the run, and the statuses HQ answers
CASES: dict[str, tuple[Callable[[LiveHq, Caller], dict[str, Any]], list[str]]] = {
    "all new": (lambda hq, caller: _run(_companies(5)), [APPLIED] * 5),
    "all new, sent in UTC": (lambda hq, caller: _run(_companies(5), at="2026-11-23T09:00:00.250000+00:00"),
                             [APPLIED] * 5),
    "one out of region": (lambda hq, caller: _run([*_companies(2), {**COMPANY, "scope_region": "MA-01"}]),
                          [APPLIED, APPLIED, REJECTED]),
    "one value too long": (lambda hq, caller: _run([*_companies(2), {**COMPANY, "city": "x" * 500}]),
                           [APPLIED, APPLIED, REJECTED]),
    "one mutation twice": (lambda hq, caller: _run(_companies(3), ids=["a1", "a2", "a1"]),
                           [APPLIED, APPLIED, "duplicate"]),
    "a column laptops may not set": (lambda hq, caller: _run([{**c, "server_seq": 9} for c in _companies(2)]),
                                     [REJECTED] * 2),
    "an unknown table": (lambda hq, caller: _run(_companies(2), table="nowhere"), [REJECTED] * 2),
    "a missing parent": (lambda hq, caller: _run([_person(str(uuid.uuid4()))] * 2, table="person"),
                         [REJECTED] * 2),
    "one replayed": (_replayed, ["duplicate", APPLIED, APPLIED]),
    "one row HQ holds": (_one_held, [APPLIED] * 3),
}


@pytest.mark.parametrize("case", CASES)
def test_a_run_is_decided_as_its_mutations(hq: LiveHq, caller: Caller, case: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    make, statuses = CASES[case]
    run = make(hq, caller)
    with monkeypatch.context() as patch:
        if case.startswith("all new"):  # the common case is written from the columns
            patch.setattr(push_run_module, "push", lambda *args: pytest.fail("decided one by one"))
        as_run = _decided(hq, caller, run, as_run=True)
    assert as_run == _decided(hq, caller, run, as_run=False)
    assert [answer["status"] for answer in as_run[0]] == statuses
    if case.startswith("all new"):
        numbers = [answer["server_seq"] for answer in as_run[0]]
        assert numbers == sorted(set(numbers))
        moments = {as_run[1][row_id]["updated_at"] for row_id in run["row_ids"]}
        assert moments == {"2026-11-23T09:00:00.250000+00:00"}


def test_a_run_and_its_replay_over_http(hq: LiveHq, samira: NewAdvisor) -> None:
    with hq.db.write() as session:
        token = admin.enroll(session, samira.code, "poste")[1]
    headers = {"Authorization": f"Bearer {token}", "Mowakaba-Protocol": str(wire.PROTOCOL)}
    run = _run(_companies(4))
    first = httpx.post(f"{hq.url}/sync/v1/push", json={"inserts": run}, headers=headers)
    again = httpx.post(f"{hq.url}/sync/v1/push", json={"inserts": run}, headers=headers)
    assert first.status_code == again.status_code == 200, first.text
    results = first.json()["results"]
    assert [r["status"] for r in results] == ["applied"] * 4
    assert [r["status"] for r in again.json()["results"]] == ["duplicate"] * 4
    assert [r["server_seq"] for r in again.json()["results"]] == [r["server_seq"] for r in results]
    held = hq.rows("company")
    assert {row_id: (held[row_id].name, held[row_id].row_version) for row_id in run["row_ids"]} == {
        row_id: (f"Atelier {n}", 1) for n, row_id in enumerate(run["row_ids"])}


def test_a_laptop_sends_its_new_rows_as_a_run(hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor,
                                              laptops: Callable[..., Laptop]) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    ids = [a.add_company(f"Import {n:03d}", people=0) for n in range(RUN_MIN + 20)]
    a.edit(Company, ids[0], city="Berrechid")
    report = a.sync()
    assert report.by_status == {"applied": RUN_MIN + 21}
    assert report.requests == 1 + 2 + 1  # hello, the run, the edit, one pull (no echo)
    assert a.sync().requests == 2  # nothing left to send: hello, one pull
    b.sync()
    assert a.synced_state() == b.synced_state() == hq_state(hq)
    assert b.get(Company, ids[0]).city == "Berrechid" and len(hq.rows("company")) == RUN_MIN + 20
