"""The company form: filled, saved, rows and outbox checked; messages at the fields."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from advisor_app.domain.companies import Company, Person
from advisor_app.domain.local import SyncOutbox
from advisor_app.services.database import Database
from advisor_app.ui.dialogs.company_dialog import CompanyDialog
from advisor_app.ui.widgets.people_editor import blank_person


def _fill(dialog: CompanyDialog) -> None:
    dialog.name.setText("Menuiserie Atlas")
    dialog.region.setCurrentIndex(dialog.region.findData("MA-06"))
    dialog.sector.setCurrentIndex(dialog.sector.findData("BOIS"))
    dialog.city.setText("Settat")
    dialog.ice.setText("001561191000066")
    dialog.phone.setText("06 12 34 56 78")
    dialog.email.setText("contact@atlas.ma")
    dialog.employees.setText("7")
    row = dialog.people.add_person(blank_person("owner"))
    for field, value in (("first_name", "Khadija"), ("last_name", "Bennani"),
                         ("first_name_ar", "خديجة"), ("last_name_ar", "بناني"),
                         ("phone", "0661234567")):
        dialog.people.set_cell(row, field, value)


def test_new_company_is_saved_with_its_owner(qtbot: QtBot, db: Database) -> None:
    dialog = CompanyDialog(db)
    qtbot.addWidget(dialog)
    _fill(dialog)
    assert dialog.save() is True
    with db.sessions() as session:
        company = session.scalars(select(Company)).one()
        assert (company.name, company.city, company.phone, company.employees) == (
            "Menuiserie Atlas", "Settat", "+212612345678", 7)
        assert company.sector_code == "BOIS" and company.region_code == "MA-06"
        owner = session.scalars(select(Person)).one()
        assert (owner.first_name_ar, owner.last_name_ar, owner.phone) == (
            "خديجة", "بناني", "+212661234567")
        tables = session.scalars(select(SyncOutbox.table_name).order_by(SyncOutbox.seq)).all()
    assert tables == ["company", "person"]
    assert dialog.saved_id == company.id


def test_bad_fields_get_messages_and_nothing_is_written(qtbot: QtBot, db: Database) -> None:
    dialog = CompanyDialog(db)
    qtbot.addWidget(dialog)
    _fill(dialog)
    dialog.ice.setText("12345")
    dialog.phone.setText("12")
    dialog.email.setText("contact@")
    assert dialog.save() is False
    assert dialog.error_text("ice") == "L'ICE doit comporter 15 chiffres (5 saisis)."
    assert dialog.error_text("phone").startswith("Numéro de téléphone invalide")
    assert dialog.error_text("email").startswith("Adresse e-mail invalide")
    with db.sessions() as session:
        assert session.scalars(select(Company)).all() == []
    dialog.ice.setText("001561191000065")  # checksum only: a warning, saving goes on
    dialog.phone.setText("0612345678")
    dialog.email.setText("")
    report = dialog.validate()
    assert report.ok and "clé de contrôle" in dialog.error_text("ice")
    assert dialog.save() is True


def test_editing_changes_only_what_was_changed(qtbot: QtBot, db: Database) -> None:
    first = CompanyDialog(db)
    qtbot.addWidget(first)
    _fill(first)
    assert first.save()
    dialog = CompanyDialog(db, first.saved_id)
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "Menuiserie Atlas"
    assert dialog.people.people()[0].first_name_ar == "خديجة"
    dialog.city.setText("Berrechid")
    assert dialog.save()
    with db.sessions() as session:
        last = session.scalars(select(SyncOutbox).order_by(SyncOutbox.seq.desc())).first()
    assert last is not None and last.changed == {"city": "Berrechid"}


def test_closing_with_unsaved_changes_asks_first(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = CompanyDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Boulangerie")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    monkeypatch.setattr(dialog, "ask_unsaved", lambda: answers.pop(0))
    dialog.reject()
    assert dialog.isVisible()  # "Continuer la saisie": nothing lost
    assert dialog.name.text() == "Boulangerie"
    dialog.reject()
    assert not dialog.isVisible()
