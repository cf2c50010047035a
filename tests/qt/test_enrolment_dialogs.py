"""Enrol a company, move it through stages with dated transitions, drop it with a reason."""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, QTime
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from advisor_app.domain.companies import Company
from advisor_app.domain.enrolments import Enrolment, StageTransition
from advisor_app.domain.enums import LegalForm, Segment, Stage
from advisor_app.services import enrolments
from advisor_app.services.database import Database
from advisor_app.ui.dialogs.enrol_dialog import EnrolDialog
from advisor_app.ui.dialogs.stage_dialog import StageDialog
from advisor_app.ui.views.company_page import CompanyPage


def _company(db: Database) -> str:
    with db.unit_of_work() as session:
        company = Company(name="Huilerie Atlas", legal_form=LegalForm.SARL, segment=Segment.TPE,
                          region_code="MA-05", city="Béni Mellal")
        session.add(company)
    return company.id


def test_enrol_then_move_then_drop(qtbot: QtBot, db: Database) -> None:
    company_id = _company(db)
    enrol = EnrolDialog(db, company_id)
    qtbot.addWidget(enrol)
    enrol.track.setCurrentIndex(enrol.track.findData("PERF-APPROFONDIE"))
    enrol.enrolled_on.setDate(QDate(2026, 10, 5))
    assert enrol.save(), enrol.error.text()
    assert enrol.saved_id is not None

    row = enrolments.get_enrolment(db, enrol.saved_id)
    move = StageDialog(db, row)
    qtbot.addWidget(move)
    move.target.setCurrentIndex(move.target.findData(Stage.DIAGNOSED.value))
    move.at.setDateTime(QDateTime(QDate(2026, 10, 20), QTime(10, 30)))
    assert move.save(), move.error.text()

    drop = StageDialog(db, enrolments.get_enrolment(db, enrol.saved_id))
    qtbot.addWidget(drop)
    drop.target.setCurrentIndex(drop.target.findData(Stage.DROPPED.value))
    drop.at.setDateTime(QDateTime(QDate(2026, 11, 3), QTime(9, 0)))
    assert drop.save() is False  # a reason is required to drop
    assert "motif" in drop.error.text()
    drop.reason.setText("Cessation d'activité")
    assert drop.save(), drop.error.text()

    with db.sessions() as session:
        enrolment = session.get(Enrolment, enrol.saved_id)
        assert enrolment is not None
        assert (enrolment.track_code, enrolment.stage, enrolment.drop_reason) == (
            "PERF-APPROFONDIE", Stage.DROPPED, "Cessation d'activité")
        history = session.scalars(select(StageTransition.to_stage)
                                  .where(StageTransition.enrolment_id == enrolment.id)
                                  .order_by(StageTransition.at)).all()
    assert history == [Stage.REGISTERED, Stage.DIAGNOSED, Stage.DROPPED]

    page = CompanyPage(db)
    qtbot.addWidget(page)
    page.show_company(company_id)
    assert page.enrolments.item(0, 1).text() == "Abandonnée"  # type: ignore[union-attr]
    assert "Diagnostiquée" in page.enrolments.item(0, 8).text()  # type: ignore[union-attr]


def test_a_second_open_enrolment_is_refused(qtbot: QtBot, db: Database) -> None:
    company_id = _company(db)
    for expected in (True, False):
        dialog = EnrolDialog(db, company_id)
        qtbot.addWidget(dialog)
        assert dialog.save() is expected
    assert dialog.error.text()
