"""Local backups (online backup API), their rotation, and restoring one: from the service and
from ``advisor-app backup`` / ``restore``."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from advisor_app.cli import main
from advisor_app.domain.companies import Company
from advisor_app.services import backup
from advisor_app.services.companies import empty_company_form, save_company
from advisor_app.services.database import Database, open_database
from advisor_app.services.errors import UserError
from advisor_app.storage.migrate import head_revision

OLD_FILE = Path(__file__).with_name("fixtures") / "schema_0001.sqlite"


def _add(db: Database, name: str) -> str:
    form = empty_company_form(db)
    form.name, form.city, form.region_code = name, "Settat", "MA-06"
    return save_company(db, form)


def _names(path: Path) -> set[str]:
    db = open_database(path, load_reference=False)
    try:
        with db.sessions() as session:
            return set(session.scalars(select(Company.name)))
    finally:
        db.close()


def test_backup_is_a_consistent_copy_taken_while_a_write_is_under_way(db: Database) -> None:
    _add(db, "Atlas Conserves")
    with db.unit_of_work() as session:  # a transaction not yet committed is not in the copy
        session.add(Company(name="Pas encore", legal_form="sarl", segment="tpe", region_code="MA-06"))
        session.flush()
        made = backup.backup_now(db)
    assert made.path.parent == db.path.parent / "sauvegardes"
    assert made.path.name.startswith("mowakaba-") and made.size == made.path.stat().st_size
    with sqlite3.connect(made.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert not made.path.with_name(made.path.name + "-wal").exists()
    assert _names(made.path) == {"Atlas Conserves"}
    assert backup.list_backups(db.path) == [made]


def test_rotation_keeps_seven_days_and_four_weeks(db: Database) -> None:
    start = dt.datetime(2026, 9, 1, 9, 0)
    for day in range(60):
        for hour in (0, 8):  # two a day: only the newest of a day is kept
            backup.backup_now(db, now=start + dt.timedelta(days=day, hours=hour))
    kept = [b.taken_at for b in backup.list_backups(db.path)]
    made = sorted((start + dt.timedelta(days=day, hours=8) for day in range(60)), reverse=True)
    daily = made[:7]  # the newest of each of the last seven days
    newest_of_week: dict[tuple[int, int], dt.datetime] = {}
    for moment in made:
        newest_of_week.setdefault(moment.isocalendar()[:2], moment)
    weekly = sorted(newest_of_week.values(), reverse=True)[:4]
    assert kept == sorted(set(daily) | set(weekly), reverse=True)
    assert all(moment.hour == 17 for moment in kept)  # never the earlier one of a day


def test_automatic_backup_only_when_the_last_is_older_than_a_day(db: Database) -> None:
    now = dt.datetime(2026, 11, 20, 8, 0)
    assert backup.backup_if_due(db, now=now) is not None
    assert backup.backup_if_due(db, now=now + dt.timedelta(hours=23)) is None
    assert backup.backup_if_due(db, now=now + dt.timedelta(hours=25)) is not None
    assert len(backup.list_backups(db.path)) == 2


def test_restore_replaces_the_database_and_keeps_the_current_one(db: Database) -> None:
    _add(db, "Atlas Conserves")
    made = backup.backup_now(db)
    _add(db, "Après la sauvegarde")
    db.close()
    done = backup.restore(db.path, made.path)
    assert _names(db.path) == {"Atlas Conserves"}
    assert done.previous_copy is not None
    assert _names(done.previous_copy) == {"Atlas Conserves", "Après la sauvegarde"}


def test_restore_refuses_a_database_another_process_holds_open(db: Database, tmp_path: Path) -> None:
    made = backup.backup_now(db)
    db.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
         "from advisor_app.services.database import open_database\n"
         f"db = open_database(Path({str(db.path)!r}))\nprint('open', flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(UserError, match="ouverte par Mowakaba"):
            backup.restore(db.path, made.path)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    backup.restore(db.path, made.path)  # free again


@pytest.mark.parametrize("content", [b"not a database at all" * 100, b""])
def test_restore_refuses_what_is_not_a_mowakaba_backup(db: Database, tmp_path: Path, content: bytes) -> None:
    _add(db, "Atlas Conserves")
    db.close()
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(content)
    with pytest.raises(UserError):
        backup.restore(db.path, bad)
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(UserError, match="n'appartient pas à Mowakaba"):
        backup.restore(db.path, foreign)
    assert _names(db.path) == {"Atlas Conserves"}


def test_restore_refuses_a_damaged_backup(db: Database, tmp_path: Path) -> None:
    for n in range(200):
        _add(db, f"Entreprise {n:03d} " + "x" * 100)
    made = backup.backup_now(db)
    data = bytearray(made.path.read_bytes())
    for offset in range(len(data) // 2, len(data) // 2 + 4096 * 3):
        data[offset] = 0xA5
    made.path.write_bytes(bytes(data))
    db.close()
    with pytest.raises(UserError):
        backup.restore(db.path, made.path)
    assert len(_names(db.path)) == 200


def test_restore_migrates_an_older_backup(tmp_path: Path, db_path: Path) -> None:
    old = tmp_path / "ancienne.sqlite"
    shutil.copyfile(OLD_FILE, old)
    done = backup.restore(db_path, old)
    assert done.revision == head_revision()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)


def test_cli_backup_and_restore(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add(db, "Atlas Conserves")
    db.close()
    out = tmp_path / "copie.sqlite"
    assert main(["backup", "--db", str(db.path), "--out", str(out)]) == 0
    assert "Sauvegarde écrite" in capsys.readouterr().out
    assert main(["backup", "--db", str(db.path)]) == 0
    assert main(["restore", "--db", str(db.path)]) == 0
    listing = capsys.readouterr().out
    assert "sauvegardes" in listing and "Ko" in listing
    reopened = open_database(db.path)
    _add(reopened, "Plus tard")
    reopened.close()
    assert main(["restore", "--db", str(db.path), "--from", str(out)]) == 0
    assert "Base restaurée" in capsys.readouterr().out
    assert _names(db.path) == {"Atlas Conserves"}
    with sqlite3.connect(db.path) as conn:
        assert conn.execute("SELECT count(*) FROM company").fetchone() == (1,)


def test_cli_restore_errors_are_one_french_line(tmp_path: Path, db_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "advisor_app", "restore", "--db", str(db_path),
                             "--from", str(tmp_path / "absent.sqlite")], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    absent = tmp_path / "absent.sqlite"
    assert result.stderr.strip().splitlines() == [f"advisor-app : Sauvegarde introuvable : {absent}"]


def test_an_encrypted_database_gets_encrypted_backups(db: Database) -> None:
    from advisor_app.storage import encryption

    _add(db, "Atlas Conserves")
    db.close()
    encryption.convert(db.path, None, "phrase secrète 123")
    encrypted = open_database(db.path, passphrase="phrase secrète 123")
    try:
        made = backup.backup_now(encrypted)
        _add(encrypted, "Après la sauvegarde")
    finally:
        encrypted.close()
    assert encryption.is_encrypted(made.path)
    assert b"Atlas Conserves" not in made.path.read_bytes()
    with pytest.raises(UserError, match="phrase secrète"):
        backup.check_backup(made.path, "mauvaise phrase")
    done = backup.restore(db.path, made.path, passphrase="phrase secrète 123")
    assert done.previous_copy is not None and encryption.is_encrypted(done.previous_copy)
    restored = open_database(db.path, passphrase="phrase secrète 123")
    try:
        with restored.sessions() as session:
            assert set(session.scalars(select(Company.name))) == {"Atlas Conserves"}
    finally:
        restored.close()
