"""HQ on loopback, on SQLite and on PostgreSQL, enrolled laptops, and headless Chromium for
HQ's web pages (scripts/test.sh installs chromium and chromium-driver; on CI a missing
browser fails instead of skipping)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture
def chromium() -> Iterator[Any]:
    if not os.environ.get("CI") and not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("chromium and chromium-driver (scripts/test.sh installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1200,2400", "--lang=fr-FR"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or ""))
    yield driver
    driver.quit()
