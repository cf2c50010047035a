"""Every local change to a synced row writes one outbox row, in the same transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import delete, func, insert, select, update

from advisor_app.domain.base import utcnow
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enums import LegalForm, OutboxOp, PersonRole, Segment
from advisor_app.domain.local import SyncOutbox
from advisor_app.services.database import Database, device_id, open_database
from advisor_app.sync.capture import REMOTE_APPLY, BulkWriteError, HardDeleteError


def _company(**extra: object) -> Company:
    values: dict[str, object] = {
        "name": "Menuiserie Atlas", "legal_form": LegalForm.SARL, "segment": Segment.TPE,
        "region_code": "MA-06", "city": "Settat", "created_on": dt.date(2018, 5, 2),
    }
    values.update(extra)
    return Company(**values)


def _outbox(db: Database) -> list[SyncOutbox]:
    with db.sessions() as session:
        return list(session.scalars(select(SyncOutbox).order_by(SyncOutbox.seq)))


def test_insert_records_every_field_and_stamps_the_row(db: Database) -> None:
    with db.unit_of_work() as session:
        company = _company()
        session.add(company)
    entries = _outbox(db)
    assert [(e.table_name, e.row_id, e.op, e.base_version) for e in entries] == [
        ("company", company.id, OutboxOp.INSERT, 0)
    ]
    changed = entries[0].changed
    assert changed["name"] == "Menuiserie Atlas"
    assert changed["legal_form"] == "sarl"
    assert changed["created_on"] == "2018-05-02"
    assert changed["notes"] == ""  # Python-side defaults are resolved before recording
    assert "row_version" not in changed and "server_seq" not in changed
    assert company.origin_device == device_id(db)
    assert company.updated_at.tzinfo is not None


def test_update_records_only_changed_fields_with_base_version(db: Database) -> None:
    with db.unit_of_work() as session:
        company = _company()
        session.add(company)
    with db.unit_of_work() as session:
        stored = session.get(Company, company.id)
        assert stored is not None
        stored.row_version = 3  # as if HQ had acknowledged three versions
    with db.unit_of_work() as session:
        stored = session.get(Company, company.id)
        assert stored is not None
        stored.phone = "+212522123456"
        stored.city = "Berrechid"
        stored.name = "Menuiserie Atlas"  # same value: not a change
    last = _outbox(db)[-1]
    assert last.op is OutboxOp.UPDATE
    assert last.base_version == 3
    assert last.changed == {"phone": "+212522123456", "city": "Berrechid"}


def test_soft_delete_and_restore(db: Database) -> None:
    with db.unit_of_work() as session:
        company = _company()
        session.add(company)
    with db.unit_of_work() as session:
        stored = session.get(Company, company.id)
        assert stored is not None
        stored.deleted_at = utcnow()
    with db.unit_of_work() as session:
        stored = session.get(Company, company.id)
        assert stored is not None
        stored.deleted_at = None
    assert [e.op for e in _outbox(db)] == [OutboxOp.INSERT, OutboxOp.DELETE, OutboxOp.RESTORE]


def test_hard_delete_is_refused_and_nothing_is_written(db: Database) -> None:
    with db.unit_of_work() as session:
        company = _company()
        session.add(company)
    with pytest.raises(HardDeleteError), db.unit_of_work() as session:
        stored = session.get(Company, company.id)
        session.delete(stored)
    with db.sessions() as session:
        assert session.get(Company, company.id) is not None
    assert len(_outbox(db)) == 1


def test_rolled_back_change_leaves_no_outbox_row(db: Database) -> None:
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        session.add(_company())
        session.flush()
        raise RuntimeError("crash mid-save")
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Company)) == 0
    assert _outbox(db) == []


def test_rows_applied_from_hq_write_no_outbox(db: Database) -> None:
    with db.sessions() as session, session.begin():
        session.info[REMOTE_APPLY] = True
        session.add(_company(row_version=5, server_seq=42))
    assert _outbox(db) == []


def test_parent_and_child_in_one_transaction_parent_first(db: Database) -> None:
    with db.unit_of_work() as session:
        # added child-first on purpose: HQ replays in outbox order, parents must come first
        session.add(Person(role=PersonRole.OWNER, first_name="Khadija", last_name="Bennani",
                           first_name_ar="خديجة", last_name_ar="بناني", company=_company()))
    assert [e.table_name for e in _outbox(db)] == ["company", "person"]
    company = _outbox(db)[0]
    person_entry = next(e for e in _outbox(db) if e.table_name == "person")
    assert person_entry.changed["company_id"] == company.row_id
    assert person_entry.changed["last_name_ar"] == "بناني"


@pytest.mark.parametrize("kind", ["update", "delete", "insert"])
def test_bulk_statements_on_synced_tables_are_refused(db: Database, kind: str) -> None:
    with db.unit_of_work() as session:
        session.add(_company())
    statements = {
        "update": update(Company).values(city="Rabat"),
        "delete": delete(Company),
        "insert": insert(Company).values(name="X", legal_form="sarl", segment="tpe",
                                         region_code="MA-06"),
    }
    with pytest.raises(BulkWriteError), db.unit_of_work() as session:
        session.execute(statements[kind])
    with db.sessions() as session:
        assert session.scalars(select(Company.city)).all() == ["Settat"]
    assert len(_outbox(db)) == 1


def test_capture_does_not_trust_the_event_registry(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLAlchemy's event registry is keyed by id(): a new session factory allocated at the
    address of a garbage-collected one was seen as already listening, and its database
    recorded no change (about 1 in 150). Simulate that registry answer."""
    from sqlalchemy import event

    monkeypatch.setattr(event, "contains", lambda *_args: True)
    database = open_database(db_path)
    try:
        with database.unit_of_work() as session:
            session.add(_company())
        assert [e.op for e in _outbox(database)] == [OutboxOp.INSERT]
    finally:
        database.close()
