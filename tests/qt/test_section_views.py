"""Séances, Plans d'action, Tableau de bord, Synchronisation: what each screen shows for a
small portfolio whose figures are counted by hand, and what Ctrl+P prints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from advisor_app.domain.action_plans import Action, KeyProblem
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enums import (
    ActionStatus,
    AttendanceStatus,
    CommitmentStatus,
    LegalForm,
    PersonRole,
    Segment,
    SessionKind,
)
from advisor_app.domain.sessions import Attendance, CoachingSession, Commitment
from advisor_app.services.database import Database
from advisor_app.services.enrolments import enrol_company
from advisor_app.services.groups import GroupForm, add_member, save_group
from advisor_app.ui.main_window import SECTIONS, MainWindow
from advisor_app.ui.models.rows_table import ALERT, KEY_ROLE
from advisor_app.ui.printing import save_pdf

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


@dataclass
class Portfolio:
    amal: str  # company ids
    nour: str
    group: str
    amal_enrolment: str


def _company(db: Database, name: str, first: str, last: str, arabic: tuple[str, str] = ("", "")
             ) -> tuple[str, str]:
    with db.unit_of_work() as session:
        company = Company(name=name, legal_form=LegalForm.SARL, segment=Segment.TPE,
                          region_code="MA-06", sector_code="AGRO", city="Settat")
        company.people = [Person(role=PersonRole.OWNER, first_name=first, last_name=last,
                                 first_name_ar=arabic[0], last_name_ar=arabic[1])]
        session.add(company)
        session.flush()
        return company.id, company.people[0].id


def _session(session: object, **values: object) -> CoachingSession:
    defaults: dict[str, object] = {"starts_at": dt.time(9), "ends_at": dt.time(12, 30),
                                   "half_days": 1.0, "place": "Chambre de commerce, Settat"}
    row = CoachingSession(**{**defaults, **values})
    session.add(row)  # type: ignore[attr-defined]
    return row


@pytest.fixture
def portfolio(db: Database) -> Portfolio:
    """Two companies in one group: a workshop 10 days ago (Amal present, Nour absent, one open
    commitment), one in 10 days, a visit to Amal 20 days ago (present); Amal's plan has a late
    action (due 30 days ago), one due later and one done."""
    amal, fatima = _company(db, "Atelier Amal", "Fatima", "Zahra", ("فاطمة", "الزهراء"))
    nour, youssef = _company(db, "Boulangerie Nour", "Youssef", "Alami")
    enrolled = TODAY - 60 * DAY
    e_amal = enrol_company(db, company_id=amal, track_code="PERF-CIBLEE", enrolled_on=enrolled)
    e_nour = enrol_company(db, company_id=nour, track_code="PERF-CIBLEE", enrolled_on=enrolled)
    group = save_group(db, GroupForm(id=None, name="Settat Agro G1", track_code="PERF-CIBLEE",
                                     sector_code="AGRO", region_code="MA-06", territory="Settat",
                                     starts_on=enrolled))
    for enrolment in (e_amal, e_nour):
        add_member(db, group_id=group, enrolment_id=enrolment, joined_on=enrolled)
    with db.unit_of_work() as session:
        past = _session(session, kind=SessionKind.GROUP_WORKSHOP, group_id=group,
                        held_on=TODAY - 10 * DAY, title="Atelier stock et trésorerie")
        _session(session, kind=SessionKind.GROUP_WORKSHOP, group_id=group, held_on=TODAY + 10 * DAY,
                 title="Atelier marketing")
        visit = _session(session, kind=SessionKind.INDIVIDUAL_VISIT, enrolment_id=e_amal,
                         held_on=TODAY - 20 * DAY, title="Visite de suivi", starts_at=dt.time(14),
                         ends_at=dt.time(16))
        session.flush()  # type: ignore[attr-defined]
        for row, person, enrolment, status in (
            (past, fatima, e_amal, AttendanceStatus.PRESENT),
            (past, youssef, e_nour, AttendanceStatus.ABSENT),
            (visit, fatima, e_amal, AttendanceStatus.PRESENT),
        ):
            session.add(Attendance(session_id=row.id, person_id=person, enrolment_id=enrolment,
                                   status=status))
        session.add(Commitment(session_id=past.id, enrolment_id=e_amal, person_id=fatima,
                               what="Inventaire mensuel", status=CommitmentStatus.OPEN))
        problem = KeyProblem(enrolment_id=e_amal, axis_code="FIN", title="Trésorerie tendue")
        session.add(problem)
        session.flush()
        for title, due, status in (("Tableau de trésorerie", TODAY - 30 * DAY, ActionStatus.IN_PROGRESS),
                                   ("Relancer les clients", TODAY + 30 * DAY, ActionStatus.NOT_STARTED),
                                   ("Ouvrir un compte pro", TODAY - 40 * DAY, ActionStatus.DONE)):
            session.add(Action(key_problem_id=problem.id, title=title, due_on=due, status=status,
                               owner_person_id=fatima))
    return Portfolio(amal, nour, group, e_amal)


@pytest.fixture
def window(qtbot: QtBot, db: Database, portfolio: Portfolio, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(db, settings)
    qtbot.addWidget(main)
    return main


def _cells(model: object, row: int) -> list[str]:
    from PySide6.QtCore import QAbstractItemModel

    assert isinstance(model, QAbstractItemModel)
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def _pdf_text(path: Path) -> str:
    """The words of the PDF, one space between them (Qt's PDFs space words with tabs)."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def test_navigation_lists_every_section_and_the_menu_has_the_shortcuts(window: MainWindow) -> None:
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "Entreprises", "Groupes", "Séances", "Plans d'action", "Tableau de bord", "Synchronisation"]
    assert len(SECTIONS) == len(window.sections)
    keys = {name: action.shortcut() for name, action in window.menu_actions.items()}
    assert keys["print"] == QKeySequence(QKeySequence.StandardKey.Print)
    assert keys["new"] == QKeySequence(QKeySequence.StandardKey.New)
    assert keys["find"] == QKeySequence(QKeySequence.StandardKey.Find)
    for row, view in enumerate(window.sections):
        window.show_section(row)
        assert window.stack.currentWidget() is view


