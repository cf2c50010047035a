"""Enrol, push, pull between two laptops and HQ over real HTTP (SQLite and PostgreSQL HQ)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from advisor_app.domain.companies import Company, Person
from advisor_app.domain.local import SyncOutbox
from advisor_app.hq.admin import NewAdvisor
from advisor_app.services import sync_service
from advisor_app.services.errors import UserError
from advisor_app.sync.transport import Failure
from tests.hq.harness import Laptop, LiveHq


def _pending(laptop: Laptop) -> int:
    with laptop.db.sessions() as session:
        unacked = select(func.count()).select_from(SyncOutbox).where(SyncOutbox.acked_at.is_(None))
        return session.scalar(unacked) or 0


def test_a_company_made_on_one_laptop_reaches_hq_and_the_other(
        hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor, laptops: Callable[..., Laptop]) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    company = a.add_company("Atelier Amal", people=2)
    report = a.sync()
    assert report.pushed == 3 and report.by_status == {"applied": 3}
    assert report.changed_tables == set()  # its own rows coming back change nothing here
    assert _pending(a) == 0
    at_hq = hq.rows("company")[company]
    assert (at_hq.name, at_hq.row_version, at_hq.updated_by) == ("Atelier Amal", 1, samira.advisor_id)
    assert at_hq.server_seq is not None
    assert a.get(Company, company).row_version == 1  # HQ's version taken back
    assert b.sync().changed_tables >= {"company", "person"}  # screens to refresh
    mine = b.get(Company, company)
    assert (mine.name, mine.row_version, mine.city) == ("Atelier Amal", 1, "Settat")
    assert b.sync().changed_tables == set()  # nothing new: no screen reloads
    with b.db.sessions() as session:
        people = select(func.count()).select_from(Person).where(Person.company_id == company)
        assert session.scalar(people) == 2
    assert _pending(b) == 0  # pulled rows are not echoed to the outbox


def test_incremental_sync_of_100_changes_takes_few_requests(
        hq: LiveHq, samira: NewAdvisor, laptops: Callable[..., Laptop]) -> None:
    a = laptops("a", samira)
    ids = [a.add_company(f"Entreprise {n:03d}", people=0) for n in range(100)]
    a.sync()
    for n, company in enumerate(ids):
        a.edit(Company, company, city=f"Ville {n}")
    report = a.sync()
    assert report.pushed == 100 and report.requests < 10


def test_revoked_laptop_is_told_clearly(hq: LiveHq, samira: NewAdvisor,
                                        laptops: Callable[..., Laptop]) -> None:
    a = laptops("a", samira)
    a.sync()
    from advisor_app.hq import admin

    with hq.db.write() as session:
        [device] = admin.list_devices(session)
        admin.revoke_device(session, device.id)
    a.add_company("Après révocation")
    with pytest.raises(sync_service.SyncFailed) as failure:
        a.sync()
    assert failure.value.kind == Failure.UNAUTHORIZED
    assert "révoqué" in str(failure.value)
    assert _pending(a) == 2  # nothing lost: the changes wait


def test_enrolment_codes_are_single_use(hq: LiveHq, samira: NewAdvisor,
                                        laptops: Callable[..., Laptop]) -> None:
    laptops("a", samira)
    with pytest.raises(UserError, match="déjà utilisé"):
        laptops("b", samira)  # same code again
    laptops("c", samira, code=hq.new_code(samira.advisor_id))


def test_the_sync_screen_data_follows_enrolment_and_syncs(
        hq: LiveHq, samira: NewAdvisor, laptops: Callable[..., Laptop]) -> None:
    import re

    from advisor_app.services.portfolio import status_info
    from advisor_app.services.sync_status import sync_status

    a = laptops("a", samira)
    a.add_company("Atelier Amal", people=1)
    before = sync_status(a.db)
    assert before.hq_url == hq.url and before.last_sync is None
    assert {kind.table: kind.changes for kind in before.pending} == {"company": 1, "person": 1}
    a.sync()
    after = sync_status(a.db)
    assert after.pending == () and re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", after.last_sync or "")
    info = status_info(a.db)
    assert (info.advisor, info.pending_changes, info.last_sync) == ("Samira Alaoui", 0, after.last_sync)
