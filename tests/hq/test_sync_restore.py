"""HQ restored from a backup: the changes it lost since the backup come back from the laptops
that made them (each sends its whole outbox again: HQ answers "duplicate" for what it kept
and decides the rest), then every laptop reads everything again and all agree. Whether the
administrator declared the restore (``advisor-hq restored``) or not (a laptop that read
numbers HQ has not given yet gives it away). SQLite and PostgreSQL HQ."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from advisor_app.domain.companies import Company
from advisor_app.domain.local import SyncConflict
from advisor_app.hq import cli
from advisor_app.hq.admin import NewAdvisor
from advisor_app.storage.repositories.settings import set_setting
from advisor_app.sync.engine import HQ_URL
from tests.hq.harness import Laptop, LiveHq, hq_state


class Backups:
    """Takes and puts back a copy of HQ's database (HQ stopped meanwhile), restarting HQ on
    a new port that the laptops are told about."""

    def __init__(self, hq: LiveHq, tmp_path: Path) -> None:
        self.hq = hq
        self.url = hq.db.url
        self._file = tmp_path / "hq-backup.sqlite"
        self._pg_backup = f"{make_url(self.url).database}_backup"

    def _admin(self):  # type: ignore[no-untyped-def]
        return create_engine(make_url(self.url).set(database="postgres"), isolation_level="AUTOCOMMIT")

    def _copy(self, source: str, target: str, *, replace: bool) -> None:
        admin = self._admin()
        with admin.connect() as connection:
            if replace:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{source}"'))
        admin.dispose()

    def take(self, laptops: list[Laptop]) -> None:
        self.hq.stop()
        if self.url.startswith("sqlite"):
            shutil.copyfile(make_url(self.url).database or "", self._file)
        else:
            self._copy(make_url(self.url).database or "", self._pg_backup, replace=False)
        self._restart(laptops)

    def put_back(self, laptops: list[Laptop]) -> None:
        self.hq.stop()
        if self.url.startswith("sqlite"):
            database = Path(make_url(self.url).database or "")
            for extra in (Path(f"{database}-wal"), Path(f"{database}-shm")):
                extra.unlink(missing_ok=True)
            shutil.copyfile(self._file, database)
        else:
            self._copy(self._pg_backup, make_url(self.url).database or "", replace=True)
        self._restart(laptops)

    def _restart(self, laptops: list[Laptop]) -> None:
        self.hq = LiveHq(self.url)
        for laptop in laptops:
            laptop.hq = self.hq
            with laptop.db.unit_of_work() as session:
                set_setting(session, HQ_URL, self.hq.url)

    def close(self) -> None:
        self.hq.stop()
        if not self.url.startswith("sqlite"):
            admin = self._admin()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self._pg_backup}" WITH (FORCE)'))
            admin.dispose()


@pytest.fixture
def backups(hq: LiveHq, tmp_path: Path) -> Iterator[Backups]:
    made = Backups(hq, tmp_path)
    yield made
    made.close()


def _conflicts(laptop: Laptop) -> int:
    with laptop.db.sessions() as session:
        return session.scalar(select(func.count()).select_from(SyncConflict)) or 0


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "noticed"])
def test_changes_hq_lost_in_a_restore_come_back_from_the_laptops(
        hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor, laptops: Callable[..., Laptop],
        backups: Backups, declared: bool, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    company = a.add_company("Coopérative Argane", people=1)
    a.sync()
    b.sync()
    a.edit(Company, company, city="Agadir")
    b.edit(Company, company, city="Tiznit")
    a.sync()
    b.sync()  # the same field changed on both: a conflict on b, kept by HQ with its answer
    a.sync()
    assert (_conflicts(a), _conflicts(b)) == (0, 1)
    backups.take([a, b])

    # after the backup: work HQ will lose
    a.edit(Company, company, city="Essaouira")
    later = a.add_company("Miel du Souss", people=0)
    a.sync()
    b.sync()
    b.edit(Company, company, phone="+212612345678")
    b.sync()
    assert hq_state(backups.hq)["company"][company][1]["phone"] == "+212612345678"

    backups.put_back([a, b])
    assert later not in hq_state(backups.hq)["company"]
    if declared:
        assert cli.main(["restored", "--database-url", backups.url]) == 0
        assert "Nouvelle époque" in capsys.readouterr().out

    first = a.sync()  # a's cursor is beyond HQ's counter: HQ notices if it was not told
    assert any("restauré" in note for note in first.notes)
    # its whole outbox again: the three changes HQ kept (answered "duplicate", counted as what
    # they were), the change and the company it lost (applied now)
    assert first.pushed == 5 and first.by_status == {"applied": 5}
    b.sync()
    a.sync()

    state = hq_state(backups.hq)
    assert state == a.synced_state() == b.synced_state()
    row = state["company"][company][1]
    assert (row["city"], row["phone"]) == ("Essaouira", "+212612345678")
    assert later in state["company"]
    assert (_conflicts(a), _conflicts(b)) == (0, 1)  # a change HQ kept is not a conflict again