def test_sessions_upcoming_and_past_with_attendance(qtbot: QtBot, window: MainWindow,
                                                    portfolio: Portfolio) -> None:
    window.show_section(2)
    view = window.sessions
    ModelTester(None).check(view.model)
    assert view.model.rowCount() == 1  # upcoming by default
    assert _cells(view.model, 0)[3] == "Atelier marketing"
    view.period.setCurrentIndex(view.period.findData("past"))
    assert view.count.text() == "2 séance(s)"
    workshop, visit = _cells(view.model, 0), _cells(view.model, 1)  # latest first
    assert workshop[1:] == ["09:00–12:30", "Atelier collectif", "Atelier stock et trésorerie",
                            "Settat Agro G1", "Chambre de commerce, Settat", "1", "1 / 2", "1"]
    assert visit[2:5] == ["Visite individuelle", "Visite de suivi", "Atelier Amal"]
    assert visit[7] == "1 / 1"
    with qtbot.waitSignal(view.open_company) as opened:
        view.table.doubleClicked.emit(view.model.index(1, 0))
    assert opened.args == [portfolio.amal]
    view.table.doubleClicked.emit(view.model.index(0, 0))  # the workshop: its group
    assert window.stack.currentWidget() is window.groups
    assert window.groups.selected_group_id() == portfolio.group


def test_late_actions_come_first_in_red(window: MainWindow, portfolio: Portfolio) -> None:
    window.show_section(3)
    view = window.action_plans
    ModelTester(None).check(view.model)
    assert view.count.text() == "2 action(s), dont 1 en retard"
    late = _cells(view.model, 0)
    assert late[:4] == ["Atelier Amal", "Trésorerie tendue", "Tableau de trésorerie", "Fatima Zahra"]
    assert late[6:] == ["En cours", "0\u202f%", "30 j"]
    assert view.model.data(view.model.index(0, 0), Qt.ItemDataRole.ForegroundRole) == ALERT
    assert view.model.data(view.model.index(1, 0), Qt.ItemDataRole.ForegroundRole) is None
    assert view.model.data(view.model.index(0, 0), KEY_ROLE) == portfolio.amal
    view.scope.setCurrentIndex(view.scope.findData("late"))
    assert view.model.rowCount() == 1
    view.scope.setCurrentIndex(view.scope.findData("all"))
    assert view.model.rowCount() == 3


