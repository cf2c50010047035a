"""``advisor-app import companies``: the report on stdout, the exit codes, nothing written by
--dry-run, one French line and exit code 2 for a file it cannot read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from advisor_app.cli import main
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.local import SyncOutbox
from advisor_app.services.database import open_database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def _counts(path: Path) -> tuple[int, int, int]:
    db = open_database(path)
    try:
        with db.sessions() as session:
            return tuple(session.scalar(select(func.count()).select_from(m)) or 0  # type: ignore[return-value]
                         for m in (Company, Person, SyncOutbox))
    finally:
        db.close()


def test_dry_run_prints_the_report_and_writes_nothing(db_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import", "companies", str(FIXTURES / "entreprises_libreoffice.xlsx"), "--db", str(db_path),
                 "--dry-run"])
    out = capsys.readouterr().out
    assert code == 1  # rows were refused
    assert "En-têtes en ligne 3 ; 7 ligne(s) de données." in out
    assert "  F N° ICE → ICE (ice)" in out
    assert "Ligne 8, colonne A (Raison sociale) : erreur : Ce champ est obligatoire : Raison sociale." in out
    assert "Ligne 10, colonne J (Date de création) : erreur : Date impossible : « 31/02/2020 »." in out
    assert "Ligne 9 : doublon de Ligne 4 du fichier (même nom et même téléphone) → fusionner" in out
    assert "Simulation : 4 ligne(s) importable(s), 3 refusée(s), 1 doublon(s) ; rien n'a été écrit." in out
    assert _counts(db_path) == (0, 0, 0)


def test_import_writes_the_accepted_rows(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import", "companies", str(FIXTURES / "entreprises_cp1252.csv"), "--db", str(db_path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "encodage cp1252, séparateur « ; »" in out
    assert ("Import terminé : 3 entreprise(s) créée(s), 1 complétée(s), 0 ignorée(s), "
            "3 ligne(s) refusée(s)") in out
    assert _counts(db_path) == (3, 4, 7)
    # the same file again: every row is a duplicate of what is now saved, merged by default
    assert main(["import", "companies", str(FIXTURES / "entreprises_cp1252.csv"), "--db", str(db_path),
                 "--duplicates", "skip"]) == 1
    assert "0 entreprise(s) créée(s), 0 complétée(s), 4 ignorée(s)" in capsys.readouterr().out
    assert _counts(db_path) == (3, 4, 7)


def test_clean_file_exits_0_and_columns_can_be_forced(db_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "contacts_utf8_bom.csv"
    assert main(["import", "companies", str(path), "--db", str(db_path), "--column", "Région=-"]) == 0
    out = capsys.readouterr().out
    assert "  C Région → ignorée" in out
    assert "2 entreprise(s) créée(s)" in out
    db = open_database(db_path)
    try:
        with db.sessions() as session:
            # no region column: Tétouan's region comes from its city
            rows = session.execute(select(Company.city, Company.region_code))
            regions = {city: code for city, code in rows}
    finally:
        db.close()
    assert regions == {"Tétouan": "MA-01", "Ifrane": "MA-03"}


@pytest.mark.parametrize(("args", "message"), [
    (["missing.xlsx"], "Fichier introuvable"),
    (["contacts_utf8_bom.csv", "--column", "Région=pays"], "--column « Région=pays »"),
    (["contacts_utf8_bom.csv", "--column", "Pays=city"], "pas de colonne « Pays »"),
    (["entreprises_libreoffice.xlsx", "--sheet", "Feuil2"], "pas de feuille « Feuil2 »"),
])
def test_errors_exit_2_with_one_french_line(db_path: Path, args: list[str], message: str) -> None:
    file, *rest = args
    done = subprocess.run([sys.executable, "-m", "advisor_app", "import", "companies", str(FIXTURES / file),
                           "--db", str(db_path), *rest], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
