"""An action plan entered through the company page's "Plan d'action" tab and its dialogs:
a key problem from the diagnostic's proposal, an action owned by the company's pilot (late,
so red in the tab, the page's summary and the portfolio's actions list), an indicator with
two readings (a bad number refused at the field first); the plan saved as PDF."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from advisor_app.domain.action_plans import Action, Indicator, IndicatorReading, KeyProblem
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enums import LegalForm, PersonRole, Segment
from advisor_app.services.database import Database
from advisor_app.services.diagnostics import AnswerInput, current_questionnaire, save_diagnostic
from advisor_app.services.enrolments import enrol_company
from advisor_app.ui.dialogs.action_dialog import ActionDialog
from advisor_app.ui.dialogs.indicator_dialog import IndicatorDialog
from advisor_app.ui.dialogs.key_problem_dialog import KeyProblemDialog
from advisor_app.ui.models.rows_table import ALERT
from advisor_app.ui.views import plan_tab
from advisor_app.ui.views.actions_view import ActionsView
from advisor_app.ui.views.companies_view import CompaniesView
from advisor_app.ui.views.company_page import CompanyPage
from advisor_app.ui.views.plan_tab import ACTION, INDICATOR, PROBLEM

SHOTS = os.environ.get("MOWAKABA_SHOTS")
TODAY = dt.date.today()


@pytest.fixture
def company(db: Database) -> tuple[str, str, str]:
    """(company id, enrolment id, pilot id), with a validated T0 whose weakest axis is the 4th."""
    with db.unit_of_work() as session:
        row = Company(
            name="Atelier Amal", legal_form=LegalForm.SARL, segment=Segment.TPE, region_code="MA-06"
        )
        row.people = [
            Person(role=PersonRole.OWNER, first_name="Fatima", last_name="Amal"),
            Person(role=PersonRole.PILOT, first_name="Youssef", last_name="Amal"),
        ]
        session.add(row)
        session.flush()
        company_id, pilot = row.id, row.people[1].id
    enrolment = enrol_company(
        db, company_id=company_id, track_code="PERF-CIBLEE", enrolled_on=dt.date(2025, 1, 2)
    )
    q = current_questionnaire(db)
    answers = {
        i.id: AnswerInput(0 if n == 3 else 3, 0 if n == 3 else 3, 3 if i.code.endswith("2") else 2)
        for n, a in enumerate(q.axes)
        for i in a.items
    }
    save_diagnostic(
        db,
        enrolment_id=enrolment,
        diagnostic_id=None,
        kind="initial",
        conducted_on=dt.date(2025, 1, 15),
        answers=answers,
        validate=True,
    )
    return company_id, enrolment, pilot


def _cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


def _select(page: CompanyPage, kind: str, index: int = 0) -> None:
    rows = [r for r, key in enumerate(page.plan_tab.keys) if key[0] == kind]
    page.plan_tab.table.selectRow(rows[index])


def test_plan_through_the_dialogs(
    qtbot: QtBot, db: Database, company: tuple[str, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    company_id, _, pilot = company
    page = CompanyPage(db)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show_company(company_id)
    tab = page.plan_tab
    # a key problem, starting from the diagnostic's proposal (the weakest axis, its top item)
    dialog = tab.problem_dialog()
    assert isinstance(dialog, KeyProblemDialog)
    qtbot.addWidget(dialog)
    fourth = current_questionnaire(db).axes[3]
    assert dialog.axis.currentData() == fourth.code and dialog.item.currentData() == fourth.items[1].code
    assert dialog.title_edit.text() == fourth.label
    dialog.title_edit.setText("Prix de vente fixés sans calcul de coût")
    dialog.root_cause.setPlainText("Coût de revient inconnu")
    dialog.objective.setPlainText("Marge brute de 30 %")
    dialog.target_on.setDate(QDate(2025, 9, 30))
    if SHOTS:
        dialog.grab().save(f"{SHOTS}/key_problem_dialog.png")
    assert dialog.save(), dialog.error.text()
    tab.reload()
    with db.sessions() as session:
        problem = session.scalars(select(KeyProblem)).one()
        assert (problem.axis_code, problem.item_code, problem.root_cause, problem.target_on) == (
            fourth.code,
            fourth.items[1].code,
            "Coût de revient inconnu",
            dt.date(2025, 9, 30),
        )
        assert problem.diagnostic_id is not None
    # an action owned by the pilot, due yesterday: late
    _select(page, PROBLEM)
    action = tab.child_dialog(ACTION, problem.id)
    assert isinstance(action, ActionDialog)
    qtbot.addWidget(action)
    action.title_edit.setText("Calculer le coût de trois produits")
    action.owner.setCurrentIndex(action.owner.findData(pilot))
    action.starts_on.setDate(QDate(2025, 2, 1))
    action.due_on.setDate(QDate.currentDate().addDays(-3))
    action.status.setCurrentIndex(action.status.findData("in_progress"))
    action.progress.setValue(40)
    assert action.save(), action.error.text()
    with db.sessions() as session:
        row = session.scalars(select(Action)).one()
        assert (row.owner_person_id, row.status, row.progress) == (pilot, "in_progress", 40)
        assert row.due_on == TODAY - dt.timedelta(days=3)
    # an indicator: a bad number is refused at the field, then two readings
    indicator = tab.child_dialog(INDICATOR, problem.id)
    assert isinstance(indicator, IndicatorDialog)
    qtbot.addWidget(indicator)
    indicator.name.setText("Marge brute")
    indicator.unit.setText("%")
    indicator.baseline.setText("18,5")
    indicator.baseline_on.setDate(QDate(2025, 1, 15))
    indicator.target.setText("trente")
    assert not indicator.save()
    assert "Valeur cible : « trente » n'est pas un nombre." in indicator.error.text()
    indicator.target.setText("30")
    indicator.target_on.setDate(QDate(2025, 9, 30))
    for day, value in ((QDate(2025, 3, 31), "21,5"), (QDate(2025, 5, 31), "24")):
        r = indicator.readings.add_row(None)
        indicator.readings.date_at(r).setDate(day)
        indicator.readings.line(r, 1).setText(value)
    indicator.readings.line(0, 2).setText("premier trimestre")
    if SHOTS:
        indicator.grab().save(f"{SHOTS}/indicator_dialog.png")
    assert indicator.save(), indicator.error.text()
    with db.sessions() as session:
        ind = session.scalars(select(Indicator)).one()
        assert (ind.name, ind.unit, ind.kind, ind.baseline_value, ind.target_value) == (
            "Marge brute",
            "%",
            "result",
            18.5,
            30.0,
        )
        readings = session.scalars(select(IndicatorReading).order_by(IndicatorReading.read_on)).all()
        assert [(r.read_on, r.value, r.note) for r in readings] == [
            (dt.date(2025, 3, 31), 21.5, "premier trimestre"),
            (dt.date(2025, 5, 31), 24.0, ""),
        ]
    # reopened: the readings are there; the first one removed
    tab.reload()
    again = tab.child_dialog(INDICATOR, problem.id, ind.id)
    assert isinstance(again, IndicatorDialog)
    qtbot.addWidget(again)
    assert again.baseline.text() == "18,5" and again.readings.table.rowCount() == 2
    again.readings.table.selectRow(0)
    again.readings.remove_button.click()
    assert again.save(), again.error.text()
    with db.sessions() as session:
        live = session.scalars(select(IndicatorReading).where(IndicatorReading.deleted_at.is_(None))).all()
        assert [(r.read_on, r.value) for r in live] == [(dt.date(2025, 5, 31), 24.0)]
    # the page: the late action in red with its delay, counted in the tab's title and summary
    page.show_company(company_id)
    _select(page, ACTION)
    current = tab.table.currentRow()
    assert _cell(tab.table, current, 5).text() == "En cours — en retard de 3 j"
    assert _cell(tab.table, current, 1).foreground().color() == ALERT
    assert page.tabs.tabBar().tabTextColor(page.tabs.indexOf(tab)) == ALERT
    assert "1 action(s) en retard" in page.summary.text()
    # Performance ciblée treats one key problem: no second one offered
    assert "(parcours : 1 problème clé)" in tab.summary.text() and not tab.problem_button.isEnabled()
    indicator_row = next(r for r, key in enumerate(tab.keys) if key[0] == INDICATOR)
    assert _cell(tab.table, indicator_row, 5).text() == "Dernière mesure : 24 % (31/05/2025)"
    if SHOTS:
        page.tabs.setCurrentWidget(tab)
        page.grab().save(f"{SHOTS}/plan_tab.png")
    # the portfolio's actions list shows it late, in red
    actions = ActionsView(db)
    qtbot.addWidget(actions)
    first = actions.model.row_at(0)
    assert actions.model.rowCount() == 1 and first is not None and first.alert
    # the companies list marks the company: red name and a red mark, the count in the tooltip
    listing = CompaniesView(db)
    qtbot.addWidget(listing)
    name = listing.model.index(0, 0)
    assert listing.model.data(name) == "Atelier Amal"
    assert listing.model.data(name, Qt.ItemDataRole.DecorationRole) == ALERT
    assert listing.model.data(name, Qt.ItemDataRole.ToolTipRole) == "Atelier Amal : 1 action(s) en retard"
    # printed: the plan goes to the print dialog as a PDF the app wrote
    printed: list[tuple[str, str]] = []

    def fake_print(path: Path, title: str, parent: object = None) -> bool:
        printed.append((title, " ".join(p.extract_text() for p in PdfReader(path).pages)))
        return True

    monkeypatch.setattr(plan_tab, "print_pdf_file", fake_print)
    tab.print_button.click()
    assert printed and printed[0][0] == "Plan d'action" and "Marge brute" in printed[0][1]
    # the plan as PDF
    assert tab.write_plan(tmp_path / "plan.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "plan.pdf").pages)
    assert "Calculer le coût de trois produits" in text and "Youssef Amal" in text
    assert "en retard de 3 j" in text and "31/05/2025 : 24 %" in text


def test_validating_the_plan_checks_it_stamps_it_and_moves_the_stage(
        qtbot: QtBot, db: Database, company: tuple[str, str, str]) -> None:
    from advisor_app.domain.enrolments import Enrolment
    from advisor_app.services import action_plans

    company_id, enrolment_id, pilot = company
    page = CompanyPage(db)
    qtbot.addWidget(page)
    page.show_company(company_id)
    tab = page.plan_tab
    assert not tab.validate_button.isEnabled()  # no key problem yet
    axis = current_questionnaire(db).axes[3].code
    problem_id = action_plans.save_key_problem(db, action_plans.ProblemForm(
        enrolment_id=enrolment_id, axis_code=axis, title="Prix fixés sans calcul de coût"))
    tab.reload()
    assert tab.validate_button.isEnabled()
    assert not tab.validate_plan()  # no objective, no action: refused with the reason
    assert "n'a pas encore d'objectif" in tab.message.text()
    action_plans.save_key_problem(db, action_plans.ProblemForm(
        enrolment_id=enrolment_id, axis_code=axis, title="Prix fixés sans calcul de coût",
        objective="Marge brute de 30 %", id=problem_id))
    assert not tab.validate_plan()
    assert "n'a pas encore d'action" in tab.message.text()
    action_plans.save_action(db, action_plans.ActionForm(
        key_problem_id=problem_id, title="Calculer le coût de trois produits", owner_id=pilot))
    with db.sessions() as session:
        assert session.get(Enrolment, enrolment_id).stage == "diagnosed"
    assert tab.validate_plan(), tab.message.text()
    with db.sessions() as session:
        assert session.get(KeyProblem, problem_id).validated_at is not None
        assert session.get(Enrolment, enrolment_id).stage == "plan_validated"
    assert "plan validé le" in tab.summary.text()
    assert not tab.validate_button.isEnabled()