def test_dashboard_figures_match_the_portfolio(window: MainWindow) -> None:
    window.show_section(4)
    board = window.dashboard.board
    assert board is not None
    figures = {key: fig.value.text() for key, fig in window.dashboard.figures.items()}
    assert figures == {
        "companies": "2", "active_groups": "1", "active_members": "2",
        "sessions_last_30_days": "2", "sessions_next_30_days": "1",
        # the workshop 10 days ago and the visit 20 days ago, unless the year began since
        "collective_half_days_this_year": "1" if (TODAY - 10 * DAY).year == TODAY.year else "0",
        "individual_half_days_this_year": "1" if (TODAY - 20 * DAY).year == TODAY.year else "0",
        "attendance_rate_90_days": "67\u202f%",  # present, absent, present
        "open_actions": "2", "late_actions": "1", "done_actions": "1",
        "initial_diagnostics": "0", "final_diagnostics": "0"}
    bars = dict(window.dashboard.stages.bars())
    assert bars["Inscrite"] == 0 and sum(bars.values()) == 2
    assert bars[next(s.label for s in board.by_stage if s.companies)] == 2


def test_sync_screen_counts_changes_waiting_per_kind(window: MainWindow) -> None:
    window.show_section(5)
    view = window.sync
    ModelTester(None).check(view.pending_model)
    status = view.status
    assert status is not None and status.hq_url is None
    assert "inscrit auprès d'aucun siège" in view.enrolment.text()
    pending = {_cells(view.pending_model, r)[0]: int(_cells(view.pending_model, r)[1])
               for r in range(view.pending_model.rowCount())}
    assert pending["Entreprises"] == 2 and pending["Séances"] == 3 and pending["Émargements"] == 3
    assert pending["Actions"] == 3 and pending["Engagements"] == 1
    assert view.pending_box.title() == f"Changements à envoyer : {sum(pending.values())}"
    assert view.conflict_model.rowCount() == 0


def test_views_not_shown_reload_when_shown_after_a_change(window: MainWindow, db: Database) -> None:
    window.show_section(3)
    assert window.action_plans.model.rowCount() == 2
    window.show_section(0)
    with db.unit_of_work() as session:
        action = session.query(Action).filter_by(title="Relancer les clients").one()
        action.status = ActionStatus.DONE
    window.data_changed()
    assert window.action_plans.model.rowCount() == 2  # not shown: not reloaded yet
    window.show_section(3)
    assert window.action_plans.model.rowCount() == 1


@pytest.mark.parametrize("section", range(len(SECTIONS)))
def test_every_section_prints_what_it_shows(window: MainWindow, tmp_path: Path, section: int) -> None:
    window.show_section(section)
    pdf = tmp_path / "print.pdf"
    save_pdf(window.current_printable(), pdf)
    text = _pdf_text(pdf)
    expected = {0: ["Entreprises", "Atelier Amal", "Boulangerie Nour", "2 entreprise(s)."],
                1: ["Groupes", "Settat Agro G1", "Atelier Amal"],
                2: ["Séances", "Atelier marketing"],
                3: ["Plans d'action", "Tableau de trésorerie", "30 j"],
                4: ["Tableau de bord", "Actions en retard", "Entreprises par étape"],
                5: ["Synchronisation", "Changements à envoyer", "Émargements"]}[section]
    for words in expected:
        assert words in text, f"{words!r} not printed:\n{text}"
    assert "Imprimé le " + TODAY.strftime("%d/%m/%Y") in text


def test_company_page_prints_its_tabs_with_arabic_names(window: MainWindow, db: Database,
                                                         portfolio: Portfolio, tmp_path: Path) -> None:
    window.open_company(portfolio.amal)
    printable = window.current_printable()
    assert printable.title == "Atelier Amal"
    headings = [s.heading for s in printable.sections]
    assert headings == ["Personnes", "Parcours", "Groupes", "Diagnostics", "Plan d'action", "Séances",
                        "Historique", "Suivi"]
    people, plan = printable.sections[0], printable.sections[4]
    assert people.rtl_columns == (2,) and people.rows[0][1:3] == ["Fatima Zahra", "فاطمة الزهراء"]
    assert [plan.rows[r][1] for r in plan.alert_rows] == ["Tableau de trésorerie"]
    pdf = tmp_path / "company.pdf"
    save_pdf(printable, pdf)
    assert "Trésorerie tendue" in _pdf_text(pdf)
