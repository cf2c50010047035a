"""``advisor-app certificates status|issue|reissue`` on a real database file."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor_app.cli import main
from advisor_app.services.database import open_database
from tests.certificate_scenario import Scenario, build_group, enrol_for_signing


@pytest.fixture
def scenario(db_path: Path) -> Scenario:
    db = open_database(db_path)
    try:
        return build_group(db)
    finally:
        db.close()


def _enrol(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        enrol_for_signing(db)
    finally:
        db.close()


def test_status_then_issue_then_reissue(db_path: Path, scenario: Scenario, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["certificates", "status", "--db", str(db_path), "--group", "Settat · Agro · G1"]) == 0
    out = capsys.readouterr().out
    assert "Boulangerie Nour — Salma Idrissi" in out
    assert "✗ Assiduité d'au moins 80 % — 62 % : présent à 5 séance(s) sur 8." in out
    assert "pas inscrit auprès du siège" in out

    out_dir = tmp_path / "attestations"
    assert main(["certificates", "issue", "--db", str(db_path), "--group", scenario.group_id,
                 "--out", str(out_dir)]) == 2
    assert "pas inscrit auprès du siège" in capsys.readouterr().err
    assert not out_dir.exists()

    _enrol(db_path)
    assert main(["certificates", "issue", "--db", str(db_path), "--group", scenario.group_id,
                 "--out", str(out_dir), "--date", "2026-07-03"]) == 0
    out = capsys.readouterr().out
    assert "2 attestation(s) délivrée(s)" in out
    files = sorted(p.name for p in out_dir.glob("*.pdf"))
    assert len(files) == 2 and all(name.startswith("attestation-ATT-") for name in files)
    number = files[0].removeprefix("attestation-").removesuffix(".pdf")

    assert main(["certificates", "issue", "--db", str(db_path), "--group", scenario.group_id,
                 "--out", str(out_dir)]) == 0
    assert "Aucune attestation à délivrer" in capsys.readouterr().out

    assert main(["certificates", "reissue", number, "--db", str(db_path), "--out", str(out_dir)]) == 0
    assert f"(remplace {number})" in capsys.readouterr().out
    assert len(list(out_dir.glob("*.pdf"))) == 3


def test_bad_input_is_one_line_and_exit_code_2(db_path: Path, scenario: Scenario, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["certificates", "status", "--db", str(db_path), "--group", "nope"]) == 2
    assert capsys.readouterr().err.strip() == (
        "advisor-app : Groupe inconnu : « nope » (identifiant ou nom exact d'un groupe).")
    assert main(["certificates", "key", "--db", str(db_path)]) == 2
    assert "n'est pas inscrit auprès du siège : inscrivez-le d'abord" in capsys.readouterr().err
    _enrol(db_path)
    assert main(["certificates", "key", "--db", str(db_path)]) == 2
    assert "déjà sa clé de signature" in capsys.readouterr().err
    salma = scenario.person("Salma")
    assert main(["certificates", "issue", "--db", str(db_path), "--group", scenario.group_id,
                 "--out", str(tmp_path), "--person", salma]) == 2
    assert "Salma Idrissi ne remplit pas encore les conditions" in capsys.readouterr().err
    assert main(["certificates", "reissue", "ATT-NOPE-00001", "--db", str(db_path),
                 "--out", str(tmp_path)]) == 2
    assert "Attestation inconnue sur cet ordinateur" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["certificates", "issue", "--db", str(db_path), "--group", scenario.group_id])
    assert exit_.value.code == 2
    assert "--out" in capsys.readouterr().err
