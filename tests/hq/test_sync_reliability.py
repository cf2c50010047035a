"""What the network and HQ can do to a sync, and what must still hold: nothing lost,
nothing applied twice, every laptop ends with HQ's state. Real HTTP on loopback, HQ on
SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from advisor_app.domain.base import utcnow
from advisor_app.domain.companies import Company
from advisor_app.domain.hq_records import HqMutation
from advisor_app.domain.local import SyncConflict, SyncOutbox
from advisor_app.hq.admin import NewAdvisor
from advisor_app.hq.push import allocate
from advisor_app.services import sync_service
from advisor_app.sync.transport import Failure
from tests.hq.harness import Faulty, Laptop, LiveHq, hq_state


def _outbox(laptop: Laptop) -> list[SyncOutbox]:
    with laptop.db.sessions() as session:
        return list(session.scalars(select(SyncOutbox).order_by(SyncOutbox.seq)))


def _conflicts(laptop: Laptop) -> list[SyncConflict]:
    with laptop.db.sessions() as session:
        return list(session.scalars(select(SyncConflict).order_by(SyncConflict.id)))


def _mutations_at_hq(hq: LiveHq) -> int:
    with hq.db.read() as session:
        return session.scalar(select(func.count()).select_from(HqMutation)) or 0


def test_answer_lost_after_hq_committed_is_applied_once(
        hq: LiveHq, samira: NewAdvisor, laptops: Callable[..., Laptop]) -> None:
    a = laptops("a", samira)
    company = a.add_company("Huilerie Atlas", people=1)
    lossy = Faulty(lambda n: "lose" if n == 1 else None)
    with pytest.raises(sync_service.SyncFailed) as failure:
        a.sync(transport=lossy)
    assert failure.value.kind == Failure.UNREACHABLE
    assert hq.rows("company")[company].row_version == 1  # HQ did commit
    assert all(e.acked_at is None for e in _outbox(a))  # the laptop could not know
    report = a.sync(transport=lossy)  # the client re-runs: same mutation ids
    assert report.by_status == {"applied": 2}  # the stored answers, as first decided
    assert hq.rows("company")[company].row_version == 1  # not applied twice
    assert _mutations_at_hq(hq) == 2
    assert all(e.acked_at is not None and e.result == "applied" for e in _outbox(a))


def test_duplicated_request_changes_nothing_more(hq: LiveHq, samira: NewAdvisor,
                                                 laptops: Callable[..., Laptop]) -> None:
    a = laptops("a", samira)
    company = a.add_company("Menuiserie Nour", people=0)
    a.sync()
    a.edit(Company, company, city="Berrechid")
    twice = Faulty(lambda n: "twice")
    report = a.sync(transport=twice)
    assert twice.pushes == 1 and report.by_status == {"applied": 1}
    row = hq.rows("company")[company]
    assert (row.city, row.row_version) == ("Berrechid", 2)


def test_hq_failing_mid_batch_keeps_nothing_and_the_retry_applies_everything(
        hq: LiveHq, samira: NewAdvisor, laptops: Callable[..., Laptop]) -> None:
    a = laptops("a", samira)
    ids = [a.add_company(f"Coopérative {n}", people=1) for n in range(5)]
    hq.fail_next_push()
    with pytest.raises(sync_service.SyncFailed) as failure:
        a.sync()
    assert failure.value.kind == Failure.SERVER
    assert not set(ids) & set(hq.rows("company")) and _mutations_at_hq(hq) == 0
    a.sync()
    assert set(ids) <= set(hq.rows("company")) and _mutations_at_hq(hq) == 10


def test_two_laptops_editing_different_fields_keep_both(
        hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor, laptops: Callable[..., Laptop]) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    company = a.add_company("Boulangerie Amal", people=0)
    a.sync()
    b.sync()
    a.edit(Company, company, city="Settat")
    a.edit(Company, company, city="Berrechid")  # twice on the same laptop: not a conflict
    b.edit(Company, company, phone="+212612345678")
    a.sync()
    report = b.sync()
    assert report.by_status == {"merged": 1} and report.conflicts == 0
    a.sync()
    for laptop in (a, b):
        row = laptop.get(Company, company)
        assert (row.city, row.phone) == ("Berrechid", "+212612345678")
    assert not _conflicts(a) and not _conflicts(b)
    assert a.synced_state() == b.synced_state() == hq_state(hq)


@pytest.mark.parametrize("first", ["a", "b"])
def test_same_field_conflict_has_the_same_winner_whatever_the_order(
        hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor, laptops: Callable[..., Laptop], first: str,
) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    company = a.add_company("Tissage Fès", people=0)
    a.sync()
    b.sync()
    a.edit(Company, company, city="Fès")
    time.sleep(0.01)
    b.edit(Company, company, city="Meknès")  # the later change
    order = (a, b) if first == "a" else (b, a)
    for laptop in (*order, *order):
        laptop.sync()
    assert {a.get(Company, company).city, b.get(Company, company).city,
            hq.rows("company")[company].city} == {"Meknès"}
    second = order[1]
    [conflict] = _conflicts(second)  # the laptop that synced second hears of it
    assert (conflict.field, {conflict.local_value, conflict.remote_value}) == ("city", {"Fès", "Meknès"})
    assert conflict.winner == ("local" if second is b else "remote")
    assert a.synced_state() == b.synced_state() == hq_state(hq)


def test_identity_fields_are_never_overwritten_silently(
        hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor, laptops: Callable[..., Laptop]) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    company = a.add_company("Atlas Meubles", people=0)
    a.sync()
    b.sync()
    a.edit(Company, company, name="Atlas Meubles SARL")
    time.sleep(0.01)
    b.edit(Company, company, name="Meubles Atlas")  # later, but HQ's name stays
    a.sync()
    b.sync()
    assert hq.rows("company")[company].name == "Atlas Meubles SARL"
    [conflict] = _conflicts(b)
    assert (conflict.field, conflict.local_value, conflict.winner) == ("name", "Meubles Atlas", "remote")
    sync_service.resolve_conflict(b.db, conflict.id, "mine")  # the advisor decides
    b.sync()
    a.sync()
    assert a.get(Company, company).name == hq.rows("company")[company].name == "Meubles Atlas"


def test_delete_wins_over_edit_and_a_restore_brings_the_edit_back(
        hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor, laptops: Callable[..., Laptop]) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    company = a.add_company("Poterie Safi", people=0)
    a.sync()
    b.sync()
    a.edit(Company, company, deleted_at=utcnow())
    b.edit(Company, company, city="Safi")
    a.sync()
    report = b.sync()
    assert report.by_status == {"conflict": 1}
    assert b.get(Company, company).deleted_at is not None  # HQ's tombstone pulled
    [deleted] = _conflicts(b)  # the edit went into the tombstone; the deletion is the conflict
    assert (deleted.field, deleted.local_value, deleted.winner) == ("deleted_at", None, "remote")
    assert hq.rows("company")[company].city == "Safi"
    sync_service.resolve_conflict(b.db, deleted.id, "mine")  # keep it: restores the row
    b.sync()
    a.sync()
    for row in (a.get(Company, company), b.get(Company, company), hq.rows("company")[company]):
        assert (row.deleted_at, row.city) == (None, "Safi")


@pytest.mark.parametrize("first", ["delete", "edit"])
def test_delete_and_edit_leave_the_same_tombstone_whatever_syncs_first(
        hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor, laptops: Callable[..., Laptop], first: str,
) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    company = a.add_company("Zellige Fès", people=0)
    a.sync()
    b.sync()
    a.edit(Company, company, deleted_at=utcnow())
    b.edit(Company, company, city="Fès")
    for laptop in ((a, b) if first == "delete" else (b, a)) * 2:
        laptop.sync()
    row = hq.rows("company")[company]
    assert row.deleted_at is not None and row.city == "Fès"
    assert a.synced_state() == b.synced_state() == hq_state(hq)


def test_a_long_hq_transaction_does_not_make_a_pull_skip_a_row(
        hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor, laptops: Callable[..., Laptop]) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    a.sync()
    b.sync()
    held = threading.Event()
    release = threading.Event()
    early: list[int] = []

    def long_transaction() -> None:  # takes a number, then works for a while before commit
        with hq.db.write() as session:
            early.extend(allocate(session, 1))
            held.set()
            release.wait(10)

    slow = threading.Thread(target=long_transaction)
    slow.start()
    assert held.wait(10)
    b.add_company("Après la longue transaction", people=0)
    pusher = threading.Thread(target=b.sync)
    pusher.start()  # waits behind the long transaction (counter row / database lock)
    time.sleep(0.5)
    a.sync()  # must not move its cursor past the number still in flight
    assert _cursor(a) < early[0]
    release.set()
    slow.join(10)
    pusher.join(30)
    a.sync()
    names = {values["name"] for _, values in a.synced_state()["company"].values()}
    assert "Après la longue transaction" in names
    assert a.synced_state() == b.synced_state() == hq_state(hq)


def _cursor(laptop: Laptop) -> int:
    from advisor_app.storage.repositories.settings import get_setting
    from advisor_app.sync.engine import CURSOR

    with laptop.db.sessions() as session:
        return int(get_setting(session, CURSOR) or 0)


def test_weeks_offline_with_hundreds_of_changes(
        hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor, laptops: Callable[..., Laptop]) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    ids = [a.add_company(f"Entreprise hors ligne {n:03d}", people=2) for n in range(180)]
    for n, company in enumerate(ids[:120]):
        a.edit(Company, company, city=f"Douar {n}", created_on=dt.date(2019, 1, 1 + n % 28))
    pending = len(_outbox(a))
    assert pending == 180 * 3 + 120
    report = a.sync()
    assert report.pushed == pending and report.by_status == {"applied": pending}
    assert report.requests <= 1 + 2 + 2  # hello, 2 pushes of 500, pulls
    b.sync()
    assert a.synced_state() == b.synced_state() == hq_state(hq)
    assert len(hq.rows("company")) == 180 and len(hq.rows("person")) == 360
