"""Files that are not ours, or are newer than the app, are refused and left untouched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from advisor_app.services.database import device_id, open_database
from advisor_app.services.errors import UserError
from advisor_app.storage import migrate


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_text_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("liste des entreprises\n", encoding="utf-8")
    before = _digest(path)
    with pytest.raises(UserError, match="n'est pas une base de données SQLite"):
        open_database(path)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    before = _digest(path)
    with pytest.raises(UserError, match="n'appartient pas à Mowakaba"):
        open_database(path)
    assert _digest(path) == before


def test_database_from_a_newer_app_is_refused_untouched(template_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    shutil.copyfile(template_db, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.close()
    before = _digest(path)
    with pytest.raises(UserError, match=r"version plus récente de Mowakaba \(schéma 0099\)"):
        open_database(path)
    assert _digest(path) == before
    assert not path.with_name(path.name + "-wal").exists()


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="est un dossier"):
        open_database(tmp_path)


def test_new_file_in_new_folder_is_created_with_a_stable_device_id(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "mowakaba.sqlite"
    db = open_database(path)
    first = device_id(db)
    db.close()
    db = open_database(path)
    assert device_id(db) == first
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    db.close()
