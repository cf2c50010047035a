"""The import dialog: a LibreOffice workbook loaded, its mapping, preview, report and
duplicates shown; nothing written until the import is confirmed; then the rows in the
database. The export dialog writes the chosen .xlsx."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from advisor_app.domain.companies import Company, Person
from advisor_app.services import import_companies as ic
from advisor_app.services.database import Database
from advisor_app.ui.dialogs.export_dialog import ACTIONS, COMPANIES, ExportDialog
from advisor_app.ui.dialogs.import_dialog import ImportDialog

XLSX = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "entreprises_libreoffice.xlsx"


def _loaded(qtbot: QtBot, db: Database) -> ImportDialog:
    dialog = ImportDialog(db)
    qtbot.addWidget(dialog)
    dialog.load_file(XLSX)
    qtbot.waitUntil(lambda: not dialog.busy() and dialog.plan is not None, timeout=20_000)
    return dialog


def _companies(db: Database) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(Company)) or 0


def _cells(table: object, column: int) -> list[str]:
    from PySide6.QtWidgets import QTableWidget

    assert isinstance(table, QTableWidget)
    return [table.item(row, column).text() for row in range(table.rowCount())]  # type: ignore[union-attr]


def test_file_is_analysed_and_nothing_written_before_confirm(qtbot: QtBot, db: Database,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _loaded(qtbot, db)
    assert _cells(dialog.mapping_table, 0)[:2] == ["Raison sociale", "Forme juridique"]
    combo = dialog.mapping_table.cellWidget(0, 1)
    assert isinstance(combo, QComboBox) and combo.currentData() == "name"
    assert dialog.preview_table.rowCount() == 7
    assert dialog.preview_table.verticalHeaderItem(0).text() == "4"  # type: ignore[union-attr]
    report = list(zip(_cells(dialog.report_table, 0), _cells(dialog.report_table, 1),
                      _cells(dialog.report_table, 3), strict=True))
    assert ("10", "J (Date de création)", "Date impossible : « 31/02/2020 ».") in report
    assert dialog.tabs.tabText(2) == f"Rapport ({len(report)})"
    assert _cells(dialog.duplicates_table, 0) == ["9"]
    assert dialog.decisions() == {9: ic.MERGE}
    assert "7 ligne(s) lue(s) (en-têtes en ligne 3) : 4 à importer, 3 refusée(s)" in dialog.summary.text()
    assert dialog.import_button.isEnabled()
    monkeypatch.setattr(ImportDialog, "confirm", lambda self, text: False)
    dialog.import_button.click()
    assert not dialog.busy() and _companies(db) == 0


def test_remapping_then_import_with_a_skipped_duplicate(qtbot: QtBot, db: Database,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _loaded(qtbot, db)
    email_row = _cells(dialog.mapping_table, 0).index("E-mail")
    combo = dialog.mapping_table.cellWidget(email_row, 1)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(None))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=20_000)
    assert dialog.plan is not None and dialog.plan.mapping[email_row] is None
    assert not any(row == "8" and column.startswith("H ") for row, column in zip(
        _cells(dialog.report_table, 0), _cells(dialog.report_table, 1), strict=True))

    decision = dialog.duplicates_table.cellWidget(0, 3)
    assert isinstance(decision, QComboBox)
    decision.setCurrentIndex(decision.findData(ic.SKIP))
    asked: list[str] = []
    monkeypatch.setattr(ImportDialog, "confirm", lambda self, text: asked.append(text) or True)
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=20_000)
    assert asked == ["Importer 3 ligne(s) ? 3 ligne(s) refusée(s) et 1 doublon(s) ignoré(s) ne seront "
                     "pas importés."]
    assert "Import terminé : 3 entreprise(s) créée(s)" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()  # one import per analysis
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Company)) == 3
        atlas = session.scalars(select(Company).where(Company.name == "Boulangerie Atlas")).one()
        assert atlas.email is None  # the e-mail column was ignored
        people = session.scalars(select(Person).where(Person.company_id == atlas.id))
        assert [p.first_name for p in people] == ["Fatima"]


def test_unreadable_file_shows_the_reason(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    dialog = ImportDialog(db)
    qtbot.addWidget(dialog)
    bad = tmp_path / "ancien.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0")
    dialog.load_file(bad)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=20_000)
    assert "Format « .xls » non pris en charge" in dialog.error.text()
    assert not dialog.import_button.isEnabled()


@pytest.mark.parametrize("kind", [COMPANIES, ACTIONS])
def test_export_dialog_writes_the_workbook(qtbot: QtBot, db: Database, tmp_path: Path, kind: str) -> None:
    form_db = db
    from advisor_app.services import companies

    form = companies.empty_company_form(form_db)
    form.name, form.region_code, form.people = "Menuiserie Saïss", "MA-03", []
    companies.save_company(form_db, form)
    dialog = ExportDialog(db, kind=kind, folder=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.path.text().startswith(str(tmp_path))
    with qtbot.waitSignal(dialog.finished_export, timeout=20_000):
        dialog.export_button.click()
    assert dialog.written is not None
    path, rows = dialog.written
    book = openpyxl.load_workbook(path)
    if kind == COMPANIES:
        assert rows == 1 and book.active["A2"].value == "Menuiserie Saïss"  # type: ignore[index]
    else:
        assert rows == 0 and book.active["A1"].value == "Entreprise"  # type: ignore[index]
    assert "ligne(s) exportée(s) dans" in dialog.message.text()


def test_closing_while_the_file_is_analysed_waits_for_the_worker(qtbot: QtBot, db: Database) -> None:
    dialog = ImportDialog(db)
    qtbot.addWidget(dialog)
    dialog.load_file(XLSX)
    dialog.reject()
    assert not dialog.busy() or (dialog._task is not None and dialog._task.isFinished())
    assert _companies(db) == 0
