"""The sync from the command line: an admin creates an advisor (one-time code), the laptop
enrols and syncs, conflicts are listed and resolved, a device is revoked — with one-line
French messages and exit codes, never a traceback."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from advisor_app import cli
from advisor_app.domain.companies import Company
from advisor_app.hq import cli as hq_cli
from advisor_app.services.database import open_database
from tests.hq.harness import LiveHq, new_laptop


@pytest.fixture
def live(tmp_path: Path) -> LiveHq:
    server = LiveHq(f"sqlite:///{tmp_path / 'hq.sqlite'}")
    yield server  # type: ignore[misc]
    server.stop()


def _run(main: object, args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    assert callable(main)
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_admin_laptop_round_trip(live: LiveHq, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = live.db.url
    code, out, _ = _run(hq_cli.main, ["advisor", "add", "--database-url", url, "--name", "Samira Alaoui",
                                      "--email", "samira@example.ma", "--region", "MA-06"], capsys)
    assert code == 0 and "Conseiller créé : Samira Alaoui (MA-06)" in out
    enrolment_code = re.search(r"\) : ([A-Z0-9-]{14})$", out.strip()).group(1)  # type: ignore[union-attr]

    db_path = tmp_path / "laptop.sqlite"
    code, out, err = _run(cli.main, ["enroll", "--db", str(db_path), "--server", live.url,
                                     "--code", enrolment_code, "--name", "PC Settat"], capsys)
    assert code == 0, err
    assert f"Ordinateur inscrit auprès de {live.url} pour Samira Alaoui (MA-06)." in out

    code, _, err = _run(cli.main, ["enroll", "--db", str(tmp_path / "other.sqlite"), "--server", live.url,
                                   "--code", enrolment_code], capsys)
    assert code == 1 and "déjà utilisé" in err and "Traceback" not in err

    laptop = new_laptop(live, db_path, "laptop")
    laptop.advisor_id = laptop.db.sessions.kw["info"]["mowakaba.advisor_id"]
    laptop.add_company("Atelier Amal", people=1)
    laptop.db.close()
    code, out, err = _run(cli.main, ["sync", "--db", str(db_path)], capsys)
    assert code == 0, err
    assert "Envoyés : 2 (2 appliqués)" in out and "Conflits : 0" in out

    code, out, _ = _run(hq_cli.main, ["device", "list", "--database-url", url], capsys)
    assert "Samira Alaoui (MA-06)  PC Settat  actif, dernier envoi le" in out
    device_id = out.split()[0]
    code, out, _ = _run(hq_cli.main, ["device", "revoke", "--database-url", url, device_id], capsys)
    assert code == 0 and "Ordinateur révoqué" in out
    code, _, err = _run(cli.main, ["sync", "--db", str(db_path)], capsys)
    assert code == 1 and "révoqué par le siège" in err


def test_conflicts_listed_and_resolved(live: LiveHq, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    samira = live.add_advisor("Samira Alaoui", "samira@example.ma")
    karim = live.add_advisor("Karim Bennani", "karim@example.ma")
    a = new_laptop(live, tmp_path / "a.sqlite", "a", samira)
    b = new_laptop(live, tmp_path / "b.sqlite", "b", karim)
    company = a.add_company("Tissage Fès", people=0)
    a.sync()
    b.sync()
    b.edit(Company, company, city="Meknès")
    time.sleep(0.01)
    a.edit(Company, company, city="Fès")
    b.sync()
    a.db.close()
    b.db.close()
    a_path = str(tmp_path / "a.sqlite")
    code, out, _ = _run(cli.main, ["sync", "--db", a_path], capsys)
    assert "Conflits : 1 — voir « advisor-app conflicts »" in out
    code, out, _ = _run(cli.main, ["conflicts", "--db", a_path], capsys)
    assert code == 0 and "city : ma valeur Fès ; siège Meknès ; en vigueur : la mienne" in out
    conflict_id = re.search(r"^\[(\d+)\]", out).group(1)  # type: ignore[union-attr]
    code, out, _ = _run(cli.main, ["conflicts", "resolve", conflict_id, "--keep", "theirs", "--db", a_path],
                        capsys)
    assert code == 0 and "city = Meknès" in out
    code, out, _ = _run(cli.main, ["conflicts", "--db", a_path], capsys)
    assert "Aucun conflit à résoudre." in out
    code, _, err = _run(cli.main, ["conflicts", "resolve", conflict_id, "--keep", "mine", "--db", a_path],
                        capsys)
    assert code == 1 and "déjà résolu" in err
    _run(cli.main, ["sync", "--db", a_path], capsys)
    db = open_database(Path(a_path))
    try:
        with db.sessions() as session:
            assert session.get(Company, company).city == "Meknès"  # type: ignore[union-attr]
    finally:
        db.close()
    assert live.rows("company")[company].city == "Meknès"


@pytest.mark.parametrize(("args", "words"), [
    (["advisor", "add", "--name", "X", "--email", "x@y.ma", "--region", "ZZ"], "Région inconnue"),
    (["advisor", "add", "--name", "X", "--email", "pas-un-mail", "--region", "MA-06"], "e-mail invalide"),
    (["device", "revoke", "nope"], "Appareil inconnu"),
])
def test_admin_mistakes_get_one_line(live: LiveHq, capsys: pytest.CaptureFixture[str], args: list[str],
                                     words: str) -> None:
    code, _, err = _run(hq_cli.main, [*args[:2], "--database-url", live.db.url, *args[2:]], capsys)
    assert code == 1 and words in err and len(err.strip().splitlines()) == 1


def test_sync_mistakes_get_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "x.sqlite")
    code, _, err = _run(cli.main, ["sync", "--db", db], capsys)
    assert code == 1 and "pas inscrit auprès du siège" in err
    code, _, err = _run(cli.main, ["enroll", "--db", db, "--server", "ftp://x", "--code", "ABCD"], capsys)
    assert code == 1 and "Adresse du siège invalide" in err
    code, _, err = _run(cli.main, ["enroll", "--db", db, "--server", "http://127.0.0.1:9", "--code", "ABCD"],
                        capsys)
    assert code == 1 and "injoignable" in err
