"""HQ on loopback, on SQLite and on PostgreSQL, and enrolled laptops."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from advisor_app.hq.admin import NewAdvisor
from tests.hq.harness import Laptop, LiveHq, new_laptop


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hq(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveHq]:
    url = (f"sqlite:///{tmp_path / 'hq.sqlite'}" if request.param == "sqlite"
           else request.getfixturevalue("pg_url"))
    server = LiveHq(url)
    yield server
    server.stop()


@pytest.fixture
def samira(hq: LiveHq) -> NewAdvisor:
    return hq.add_advisor("Samira Alaoui", "samira@example.ma")


@pytest.fixture
def karim(hq: LiveHq) -> NewAdvisor:
    return hq.add_advisor("Karim Bennani", "karim@example.ma")


@pytest.fixture
def laptops(hq: LiveHq, tmp_path: Path) -> Iterator[Callable[..., Laptop]]:
    made: list[Laptop] = []

    def make(name: str, advisor: NewAdvisor, *, code: str | None = None) -> Laptop:
        laptop = new_laptop(hq, tmp_path / f"{name}.sqlite", name, advisor, code)
        made.append(laptop)
        return laptop

    yield make
    for laptop in made:
        laptop.db.close()
