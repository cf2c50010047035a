"""Property: 2 to 4 laptops make random edits (creations, edits of the same or different
fields, deletes, restores) and sync at random moments, some syncs losing HQ's answer or
hitting an HQ failure mid-batch. Once every laptop has synced twice more, all hold
exactly HQ's rows, nothing is pending, and HQ applied every change once."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select, text

from advisor_app.domain.base import utcnow
from advisor_app.domain.companies import Company
from advisor_app.domain.hq_records import HqDevice, HqMutation
from advisor_app.domain.local import SyncOutbox
from advisor_app.services import sync_service
from tests.hq.harness import Faulty, Laptop, LiveHq, copy_laptop_database, hq_state, new_laptop

CITIES = ("Settat", "Berrechid", "El Jadida", "Khouribga")
PHONES = ("+212612345678", "+212661000111", "+212522334455")
SYNC_MODES = ("ok", "ok", "ok", "lose", "fail")

operation = st.one_of(
    st.tuples(st.just("create"), st.integers(0, 3)),
    st.tuples(st.just("city"), st.integers(0, 3), st.integers(0, 50), st.sampled_from(CITIES)),
    st.tuples(st.just("phone"), st.integers(0, 3), st.integers(0, 50), st.sampled_from(PHONES)),
    st.tuples(st.just("delete"), st.integers(0, 3), st.integers(0, 50)),
    st.tuples(st.just("restore"), st.integers(0, 3), st.integers(0, 50)),
    st.tuples(st.just("sync"), st.integers(0, 3), st.sampled_from(SYNC_MODES)),
)


def _known(laptop: Laptop) -> list[Company]:
    with laptop.db.sessions() as session:
        return list(session.scalars(select(Company).order_by(Company.id)))


def _apply(laptop: Laptop, hq: LiveHq, op: tuple[Any, ...]) -> None:
    kind = op[0]
    if kind == "create":
        laptop.add_company(f"Entreprise {uuid.uuid4().hex[:6]}", people=1)
        return
    if kind == "sync":
        mode = op[2]
        try:
            if mode == "lose":
                laptop.sync(transport=Faulty(lambda n: "lose" if n == 1 else None))
            elif mode == "fail":
                hq.fail_next_push()
                laptop.sync()
            else:
                laptop.sync()
        except sync_service.SyncFailed:
            pass  # the next sync picks up where this one stopped
        finally:
            hq.fail_next_push(0)
        return
    companies = _known(laptop)
    if not companies:
        return
    company = companies[op[2] % len(companies)]
    if kind == "city" and company.deleted_at is None:
        laptop.edit(Company, company.id, city=op[3])
    elif kind == "phone" and company.deleted_at is None:
        laptop.edit(Company, company.id, phone=op[3])
    elif kind == "delete" and company.deleted_at is None:
        laptop.edit(Company, company.id, deleted_at=utcnow())
    elif kind == "restore" and company.deleted_at is not None:
        laptop.edit(Company, company.id, deleted_at=None)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hq_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return "sqlite" if request.param == "sqlite" else request.getfixturevalue("pg_url")


def _fresh_hq(url: str, folder: Path) -> LiveHq:
    """A new, empty HQ for one example (an example must not see the rows of the last)."""
    if url == "sqlite":
        return LiveHq(f"sqlite:///{folder / f'hq-{uuid.uuid4().hex[:8]}.sqlite'}")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return LiveHq(url)


@pytest.mark.slow
# MOWAKABA_CONVERGENCE_EXAMPLES=200 for a longer hunt than CI's
@settings(max_examples=int(os.environ.get("MOWAKABA_CONVERGENCE_EXAMPLES", "12")), deadline=None,
          database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(count=st.integers(2, 4), ops=st.lists(operation, min_size=5, max_size=30))
def test_laptops_converge_to_hq(hq_url: str, template_db: Path, tmp_path: Path, count: int,
                                ops: list[tuple[Any, ...]]) -> None:
    note(f"{count} laptops, operations: {ops!r}")  # shown with a failing example
    hq = _fresh_hq(hq_url, tmp_path)
    run = uuid.uuid4().hex[:8]
    laptops = []
    try:
        for n in range(count):
            advisor = hq.add_advisor(f"Conseiller {n}", f"c{n}@example.ma")
            path = tmp_path / f"{run}-{n}.sqlite"
            copy_laptop_database(template_db, path)  # its own device id
            laptops.append(new_laptop(hq, path, f"{run}-{n}", advisor))
        for op in ops:
            _apply(laptops[op[1] % count], hq, op)
        for _ in range(2):
            for laptop in laptops:
                laptop.sync()
        expected = hq_state(hq)
        for laptop in laptops:
            _assert_same(laptop.name, laptop.synced_state(), expected)
            assert laptop.sync(check=True).differences == []  # verify agrees
            with laptop.db.sessions() as session:
                assert not session.scalar(select(func.count()).select_from(SyncOutbox)
                                          .where(SyncOutbox.acked_at.is_(None)))
        _each_change_applied_once(hq, laptops)
    finally:
        for laptop in laptops:
            laptop.db.close()
        hq.stop()


def _assert_same(name: str, mine: dict[str, Any], hq: dict[str, Any]) -> None:
    """Only the rows that differ, in the message."""
    differences = {(table, row_id): (mine[table].get(row_id), hq[table].get(row_id))
                   for table in hq for row_id in set(mine[table]) | set(hq[table])
                   if mine[table].get(row_id) != hq[table].get(row_id)}
    assert not differences, f"{name} differs from HQ (laptop, HQ): {differences}"


def _each_change_applied_once(hq: LiveHq, laptops: list[Laptop]) -> None:
    sent: set[str] = set()
    for laptop in laptops:
        with laptop.db.sessions() as session:
            sent.update(session.scalars(select(SyncOutbox.mutation_id)))
    with hq.db.read() as session:
        devices = set(session.scalars(select(HqDevice.id).where(
            HqDevice.advisor_id.in_([laptop.advisor_id for laptop in laptops]))))
        decided = list(session.scalars(
            select(HqMutation.mutation_id).where(HqMutation.device_id.in_(devices))))
    assert sorted(decided) == sorted(sent)  # every change decided, none twice
