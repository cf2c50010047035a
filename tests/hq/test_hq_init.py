"""``advisor-hq init`` builds the same schema on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from advisor_app.hq.cli import main
from advisor_app.storage.engine import make_engine, sqlite_url
from advisor_app.storage.migrate import head_revision


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_init_on_sqlite_is_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = sqlite_url(tmp_path / "hq.sqlite")
    assert main(["init", "--database-url", url]) == 0
    assert main(["init", "--database-url", url]) == 0
    assert f"schéma {head_revision()}" in capsys.readouterr().out
    assert {"company", "attendance", "certificate", "sync_outbox"} <= _tables(url)


@pytest.mark.postgres
def test_init_on_postgresql(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--database-url", pg_url]) == 0
    assert f"schéma {head_revision()}" in capsys.readouterr().out
    tables = _tables(pg_url)
    assert {"company", "attendance", "certificate", "alembic_version"} <= tables
    assert not any(t.startswith("company_fts") for t in tables)


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("nonsense", "URL de base invalide"),
        ("sqlite://", "en mémoire ne conserverait rien"),
        ("sqlite:///:memory:", "en mémoire ne conserverait rien"),
        ("mysql://root@127.0.0.1/x", "Base non prise en charge : mysql"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "Impossible d'ouvrir la base"),
    ],
)
def test_bad_urls_fail_in_one_line(url: str, fragment: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--database-url", url]) == 1
    err = capsys.readouterr().err
    assert fragment in err and len(err.strip().splitlines()) == 1
