"""Bad input at HQ's API gets a 4xx with a reason, never a 500: hand-written cases, then
the whole OpenAPI schema fuzzed with schemathesis (with and without a valid token)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from advisor_app.hq import admin
from advisor_app.hq.api import create_app
from advisor_app.hq.cli import init_database
from advisor_app.hq.db import HqDatabase, open_hq
from advisor_app.sync import wire

HEADERS = {"Mowakaba-Protocol": str(wire.PROTOCOL)}


@pytest.fixture(scope="module")
def hq_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HqDatabase]:
    url = f"sqlite:///{tmp_path_factory.mktemp('hq') / 'hq.sqlite'}"
    init_database(url)
    db = open_hq(url)
    yield db
    db.close()


@pytest.fixture(scope="module")
def token(hq_db: HqDatabase) -> str:
    with hq_db.write() as session:
        new = admin.add_advisor(session, name="Nadia Fuzz", email="nadia@example.ma", region="MA-06")
    with hq_db.write() as session:
        return admin.enroll(session, new.code, "fuzz")[1]


@pytest.fixture(scope="module")
def client(hq_db: HqDatabase) -> Iterator[TestClient]:
    with TestClient(create_app(hq_db), raise_server_exceptions=False) as test_client:
        yield test_client


def _authed(token: str) -> dict[str, str]:
    return {**HEADERS, "Authorization": f"Bearer {token}"}


def _mutation(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"mutation_id": "01a20000-0000-7000-8000-000000000001", "table": "company",
                            "row_id": "01a20000-0000-7000-8000-0000000000aa", "op": "insert",
                            "base_version": 0, "at": "2026-11-23T10:00:00+00:00",
                            "changed": {"name": "Bad Input SARL"}}
    body.update(overrides)
    return body


def _run(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"table": "company", "columns": ["name"],
                            "mutation_ids": ["01a20000-0000-7000-8000-000000000002"],
                            "row_ids": ["01a20000-0000-7000-8000-0000000000ab"],
                            "at": ["2026-11-23T10:00:00+00:00"], "rows": [["Bad Input SARL"]]}
    body.update(overrides)
    return body


@pytest.mark.parametrize(("headers", "status", "words"), [
    ({}, 426, "protocole"),
    ({"Mowakaba-Protocol": "0"}, 426, "mettez l'application à jour"),
    (HEADERS, 401, "inscrit"),
    ({**HEADERS, "Authorization": "Bearer nope"}, 401, "Jeton inconnu"),
])
def test_who_may_call(client: TestClient, headers: dict[str, str], status: int, words: str) -> None:
    response = client.get("/sync/v1/pull", headers=headers)
    assert response.status_code == status
    assert words in response.json()["detail"]


@pytest.mark.parametrize(("body", "words"), [
    (b"{not json", "Requête invalide"),
    (json.dumps({"mutations": [_mutation(extra=1)]}).encode(), "extra"),
    (json.dumps({"mutations": [_mutation(base_version="two")]}).encode(), "base_version"),
    (json.dumps({"mutations": [_mutation(op="explode")]}).encode(), "op"),
    (json.dumps({"mutations": [_mutation(op=["insert"])]}).encode(), "op"),
    (json.dumps({"mutations": [_mutation(at="2026-02-30T10:00:00+00:00")]}).encode(), "at"),
    (json.dumps({"mutations": [_mutation(table="Company; DROP")]}).encode(), "table"),
    (json.dumps({"mutations": [_mutation()] * (wire.MAX_BATCH + 1)}).encode(), "mutations"),
    (json.dumps({"mutations": [_mutation(mutation_id="aaaa,bbbb")]}).encode(), "mutation_id"),
    (json.dumps({"mutations": [_mutation(at="0001-01-01T00:00:00+01:00")]}).encode(), "UTC"),
    (b"{}", "mutations ou une suite d'insertions"),
    (json.dumps({"inserts": _run(mutation_ids=["aaaa,bbbb"])}).encode(), "mutation_ids"),
    (json.dumps({"inserts": _run(row_ids=[])}).encode(), "même longueur"),
    (json.dumps({"mutations": [_mutation()], "inserts": _run()}).encode(), "pas les deux"),
])
def test_malformed_pushes_are_refused_with_a_reason(client: TestClient, token: str, body: bytes,
                                                    words: str) -> None:
    response = client.post("/sync/v1/push", content=body,
                           headers={**_authed(token), "Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and words in response.json()["detail"]


def test_oversized_body_is_refused_before_parsing(client: TestClient, token: str) -> None:
    response = client.post("/sync/v1/push", content=b"x" * (wire.MAX_BODY + 1),
                           headers={**_authed(token), "Content-Type": "application/json"})
    assert response.status_code == 413 and "volumineuse" in response.json()["detail"]


@pytest.mark.parametrize(("changed", "words"), [
    ({"name": 12}, "name : texte attendu"),
    ({"name": "x" * 500}, "texte trop long"),
    ({"employees": "many"}, "employees : nombre entier attendu"),
    ({"created_on": "23/11/2026"}, "created_on : valeur invalide"),
    ({"row_version": 99}, "réservés au siège"),
    ({"unknown_field": 1}, "champs inconnus"),
])
def test_values_that_do_not_fit_are_rejected_one_by_one(client: TestClient, token: str,
                                                        changed: dict[str, Any], words: str) -> None:
    bad = _mutation(mutation_id=str(uuid.uuid4()), row_id=str(uuid.uuid4()),
                    changed={"name": "X", **changed, "scope_region": "MA-06"})
    response = client.post("/sync/v1/push", headers=_authed(token), json={"mutations": [bad]})
    assert response.status_code == 200, response.text
    [result] = response.json()["results"]
    assert result["status"] == "rejected" and words in result["reason"], result


def test_a_json_value_hq_cannot_store_is_rejected(client: TestClient, token: str) -> None:
    # an integer beyond 64 bits: read exactly by the model, which orjson cannot write back
    bad = _mutation(mutation_id=str(uuid.uuid4()), row_id=str(uuid.uuid4()), table="certificate",
                    changed={"facts": {"hours": 2**70}, "scope_region": "MA-06"})
    response = client.post("/sync/v1/push", headers=_authed(token), json={"mutations": [bad]})
    assert response.status_code == 200, response.text
    [result] = response.json()["results"]
    assert result["status"] == "rejected" and "facts" in result["reason"], result


def test_out_of_scope_rows_are_rejected_and_the_rest_applied(client: TestClient, token: str) -> None:
    other_region = _mutation(mutation_id="01a20000-0000-7000-8000-0000000000c1",
                             row_id="01a20000-0000-7000-8000-0000000000c1",
                             changed={"name": "Ailleurs", "legal_form": "sarl", "segment": "tpe",
                                      "region_code": "MA-01", "city": "Tanger", "scope_region": "MA-01"})
    mine = _mutation(mutation_id="01a20000-0000-7000-8000-0000000000c2",
                     row_id="01a20000-0000-7000-8000-0000000000c2",
                     changed={"name": "Chez moi", "legal_form": "sarl", "segment": "tpe",
                              "region_code": "MA-06", "city": "Settat", "scope_region": "MA-06"})
    response = client.post("/sync/v1/push", headers=_authed(token), json={"mutations": [other_region, mine]})
    first, second = response.json()["results"]
    assert (first["status"], second["status"]) == ("rejected", "applied")
    assert "périmètre" in first["reason"] and second["row_version"] == 1


def test_unknown_address_and_method(client: TestClient) -> None:
    assert client.get("/nowhere").status_code == 404
    assert client.delete("/sync/v1/push", headers=HEADERS).status_code == 405


# -- fuzzing ---------------------------------------------------------------------------------
OPERATIONS = ["POST /sync/v1/enroll", "POST /sync/v1/hello", "POST /sync/v1/push", "GET /sync/v1/pull",
              "GET /sync/v1/verify", "GET /health"]


@pytest.mark.parametrize("label", OPERATIONS)
def test_fuzzed_requests_never_get_a_server_error(hq_db: HqDatabase, token: str, label: str) -> None:
    """Requests generated from the OpenAPI schema (valid and invalid bodies, parameters,
    headers), with and without a valid token: any answer but a 5xx."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(hq_db))
    [operation] = [result.ok() for result in schema.get_all_operations()
                   if result.ok().label == label]

    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def call(case: Any) -> None:
        for headers in (HEADERS, _authed(token)):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

    call()


