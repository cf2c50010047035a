"""The headless CLI: each subcommand works, explains itself, and fails in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor_app.cli import main
from advisor_app.storage.migrate import head_revision

SUBCOMMANDS = ["init", "demo", "stats"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor_app", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("sub", [*SUBCOMMANDS, None])
def test_help(sub: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([sub, "--help"] if sub else ["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--db" in out
    if sub == "demo":
        assert "--companies" in out and "--seed" in out


def test_init_then_stats_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new" / "base.sqlite"
    assert main(["init", "--db", str(path)]) == 0
    assert "Base prête" in capsys.readouterr().out
    assert main(["stats", "--db", str(path), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["tables"]["region"] == 12
    assert stats["tables"]["questionnaire_item"] == 32
    assert stats["tables"]["company"] == 0
    assert stats["outbox_pending"] == 0
    assert stats["conflicts_open"] == 0
    assert stats["schema_revision"] == head_revision()


def test_demo_then_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(path), "--companies", "12", "--seed", "3"]) == 0
    capsys.readouterr()
    assert main(["stats", "--db", str(path), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["tables"]["company"] == 12
    assert stats["tables"]["attendance"] > 0
    assert stats["demo_data"] is True
    # a second demo into the same base is refused with a reason, data untouched
    assert main(["demo", "--db", str(path), "--companies", "5"]) == 1
    assert "déjà des entreprises" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["demo", "--companies", "zero"], "--companies : nombre entier attendu"),
        (["demo", "--companies", "0"], "--companies : nombre entre 1 et 200 000 attendu"),
        (["demo", "--companies", "5"], "la démo demande --db CHEMIN"),
        (["demo", "--db", "x.sqlite", "--companies", "5", "--as-of", "9999-12-31"],
         "date entre 2000 et 2100 attendue"),
        (["demo"], "arguments obligatoires manquants : --companies"),
        (["demo", "--companies", "3", "--as-of", "22/11/2026"], "date AAAA-MM-JJ attendue"),
        (["stats", "--frobnicate"], "arguments inconnus : --frobnicate"),
        (["explode"], "choix invalide"),
    ],
)
def test_bad_arguments_fail_in_one_line(
    args: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert len(err.strip().splitlines()) == 1


def test_bad_files_fail_in_one_line_without_traceback(tmp_path: Path) -> None:
    text_file = tmp_path / "budget.xlsx"
    text_file.write_bytes(b"PK\x03\x04 not a database")
    result = _run("init", "--db", str(text_file))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"advisor-app : « {text_file} » n'est pas une base de données SQLite ; "
        "le fichier n'a pas été modifié."
    ]
    assert text_file.read_bytes() == b"PK\x03\x04 not a database"

    missing = _run("stats", "--db", str(tmp_path / "absent.sqlite"))
    assert missing.returncode == 1
    assert "Traceback" not in missing.stderr
    assert missing.stderr.startswith("advisor-app : Base introuvable")


def test_db_may_come_before_or_after_the_subcommand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "order.sqlite"
    assert main(["--db", str(path), "init"]) == 0
    assert str(path) in capsys.readouterr().out
    assert main(["--db", str(path), "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["database"] == str(path)
