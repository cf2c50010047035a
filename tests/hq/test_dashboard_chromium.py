"""HQ's dashboard in headless Chromium over a real HQ on loopback: the login form refuses
a wrong password with its message, then opens the dashboard; the figures, the cumulative
flow diagram and the region filter are there; logging out closes the session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from advisor_app.hq import staff
from tests.hq import dashboard_scenario
from tests.hq.harness import LiveHq

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveHq]:
    server = LiveHq(f"sqlite:///{tmp_path / 'hq.sqlite'}")
    with server.db.write() as session:
        staff.add_staff(session, name="Nadia Berrada", email="nadia@siege.ma",
                        password="correct horse battery")
    dashboard_scenario.build(server.db)
    yield server
    server.stop()


def _log_in(driver: Any, password: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, "email").clear()
    driver.find_element(By.ID, "email").send_keys("nadia@siege.ma")
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "submit").click()


def _wait_url(driver: Any, test: Any) -> None:
    """A click does not wait for the page it loads: wait for the address."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: test(d.current_url))


def test_login_then_the_dashboard_in_chromium(live: LiveHq, chromium: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver = chromium
    driver.get(f"{live.url}/tableau-de-bord")
    assert driver.current_url.startswith(f"{live.url}/connexion")
    _log_in(driver, "not the password")
    # the refusal is a new page at the same address: wait for it, not for the address
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "error"))
    assert driver.find_element(By.ID, "error").text == "Adresse e-mail ou mot de passe incorrect."
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / "hq_login_refused.png"))
    _log_in(driver, "correct horse battery")
    _wait_url(driver, lambda url: url == f"{live.url}/tableau-de-bord")
    assert driver.find_element(By.ID, "who").text == "Nadia Berrada"
    tanger = driver.find_element(By.CSS_SELECTOR, "#by-region tr[data-key='MA-01']")
    cells = [td.text for td in tanger.find_elements(By.TAG_NAME, "td")]
    assert cells[0] == "Tanger-Tétouan-Al Hoceïma" and cells[1:3] == ["2", "1"]
    bands = driver.find_elements(By.CSS_SELECTOR, "#cfd polygon.band")
    assert len(bands) == 7 and all(b.is_displayed() for b in bands)
    assert driver.find_element(By.ID, "cfd").size["height"] > 150
    driver.set_window_size(1200, driver.execute_script("return document.body.scrollHeight") + 140)
    driver.save_screenshot(str(SHOTS / "hq_dashboard.png"))

    Select(driver.find_element(By.ID, "region")).select_by_value("MA-06")
    driver.find_element(By.CSS_SELECTOR, "button.go").click()
    _wait_url(driver, lambda url: url.endswith("region=MA-06&agency="))
    assert driver.find_element(By.CSS_SELECTOR, "#perimeter h2").text == "Région Casablanca-Settat"
    registered = driver.find_element(By.CSS_SELECTOR, "#stages tr[data-stage='registered'] td:nth-child(2)")
    assert registered.text == "1"
    driver.save_screenshot(str(SHOTS / "hq_dashboard_region.png"))

    driver.find_element(By.ID, "logout").click()
    _wait_url(driver, lambda url: url == f"{live.url}/connexion")
    driver.get(f"{live.url}/tableau-de-bord")
    assert driver.current_url.startswith(f"{live.url}/connexion")
