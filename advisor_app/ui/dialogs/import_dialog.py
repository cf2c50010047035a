"""Import companies from Excel or CSV: choose the file, check the column mapping, look at the
first rows, read the validation report, decide each duplicate, then import.

Nothing is written before the advisor confirms the import. Reading, analysing and
writing run off the GUI thread (``BackgroundTask``); a new mapping is analysed again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.importing.reader import SourceTable
from advisor_app.importing.values import text as cell_text
from advisor_app.services import import_companies as ic
from advisor_app.services import import_writer as iw
from advisor_app.services.database import Database
from advisor_app.ui.background import BackgroundTask, stop_task
from advisor_app.ui.widgets.message_label import MessageLabel

PREVIEW_ROWS = 50
ERROR_COLOUR = QColor("#b3261e")
WARNING_COLOUR = QColor("#8a5a00")
ENCODINGS = ((None, "Automatique"), ("utf-8", "UTF-8"), ("cp1252", "Windows-1252 (Excel français)"))
FILE_FILTER = "Excel ou CSV (*.xlsx *.xlsm *.csv *.txt);;Excel (*.xlsx *.xlsm);;CSV (*.csv *.txt)"


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


def _item(text: str, colour: QColor | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if colour is not None:
        item.setForeground(QBrush(colour))
    return item


class ImportDialog(QDialog):
    imported = Signal(object)  # the ImportResult, once written
    _progress = Signal(int, int)  # rows done, rows in all (emitted from the worker thread)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._path: Path | None = None
        self._table: SourceTable | None = None
        self.plan: ic.ImportPlan | None = None
        self.import_result: iw.ImportResult | None = None
        self._task: BackgroundTask | None = None
        self.setWindowTitle(tr("Importer des entreprises"))
        self.resize(1000, 680)

        self.file_label = QLabel(tr("Aucun fichier choisi."))
        self.choose_button = QPushButton(tr("Choisir un fichier…"))
        self.sheet = QComboBox()
        self.encoding = QComboBox()
        for code, text in ENCODINGS:
            self.encoding.addItem(tr(text), code)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)
        options = QHBoxLayout()
        self.sheet_label, self.encoding_label = QLabel(tr("Feuille :")), QLabel(tr("Encodage :"))
        for option in (self.sheet_label, self.sheet, self.encoding_label, self.encoding):
            options.addWidget(option)
        options.addStretch(1)

        self.mapping_table = _table([tr("Colonne du fichier"), tr("Champ"), tr("Exemples")])
        self.preview_table = _table([])
        self.preview_table.verticalHeader().setVisible(True)  # the spreadsheet's row numbers
        self.report_table = _table([tr("Ligne"), tr("Colonne"), tr("Gravité"), tr("Motif")])
        self.duplicates_table = _table([tr("Ligne"), tr("Entreprise du fichier"), tr("Doublon de"),
                                        tr("Décision")])
        self.duplicates_table.horizontalHeader().setStretchLastSection(False)
        self.tabs = QTabWidget()
        for widget, title in ((self.mapping_table, tr("Colonnes")), (self.preview_table, tr("Aperçu")),
                              (self.report_table, tr("Rapport")), (self.duplicates_table, tr("Doublons"))):
            self.tabs.addTab(widget, title)

        self.summary = MessageLabel()
        self.error = MessageLabel("color: #b3261e;")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(tr("Interrompre"))
        self.cancel_button.setVisible(False)
        self.import_button = QPushButton(tr("Importer"))
        self.import_button.setEnabled(False)
        self.close_button = QPushButton(tr("Fermer"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(1)
        for button in (self.cancel_button, self.import_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(options)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._show_options(None)

        self.choose_button.clicked.connect(self.choose_file)
        self.sheet.activated.connect(lambda _: self._reload())
        self.encoding.activated.connect(lambda _: self._reload())
        self.cancel_button.clicked.connect(self._cancel)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)
        self._progress.connect(self._show_progress)

    # -- steps ----------------------------------------------------------------------------------
    def choose_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(self, tr("Fichier à importer"), str(Path.home()),
                                              tr(FILE_FILTER))
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        """Reads and analyses ``path`` with the automatic mapping (in the background)."""
        self._path = path
        self.file_label.setText(str(path))
        self.sheet.clear()
        self._table = None
        self._reload()

    def _reload(self) -> None:
        if self._path is None:
            return
        path, sheet, encoding = self._path, self.sheet.currentData(), self.encoding.currentData()

        def work(db: Database) -> object:
            table = ic.read_file(path, sheet=sheet, encoding=encoding)
            return ic.analyse(db, table, cancelled=lambda: self._cancelled(), progress=self._progress.emit)

        self._run(work, self._analysed)

    def remap(self) -> None:
        """Analyses again with the fields chosen in the mapping table."""
        if self._table is None:
            return
        table = self._table
        mapping = {row: self._combo(row).currentData() for row in range(self.mapping_table.rowCount())}
        chosen = [field for field in mapping.values() if field]
        twice = {field for field in chosen if chosen.count(field) > 1}
        if twice:
            self.error.setText(tr("Un champ ne peut venir que d'une colonne : {fields}.").format(
                fields=", ".join(label for key, label in ic.field_choices() if key in twice)))
            self.import_button.setEnabled(False)
            return
        self._run(lambda db: ic.analyse(db, table, mapping, cancelled=lambda: self._cancelled(),
                                        progress=self._progress.emit), self._analysed)

    def decisions(self) -> dict[int, str]:
        found = {}
        for row in range(self.duplicates_table.rowCount()):
            item = self.duplicates_table.item(row, 0)
            assert item is not None
            number = int(item.text())
            combo = self.duplicates_table.cellWidget(row, 3)
            assert isinstance(combo, QComboBox)
            found[number] = str(combo.currentData())
        return found

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, tr("Importer des entreprises"), text)
        return answer == QMessageBox.StandardButton.Yes

    def start_import(self) -> None:
        plan = self.plan
        if plan is None or not plan.accepted:
            return
        decisions = self.decisions()
        skipped = sum(1 for d in decisions.values() if d == ic.SKIP)
        text = tr("Importer {count} ligne(s) ? {refused} ligne(s) refusée(s) et {skipped} doublon(s) "
                  "ignoré(s) ne seront pas importés.").format(count=len(plan.accepted) - skipped,
                                                     refused=len(plan.refused), skipped=skipped)
        if not self.confirm(text):
            return
        self._run(lambda db: iw.apply_import(db, plan, decisions, progress=self._progress.emit),
                  self._imported)

    # -- background work ------------------------------------------------------------------------
    def busy(self) -> bool:
        return self._task is not None

    def done(self, code: int) -> None:
        """Closing while work runs: an analysis stops at the next row; a write finishes (one
        transaction) before the dialog goes."""
        stop_task(self._task)
        super().done(code)

    def _cancelled(self) -> bool:
        return self._task is not None and self._task.cancelled

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _run(self, work: Callable[[Database], object], done: Callable[[object], None]) -> None:
        if self._task is not None:
            return
        self.error.clear()
        task = BackgroundTask(self._db, work, self)
        task.succeeded.connect(done)
        task.failed.connect(self._failed)
        task.finished.connect(self._finished)
        self._task = task
        self._set_busy(True)
        task.start()

    def _show_progress(self, done: int, total: int) -> None:
        if self._task is not None and total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        for widget in (self.choose_button, self.sheet, self.encoding, self.mapping_table,
                       self.duplicates_table):
            widget.setEnabled(not busy)
        if busy:
            self.import_button.setEnabled(False)

    def _finished(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.deleteLater()
        self._set_busy(False)
        self.import_button.setEnabled(self.import_result is None and self.plan is not None
                                      and bool(self.plan.accepted))

    def _failed(self, message: str) -> None:
        self.error.setText(message)

    def _analysed(self, plan: object) -> None:
        assert isinstance(plan, ic.ImportPlan)
        first = self._table is not plan.table
        self.plan, self._table, self.import_result = plan, plan.table, None
        if first:
            self._show_options(plan.table)
            self._fill_mapping(plan)
        self._fill_preview(plan)
        self._fill_report(plan.issues)
        self._fill_duplicates(plan)
        self.summary.setText(tr("{rows} ligne(s) lue(s) (en-têtes en ligne {header}) : {accepted} à "
                                "importer, {refused} refusée(s), {duplicates} doublon(s) à décider.").format(
            rows=len(plan.rows), header=plan.table.header_row, accepted=len(plan.accepted),
            refused=len(plan.refused), duplicates=len(plan.duplicates)))

    def _imported(self, result: object) -> None:
        assert isinstance(result, iw.ImportResult)
        self.import_result = result
        self.summary.setText(tr("Import terminé : {created} entreprise(s) créée(s), {merged} complétée(s), "
                                "{skipped} ignorée(s), {refused} ligne(s) refusée(s) ; {people} personne(s) "
                                "ajoutée(s).").format(
            created=result.created, merged=result.merged, skipped=result.skipped, refused=result.refused,
            people=result.people_added))
        if self.plan is not None:
            self._fill_report([*self.plan.issues, *result.notes])
        self.imported.emit(result)

    # -- tables ---------------------------------------------------------------------------------
    def _show_options(self, table: SourceTable | None) -> None:
        sheets = table.sheets if table is not None else []
        if table is not None and self.sheet.count() == 0 and sheets:
            self.sheet.addItems(sheets)
            self.sheet.setCurrentText(table.sheet)
        for widget in (self.sheet_label, self.sheet):
            widget.setVisible(len(sheets) > 1)
        is_csv = table is not None and not table.sheets
        for widget in (self.encoding_label, self.encoding):
            widget.setVisible(is_csv)

    def _combo(self, row: int) -> QComboBox:
        combo = self.mapping_table.cellWidget(row, 1)
        assert isinstance(combo, QComboBox)
        return combo

    def _fill_mapping(self, plan: ic.ImportPlan) -> None:
        headers = plan.table.headers
        self.mapping_table.setRowCount(len(headers))
        choices = ic.field_choices()
        for row, header in enumerate(headers):
            self.mapping_table.setItem(row, 0, _item(header))
            combo = QComboBox()
            for key, label in choices:
                combo.addItem(label, key)
            combo.setCurrentIndex(combo.findData(plan.mapping.get(row)))
            combo.activated.connect(lambda _: self.remap())
            self.mapping_table.setCellWidget(row, 1, combo)
            examples = [cell_text(r.values[row]) for r in plan.table.rows[:20] if r.values[row] is not None]
            self.mapping_table.setItem(row, 2, _item(" · ".join(examples[:3])))
        self.mapping_table.resizeColumnsToContents()

    def _fill_preview(self, plan: ic.ImportPlan) -> None:
        labels = dict(ic.field_choices())
        headers = [f"{h}\n→ {labels[plan.mapping.get(i)]}" for i, h in enumerate(plan.table.headers)]
        refused = {r.number for r in plan.refused}
        table = self.preview_table
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        rows = plan.table.rows[:PREVIEW_ROWS]
        table.setRowCount(len(rows))
        table.setVerticalHeaderLabels([str(r.number) for r in rows])
        for y, source in enumerate(rows):
            colour = ERROR_COLOUR if source.number in refused else None
            for x, value in enumerate(source.values):
                table.setItem(y, x, _item(cell_text(value), colour))
        table.resizeColumnsToContents()

    def _fill_report(self, issues: list[ic.ImportIssue]) -> None:
        table = self.report_table
        table.setRowCount(len(issues))
        for y, issue in enumerate(issues):
            colour = ERROR_COLOUR if issue.severity == ic.ERROR else WARNING_COLOUR
            severity = tr("Erreur : ligne refusée") if issue.severity == ic.ERROR else tr("Avertissement")
            for x, text in enumerate((str(issue.row), issue.column, severity, issue.reason)):
                table.setItem(y, x, _item(text, colour if x == 2 else None))
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        title = tr("Rapport ({count})").format(count=len(issues)) if issues else tr("Rapport")
        self.tabs.setTabText(2, title)

    def _fill_duplicates(self, plan: ic.ImportPlan) -> None:
        rows = plan.duplicates
        table = self.duplicates_table
        table.setRowCount(len(rows))
        for y, row in enumerate(rows):
            assert row.duplicate is not None
            table.setItem(y, 0, _item(str(row.number)))
            table.setItem(y, 1, _item(row.company["name"]))
            table.setItem(y, 2, _item(row.duplicate.describe()))
            combo = QComboBox()
            for code in ic.DECISIONS:
                combo.addItem(tr(ic.DECISION_LABELS[code]), code)
            combo.setCurrentIndex(combo.findData(iw.default_decision(row)))
            table.setCellWidget(y, 3, combo)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tabs.setTabText(3, tr("Doublons ({count})").format(count=len(rows)) if rows else tr("Doublons"))


def open_import_dialog(parent: QWidget | None, db: Database, path: Path | None = None) -> ImportDialog:
    """Shows the import dialog (modal); ``dialog.import_result`` holds what was imported, if
    anything (None: closed without importing)."""
    dialog = ImportDialog(db, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    if path is not None:
        dialog.load_file(path)
    dialog.exec()
    return dialog
