"""The desktop's sync services without HQ: a conflict resolved with a typed value (French
writing, checked like HQ's values, recorded in the outbox), values worded for the advisor,
failures worded from their kind, "il y a 5 min", forgetting the laptop keeps the changes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from advisor_app.domain.companies import Company
from advisor_app.domain.enums import LegalForm, Segment
from advisor_app.domain.local import LocalSetting, SyncConflict, SyncOutbox
from advisor_app.services import sync_conflicts, sync_device, sync_status
from advisor_app.services.database import Database, device_id, set_setting
from advisor_app.services.errors import UserError
from advisor_app.services.sync_service import progress_text
from advisor_app.sync import credentials, device_key

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def _company_in_conflict(db: Database, field: str, mine: object, theirs: object) -> tuple[str, int]:
    with db.unit_of_work() as session:
        company = Company(name="Atelier Amal", legal_form=LegalForm.SARL, segment=Segment.TPE,
                          region_code="MA-06", city="Settat", employees=4)
        session.add(company)
        session.flush()
        conflict = SyncConflict(table_name="company", row_id=company.id, field=field, local_value=mine,
                                remote_value=theirs, winner="remote")
        session.add(conflict)
        session.flush()
        return company.id, conflict.id


def _outbox(db: Database, row_id: str) -> list[dict[str, object]]:
    with db.sessions() as session:
        return [e.changed for e in session.scalars(
            select(SyncOutbox).where(SyncOutbox.row_id == row_id).order_by(SyncOutbox.seq))]


def test_a_typed_number_in_french_writing_resolves_and_goes_to_the_outbox(db: Database) -> None:
    company, conflict = _company_in_conflict(db, "employees", 5, 7)
    [row] = sync_conflicts.list_conflicts(db)
    assert (row.row_label, row.field_label, row.mine_text, row.theirs_text, row.kept) == (
        "Atelier Amal", "Effectif", "5", "7", "theirs")
    with pytest.raises(UserError, match="Valeur invalide pour ce champ : « six »"):
        sync_conflicts.resolve_conflict(db, conflict, "edit", value="six")
    assert sync_conflicts.list_conflicts(db)  # still open: nothing decided
    done = sync_conflicts.resolve_conflict(db, conflict, "edit", value=" 6 ")
    assert done.resolution == "edit" and not sync_conflicts.list_conflicts(db)
    with db.sessions() as session:
        assert session.get(Company, company).employees == 6  # type: ignore[union-attr]
    assert _outbox(db, company)[-1] == {"employees": 6}
    with pytest.raises(UserError, match="déjà résolu"):
        sync_conflicts.resolve_conflict(db, conflict, "mine")


def test_a_deletion_cannot_be_typed_and_reads_plainly(db: Database) -> None:
    _, conflict = _company_in_conflict(db, "deleted_at", None, "2026-11-20T09:30:00+00:00")
    [row] = sync_conflicts.list_conflicts(db)
    assert row.mine_text == "Gardé (non supprimé)" and row.theirs_text.startswith("Supprimé le 20/11/2026")
    assert not row.editable
    with pytest.raises(UserError, match="ne se modifie pas ici"):
        sync_conflicts.resolve_conflict(db, conflict, "edit", value="x")


def test_failures_ages_and_progress_are_worded_for_the_advisor() -> None:
    assert sync_status.failure_short("unreachable") == "Siège injoignable"
    assert "révoqué par le siège" in sync_status.failure_text("unauthorized")
    assert "trop ancienne" in sync_status.failure_text("upgrade")
    refused = sync_status.failure_text("refused", detail="Code inconnu")
    assert refused == "Le siège a refusé la demande : Code inconnu"
    assert sync_status.ago_text(None) == "jamais"
    assert sync_status.ago_text(NOW - dt.timedelta(seconds=20), NOW) == "à l'instant"
    assert sync_status.ago_text(NOW - dt.timedelta(minutes=5, seconds=30), NOW) == "il y a 5 min"
    assert sync_status.ago_text(NOW - dt.timedelta(hours=3), NOW) == "il y a 3 h"
    assert sync_status.ago_text(NOW - dt.timedelta(days=2), NOW).startswith("le 21/11/2026")
    assert progress_text("Envoi de 12 changement(s)…") == "Envoi de 12 changement(s) au siège…"
    assert progress_text("40 ligne(s) reçue(s) du siège…") == "40 ligne(s) reçue(s) du siège…"


@pytest.mark.parametrize("url", ["", "siege.example.ma", "ftp://siege", "http://", "http://a b.ma",
                                 "http://siege:port"])
def test_bad_hq_addresses_are_refused_before_any_request(url: str) -> None:
    with pytest.raises(UserError, match="Adresse du siège invalide"):
        sync_device.check_server(url)


def test_forgetting_the_laptop_keeps_its_changes_and_its_data(db: Database) -> None:
    company, _ = _company_in_conflict(db, "city", "Fès", "Meknès")
    with db.unit_of_work() as session:
        for key, value in (("hq_url", "http://siege"), ("hq_device_id", "d1"), ("auto_sync_minutes", "30")):
            set_setting(session, key, value)
    credentials.save_token(device_id(db), "secret")
    device_key.save_private_key(device_id(db), device_key.new_private_key())
    assert sync_status.overview(db).auto_sync_minutes == 30
    assert sync_device.forget_device(db) == 1
    overview = sync_status.overview(db)
    assert (overview.hq_url, overview.pending, overview.auto_sync_minutes) == (None, 1, 0)
    assert credentials.load_token(device_id(db)) is None
    assert device_key.load_private_key(device_id(db)) is None  # the signing key goes too
    with db.sessions() as session:
        assert session.get(Company, company) is not None
        assert session.get(LocalSetting, "hq_device_id") is None
