"""A laptop's own changes HQ applied as sent are not sent back by the pull that follows
(the laptop names their numbers); others come back as echoes (id and version only), and a
laptop that does not hold that version (HQ merged others' fields in, or its database was
restored from an older copy) asks for the whole rows (``/sync/v1/rows``). SQLite and
PostgreSQL HQ."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import httpx

from advisor_app.domain.companies import Company
from advisor_app.hq.admin import NewAdvisor
from advisor_app.services.database import open_database
from advisor_app.storage.repositories.settings import get_setting, set_setting
from advisor_app.sync.engine import CURSOR
from tests.hq.harness import Laptop, LiveHq, hq_state


class Counting(httpx.BaseTransport):
    """Forwards to HQ and notes the path of every request."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self._real = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return self._real.handle_request(request)

    def close(self) -> None:
        self._real.close()


def test_own_applied_changes_are_not_sent_back(
        hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor, laptops: Callable[..., Laptop]) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    ids = [a.add_company(f"Atelier {n}", people=1) for n in range(3)]
    b.add_company("Menuiserie Karim", people=0)
    b.sync()
    counting = Counting()
    report = a.sync(counting)
    assert counting.paths == ["/sync/v1/hello", "/sync/v1/push", "/sync/v1/pull"]
    assert report.pulled == 1 and report.changed_tables == {"company"}  # only b's company
    assert [a.get(Company, i).row_version for i in ids] == [1, 1, 1]
    assert a.synced_state() == hq_state(hq)


def test_own_changes_from_an_earlier_cycle_come_back_as_echoes(
        hq: LiveHq, samira: NewAdvisor, laptops: Callable[..., Laptop]) -> None:
    """The push answers were applied but the pull did not happen (cancelled, network):
    the next cycle pulls them as echoes, which cost no extra request."""
    a = laptops("a", samira)
    ids = [a.add_company(f"Atelier {n}", people=1) for n in range(3)]
    with a.db.sessions() as session, session.begin():
        cursor = get_setting(session, CURSOR)
    a.sync()
    with a.db.sessions() as session, session.begin():
        set_setting(session, CURSOR, cursor or "0")  # as if that pull never ran
    counting = Counting()
    report = a.sync(counting)
    assert counting.paths == ["/sync/v1/hello", "/sync/v1/pull"]
    assert report.pulled == 6 and report.changed_tables == set()
    assert [a.get(Company, i).row_version for i in ids] == [1, 1, 1]
    assert a.synced_state() == hq_state(hq)


def test_a_merged_row_is_fetched_whole(hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor,
                                      laptops: Callable[..., Laptop]) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    company = a.add_company("Boulangerie Amal", people=0)
    a.sync()
    b.sync()
    a.edit(Company, company, city="Berrechid")
    b.edit(Company, company, phone="+212612345678")
    a.sync()
    counting = Counting()
    report = b.sync(counting)  # HQ merges: the row (last changed by b) now holds a's city
    assert report.by_status == {"merged": 1}
    assert counting.paths.count("/sync/v1/rows") == 1
    row = b.get(Company, company)
    assert (row.city, row.phone) == ("Berrechid", "+212612345678")
    assert "company" in report.changed_tables
    assert b.synced_state() == hq_state(hq)


def test_a_laptop_restored_from_an_older_copy_gets_its_own_later_changes_back(
        hq: LiveHq, samira: NewAdvisor, laptops: Callable[..., Laptop], tmp_path: Path) -> None:
    a = laptops("a", samira)
    company = a.add_company("Coopérative Argane", people=1)
    a.sync()
    a.db.close()
    copy = tmp_path / "copy-of-a.sqlite"
    shutil.copyfile(a.db.path, copy)  # the advisor's backup, taken after the first sync
    a.db = open_database(a.db.path)
    a.edit(Company, company, city="Essaouira")
    a.add_company("Miel du Souss", people=0)
    a.sync()
    expected = hq_state(hq)

    a.db.close()
    shutil.copyfile(copy, a.db.path)  # the disk failed: the backup is put back
    for suffix in ("-wal", "-shm"):
        Path(f"{a.db.path}{suffix}").unlink(missing_ok=True)
    a.db = open_database(a.db.path)
    assert a.get(Company, company).city == "Settat"
    a.sync()
    assert a.get(Company, company).city == "Essaouira"  # its own change, made after the copy
    assert a.synced_state() == expected == hq_state(hq)
