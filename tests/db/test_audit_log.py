"""The audit log of local changes: one row per changed record, in the same transaction as
the change, with the advisor, the device and the old and new values; read back per company."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from advisor_app.domain.local import AuditEntry, SyncOutbox
from advisor_app.services import audit
from advisor_app.services.companies import PersonForm, empty_company_form, load_company_form, save_company
from advisor_app.services.database import Database


def _company(db: Database, name: str = "Atlas Conserves") -> str:
    form = empty_company_form(db)
    form.name, form.city, form.region_code = name, "Settat", "MA-06"
    form.people = [PersonForm(role="owner", first_name="Amina", last_name="Alaoui", phone="0612345678")]
    return save_company(db, form)


def _entries(db: Database) -> list[AuditEntry]:
    with db.sessions() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_creating_and_editing_a_company_is_logged_with_old_and_new_values(db: Database) -> None:
    company_id = _company(db)
    created = _entries(db)
    assert {(e.table_name, e.op, e.source) for e in created} == {
        ("company", "insert", "local"), ("person", "insert", "local")}
    company_entry = next(e for e in created if e.table_name == "company")
    assert company_entry.row_id == company_id
    assert company_entry.changes["name"] == {"old": None, "new": "Atlas Conserves"}
    assert company_entry.device is not None

    form = load_company_form(db, company_id)
    form.city = "Berrechid"
    save_company(db, form)
    update = _entries(db)[-1]
    assert (update.table_name, update.op) == ("company", "update")
    assert update.changes == {"city": {"old": "Settat", "new": "Berrechid"}}

    history = audit.company_history(db, company_id)
    assert history[0].action == "Modification"
    assert [(c.field, c.old, c.new) for c in history[0].changes] == [("Ville", "Settat", "Berrechid")]
    assert {line.record for line in history[1:]} == {"Entreprise", "Personne : Amina Alaoui"}
    assert history[0].at >= history[-1].at  # newest first


def test_a_failed_transaction_leaves_no_audit_row(db: Database) -> None:
    _company(db)
    before = len(_entries(db))
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        from advisor_app.domain.companies import Company

        row = session.scalars(select(Company)).one()
        row.city = "Khouribga"
        session.flush()
        raise RuntimeError("crash before commit")
    assert len(_entries(db)) == before


def test_every_outbox_row_has_its_audit_row(db: Database) -> None:
    company_id = _company(db)
    form = load_company_form(db, company_id)
    form.people[0].remove = True
    form.people.append(PersonForm(role="owner", first_name="Youssef", last_name="Idrissi"))
    save_company(db, form)
    with db.sessions() as session:
        outbox = session.scalar(select(func.count()).select_from(SyncOutbox))
        logged = session.scalar(select(func.count()).select_from(AuditEntry))
    assert outbox == logged == 4  # company and owner; owner removed (soft delete); new owner
    history = audit.company_history(db, company_id)
    assert "Suppression" in {line.action for line in history}
