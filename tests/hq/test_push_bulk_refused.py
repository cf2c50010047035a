"""A push's plain inserts are written in bulk; when the database refuses one row of a
lot, the whole lot is undone and each row decided on its own: the good rows are applied
exactly once, with their version and number, the bad one is rejected with its reason
(SQLite and PostgreSQL: the rows written before the refused one must not stay behind)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select

from advisor_app.domain.companies import Person
from advisor_app.hq import admin
from advisor_app.hq.admin import NewAdvisor
from advisor_app.sync import wire
from tests.hq.harness import LiveHq


def _insert(table: str, changed: dict[str, Any]) -> dict[str, Any]:
    return {"mutation_id": str(uuid.uuid4()), "table": table, "row_id": str(uuid.uuid4()), "op": "insert",
            "base_version": 0, "at": "2026-11-23T10:00:00+00:00", "changed": changed}


def _person(company_id: str, first_name: str) -> dict[str, Any]:
    return _insert("person", {"company_id": company_id, "role": "owner", "first_name": first_name,
                              "last_name": "Alami", "scope_region": "MA-06"})


def test_a_refused_row_undoes_its_lot_and_the_others_are_applied_once(hq: LiveHq, samira: NewAdvisor) -> None:
    with hq.db.write() as session:
        token = admin.enroll(session, samira.code, "poste")[1]
    company = _insert("company", {"name": "Parent présent", "legal_form": "sarl", "segment": "tpe",
                                  "region_code": "MA-06", "city": "Settat", "scope_region": "MA-06"})
    # one lot of persons: two written, then one whose company HQ does not hold, then one more
    first, second = _person(company["row_id"], "Amina"), _person(company["row_id"], "Omar")
    orphan, last = _person(str(uuid.uuid4()), "Sans"), _person(company["row_id"], "Hind")
    mutations = [company, first, second, orphan, last]
    headers = {"Authorization": f"Bearer {token}", "Mowakaba-Protocol": str(wire.PROTOCOL)}
    response = httpx.post(f"{hq.url}/sync/v1/push", json={"mutations": mutations}, headers=headers)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["applied", "applied", "applied", "rejected", "applied"]
    assert "référence inconnue" in results[3]["reason"]
    applied = [r for r in results if r["status"] == "applied"]
    assert all(r["row_version"] == 1 for r in applied)
    numbers = [r["server_seq"] for r in applied]
    assert None not in numbers and len(set(numbers)) == len(numbers)
    with hq.db.read() as session:
        people = {p.id: (p.first_name, p.row_version, p.server_seq) for p in session.scalars(select(Person))}
    assert people == {m["row_id"]: (m["changed"]["first_name"], 1, r["server_seq"])
                      for m, r in zip(mutations, results, strict=True)
                      if m["table"] == "person" and r["status"] == "applied"}
