"""In English, no screen shows a French text of the catalog: every label, button, title,
placeholder, tooltip, combo item, tab, menu entry, table header and table cell of the main
window (all sections, a company's page) and of the dialogs is walked on a database filled
with demo data. Reference names (regions, sectors, tracks) come in English too.

French is restored after each test (other tests read French texts)."""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from advisor_app import i18n
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership
from advisor_app.domain.reference import ProgrammeTrack, Region, Sector
from advisor_app.services import companies, enrolments
from advisor_app.services.company_detail import company_detail
from advisor_app.services.database import Database
from advisor_app.services.demo import generate_demo
from advisor_app.services.sessions_overview import list_sessions
from advisor_app.services.settings import apply_language
from advisor_app.storage.repositories.company_search import sort_key
from advisor_app.ui.dialogs.add_member_dialog import AddMemberDialog
from advisor_app.ui.dialogs.attendance_dialog import AttendanceDialog
from advisor_app.ui.dialogs.company_dialog import CompanyDialog
from advisor_app.ui.dialogs.enrol_dialog import EnrolDialog
from advisor_app.ui.dialogs.group_dialog import GroupDialog
from advisor_app.ui.dialogs.remove_member_dialog import RemoveMemberDialog
from advisor_app.ui.dialogs.session_dialog import SessionDialog
from advisor_app.ui.dialogs.stage_dialog import StageDialog
from advisor_app.ui.main_window import MainWindow

CATALOG_PATH = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "en.toml"
with CATALOG_PATH.open("rb") as _handle:
    CATALOG: dict[str, str] = tomllib.load(_handle)
# French texts whose English differs: seeing one of them means a tr() is missing.
FRENCH = {key for key, value in CATALOG.items() if key != value}
MAX_ROWS = 300  # cells read per table
# Content, not interface: demo data titles its individual visits so (services/demo_sessions.py).
DEMO_CONTENT = {"Visite individuelle"}
# Placeholders that always receive a number.
NUMBERS = {"count", "n", "number", "total", "min", "max", "maximum", "length", "shown", "late",
           "months", "half_days"}


def _pattern(key: str) -> re.Pattern[str] | None:
    """A regex for a text with placeholders once formatted; None when its fixed part is too
    short to tell (e.g. "{person} : {status}")."""
    parts = list(string.Formatter().parse(key))
    literal = "".join(text for text, _, _, _ in parts)
    if not any(field is not None for _, field, _, _ in parts) or sum(ch.isalpha() for ch in literal) < 4:
        return None
    return re.compile("".join(
        re.escape(text) + ("" if field is None else r"[\d\s.,]+" if field in NUMBERS else ".+?")
        for text, field, _, _ in parts), re.DOTALL)


PATTERNS = [(key, p) for key in FRENCH if (p := _pattern(key)) is not None]


def french_in(text: str, *, data: bool = False) -> str | None:
    """The catalog key ``text`` shows untranslated, if any. ``data``: a table cell, where
    French content typed by advisors (demo data) is expected: only whole texts count."""
    if data and text in DEMO_CONTENT:
        return None
    pieces = {text, *text.split("\n"), *(p.strip() for p in re.split(r" · | — |, | ?: ", text))}
    for piece in pieces:
        if piece in FRENCH:
            return piece
        for key, pattern in PATTERNS:
            if pattern.fullmatch(piece):
                return key
    if not data:
        for key in FRENCH:
            if len(key) >= 12 and "{" not in key and key in text:
                return key
    return None