def test_openapi_schema_is_served(client: TestClient, tmp_path: Path) -> None:
    document = client.get("/openapi.json").json()
    assert {"/sync/v1/push", "/sync/v1/pull", "/sync/v1/hello", "/sync/v1/enroll", "/sync/v1/verify"} \
        <= set(document["paths"])


def test_a_bulk_insert_the_database_refuses_is_decided_row_by_row(client: TestClient, token: str) -> None:
    company = str(uuid.uuid4())
    good = _mutation(mutation_id=str(uuid.uuid4()), row_id=company,
                     changed={"name": "Parent présent", "legal_form": "sarl", "segment": "tpe",
                              "region_code": "MA-06", "city": "Settat", "scope_region": "MA-06"})
    orphan = _mutation(mutation_id=str(uuid.uuid4()), table="person", row_id=str(uuid.uuid4()),
                       changed={"company_id": str(uuid.uuid4()), "role": "owner", "first_name": "Sans",
                                "last_name": "Parent", "scope_region": "MA-06"})
    child = _mutation(mutation_id=str(uuid.uuid4()), table="person", row_id=str(uuid.uuid4()),
                      changed={"company_id": company, "role": "owner", "first_name": "Avec",
                               "last_name": "Parent", "scope_region": "MA-06"})
    response = client.post("/sync/v1/push", headers=_authed(token), json={"mutations": [good, orphan, child]})
    statuses = [(r["status"], r["reason"]) for r in response.json()["results"]]
    assert [s for s, _ in statuses] == ["applied", "rejected", "applied"]
    assert "référence inconnue" in statuses[1][1]


