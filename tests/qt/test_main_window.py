"""The main window opens on a database and lists its companies page by page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from advisor_app.domain.companies import Company
from advisor_app.domain.enums import LegalForm, Segment
from advisor_app.services.database import Database
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.models import company_table


def _add_companies(db: Database, count: int) -> None:
    with db.unit_of_work() as session:
        session.add_all(
            Company(name=f"Entreprise {n:04d}", legal_form=LegalForm.SARL, segment=Segment.TPE,
                    region_code="MA-06", sector_code="AGRO", city="Settat",
                    created_on=dt.date(2020, 1, 1))
            for n in range(count)
        )


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_empty_database_says_how_to_get_started(qtbot: QtBot, db: Database,
                                                settings: QSettings) -> None:
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    assert "Nouvelle entreprise" in window.companies.title.text()
    assert "Conseiller : non enregistré" in window.status_label.text()
    assert "Changements à synchroniser : 0" in window.status_label.text()


def test_companies_are_listed_in_pages_and_pending_changes_shown(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch, settings: QSettings
) -> None:
    _add_companies(db, 30)
    monkeypatch.setattr(company_table, "FIRST_PAGE", 8)
    monkeypatch.setattr(company_table, "PAGE_SIZE", 8)
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    window.show()
    model = window.companies.model
    assert window.companies.title.text() == "30 entreprises"
    assert model.rowCount() == 8  # the first page only, before any scrolling
    while model.canFetchMore():
        before = model.rowCount()
        model.fetchMore()
        assert model.rowCount() - before == min(8, 30 - before)
    assert model.rowCount() == 30
    assert model.data(model.index(0, 0)) == "Entreprise 0000"
    assert model.data(model.index(29, 0)) == "Entreprise 0029"
    assert model.data(model.index(0, 2)) == "Casablanca-Settat"
    assert model.data(model.index(0, 4)) == "Non inscrite"
    assert "Changements à synchroniser : 30" in window.status_label.text()


def test_search_filter_and_sort_happen_in_sql(qtbot: QtBot, db: Database,
                                              settings: QSettings) -> None:
    _add_companies(db, 12)
    with db.unit_of_work() as session:
        session.add(Company(name="Huilerie Béni Amir", legal_form=LegalForm.SARL,
                            segment=Segment.TPE, region_code="MA-05", city="Béni Mellal"))
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    view = window.companies
    qtbot.keyClicks(view.search, "beni")
    qtbot.waitUntil(lambda: view.model.total == 1)
    assert view.model.data(view.model.index(0, 0)) == "Huilerie Béni Amir"
    assert view.title.text() == "1 entreprise"
    view.search.clear()
    view.region.setCurrentIndex(view.region.findData("MA-06"))
    assert view.model.total == 12
    view.model.sort(0, Qt.SortOrder.DescendingOrder)
    assert view.model.data(view.model.index(0, 0)) == "Entreprise 0011"
    view.search.setText("zzzz")
    view.apply_filter()
    assert view.title.text() == "Aucune entreprise ne correspond à la recherche."


def test_company_model_passes_the_model_tester(qtbot: QtBot, qtmodeltester: ModelTester,
                                                db: Database, settings: QSettings) -> None:
    _add_companies(db, 12)
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    qtmodeltester.check(window.companies.model)


def test_navigation_opening_a_company_and_remembered_state(
    qtbot: QtBot, db: Database, settings: QSettings
) -> None:
    _add_companies(db, 3)
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    window.companies._open_row(1)
    assert window.stack.currentWidget() is window.company_page
    assert window.company_page.title.text() == "Entreprise 0001"
    window.company_page.back.emit()
    assert window.stack.currentWidget() is window.companies
    window.nav.setCurrentRow(1)
    assert window.stack.currentWidget() is window.groups
    window.close()
    assert not settings.value("main_window/geometry").isEmpty()
    again = MainWindow(db, settings)
    qtbot.addWidget(again)
    assert again.stack.currentWidget() is again.groups


def test_app_refuses_a_file_that_is_not_a_database(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from advisor_app import app

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    bad = tmp_path / "photo.sqlite"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert app.run(db_path=bad) == 1
    assert shown == [f"« {bad} » n'est pas une base de données SQLite ; le fichier n'a pas été modifié."]
    assert bad.read_bytes() == b"\x89PNG\r\n\x1a\n"


def test_main_window_starts_without_heavy_modules() -> None:
    """The window must paint before reportlab, httpx or the HQ server code are imported."""
    import subprocess
    import sys

    probe = (
        "import sys; from pathlib import Path; import tempfile\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from advisor_app.services.database import open_database\n"
        "from advisor_app.ui.main_window import MainWindow\n"
        "db = open_database(Path(tempfile.mkdtemp()) / 'start.sqlite')\n"
        "window = MainWindow(db); window.show(); app.processEvents()\n"
        "heavy = ('reportlab', 'httpx', 'fastapi', 'uvicorn', 'openpyxl', 'advisor_app.hq')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_file_menu_exports_what_the_current_section_shows_and_imports(
        qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch, settings: QSettings) -> None:
    from advisor_app.ui.dialogs import export_dialog, import_dialog

    _add_companies(db, 3)
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    opened: list[tuple[str, str]] = []
    monkeypatch.setattr(export_dialog.ExportDialog, "exec",
                        lambda dialog: opened.append((dialog.kind.currentData(), dialog._filter.text)) or 0)
    window.companies.search.setText("0001")
    window.menu_actions["export"].trigger()
    window.show_section(window.sections.index(window.sessions))
    window.menu_actions["export"].trigger()
    # the list's search goes with it: the same companies as on screen
    assert opened == [(export_dialog.COMPANIES, "0001"), (export_dialog.SESSIONS, "0001")]

    class Imported:  # the dialog, as left after a confirmed import
        import_result = object()

    monkeypatch.setattr(import_dialog, "open_import_dialog", lambda parent, db: Imported())
    window.menu_actions["import"].trigger()
    assert window.sessions not in window._stale  # the shown section reloaded at once
    assert window.companies in window._stale  # the list reloads when shown again


def test_a_company_opened_from_another_section_shows_under_companies(
        qtbot: QtBot, db: Database, settings: QSettings) -> None:
    _add_companies(db, 2)
    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    window.show_section(window.sections.index(window.dashboard))
    with db.sessions() as session:
        company = session.scalars(select(Company.id)).first()
    assert company is not None
    window.open_company(company)
    assert window.stack.currentWidget() is window.company_page
    assert window.nav.currentRow() == 0  # highlighted: Entreprises, where "back" leads
    window.nav.itemClicked.emit(window.nav.item(0))
    assert window.stack.currentWidget() is window.companies
