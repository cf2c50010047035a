"""Séances: the advisor's upcoming and past sessions, per group and per advisor, with
attendance and open commitments at a glance; new session, edit, attendance sheet (entry,
print, PDF) and deletion of the selected one. A double click opens the visited company or
the group."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from PySide6.QtCore import QModelIndex, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import attendance, attendance_print, portfolio, sessions
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.services.sessions_overview import ALL, PAST, UPCOMING, SessionRow, list_sessions
from advisor_app.ui.dialogs.attendance_dialog import AttendanceDialog
from advisor_app.ui.dialogs.session_dialog import SessionDialog
from advisor_app.ui.models.rows_table import KEY_ROLE, Row, RowsTableModel
from advisor_app.ui.printing import Printable, print_pdf_file, table_section
from advisor_app.ui.widgets.display import fmt_date, fmt_num, fmt_time, rows_view, view_title
from advisor_app.ui.widgets.forms import selected
from advisor_app.ui.widgets.group_filter import GroupFilter

HEADERS = ("Date", "Horaire", "Type", "Intitulé", "Groupe ou entreprise", "Lieu",
           "Demi-journées", "Présents", "Engagements ouverts")
PERIOD_LABELS = {UPCOMING: "À venir", PAST: "Passées", ALL: "Toutes"}
EMPTY_LABELS = {UPCOMING: "Aucune séance à venir.", PAST: "Aucune séance passée.", ALL: "Aucune séance."}


def session_row(s: SessionRow) -> Row:
    attended = f"{s.attended} / {s.recorded}" if s.recorded else "—"
    return Row(
        key=s.company_id or s.group_id or "",
        cells=(fmt_date(s.held_on), f"{fmt_time(s.starts_at)}–{fmt_time(s.ends_at)}", s.kind_label,
               s.title, s.group_name or s.company_name, s.place, fmt_num(s.half_days), attended,
               str(s.open_commitments) if s.open_commitments else ""))


class SessionsView(QWidget):
    open_company = Signal(str)
    open_group = Signal(str)
    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(parent)
        self._db = db
        self._rows: list[SessionRow] = []
        self.period = QComboBox()
        for code, text in PERIOD_LABELS.items():
            self.period.addItem(tr(text), code)
        self.group = GroupFilter(db)
        self.advisor = QComboBox()
        self.count = QLabel()
        self.model = RowsTableModel(HEADERS, right_aligned=(6, 7, 8))
        self.table = rows_view(self.model, stretch=3)
        self.empty = QLabel()
        self.empty.setObjectName("empty_state")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.new_button = QPushButton(tr("Nouvelle séance"))
        self.edit_button = QPushButton(tr("Modifier"))
        self.attendance_button = QPushButton(tr("Émargement"))
        self.print_button = QPushButton(tr("Imprimer la feuille d'émargement…"))
        self.pdf_button = QPushButton(tr("Feuille d'émargement en PDF…"))
        self.delete_button = QPushButton(tr("Supprimer"))

        bar = QHBoxLayout()
        for widget in (QLabel(tr("Période :")), self.period, QLabel(tr("Groupe :")), self.group,
                       QLabel(tr("Conseiller :")), self.advisor):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.count)
        actions = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.attendance_button, self.print_button,
                       self.pdf_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        title = view_title(tr("Séances"))
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addLayout(actions)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

        self.period.currentIndexChanged.connect(self.reload)
        self.group.currentIndexChanged.connect(self.reload)
        self.advisor.currentIndexChanged.connect(self.reload)
        self.table.doubleClicked.connect(self._open)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.new_button.clicked.connect(self.new_session)
        self.edit_button.clicked.connect(self.edit_session)
        self.attendance_button.clicked.connect(self.enter_attendance)
        self.print_button.clicked.connect(self.print_sheet)
        self.pdf_button.clicked.connect(self.save_sheet_pdf)
        self.delete_button.clicked.connect(self.delete_session)
        if load:  # the main window loads a section when it is first shown
            self.reload()

    def _fill_advisors(self) -> None:
        """Reread the advisors (a sync may bring new ones), keeping the choice, silently."""
        current = selected(self.advisor)
        self.advisor.blockSignals(True)
        self.advisor.clear()
        self.advisor.addItem(tr("Tous les conseillers"), "")
        for advisor_id, name in portfolio.advisor_choices(self._db):
            self.advisor.addItem(name, advisor_id)
        self.advisor.setCurrentIndex(max(self.advisor.findData(current or ""), 0))
        self.advisor.blockSignals(False)

    def reload(self) -> None:
        keep = self.selected_session()
        self.group.refill()  # groups created elsewhere appear in the filter
        self._fill_advisors()
        period = selected(self.period) or UPCOMING
        self._rows = list_sessions(self._db, period=period, group_id=self.group.group_id(),
                                   advisor_id=selected(self.advisor))
        self.model.set_rows([session_row(s) for s in self._rows])
        self.count.setText(tr("{n} séance(s)").format(n=len(self._rows)))
        self.empty.setText(tr(EMPTY_LABELS[period]))
        self.empty.setVisible(not self._rows)
        if keep is not None:
            self.select_session(keep.id)
        self._update_buttons()

    def selected_session(self) -> SessionRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self._rows[rows[0].row()] if rows and rows[0].row() < len(self._rows) else None

    def select_session(self, session_id: str) -> bool:
        ids = [s.id for s in self._rows]
        if session_id not in ids:
            return False
        self.table.selectRow(ids.index(session_id))
        return True

    def _update_buttons(self) -> None:
        current = self.selected_session()
        for button in (self.edit_button, self.attendance_button, self.print_button, self.pdf_button,
                       self.delete_button):
            button.setEnabled(current is not None)

    def printable(self) -> Printable:
        title = " — ".join((tr("Séances"), self.period.currentText(), self.group.currentText()))
        return table_section(title, [tr(h) for h in HEADERS],
                             [list(session_row(s).cells) for s in self._rows])

    def _open(self, index: QModelIndex) -> None:
        s = self._rows[index.row()] if 0 <= index.row() < len(self._rows) else None
        if s is None:
            return
        key = self.model.data(index, KEY_ROLE)
        if s.company_id:
            self.open_company.emit(key)
        elif s.group_id:
            self.open_group.emit(key)

    # -- actions ------------------------------------------------------------------------------
    def new_session(self) -> None:
        dialog = SessionDialog(self._db, group_id=self.group.group_id(), parent=self)
        if dialog.exec() and dialog.saved_id:
            self._after_change(dialog.saved_id)

    def edit_session(self) -> None:
        current = self.selected_session()
        if current is not None and SessionDialog(self._db, current.id, parent=self).exec():
            self._after_change(current.id)

    def enter_attendance(self) -> None:
        current = self.selected_session()
        if current is None:
            return
        dialog = AttendanceDialog(self._db, current.id, parent=self)
        if dialog.exec():
            result = dialog.outcome
            if result is not None:
                self.message.setText(" ".join([tr("Émargement enregistré : {new} nouvelle(s) ligne(s), "
                                                  "{fixed} correction(s).").format(
                                                      new=result.recorded, fixed=result.corrected),
                                               *result.warnings]))
            self._after_change(current.id)

    def _sheet_path(self, folder: Path, session_id: str) -> Path:
        sheet = attendance.attendance_sheet(self._db, session_id)
        return folder / attendance_print.default_file_name(sheet)

    def print_sheet(self) -> None:
        current = self.selected_session()
        if current is None:
            return
        with tempfile.TemporaryDirectory(prefix="mowakaba-") as folder:
            try:
                path = attendance_print.write_attendance_sheet(
                    self._db, current.id, self._sheet_path(Path(folder), current.id))
                print_pdf_file(path, tr("Feuille d'émargement — {title}").format(
                    title=current.title or current.kind_label), self)
            except (UserError, OSError) as exc:
                QMessageBox.warning(self, tr("Feuille d'émargement"), str(exc))

    def save_sheet_pdf(self) -> None:
        current = self.selected_session()
        if current is None:
            return
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        proposed = self._sheet_path(Path(documents or Path.home()), current.id)
        name, _ = QFileDialog.getSaveFileName(self, tr("Enregistrer la feuille d'émargement"),
                                              str(proposed), tr("Documents PDF (*.pdf)"))
        if name:
            self.write_sheet(current.id, Path(name))

    def write_sheet(self, session_id: str, path: Path) -> bool:
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            attendance_print.write_attendance_sheet(self._db, session_id, path)
        except UserError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText(tr("Feuille d'émargement enregistrée : {path}").format(path=path))
        return True

    def confirm_delete(self, s: SessionRow) -> bool:
        answer = QMessageBox.question(
            self, tr("Supprimer la séance"),
            tr("Supprimer la séance du {date} ({title}) ? Les engagements pris lors de cette séance "
               "sont supprimés avec elle ; ceux qu'elle avait clos redeviennent ouverts.").format(
                   date=fmt_date(s.held_on), title=s.title or s.kind_label))
        return answer == QMessageBox.StandardButton.Yes

    def delete_session(self) -> None:
        current = self.selected_session()
        if current is None or not self.confirm_delete(current):
            return
        try:
            sessions.delete_session(self._db, current.id)
        except UserError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(tr("Séance supprimée."))
        self._after_change(None)

    def _after_change(self, session_id: str | None) -> None:
        if session_id is not None:
            row = sessions.load_session_form(self._db, session_id)
            period = selected(self.period)
            if period != ALL and row.held_on is not None:
                wanted = UPCOMING if row.held_on >= dt.date.today() else PAST
                if wanted != period:
                    self.period.blockSignals(True)
                    self.period.setCurrentIndex(self.period.findData(wanted))
                    self.period.blockSignals(False)
        self.reload()
        if session_id is not None:
            self.select_session(session_id)
        self.changed.emit()
