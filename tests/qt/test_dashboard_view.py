"""The advisor's dashboard on a portfolio counted by hand: the flow figures, lead times
(median and 85th percentile), weekly completions, groups' diagnostic progress and targets
match the database; a click on a bar, a row or a figure lists the right companies, and a
double click there opens the company."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from advisor_app.domain.action_plans import Action, KeyProblem
from advisor_app.domain.companies import Company
from advisor_app.domain.diagnostics import Diagnostic, DiagnosticAnswer
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership, StageTransition
from advisor_app.domain.enums import (
    ActionStatus,
    DiagnosticKind,
    DiagnosticStatus,
    LegalForm,
    Segment,
    Stage,
)
from advisor_app.domain.questionnaires import Questionnaire, QuestionnaireAxis, QuestionnaireItem
from advisor_app.services.database import Database
from advisor_app.ui.views.dashboard_view import DashboardView
from advisor_app.ui.widgets.charts import HAVE_QTCHARTS, ClickableBars

TODAY = dt.date.today()
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def noon(days_ago: int) -> dt.datetime:
    return dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(12), tzinfo=dt.UTC)


@dataclass
class Portfolio:
    amal: str  # company ids
    nour: str
    group: str


def _portfolio(db: Database) -> Portfolio:
    """Amal: registered 30 days ago, diagnosed 20 days ago, in "Groupe Settat" since 10 days
    ago, an action 5 days late, initial diagnostic 1 and 2 out of 4 (37.5 %), final 3 and 4
    (87.5 %). Nour: registered 30 days ago, completed 3 days ago."""
    with db.unit_of_work() as session:
        questionnaire = session.scalars(select(Questionnaire)).first()
        assert questionnaire is not None
        items = list(session.scalars(
            select(QuestionnaireItem.id)
            .join(QuestionnaireAxis, QuestionnaireAxis.id == QuestionnaireItem.axis_id)
            .where(QuestionnaireAxis.questionnaire_id == questionnaire.id).limit(2)))
        ids = []
        for name, history in (("Amal Couture", [(Stage.REGISTERED, 30), (Stage.DIAGNOSED, 20),
                                                (Stage.IN_GROUP, 10)]),
                              ("Nour Bio", [(Stage.REGISTERED, 30), (Stage.COMPLETED, 3)])):
            company = Company(name=name, legal_form=LegalForm.SARL, segment=Segment.TPE,
                              region_code="MA-06", sector_code="AGRO", city="Settat")
            session.add(company)
            session.flush()
            enrolment = Enrolment(company_id=company.id, track_code="PERF-CIBLEE", stage=history[-1][0],
                                  stage_changed_at=noon(history[-1][1]),
                                  enrolled_on=TODAY - dt.timedelta(days=30))
            session.add(enrolment)
            session.flush()
            previous = None
            for stage, days_ago in history:
                session.add(StageTransition(enrolment_id=enrolment.id, from_stage=previous, to_stage=stage,
                                            at=noon(days_ago)))
                previous = stage
            ids.append((company.id, enrolment.id))
        (amal, amal_enrolment), (nour, _) = ids
        group = CoachingGroup(name="Groupe Settat", track_code="PERF-CIBLEE", region_code="MA-06")
        session.add(group)
        session.flush()
        session.add(GroupMembership(group_id=group.id, enrolment_id=amal_enrolment,
                                    joined_on=TODAY - dt.timedelta(days=10)))
        for kind, scores, days_ago in ((DiagnosticKind.INITIAL, (1, 2), 20),
                                       (DiagnosticKind.FINAL, (3, 4), 1)):
            diagnostic = Diagnostic(enrolment_id=amal_enrolment, questionnaire_id=questionnaire.id,
                                    kind=kind, status=DiagnosticStatus.VALIDATED,
                                    conducted_on=TODAY - dt.timedelta(days=days_ago),
                                    validated_at=noon(days_ago))
            session.add(diagnostic)
            session.flush()
            for item, score in zip(items, scores, strict=True):
                session.add(DiagnosticAnswer(diagnostic_id=diagnostic.id, item_id=item, advisor_score=score))
        problem = KeyProblem(enrolment_id=amal_enrolment, axis_code="ORG", title="Stocks")
        session.add(problem)
        session.flush()
        session.add(Action(key_problem_id=problem.id, title="Inventaire", status=ActionStatus.IN_PROGRESS,
                           due_on=TODAY - dt.timedelta(days=5)))
        return Portfolio(amal, nour, group.id)


@pytest.fixture
def view(db: Database, qtbot: QtBot) -> tuple[DashboardView, Portfolio]:
    portfolio = _portfolio(db)
    widget = DashboardView(db)
    qtbot.addWidget(widget)
    widget.resize(1100, 900)
    return widget, portfolio


def _names(widget: DashboardView) -> list[str]:
    dialog = widget.companies_dialog
    assert dialog is not None
    return [dialog.model.data(dialog.model.index(r, 0)) for r in range(dialog.model.rowCount())]


def test_flow_figures_match_the_database(view: tuple[DashboardView, Portfolio]) -> None:
    widget, _ = view
    figures = {key: figure.value.text() for key, figure in widget.flow_figures.items()}
    assert figures["wip"] == "1" and figures["completed_in_weeks"] == "1"
    assert figures["total_lead_median"] == "27" and figures["total_lead_p85"] == "27"
    assert figures["overdue_companies"] == "1" and figures["over_budget"] == "0"
    assert figures["half_days"] == "0 / 16"  # two Performance ciblée enrolments of 8 half-days
    rows = {widget.stage_model.row_at(r).key: widget.stage_model.row_at(r).cells  # type: ignore[union-attr]
            for r in range(widget.stage_model.rowCount())}
    # registered: Amal 10 days, Nour 27 days -> median 18.5, 85th percentile 10 + 0.85 x 17 = 24.45
    assert rows["registered"][1:] == ("0", "—", "—", "18,5", "24,4", "2")
    assert rows["diagnosed"][4:] == ("10", "10", "1")
    assert rows["in_group"][1:3] == ("1", "10,5")  # since noon 10 days ago, to the end of today
    assert rows["completed"][1] == "1"
    assert widget.lead_chart.values(0)[:2] == [18.5, 10.0] and widget.lead_chart.values(1)[0] == 24.4
    assert sum(widget.week_chart.values()) == 1
    group = widget.group_model.row_at(0)
    assert group is not None
    # Groupe Settat: one member, initial 1.5 / 4 = 37.5 % (shown 38), final 3.5 / 4 = 87.5 % (88), +50 pts
    assert group.cells == ("Groupe Settat", "1", "—", "0 / 8", "38\u202f%", "88\u202f%", "+50 pts")
    targets = {widget.target_model.row_at(r).key: widget.target_model.row_at(r).cells  # type: ignore[union-attr]
               for r in range(widget.target_model.rowCount())}
    enrolled = "2" if (TODAY - dt.timedelta(days=30)).year == TODAY.year else "0"
    assert targets["enrolments"][1:3] == ("160", enrolled)  # MA-06 in resources/targets.toml


def test_click_through_lists_the_companies_and_opens_one(
        view: tuple[DashboardView, Portfolio], qtbot: QtBot) -> None:
    widget, portfolio = view
    assert HAVE_QTCHARTS
    board = widget.board
    assert board is not None
    in_group = next(i for i, s in enumerate(board.by_stage) if s.stage == "in_group")
    widget.show()
    qtbot.waitExposed(widget)
    widget.stages.ensurePolished()
    stages = widget.stages
    assert isinstance(stages, ClickableBars)
    QTest.mouseClick(stages.viewport(), Qt.MouseButton.LeftButton, pos=stages.bar_center(in_group))
    assert _names(widget) == ["Amal Couture"]

    week = next(i for i, v in enumerate(widget.week_chart.values()) if v)
    weeks = widget.week_chart
    assert isinstance(weeks, ClickableBars)
    QTest.mouseClick(weeks.viewport(), Qt.MouseButton.LeftButton, pos=weeks.bar_center(week))
    assert _names(widget) == ["Nour Bio"]

    widget.group_table.activated.emit(widget.group_model.index(0, 0))
    assert _names(widget) == ["Amal Couture"]
    stage_row = next(r for r in range(widget.stage_model.rowCount())
                     if widget.stage_model.row_at(r).key == "completed")  # type: ignore[union-attr]
    widget.stage_table.activated.emit(widget.stage_model.index(stage_row, 0))
    assert _names(widget) == ["Nour Bio"]

    overdue = widget.flow_figures["overdue_companies"]
    QTest.mouseClick(overdue, Qt.MouseButton.LeftButton)
    assert _names(widget) == ["Amal Couture"]
    assert widget.flow_figures["over_budget"].on_click is None  # nothing behind a zero
    QTest.mouseClick(widget.figures["late_actions"], Qt.MouseButton.LeftButton)
    assert _names(widget) == ["Amal Couture"]

    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / "dashboard_view.png"))
    dialog = widget.companies_dialog
    assert dialog is not None
    dialog.grab().save(str(SHOTS / "dashboard_companies.png"))
    with qtbot.waitSignal(widget.open_company) as opened:
        dialog.table.activated.emit(dialog.model.index(0, 0))
    assert opened.args == [portfolio.amal]
    assert not dialog.isVisible()


def test_the_printed_dashboard_has_the_flow_tables(view: tuple[DashboardView, Portfolio]) -> None:
    widget, _ = view
    printable = widget.printable()
    sections = {s.heading: s for s in printable.sections}
    groups = sections["Groupes : assiduité, demi-journées et progrès au diagnostic"]
    assert groups.rows == [["Groupe Settat", "1", "—", "0 / 8", "38\u202f%", "88\u202f%", "+50 pts"]]
    assert ["Délai total médian (jours)", "27"] in sections[""].rows
