"""HQ's web dashboard over HTTP: login required (redirect), a wrong password refused with
a message, the session cookie signed (tampered or pre-password-change cookies refused),
logout, and figures per region and per agency that match the rows inserted at HQ."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advisor_app.hq import cli as hq_cli
from advisor_app.hq import staff
from advisor_app.hq.api import create_app
from advisor_app.hq.cli import init_database
from advisor_app.hq.db import HqDatabase, open_hq
from tests.hq import dashboard_scenario
from tests.hq.dashboard_scenario import TODAY, Scenario

PASSWORD = "correct horse battery"


class _Tables(HTMLParser):
    """table id -> data-key (or first cell) -> cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, list[str]]] = {}
        self._table = ""
        self._key: str | None = None
        self._cells: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._table = a.get("id") or ""
            self.tables[self._table] = {}
        elif tag == "tr":
            self._key, self._cells = a.get("data-key") or a.get("data-stage"), []
        elif tag == "td" and self._cells is not None:
            self._cells.append("")

    def handle_data(self, data: str) -> None:
        if self._cells:
            self._cells[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._cells:
            self.tables[self._table][self._key or self._cells[0]] = self._cells
            self._cells = None


def tables(page: str) -> dict[str, dict[str, list[str]]]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hq_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HqDatabase]:
    url = (f"sqlite:///{tmp_path / 'hq.sqlite'}" if request.param == "sqlite"
           else request.getfixturevalue("pg_url"))
    init_database(url)
    db = open_hq(url)
    yield db
    db.close()


@pytest.fixture
def scenario(hq_db: HqDatabase) -> Scenario:
    with hq_db.write() as session:
        staff.add_staff(session, name="Nadia Berrada", email="nadia@siege.ma", password=PASSWORD)
    return dashboard_scenario.build(hq_db)


@pytest.fixture
def client(hq_db: HqDatabase) -> Iterator[TestClient]:
    with TestClient(create_app(hq_db), follow_redirects=False) as http:
        yield http


def _login(client: TestClient, password: str = PASSWORD) -> object:
    return client.post("/connexion", data={"email": "Nadia@siege.ma ", "password": password,
                                           "suite": "/tableau-de-bord?region=MA-01"})


def test_the_dashboard_requires_a_login_and_a_wrong_password_is_refused(
        scenario: Scenario, client: TestClient) -> None:
    answer = client.get("/tableau-de-bord?region=MA-01")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/connexion?suite=/tableau-de-bord%3Fregion%3DMA-01"
    form = client.get(answer.headers["location"])
    assert form.status_code == 200 and "name='password'" in form.text
    refused = _login(client, "wrong password!")
    assert refused.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect." in refused.text
    assert "value='Nadia@siege.ma'" in refused.text  # the e-mail stays typed in
    assert staff.COOKIE not in client.cookies
    assert client.get("/tableau-de-bord").status_code == 303

    accepted = _login(client)
    assert accepted.status_code == 303 and accepted.headers["location"] == "/tableau-de-bord?region=MA-01"
    cookie = accepted.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    page = client.get("/tableau-de-bord")
    assert page.status_code == 200 and "Nadia Berrada" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]

    client.post("/deconnexion")
    assert staff.COOKIE not in client.cookies
    assert client.get("/tableau-de-bord").status_code == 303


def test_forged_expired_or_outdated_cookies_are_refused(
        scenario: Scenario, client: TestClient, hq_db: HqDatabase) -> None:
    _login(client)
    good = client.cookies[staff.COOKIE]
    member, expires, fingerprint, signature = good.split(".")
    client.cookies.set(staff.COOKIE, f"{member}.{int(expires) + 999}.{fingerprint}.{signature}")
    assert client.get("/tableau-de-bord").status_code == 303  # expiry pushed: signature broken
    client.cookies.set(staff.COOKIE, good)
    assert client.get("/tableau-de-bord").status_code == 200
    with hq_db.write() as session:
        staff.set_password(session, email="nadia@siege.ma", password="another long password")
    assert client.get("/tableau-de-bord").status_code == 303  # the password changed since
    with hq_db.read() as session:
        assert staff.read_cookie(session, "not.a.valid.cookie") is None


def test_figures_per_region_and_agency_match_the_rows(scenario: Scenario, client: TestClient) -> None:
    _login(client)
    page = client.get("/tableau-de-bord").text
    found = tables(page)
    # columns: name, companies, in progress, total lead median, p85, completed (12 weeks),
    # overdue actions, attendance, half-days used / budget
    tanger = found["by-region"]["MA-01"]
    assert tanger[1:6] == ["2", "1", "27,0\u202fj", "27,0\u202fj", "1"]
    assert tanger[8] == "0 / 16"  # two enrolments of 8 half-days, none used
    assert found["by-region"]["MA-06"][1:6] == ["1", "1", "—", "—", "0"]
    assert found["by-region"]["MA-02"][1:3] == ["0", "0"]  # every region is listed
    assert found["by-agency"][scenario.agency_id][1:3] == ["2", "1"]
    assert found["by-agency"]["aucune"][0] == "Sans agence"
    assert found["by-agency"]["aucune"][1:3] == ["1", "1"]

    stages = found["stages"]
    # ages 5.5 (Cèdre); lead times 10 and 27: median 18.5, 85th percentile 24.45 (shown 24,4)
    assert stages["registered"][1:7] == ["1", "5,5\u202fj", "5,5\u202fj", "18,5\u202fj", "24,4\u202fj", "2"]
    assert stages["in_group"][1:3] == ["1", "10,5\u202fj"]
    assert stages["completed"][1] == "1"
    enrolled = sum((TODAY - dashboard_scenario.dt.timedelta(days=d)).year == TODAY.year for d in (30, 30, 5))
    assert found["targets"]["enrolments"][1:3] == ["1\u202f020", str(enrolled)]  # 160 + 4 x 110 + 7 x 60
    # the cumulative flow diagram: at the end of this week, 1 registered, 1 in group, 1 done
    bands = dict(re.findall(r"data-stage='(\w+)' data-counts='([\d,]+)'", page))
    assert [bands[s].split(",")[-1] for s in ("registered", "in_group", "completed", "dropped")] == \
        ["1", "1", "1", "0"]

    region = tables(client.get("/tableau-de-bord?region=MA-01").text)
    assert region["targets"]["enrolments"][1] == "110"
    assert region["stages"]["registered"][1] == "0"  # Cèdre is in MA-06
    agency = client.get(f"/tableau-de-bord?agency={scenario.agency_id}").text
    assert "<h2>Agence Tanger</h2>" in agency
    assert tables(agency)["targets"]["enrolments"][1] == "—"  # targets are set per region


def test_staff_accounts_from_the_command_line(hq_db: HqDatabase, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str], client: TestClient) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough one\n"))
    status = hq_cli.main(["staff", "add", "--name", "Omar Fassi", "--email", "omar@siege.ma",
                          "--password-stdin", "--database-url", hq_db.url])
    assert status == 0 and "Compte du siège créé : Omar Fassi <omar@siege.ma>" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    status = hq_cli.main(["staff", "password", "--email", "omar@siege.ma", "--password-stdin",
                          "--database-url", hq_db.url])
    assert status == 1 and "au moins 10 caractères" in capsys.readouterr().err
    answer = client.post("/connexion", data={"email": "omar@siege.ma", "password": "a long enough one"})
    assert answer.status_code == 303 and answer.headers["location"] == "/tableau-de-bord"
