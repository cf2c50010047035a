"""An encrypted laptop database syncs with a live HQ (real HTTP on loopback) like a plain
one: enrolment, push, pull, and the second connection a background sync opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from advisor_app.domain.companies import Company
from advisor_app.services import database, protection, sync_device
from advisor_app.services.database import is_encrypted, open_database
from tests.hq.harness import LiveHq, new_laptop

PASSPHRASE = "Cèdres d'Ifrane 1750"


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[LiveHq]:
    server = LiveHq(f"sqlite:///{tmp_path / 'hq.sqlite'}")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _no_remembered_passphrase() -> Iterator[None]:
    yield
    database.use_passphrase(None)


def _encrypted_file(path: Path) -> Path:
    open_database(path).close()
    protection.encrypt_database(path, PASSPHRASE)
    return path


def test_two_encrypted_laptops_exchange_companies_through_hq(hq: LiveHq, tmp_path: Path) -> None:
    samira = hq.add_advisor("Samira Alaoui", "samira@example.ma")
    database.use_passphrase(PASSPHRASE)  # what --passphrase-stdin does for the harness' open_database
    first = new_laptop(hq, _encrypted_file(tmp_path / "portable-1.sqlite"), "portable-1", samira)
    second = new_laptop(hq, _encrypted_file(tmp_path / "portable-2.sqlite"), "portable-2", samira,
                        code=hq.new_code(samira.advisor_id))
    assert first.db.encrypted and second.db.encrypted

    company = first.add_company("Huilerie Tadla Azilal", people=2)
    first.sync()
    assert company in hq.rows("company")
    second.sync()
    assert second.get(Company, company).name == "Huilerie Tadla Azilal"

    # the worker connection a background sync uses reads the same encrypted file
    worker = sync_device.worker_database(second.db)
    try:
        assert worker.encrypted
        with worker.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Company)) == 1
    finally:
        worker.close()
    second.edit(Company, company, city="Beni Mellal")
    second.sync()
    first.sync()
    assert first.get(Company, company).city == "Beni Mellal"
    for laptop in (first, second):
        laptop.db.close()
        assert is_encrypted(laptop.db.path)
        raw = b"".join(p.read_bytes() for p in laptop.db.path.parent.glob(laptop.db.path.name + "*"))
        assert b"Tadla" not in raw and b"Mellal" not in raw
