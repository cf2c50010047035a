"""HQ's dashboard, programme operations: financing per region / advisor / group, complaints
and satisfaction against the targets, advisors' capacity and the queue, over HTTP and in
headless Chromium (numbers in tests/hq/ops_scenario.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from advisor_app.hq import staff
from advisor_app.hq.api import create_app
from advisor_app.hq.cli import init_database
from advisor_app.hq.db import HqDatabase, open_hq
from tests.hq import dashboard_scenario, ops_scenario
from tests.hq.harness import LiveHq
from tests.hq.test_dashboard_pages import tables

PASSWORD = "correct horse battery"
NB = "\u202f"
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def _prepare(db: HqDatabase) -> None:
    with db.write() as session:
        staff.add_staff(session, name="Nadia Berrada", email="nadia@siege.ma", password=PASSWORD)
    ops_scenario.build(db, dashboard_scenario.build(db))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    url = (f"sqlite:///{tmp_path / 'hq.sqlite'}" if request.param == "sqlite"
           else request.getfixturevalue("pg_url"))
    init_database(url)
    db = open_hq(url)
    _prepare(db)
    with TestClient(create_app(db), follow_redirects=False) as http:
        http.post("/connexion", data={"email": "nadia@siege.ma", "password": PASSWORD})
        yield http
    db.close()


def test_operations_figures_over_http(client: TestClient) -> None:
    page = client.get("/tableau-de-bord").text
    found = tables(page)
    # enrolments, price, subsidy, expected share, received, outstanding
    assert found["financing-region"]["MA-01"][1:] == [
        "2", f"12{NB}880{NB}MAD", f"8{NB}000{NB}MAD", f"4{NB}880{NB}MAD", f"2{NB}440{NB}MAD",
        f"2{NB}440{NB}MAD"]
    assert found["financing-region"]["MA-06"][1:3] == ["1", f"6{NB}440{NB}MAD"]
    assert found["financing-region"]["Total"][1:3] == ["3", f"19{NB}320{NB}MAD"]
    advisors = {row[0]: row for row in found["financing-advisor"].values()}
    assert advisors["Hamid Tazi"][1] == "2" and advisors["Salma Idrissi"][1] == "1"
    groups = {row[0]: row for row in found["financing-group"].values()}
    assert groups["Groupe Tanger agro"][1:3] == ["1", f"6{NB}440{NB}MAD"]

    quality = found["quality"]
    assert quality["complaint_rate"][1:4] == ["1,00", "66,67", "non atteint"]  # 2 / 3 x 100
    assert quality["handling_p85"][1:4] == ["15,0", "4,0", "atteint"]
    assert quality["satisfaction"][1:3] == ["4,00", "5,00"]
    assert quality["response_rate"][2] == f"100{NB}%"  # Badr, the only completed, answered
    assert "data-score='5'><b style='height:50px'></b>5&#8239;: 1" in page

    load = found["regions-load"]
    # advisors, over, under, waiting, median wait
    assert load["MA-01"][1:5] == ["1", "1", "0", "0"]
    assert load["MA-06"][1:6] == ["1", "0", "1", "1", f"5,0{NB}j"]
    capacity = {row[0]: row for row in found["capacity"].values()}
    assert capacity["Hamid Tazi"][2:7] == ["16,0", "20,0", "0,0", f"125{NB}%", "Surcharge"]
    assert capacity["Salma Idrissi"][6] == "Sous-charge"
    assert "id='queue-count'>1</strong>" in page

    region = tables(client.get("/tableau-de-bord?region=MA-06").text)
    assert list(region["financing-region"]) == ["MA-06", "Total"]
    assert [row[0] for row in region["capacity"].values()] == ["Salma Idrissi"]
    assert region["regions-load"]["MA-01"][2] == "1"  # every region stays in the per-region table
    no_agency = tables(client.get("/tableau-de-bord?agency=aucune").text)
    assert [row[0] for row in no_agency["capacity"].values()] == ["Salma Idrissi"]
    assert list(no_agency["financing-region"]) == ["MA-06", "Total"]


def test_a_broken_tariff_file_is_said_not_hidden(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from advisor_app.services import ops_config
    from advisor_app.services.errors import UserError

    def broken(root: Path | None = None) -> ops_config.OpsConfig:
        raise UserError("programme_ops.toml : capacity : Field required")

    monkeypatch.setattr(ops_config, "load_config", broken)
    page = client.get("/tableau-de-bord")
    assert page.status_code == 200
    assert "programme_ops.toml : capacity : Field required" in page.text
    assert "by-region" in page.text  # the rest of the dashboard is there


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveHq]:
    server = LiveHq(f"sqlite:///{tmp_path / 'hq.sqlite'}")
    _prepare(server.db)
    yield server
    server.stop()


def test_operations_sections_in_chromium(live: LiveHq, chromium: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = chromium
    driver.get(f"{live.url}/connexion")
    driver.find_element(By.ID, "email").send_keys("nadia@siege.ma")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "submit").click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url == f"{live.url}/tableau-de-bord")
    section = driver.find_element(By.ID, "financing")
    assert section.is_displayed() and "Financement des accompagnements" in section.text
    over = driver.find_element(By.CSS_SELECTOR, "#capacity tr[data-status='over'] td:last-child")
    assert over.text == "Surcharge"
    assert over.value_of_css_property("color") == "rgba(179, 38, 30, 1)"  # shown in red
    bar = driver.find_element(By.CSS_SELECTOR, "#satisfaction-distribution div[data-score='5'] b")
    assert bar.size["height"] == 50
    assert driver.find_element(By.ID, "queue-count").text == "1"
    driver.execute_script("document.getElementById('financing').scrollIntoView()")
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.set_window_size(1200, driver.execute_script("return document.body.scrollHeight") + 140)
    driver.save_screenshot(str(SHOTS / "hq_dashboard_operations.png"))
