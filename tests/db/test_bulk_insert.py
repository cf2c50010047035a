"""A large pulled page of companies writes the companies list in one statement instead of
one trigger run per company (``sync.bulk_insert``): the list, the search and the trigger
afterwards must be exactly as if the trigger had run for each."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enums import PersonRole
from advisor_app.services.companies import CompanyFilter, search_companies
from advisor_app.services.database import Database, open_database
from advisor_app.sync import bulk_insert
from advisor_app.sync.local_apply import remote

NAMES = ["Huilerie Béni Amir", "Coopérative Œillet", "Atelier Zéphyr", "Boulangerie Étoile", "Garage Atlas"]


def _companies(count: int) -> list[dict[str, Any]]:
    return [{"id": f"c{n:04d}", "name": f"{NAMES[n % len(NAMES)]} {n}", "legal_form": "sarl",
             "segment": "tpe", "region_code": "MA-06", "sector_code": None,
             "city": "Sétif" if n % 2 else "Settat", "address": "",
             "ice": f"{n:015d}", "phone": f"+2126000{n:05d}", "email": "", "notes": "", "row_version": 1,
             "updated_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "created_on": dt.date(2020, 1, 1),
             "employees": n % 40, "scope_region": "MA-06",
             "deleted_at": dt.datetime(2026, 1, 2, tzinfo=dt.UTC) if n % 50 == 7 else None}
            for n in range(count)]


def _listing(db: Database) -> list[tuple[Any, ...]]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(
            "SELECT company_id, name, name_key, city, city_key, region_name, ice, phones, people, stage "
            "FROM company_listing ORDER BY company_id"))]


def _trigger_sql(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = ?", (bulk_insert.TRIGGER,)).scalar()


@pytest.fixture
def twin(db_path: Path, tmp_path: Path) -> Database:
    copy = tmp_path / "twin.sqlite"
    shutil.copyfile(db_path, copy)
    return open_database(copy)


def test_bulk_listing_equals_the_trigger_row_by_row(db: Database, twin: Database) -> None:
    rows = _companies(250)
    trigger_before = _trigger_sql(db)
    with db.sessions() as session, session.begin():
        bulk_insert.insert_companies(remote(session), Company, rows)
    with twin.sessions() as session, session.begin():
        remote(session).execute(insert(Company), rows)  # the trigger, once per company
    try:
        assert len(_listing(db)) == 245  # the 5 deleted ones are not listed
        assert _listing(db) == _listing(twin)
        assert _trigger_sql(db) == trigger_before  # put back as the migration made it
        # the search index followed, accents folded
        found = search_companies(db, filter=CompanyFilter(text="etoile 3"))
        assert [c.name for c in found][:1] == ["Boulangerie Étoile 3"]
        assert ({c.id for c in search_companies(db, filter=CompanyFilter(text="setif"), limit=500)}
                == {c.id for c in search_companies(twin, filter=CompanyFilter(text="setif"), limit=500)})
        # and the trigger works again for the next company, and for its people
        with db.sessions() as session, session.begin():
            session.add(Company(id="late", name="Menuiserie Tardive", legal_form="sarl", segment="tpe",
                                region_code="MA-06", city="Settat", address="", notes="",
                                created_on=dt.date(2020, 1, 1), scope_region="MA-06"))
            session.add(Person(company_id="c0001", role=PersonRole.OWNER, first_name="Fatima",
                               last_name="Zahra", first_name_ar="فاطمة", last_name_ar="الزهراء",
                               scope_region="MA-06"))
        late = search_companies(db, filter=CompanyFilter(text="tardive"))
        assert [c.name for c in late] == ["Menuiserie Tardive"]
        assert [c.id for c in search_companies(db, filter=CompanyFilter(text="fatima"))] == ["c0001"]
    finally:
        twin.close()


def test_a_failed_bulk_insert_leaves_nothing_and_the_trigger_in_place(db: Database, twin: Database) -> None:
    twin.close()
    rows = _companies(150)
    rows[120]["id"] = rows[3]["id"]  # a duplicate key: the insert fails half-way
    trigger_before = _trigger_sql(db)
    with pytest.raises(IntegrityError), db.sessions() as session, session.begin():
        bulk_insert.insert_companies(remote(session), Company, rows)
    assert _trigger_sql(db) == trigger_before
    assert _listing(db) == []
    with db.sessions() as session:
        assert session.scalars(select(Company.id)).all() == []


def test_a_small_page_uses_the_trigger(db: Database, twin: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    twin.close()
    dropped: list[str] = []
    monkeypatch.setattr(bulk_insert, "_trigger_statement",
                        lambda session: dropped.append("asked") or None)  # type: ignore[func-returns-value]
    rows = _companies(bulk_insert.BULK_MIN - 1)
    with db.sessions() as session, session.begin():
        bulk_insert.insert_companies(remote(session), Company, rows)
    assert dropped == []
    assert len(_listing(db)) == len([r for r in rows if r["deleted_at"] is None])