def _company(row_id: str, **extra: Any) -> dict[str, Any]:
    return _mutation(mutation_id=str(uuid.uuid4()), row_id=row_id,
                     changed={"name": "Région fixe", "legal_form": "sarl", "segment": "tpe",
                              "region_code": "MA-06", "city": "Settat", "scope_region": "MA-06", **extra})


def test_a_row_never_changes_region_through_a_push(client: TestClient, token: str) -> None:
    company = str(uuid.uuid4())
    me = client.post("/sync/v1/hello", headers=_authed(token), json={
        "protocol": 1, "app_version": "t", "clock": "2026-11-23T10:00:00+00:00"}).json()["advisor"]["id"]
    moved = _mutation(mutation_id=str(uuid.uuid4()), row_id=company, op="update", base_version=1,
                      changed={"scope_region": "MA-01", "scope_advisor": me})
    elsewhere = _company(str(uuid.uuid4()), scope_region="MA-01", scope_advisor=me)
    response = client.post("/sync/v1/push", headers=_authed(token),
                           json={"mutations": [_company(company), moved, elsewhere]})
    assert [(r["status"], "région" in r["reason"]) for r in response.json()["results"]] == [
        ("applied", False), ("rejected", True), ("rejected", True)]


@pytest.mark.parametrize(("changed", "at", "status"), [
    ({}, "2026-11-23T10:00:00", 422),  # a moment without its offset
    ({"employees": 2**40}, "2026-11-23T10:00:00+00:00", 200),  # beyond any integer column
    ({"deleted_at": "0001-01-01T00:30:00+01:00"}, "2026-11-23T10:00:00+00:00", 200),
])
def test_values_beyond_limits_never_fail_hq(client: TestClient, token: str, changed: dict[str, Any],
                                            at: str, status: int) -> None:
    mutation = {**_company(str(uuid.uuid4()), **changed), "at": at}
    response = client.post("/sync/v1/push", headers=_authed(token), json={"mutations": [mutation]})
    assert response.status_code == status, response.text
    if status == 200:
        [result] = response.json()["results"]
        assert result["status"] == "rejected" and result["reason"], result


def test_a_change_pointing_at_a_row_created_in_the_same_push_is_applied(client: TestClient,
                                                                        token: str) -> None:
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    person = str(uuid.uuid4())
    setup = [_company(first), _mutation(mutation_id=str(uuid.uuid4()), table="person", row_id=person,
                                        changed={"company_id": first, "role": "owner", "first_name": "A",
                                                 "last_name": "B", "scope_region": "MA-06"})]
    assert {r["status"] for r in client.post("/sync/v1/push", headers=_authed(token),
                                             json={"mutations": setup}).json()["results"]} == {"applied"}
    moved = _mutation(mutation_id=str(uuid.uuid4()), table="person", row_id=person, op="update",
                      base_version=1, changed={"company_id": second})
    response = client.post("/sync/v1/push", headers=_authed(token),
                           json={"mutations": [_company(second), moved]})
    assert [r["status"] for r in response.json()["results"]] == ["applied", "applied"]
