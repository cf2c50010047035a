"""Programme operations dialogs filled and accepted, rows asserted in the database: the
enrolment shows the track's financing, the payment, a complaint then its handling and
closing, the satisfaction survey at the end of the track; the company page's "Suivi" tab
reaches them; the dashboard shows the operations figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from advisor_app.domain.companies import Company
from advisor_app.domain.enums import LegalForm, Segment
from advisor_app.domain.programme_ops import (
    Complaint,
    ComplaintStatus,
    ContributionPayment,
    PaymentStatus,
    SatisfactionSurvey,
)
from advisor_app.services import enrolments
from advisor_app.services import programme_ops as ops
from advisor_app.services.database import Database
from advisor_app.ui.dialogs.complaint_dialog import ComplaintDialog
from advisor_app.ui.dialogs.complaint_handling_dialog import ComplaintHandlingDialog
from advisor_app.ui.dialogs.enrol_dialog import EnrolDialog
from advisor_app.ui.dialogs.payment_dialog import PaymentDialog
from advisor_app.ui.dialogs.survey_dialog import SurveyDialog
from advisor_app.ui.views.company_page import CompanyPage
from advisor_app.ui.views.dashboard_view import DashboardView

TODAY = dt.date.today()
AGO = TODAY - dt.timedelta(days=10)
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _enrolled(db: Database) -> tuple[str, str]:
    with db.unit_of_work() as session:
        company = Company(name="Huilerie Atlas", legal_form=LegalForm.SARL, segment=Segment.TPE,
                          region_code="MA-05", city="Béni Mellal")
        session.add(company)
        session.flush()
        company_id = company.id
    return company_id, enrolments.enrol_company(db, company_id=company_id, track_code="PERF-CIBLEE",
                                                enrolled_on=AGO)


def test_enrol_dialog_shows_the_track_financing(qtbot: QtBot, db: Database) -> None:
    with db.unit_of_work() as session:
        company = Company(name="Atlas", legal_form=LegalForm.SARL, segment=Segment.TPE, region_code="MA-05")
        session.add(company)
    dialog = EnrolDialog(db, company.id)
    qtbot.addWidget(dialog)
    dialog.track.setCurrentIndex(dialog.track.findData("PERF-CIBLEE"))
    assert "participation de l'entreprise 2\u202f440\u202fMAD" in dialog.financing.text()
    dialog.track.setCurrentIndex(dialog.track.findData("PERF-APPROFONDIE"))
    assert "subvention publique 8\u202f000\u202fMAD" in dialog.financing.text()


def test_payment_dialog(qtbot: QtBot, db: Database) -> None:
    _company_id, eid = _enrolled(db)
    dialog = PaymentDialog(db, ops.financing_of(db, eid), "Huilerie Atlas")
    qtbot.addWidget(dialog)
    dialog.received.setValue(1200)
    assert dialog.save() is False  # an amount needs the date it was received
    assert "date" in dialog.error.text()
    dialog.received_on.setDate(_qdate(AGO))
    assert dialog.save(), dialog.error.text()
    with db.sessions() as session:
        payment = session.scalars(select(ContributionPayment)).one()
        assert (payment.enrolment_id, payment.status, payment.amount_received, payment.received_on) == (
            eid, PaymentStatus.PARTIAL, 1200, AGO)


def test_complaint_recorded_then_closed(qtbot: QtBot, db: Database) -> None:
    _company_id, eid = _enrolled(db)
    dialog = ComplaintDialog(db, eid, "Huilerie Atlas")
    qtbot.addWidget(dialog)
    dialog.received_on.setDate(_qdate(AGO))
    dialog.details.setPlainText("Deux séances annulées sans prévenir")
    assert dialog.save() is False and "motif" in dialog.error.text()
    dialog.reason.setCurrentIndex(dialog.reason.findData("organisation"))
    assert dialog.save(), dialog.error.text()
    [row] = ops.complaints_of_company(db, _company_id)
    handle = ComplaintHandlingDialog(db, row)
    qtbot.addWidget(handle)
    handle.closed.setChecked(True)
    handle.closed_on.setDate(_qdate(AGO + dt.timedelta(days=3)))
    assert handle.save() is False and "traitement" in handle.error.text()
    handle.handling.setPlainText("Planning envoyé chaque lundi")
    assert handle.save(), handle.error.text()
    with db.sessions() as session:
        c = session.scalars(select(Complaint)).one()
        assert (c.reason, c.details, c.handling, c.status, c.closed_on) == (
            "organisation", "Deux séances annulées sans prévenir", "Planning envoyé chaque lundi",
            ComplaintStatus.CLOSED, AGO + dt.timedelta(days=3))


def test_survey_dialog_at_the_end_of_the_track(qtbot: QtBot, db: Database) -> None:
    _company_id, eid = _enrolled(db)
    enrolments.move_stage(db, enrolment_id=eid, target="completed")
    dialog = SurveyDialog(db, eid, "Huilerie Atlas")
    qtbot.addWidget(dialog)
    assert dialog.save() is False and "1 à 5" in dialog.error.text()
    dialog.scores.button(4).setChecked(True)
    dialog.comment.setPlainText("Des outils simples, utiles tout de suite")
    assert dialog.save(), dialog.error.text()
    with db.sessions() as session:
        s = session.scalars(select(SatisfactionSurvey)).one()
        assert (s.enrolment_id, s.score, s.comment, s.answered_on) == (
            eid, 4, "Des outils simples, utiles tout de suite", TODAY)


def test_followup_tab_on_the_company_page(qtbot: QtBot, db: Database) -> None:
    company_id, eid = _enrolled(db)
    ops.record_complaint(db, enrolment_id=eid, received_on=AGO, reason="delay", details="Retard du démarrage")
    page = CompanyPage(db)
    qtbot.addWidget(page)
    page.show_company(company_id)
    tab = page.followup_tab
    assert page.tabs.indexOf(tab) >= 0 and page.tabs.tabText(page.tabs.indexOf(tab)) == "Suivi"
    assert "prix 6\u202f440\u202fMAD" in tab.financing.text() and "À payer" in tab.financing.text()
    assert tab.complaints.rowCount() == 1 and tab.complaints.item(0, 4).text() == "en cours"
    assert tab.payment_button.isEnabled() and not tab.survey_button.isEnabled()
    assert not tab.handle_button.isEnabled()
    tab.complaints.selectRow(0)
    assert tab.handle_button.isEnabled()
    page.tabs.setCurrentWidget(tab)
    page.resize(1000, 700)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.grab().save(str(SHOTS / "company_followup_tab.png"))


def test_dashboard_shows_operations(qtbot: QtBot, db: Database) -> None:
    _company_id, eid = _enrolled(db)
    ops.record_payment(db, enrolment_id=eid, amount_received=2440, received_on=TODAY)
    ops.record_complaint(db, enrolment_id=eid, received_on=AGO, reason="delay", details="x")
    view = DashboardView(db)
    qtbot.addWidget(view)
    panel = view.operations
    assert "prix des parcours 6\u202f440\u202fMAD" in panel.summary.text()
    total = panel.money_model.row_at(panel.money_model.rowCount() - 1)
    assert total is not None and total.cells[-2:] == ("2\u202f440\u202fMAD", "0\u202fMAD")
    rate = panel.quality_model.row_at(0)
    assert rate is not None and rate.cells[1:4] == ("1", "100", "non atteint") and rate.alert
    assert "en attente d'un groupe : 1" in panel.queue.text()
    sections = {s.heading: s for s in view.printable().sections}  # Ctrl+P prints them too
    assert sections["Financement des accompagnements"].rows[-1][0] == "Total"
    assert sections["Réclamations et satisfaction : objectifs et réalisé"].rows[0][2] == "100"
    view.resize(1100, 900)
    SHOTS.mkdir(parents=True, exist_ok=True)
    panel.grab().save(str(SHOTS / "dashboard_operations.png"))