def _model_texts(view: QAbstractItemView) -> Iterator[tuple[str, bool]]:
    model = view.model()
    if model is None:
        return
    root = QModelIndex()
    try:
        columns = model.columnCount(root)
    except TypeError:  # a list model (QListWidget): one column, columnCount is private
        columns = 1
    for column in range(columns):
        header = model.headerData(column, Qt.Orientation.Horizontal)
        if isinstance(header, str):
            yield header, False
    for row in range(min(model.rowCount(root), MAX_ROWS)):
        for column in range(columns):
            index = model.index(row, column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if isinstance(value, str):
                    yield value, True


def visible_texts(root: QWidget) -> Iterator[tuple[str, str, bool]]:
    """(where, text, is data) of everything ``root`` and its children show."""
    for widget in (root, *root.findChildren(QWidget)):
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        found: list[tuple[str, bool]] = [(widget.toolTip(), False), (widget.accessibleName(), False)]
        if widget.isWindow():
            found.append((widget.windowTitle(), False))
        if isinstance(widget, QLabel):
            found.append((widget.text(), False))
        if isinstance(widget, QAbstractButton):
            found.append((widget.text(), False))
        if isinstance(widget, QGroupBox):
            found.append((widget.title(), False))
        if isinstance(widget, QLineEdit):
            found.append((widget.placeholderText(), False))
        if isinstance(widget, QAbstractSpinBox):
            found.append((widget.specialValueText(), False))
        if isinstance(widget, QComboBox):
            found += [(widget.itemText(i), False) for i in range(widget.count())]
        if isinstance(widget, QTabWidget):
            found += [(widget.tabText(i), False) for i in range(widget.count())]
        if isinstance(widget, QMenu):
            found.append((widget.title(), False))
        if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            found += list(_model_texts(widget))
        found += [(action.text(), False) for action in widget.actions()]
        for text, data in found:
            if text:
                yield where, text, data


def untranslated(root: QWidget) -> list[str]:
    return sorted({f"{where}: {text!r} (key {key!r})" for where, text, data in visible_texts(root)
                   if (key := french_in(text, data=data)) is not None})


@pytest.fixture
def demo_db(db: Database) -> Database:
    generate_demo(db, companies=30, seed=11, as_of=dt.date.today())
    return db


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _check(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    assert untranslated(widget) == []


def _busiest_company(db: Database) -> str:
    """A company with sessions and an action plan: the fullest page."""
    rows = companies.search_companies(db, filter=companies.CompanyFilter(), limit=200)
    details = [company_detail(db, row.id) for row in rows]
    return max(details, key=lambda d: (bool(d.sessions) and bool(d.key_problems), len(d.sessions))).id


def test_the_detector_sees_untranslated_texts() -> None:
    assert french_in("Enregistrer") == "Enregistrer"
    assert french_in("12 entreprises") == "{count} entreprises"
    assert french_in("Ce champ est obligatoire : Ville.\nL'ICE ne doit contenir que des chiffres.")
    assert french_in("Casablanca · Groupe Atlas", data=True) is None
    assert french_in("12 companies") is None and french_in("Save") is None


def test_main_window_speaks_english(qtbot: QtBot, english: None, demo_db: Database,
                                   settings: QSettings) -> None:
    assert i18n.language() == "en"
    window = MainWindow(demo_db, settings)
    qtbot.addWidget(window)
    window.show()
    for row in range(window.nav.count()):  # every section, refreshed as when shown
        window.nav.setCurrentRow(row)
    window.open_company(_busiest_company(demo_db))
    assert window.company_page.sessions.rowCount() and window.company_page.plan.rowCount()
    found = untranslated(window)
    assert found == [], "\n".join(found)
    view = window.companies
    assert view.title.text().endswith(" companies")
    assert window.company_page.back_button.text() == "← Companies"


def test_reference_names_are_english(qtbot: QtBot, english: None, demo_db: Database,
                                     settings: QSettings) -> None:
    with demo_db.sessions() as session:
        regions = {en: fr for en, fr in session.execute(select(Region.name_en, Region.name_fr))}
        sectors = {en: fr for en, fr in session.execute(select(Sector.name_en, Sector.name_fr))}
        tracks = set(session.scalars(select(ProgrammeTrack.name_en)))
    window = MainWindow(demo_db, settings)
    qtbot.addWidget(window)
    view = window.companies
    view.model.sort(3, Qt.SortOrder.DescendingOrder)  # sorts on the French names the list stores
    shown_regions = {view.model.data(view.model.index(r, 2)) for r in range(view.model.rowCount())}
    shown_sectors = {view.model.data(view.model.index(r, 3)) for r in range(view.model.rowCount())}
    assert shown_regions <= set(regions) and shown_sectors <= set(sectors) | {""}
    assert any(sectors[name] != name for name in shown_sectors if name)
    firsts = [view.model.data(view.model.index(r, 3)) for r in range(view.model.rowCount())]
    french = [sectors.get(name, "") for name in firsts]
    assert french == sorted(french, key=sort_key, reverse=True)
    combo_regions = [view.region.itemText(i) for i in range(1, view.region.count())]
    assert combo_regions[0] == "Tangier-Tetouan-Al Hoceima" and "Fez-Meknes" in combo_regions
    combo_sectors = [view.sector.itemText(i) for i in range(1, view.sector.count())]
    assert "Agri-food processing" in combo_sectors and combo_sectors == sorted(combo_sectors, key=str.lower)
    group = window.groups
    assert group.detail is not None and group.detail.group.track_name in tracks
    page = window.company_page
    page.show_company(_busiest_company(demo_db))
    assert page.enrolments.item(0, 0).text() in tracks
    detail = page.detail
    assert detail is not None and detail.region in regions and (not detail.sector or detail.sector in sectors)


def test_reference_names_stay_french_by_default(demo_db: Database) -> None:
    choices = companies.filter_choices(demo_db)
    assert dict(choices.regions)["MA-02"] == "L'Oriental"
    assert {t.name for t in enrolments.tracks(demo_db)} == {"Performance ciblée", "Performance approfondie"}


def test_company_dialog_and_its_messages_speak_english(qtbot: QtBot, english: None,
                                                        demo_db: Database) -> None:
    company_id = _busiest_company(demo_db)
    _check(qtbot, CompanyDialog(demo_db))
    dialog = CompanyDialog(demo_db, company_id)
    qtbot.addWidget(dialog)
    dialog.name.setText("")
    dialog.ice.setText("12")
    dialog.email.setText("nobody@")
    dialog.employees.setText("-3")
    dialog.people.set_cell(0, "phone", "abc")
    assert dialog.save() is False
    assert dialog.error_text("name") == "This field is required: Company name."
    assert dialog.error_text("ice") == "The ICE must have 15 digits (2 entered)."
    assert dialog.error_text("employees") == "Employees: the number cannot be negative."
    assert dialog.people.errors.text().startswith("Person 1: Invalid phone number: “abc”.")
    assert untranslated(dialog) == []

    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.extend(untranslated(box))
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, answer)
    assert dialog.ask_unsaved() == QMessageBox.StandardButton.Cancel
    assert seen == ["This form has unsaved changes."]


def test_group_and_enrolment_dialogs_speak_english(qtbot: QtBot, english: None,
                                                    demo_db: Database) -> None:
    with demo_db.sessions() as session:
        group_id = session.scalars(select(CoachingGroup.id).order_by(CoachingGroup.name)).first()
        membership = session.execute(
            select(GroupMembership.id, GroupMembership.enrolment_id)
            .where(GroupMembership.left_on.is_(None)).order_by(GroupMembership.id)).first()
        open_enrolment = session.scalars(select(Enrolment.id).where(
            Enrolment.stage.not_in(("completed", "dropped"))).order_by(Enrolment.id)).first()
    assert group_id and membership and open_enrolment
    new_group = GroupDialog(demo_db)
    _check(qtbot, new_group)
    assert new_group.save() is False
    assert new_group.errors["name"].text() == "Give the group a name."
    assert untranslated(new_group) == []
    _check(qtbot, GroupDialog(demo_db, group_id))
    _check(qtbot, AddMemberDialog(demo_db, group_id))
    remove = RemoveMemberDialog(demo_db, membership[0], "Atlas")
    _check(qtbot, remove)
    assert remove.windowTitle() == "Leaving the group: Atlas"
    assert remove.save() is False and remove.error.text() == "Give the reason for leaving."
    row = enrolments.get_enrolment(demo_db, open_enrolment)
    stage = StageDialog(demo_db, row)
    _check(qtbot, stage)
    assert stage.windowTitle() == f"Stage of {row.company_name}"
    enrol = EnrolDialog(demo_db, row.company_id)
    _check(qtbot, enrol)
    assert enrol.track.itemText(0).endswith("months, 8 half-days")
    assert enrol.save() is False  # the company already follows a track: English message
    assert enrol.error.text().startswith(f"“{row.company_name}” is already enrolled in the “")


def test_session_and_attendance_dialogs_speak_english(qtbot: QtBot, english: None,
                                                      demo_db: Database) -> None:
    past = [s for s in list_sessions(demo_db, period="past") if s.group_id]
    workshop = max(past, key=lambda s: s.open_commitments)  # commitments to review in its form
    new = SessionDialog(demo_db, group_id=workshop.group_id)
    _check(qtbot, new)
    assert "collective half-day(s)" in new.half_days.text()
    new.tabs.setCurrentIndex(1)
    new.taken.add_row()
    assert untranslated(new) == []
    new.ends_at.setTime(new.starts_at.time().addSecs(-3600))
    assert new.save() is False
    assert new.errors["times"].text() == "The end time must come after the start time."
    edit = SessionDialog(demo_db, workshop.id)
    _check(qtbot, edit)
    sheet = AttendanceDialog(demo_db, workshop.id)
    _check(qtbot, sheet)
    assert sheet.windowTitle().startswith("Attendance — ")
    assert sheet.all_present.text() == "All present"


def test_french_comes_back(qtbot: QtBot, demo_db: Database, settings: QSettings) -> None:
    apply_language("en")
    apply_language("fr")
    window = MainWindow(demo_db, settings)
    qtbot.addWidget(window)
    assert window.companies.new_button.text() == "Nouvelle entreprise"
    assert window.companies.model.headerData(2, Qt.Orientation.Horizontal) == "Région"
