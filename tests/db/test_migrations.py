"""Models and migrations never drift; old database files upgrade with their data."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, select, text

from advisor_app.domain.companies import Company
from advisor_app.domain.models import Base
from advisor_app.services.database import open_database
from advisor_app.storage import migrate
from advisor_app.storage.engine import make_engine, sqlite_url

FIXTURES = Path(__file__).with_name("fixtures")


def _diff(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _include}
        )
        return list(compare_metadata(context, Base.metadata))


def _include(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith("company_fts"))


def test_sqlite_migrations_match_models(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "m.sqlite"))
    migrate.upgrade(engine)
    assert _diff(engine) == []
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()


@pytest.mark.postgres
def test_postgresql_migrations_match_models(pg_url: str) -> None:
    engine = make_engine(pg_url)
    migrate.upgrade(engine)
    assert _diff(engine) == []
    # and down again to nothing, then up: revisions are reversible on the HQ database
    config = migrate.alembic_config()
    from alembic import command

    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    with engine.connect() as conn:
        tables = conn.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname='public' "
                 "AND tablename <> 'alembic_version'")
        ).scalar()
    assert tables == 0
    migrate.upgrade(engine)
    assert _diff(engine) == []
    engine.dispose()


def test_a_database_made_by_revision_0001_upgrades_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "schema_0001.sqlite", path)

    db = open_database(path)
    try:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        assert _diff(db.engine) == []
        with db.sessions() as session:
            company = session.scalars(select(Company)).one()
            assert company.name == "Huilerie Béni Amir"
            assert company.people[0].first_name_ar == "فاطمة الزهراء"
            # the search index (0003's listing) covers rows that existed before it, accents aside
            hits = session.execute(
                text("SELECT l.name FROM company_fts_listing f JOIN company_listing l ON l.id = f.rowid "
                     "WHERE company_fts_listing MATCH :q"), {"q": "beni*"}
            ).scalars().all()
            assert hits == ["Huilerie Béni Amir"]
            # 0002's first index, unread since 0003, is gone (0006)
            assert session.execute(text(
                "SELECT count(*) FROM sqlite_master WHERE name LIKE 'company_fts' || '%' "
                "AND name NOT LIKE '%listing%'")).scalar() == 0
            # the pending change recorded under 0001 is still waiting to be pushed
            assert session.execute(text("SELECT count(*) FROM sync_outbox")).scalar() == 1
    finally:
        db.close()
    backups = list(tmp_path.glob("old.avant-mise-a-jour-0001.sqlite"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_search_index_follows_inserts_updates_and_deletes(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO company (id, name, legal_form, segment, region_code, city, address, "
                "notes, row_version, updated_at) VALUES ('c1', 'Café Zéphyr', 'sarl', 'tpe', "
                "'MA-06', 'Settat', '', '', 0, '2026-01-01 00:00:00')"))
            conn.execute(text("UPDATE company SET name = 'Boulangerie Étoile' WHERE id = 'c1'"))

        def search(term: str) -> list[str]:
            with db.engine.connect() as conn:
                found = conn.execute(
                    text("SELECT l.company_id FROM company_fts_listing JOIN company_listing l ON l.id = "
                         "company_fts_listing.rowid WHERE company_fts_listing MATCH :q"), {"q": term})
                return list(found.scalars())

        assert search("etoile") == ["c1"]
        assert search("zephyr") == []
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM company WHERE id = 'c1'"))
        assert search("etoile") == []
    finally:
        db.close()


def test_hq_mutation_records_survive_0010_both_ways(tmp_path: Path) -> None:
    """0010 rebuilds HQ's record of decided mutations without its rowid (SQLite): the
    answers stored before it are still there, after the upgrade and after a downgrade."""
    from alembic import command

    engine = make_engine(sqlite_url(tmp_path / "hq.sqlite"))
    migrate.upgrade(engine, "0009")
    answer = '{"mutation_id":"m1","status":"applied","row_version":1,"server_seq":7}'
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO hq_mutation (mutation_id, device_id, table_name, row_id, result, "
                          "received_at) VALUES ('m1', 'd1', 'company', 'r1', :answer, "
                          "'2026-12-07 10:00:00.000000')"), {"answer": answer})

    def state() -> tuple[list[tuple[object, ...]], str, list[str]]:
        with engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(text("SELECT * FROM hq_mutation"))]
            sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'hq_mutation'")).scalar_one()
            indexes = list(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index' "
                                             "AND tbl_name = 'hq_mutation' AND sql IS NOT NULL")).scalars())
        return rows, sql, indexes

    before = state()
    migrate.upgrade(engine)
    rows, sql, indexes = state()
    assert rows == before[0]
    assert "WITHOUT ROWID" in sql and indexes == []
    assert _diff(engine) == []
    with engine.begin() as conn:
        config = migrate.alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0009")
    rows, sql, indexes = state()
    assert (rows, indexes) == (before[0], before[2]) and "WITHOUT ROWID" not in sql
    engine.dispose()
