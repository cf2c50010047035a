"""A group session entered through the dialogs, as an advisor would: the session with a
commitment, its attendance sheet ("all present", a late arrival, an excuse), a correction
(a new row superseding the old one), the next session closing the commitment; then the
Séances screen's actions (sheet to PDF and to the printer, deletion, advisor filter)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enums import AttendanceStatus, CommitmentStatus, LegalForm, PersonRole, Segment
from advisor_app.domain.reference import Advisor
from advisor_app.domain.sessions import Attendance, CoachingSession, Commitment
from advisor_app.services.database import Database
from advisor_app.services.enrolments import enrol_company
from advisor_app.services.groups import GroupForm, add_member, save_group
from advisor_app.ui.dialogs.attendance_dialog import AttendanceDialog
from advisor_app.ui.dialogs.session_dialog import SessionDialog
from advisor_app.ui.printing import paint_pdf
from advisor_app.ui.views.company_page import CompanyPage
from advisor_app.ui.views.sessions_view import SessionsView

D, T = dt.date, dt.time


@dataclass
class Group:
    id: str
    people: dict[str, str]  # first name -> person id
    enrolments: dict[str, str]  # company name -> enrolment id


@pytest.fixture
def group(db: Database) -> Group:
    group_id = save_group(db, GroupForm(id=None, name="Settat · Agro · G1", track_code="PERF-CIBLEE",
                                        sector_code="AGRO", region_code="MA-06", starts_on=D(2025, 1, 6)))
    people: dict[str, str] = {}
    enrolments: dict[str, str] = {}
    for name, owner, pilot in (("Atelier Amal", "Fatima", "Youssef"), ("Boulangerie Nour", "Karim", "Salma")):
        with db.unit_of_work() as session:
            company = Company(name=name, legal_form=LegalForm.SARL, segment=Segment.TPE,
                              region_code="MA-06", city="Settat")
            company.people = [Person(role=PersonRole.OWNER, first_name=owner, last_name=name.split()[-1],
                                     first_name_ar="فاطمة" if owner == "Fatima" else ""),
                              Person(role=PersonRole.PILOT, first_name=pilot, last_name=name.split()[-1])]
            session.add(company)
            session.flush()
            people.update({p.first_name: p.id for p in company.people})
            company_id = company.id
        enrolments[name] = enrol_company(db, company_id=company_id, track_code="PERF-CIBLEE",
                                         enrolled_on=D(2025, 1, 2))
        add_member(db, group_id=group_id, enrolment_id=enrolments[name], joined_on=D(2025, 1, 6))
    return Group(group_id, people, enrolments)


def _new_session(qtbot: QtBot, db: Database, group: Group, day: QDate) -> SessionDialog:
    dialog = SessionDialog(db, group_id=group.id)
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("Calculer son coût de revient")
    dialog.held_on.setDate(day)
    dialog.starts_at.setTime(QTime(9, 0))
    dialog.ends_at.setTime(QTime(16, 30))
    dialog.place.setText("Chambre de commerce, Settat")
    dialog.facilitators.setText("Samira Alaoui")
    dialog.topics.setPlainText("Coût complet\nMarge")
    return dialog


def _row(dialog: AttendanceDialog, first_name: str) -> int:
    return next(r for r, p in enumerate(dialog.sheet.participants) if p.full_name.startswith(first_name))


def test_a_group_session_with_its_attendance_and_a_correction(qtbot: QtBot, db: Database,
                                                             group: Group) -> None:
    dialog = _new_session(qtbot, db, group, QDate(2025, 3, 11))
    assert dialog.targets.currentWidget() is dialog.group and not dialog.target_type.isEnabled()
    assert "7 h 30 : 2 demi-journée(s) collective" in dialog.half_days.text()
    assert dialog.budgets.rowCount() == 2 and dialog.budgets.item(0, 5).text() == "6"  # 8 - 2
    row = dialog.taken.add_row()
    dialog.taken.set_who(row, group.people["Fatima"])
    dialog.taken.what_edit(row).setText("Calculer le coût de revient de trois produits")
    dialog.taken.set_due(row, D(2025, 3, 25))
    dialog.taken.add_row()  # left empty: ignored
    assert dialog.save(), dialog.general_error.text()
    with db.sessions() as session:
        saved = session.get(CoachingSession, dialog.saved_id)
        assert saved is not None
        assert (saved.group_id, saved.held_on, saved.starts_at, saved.ends_at, saved.half_days) == (
            group.id, D(2025, 3, 11), T(9), T(16, 30), 2.0)
        assert (saved.title, saved.place, saved.topics) == (
            "Calculer son coût de revient", "Chambre de commerce, Settat", "Coût complet\nMarge")
        [pledge] = session.scalars(select(Commitment)).all()
        assert (pledge.person_id, pledge.enrolment_id, pledge.due_on, pledge.status) == (
            group.people["Fatima"], group.enrolments["Atelier Amal"], D(2025, 3, 25), CommitmentStatus.OPEN)
    session_id = dialog.saved_id
    assert session_id is not None

    sheet = AttendanceDialog(db, session_id)
    qtbot.addWidget(sheet)
    assert [p.full_name for p in sheet.sheet.participants] == [
        "Fatima Amal", "Youssef Amal", "Karim Nour", "Salma Nour"]
    assert sheet.table.item(0, 2).text() == "فاطمة"
    assert all(box.currentText() == "—" for box in sheet.status_boxes)
    qtbot.mouseClick(sheet.all_present, Qt.MouseButton.LeftButton)
    sheet.set_status(_row(sheet, "Fatima"), AttendanceStatus.LATE.value, T(9, 40))
    sheet.set_status(_row(sheet, "Salma"), AttendanceStatus.EXCUSED.value)
    sheet.notes[_row(sheet, "Salma")].setText("Malade")
    assert sheet.counts.text() == "3 présent(s) sur 4, 0 non renseigné(s)"
    assert not sheet.arrivals[_row(sheet, "Karim")].isVisibleTo(sheet)
    assert sheet.save(), sheet.error.text()
    with db.sessions() as session:
        rows = {a.person_id: a for a in session.scalars(select(Attendance))}
    assert {p: (a.status, a.arrived_at, a.note) for p, a in rows.items()} == {
        group.people["Fatima"]: (AttendanceStatus.LATE, T(9, 40), ""),
        group.people["Youssef"]: (AttendanceStatus.PRESENT, None, ""),
        group.people["Karim"]: (AttendanceStatus.PRESENT, None, ""),
        group.people["Salma"]: (AttendanceStatus.EXCUSED, None, "Malade")}
    assert all(a.supersedes_id is None and a.session_id == session_id for a in rows.values())

    # Salma came after all: a correction, recorded as a new row
    again = AttendanceDialog(db, session_id)
    qtbot.addWidget(again)
    salma = _row(again, "Salma")
    assert again.status_boxes[salma].currentText() == "Excusé(e)"
    assert again.status_boxes[salma].findData("") == -1  # a recorded entry cannot be blanked
    again.set_status(salma, AttendanceStatus.PRESENT.value)
    again.notes[salma].setText("")
    assert again.save(), again.error.text()
    assert again.outcome is not None and (again.outcome.recorded, again.outcome.corrected) == (0, 1)
    with db.sessions() as session:
        salma_rows = session.scalars(select(Attendance).where(
            Attendance.person_id == group.people["Salma"])).all()
        assert len(session.scalars(select(Attendance)).all()) == 5
    old, new = sorted(salma_rows, key=lambda a: a.supersedes_id is not None)
    assert (old.status, old.note, new.status, new.supersedes_id) == (
        AttendanceStatus.EXCUSED, "Malade", AttendanceStatus.PRESENT, old.id)
    third = AttendanceDialog(db, session_id)
    qtbot.addWidget(third)
    assert third.table.item(_row(third, "Salma"), 7).text() == "1"  # one correction


def test_the_next_session_reviews_and_closes_the_commitment(qtbot: QtBot, db: Database,
                                                           group: Group) -> None:
    first = _new_session(qtbot, db, group, QDate(2025, 3, 11))
    row = first.taken.add_row()
    first.taken.what_edit(row).setText("Compter le stock chaque semaine")
    assert first.save() is False  # who?
    assert first.commitment_error.text() == "Engagement 1 : indiquez qui s'engage."
    assert first.tabs.currentIndex() == 1
    first.taken.set_who(row, group.people["Karim"])
    assert first.save(), first.general_error.text()

    nxt = _new_session(qtbot, db, group, QDate(2025, 3, 25))
    assert nxt.open_notice.text() == (
        "1 engagement(s) ouvert(s) des séances précédentes, à revoir en début de séance.")
    assert nxt.tabs.tabText(1) == "Engagements (1 à revoir)"
    assert [(r.who, r.what) for r in nxt.reviews.rows] == [("Karim Nour", "Compter le stock chaque semaine")]
    nxt.review_button.click()
    assert nxt.tabs.currentIndex() == 1
    box = nxt.reviews.status_boxes[0]
    box.setCurrentIndex(box.findData(CommitmentStatus.DONE.value))
    nxt.starts_at.setTime(QTime(14, 0))
    nxt.ends_at.setTime(QTime(17, 0))
    assert nxt.save(), nxt.general_error.text()
    with db.sessions() as session:
        [pledge] = session.scalars(select(Commitment)).all()
        assert (pledge.status, pledge.closed_in_session_id, pledge.closed_on) == (
            CommitmentStatus.DONE, nxt.saved_id, D(2025, 3, 25))
    after = _new_session(qtbot, db, group, QDate(2025, 4, 8))
    assert after.reviews.rowCount() == 0 and not after.open_notice.isVisibleTo(after)


def test_errors_are_shown_at_their_field_and_nothing_is_saved(qtbot: QtBot, db: Database,
                                                              group: Group) -> None:
    dialog = _new_session(qtbot, db, group, QDate(2024, 12, 2))
    dialog.ends_at.setTime(QTime(8, 0))
    assert dialog.half_days.text() == "l'heure de fin doit suivre l'heure de début"
    assert dialog.save() is False
    assert dialog.errors["times"].text() == "L'heure de fin doit suivre l'heure de début."
    assert dialog.errors["held_on"].text() == "La séance précède le démarrage du groupe (le 06/01/2025)."
    assert dialog.errors["kind"].isHidden()
    with db.sessions() as session:
        assert session.scalars(select(CoachingSession)).all() == []


def test_a_visit_through_the_dialog(qtbot: QtBot, db: Database, group: Group) -> None:
    page = CompanyPage(db)
    qtbot.addWidget(page)
    with db.sessions() as session:
        nour = session.scalars(select(Company.id).where(Company.name == "Boulangerie Nour")).one()
    page.show_company(nour)
    assert page.visit_button.isEnabled()  # opens the same dialog for its running enrolment
    dialog = SessionDialog(db)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("individual_visit"))
    assert dialog.targets.currentWidget() is dialog.company and not dialog.target_type.isEnabled()
    dialog.company.setCurrentIndex(dialog.company.findData(group.enrolments["Boulangerie Nour"]))
    dialog.held_on.setDate(QDate(2025, 2, 4))
    dialog.starts_at.setTime(QTime(14, 30))
    dialog.ends_at.setTime(QTime(17, 30))
    assert "3 h : 1 demi-journée(s) individuelle" in dialog.half_days.text()
    assert [dialog.budgets.item(0, c).text() for c in (0, 1, 4, 5)] == ["Boulangerie Nour", "8", "8", "7"]
    assert dialog.save(), dialog.general_error.text()
    with db.sessions() as session:
        visit = session.get(CoachingSession, dialog.saved_id)
        assert visit is not None
        assert (visit.kind, visit.group_id, visit.enrolment_id, visit.half_days) == (
            "individual_visit", None, group.enrolments["Boulangerie Nour"], 1.0)
    sheet = AttendanceDialog(db, visit.id)
    qtbot.addWidget(sheet)
    assert [p.full_name for p in sheet.sheet.participants] == ["Karim Nour", "Salma Nour"]


def test_the_sessions_screen_acts_on_the_selected_session(qtbot: QtBot, db: Database, group: Group,
                                                          tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    with db.unit_of_work() as session:
        session.add(Advisor(id="a-samira", name="Samira Alaoui", email="s@x.ma", region_code="MA-06"))
    first = _new_session(qtbot, db, group, QDate(2025, 3, 11))
    first.advisor.setCurrentIndex(first.advisor.findData("a-samira"))
    assert first.save()
    second = _new_session(qtbot, db, group, QDate(2025, 3, 25))
    assert second.save()
    view = SessionsView(db)
    qtbot.addWidget(view)
    assert not view.attendance_button.isEnabled()
    view.period.setCurrentIndex(view.period.findData("past"))
    assert view.model.rowCount() == 2
    assert [view.advisor.itemText(i) for i in range(view.advisor.count())] == [
        "Tous les conseillers", "Samira Alaoui"]
    view.advisor.setCurrentIndex(1)
    assert [view.model.data(view.model.index(r, 0)) for r in range(view.model.rowCount())] == ["11/03/2025"]
    view.advisor.setCurrentIndex(0)
    assert first.saved_id and second.saved_id
    assert view.select_session(first.saved_id) and view.attendance_button.isEnabled()

    pdf = tmp_path / "feuille"
    assert view.write_sheet(first.saved_id, pdf)
    written = tmp_path / "feuille.pdf"
    assert "Calculer son coût de revient" in PdfReader(written).pages[0].extract_text()
    assert view.message.text() == f"Feuille d'émargement enregistrée : {written}"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(150)
    assert paint_pdf(printer, written) == 1
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 1

    monkeypatch.setattr(view, "confirm_delete", lambda s: True)
    view.select_session(second.saved_id)
    view.delete_session()
    assert view.message.text() == "Séance supprimée." and view.model.rowCount() == 1
    with db.sessions() as session:
        assert session.get(CoachingSession, second.saved_id).deleted_at is not None  # type: ignore[union-attr]
