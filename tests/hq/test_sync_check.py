"""A laptop compares its rows with HQ's (``verify``: count and digest of ids and versions per
table) and, when they drifted apart, starts over: every change sent again, every row read
again, rows HQ does not have sent again whole. SQLite and PostgreSQL HQ."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import delete, update

from advisor_app import cli
from advisor_app.domain.companies import Company
from advisor_app.hq.admin import NewAdvisor
from tests.hq.harness import Laptop, LiveHq, hq_state


def _at_hq(hq: LiveHq, statement: object) -> None:
    """Changes HQ's rows behind the sync's back (the drift a bug or an operator could cause)."""
    with hq.db.write() as session:
        session.execute(statement)  # type: ignore[call-overload]


def test_laptops_in_step_with_hq_check_identical(hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor,
                                                 laptops: Callable[..., Laptop]) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    a.add_company("Coopérative Argane", people=2)
    b.add_company("Menuiserie Karim", people=1)
    a.sync()
    assert b.sync(check=True).differences == []
    assert a.sync(check=True).differences == []
    assert a.sync().differences is None  # not asked


def test_a_row_hq_lost_is_found_and_sent_again(hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor,
                                               laptops: Callable[..., Laptop]) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    lost = a.add_company("Miel du Souss", people=0)
    kept = a.add_company("Coopérative Argane", people=1)
    a.sync()
    b.sync()
    _at_hq(hq, delete(Company).where(Company.id == lost))

    assert a.sync(check=True).differences == ["company"]
    repaired = a.sync(full=True, check=True)
    assert repaired.differences == []
    assert any("absente(s) du siège" in note for note in repaired.notes)
    assert hq_state(hq)["company"][lost][1]["name"] == "Miel du Souss"
    assert kept in hq_state(hq)["company"]
    b.sync()
    assert hq_state(hq) == a.synced_state() == b.synced_state()


def test_a_version_that_drifted_is_read_again(hq: LiveHq, samira: NewAdvisor,
                                              laptops: Callable[..., Laptop]) -> None:
    a = laptops("a", samira)
    company = a.add_company("Coopérative Argane", people=0)
    a.sync()
    _at_hq(hq, update(Company).where(Company.id == company).values(row_version=7, city="Tiznit"))
    assert a.sync(check=True).differences == ["company"]
    assert a.sync(full=True, check=True).differences == []
    assert (a.get(Company, company).row_version, a.get(Company, company).city) == (7, "Tiznit")
    assert hq_state(hq) == a.synced_state()


def test_the_command_line_says_what_differs(hq: LiveHq, samira: NewAdvisor, laptops: Callable[..., Laptop],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    a = laptops("a", samira)
    lost = a.add_company("Miel du Souss", people=0)
    a.sync()
    _at_hq(hq, delete(Company).where(Company.id == lost))
    database = str(a.db.path)
    a.db.close()
    assert cli.main(["sync", "--db", database, "--check"]) == 1
    assert "différences avec le siège dans company" in capsys.readouterr().out
    assert cli.main(["sync", "--db", database, "--full", "--check"]) == 0
    out = capsys.readouterr().out
    assert "Resynchronisation complète" in out and "identique au siège" in out
