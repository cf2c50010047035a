"""Export to Excel (.xlsx): the companies of the list as filtered on screen, the sessions with
their attendance, the action plans, or the dashboard tables. The file is written off the
GUI thread; the dialog says how many rows went where."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import actions_overview, export_sheets, protection, sessions_overview
from advisor_app.services.companies import CompanyFilter
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.ui.background import BackgroundTask, stop_task
from advisor_app.ui.widgets.group_filter import GroupFilter
from advisor_app.ui.widgets.message_label import MessageLabel

COMPANIES, SESSIONS, ACTIONS, DASHBOARD = "companies", "sessions", "actions", "dashboard"
KIND_LABELS = {COMPANIES: "Entreprises (liste affichée, avec ses filtres)",
               SESSIONS: "Séances et émargement", ACTIONS: "Plans d'action", DASHBOARD: "Tableau de bord"}
FILE_NAME_LABELS = {COMPANIES: "entreprises", SESSIONS: "seances", ACTIONS: "plans-d-action",
              DASHBOARD: "tableau-de-bord"}
PERIOD_LABELS = {sessions_overview.ALL: "Toutes", sessions_overview.PAST: "Passées",
                 sessions_overview.UPCOMING: "À venir"}
SCOPE_LABELS = {actions_overview.ALL: "Toutes", actions_overview.OPEN: "En cours (non réalisées)",
                actions_overview.LATE: "En retard"}


class ExportDialog(QDialog):
    finished_export = Signal(object)  # (path, rows written)

    def __init__(self, db: Database, parent: QWidget | None = None, *,
                 company_filter: CompanyFilter | None = None, kind: str = COMPANIES,
                 folder: Path | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._filter = company_filter or CompanyFilter()
        self._folder = folder or Path.home()
        self._task: BackgroundTask | None = None
        self.written: tuple[Path, int] | None = None
        self.setWindowTitle(tr("Exporter vers Excel"))
        self.resize(620, 320)

        self.kind = QComboBox()
        for code, text in KIND_LABELS.items():
            self.kind.addItem(tr(text), code)
        self.period = QComboBox()
        for code, text in PERIOD_LABELS.items():
            self.period.addItem(tr(text), code)
        self.scope = QComboBox()
        for code, text in SCOPE_LABELS.items():
            self.scope.addItem(tr(text), code)
        self.group = GroupFilter(db)
        self.path = QLineEdit()
        browse = QPushButton(tr("Parcourir…"))
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)

        self.form = QFormLayout()
        self.form.addRow(tr("À exporter :"), self.kind)
        self.form.addRow(tr("Période :"), self.period)
        self.form.addRow(tr("Actions :"), self.scope)
        self.form.addRow(tr("Groupe :"), self.group)
        self.form.addRow(tr("Fichier :"), where)
        # optional: the file then opens only with this password (Excel, LibreOffice)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr("facultatif : le fichier sera chiffré"))
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(tr("Mot de passe :"), self.password)
        self.form.addRow(tr("Confirmation :"), self.confirm)
        self.message = MessageLabel()
        self.error = MessageLabel("color: #b3261e;")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.export_button = QPushButton(tr("Exporter"))
        self.export_button.setDefault(True)
        close = QPushButton(tr("Fermer"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))
        self._kind_changed()
        self.kind.currentIndexChanged.connect(lambda _: self._kind_changed())
        browse.clicked.connect(self._browse)
        self.export_button.clicked.connect(self.export)
        close.clicked.connect(self.reject)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        for widget, shown in ((self.period, kind == SESSIONS), (self.scope, kind == ACTIONS),
                              (self.group, kind in (SESSIONS, ACTIONS))):
            self.form.setRowVisible(widget, shown)
        name = f"{tr(FILE_NAME_LABELS[kind])}-{dt.date.today():%Y-%m-%d}.xlsx"
        current = Path(self.path.text()) if self.path.text() else self._folder / name
        self.path.setText(str(current.with_name(name)))

    def _browse(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(self, tr("Exporter vers Excel"), self.path.text(),
                                              tr("Classeur Excel (*.xlsx)"))
        if name:
            self.path.setText(name if name.lower().endswith(".xlsx") else name + ".xlsx")

    def export(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.error.setText(tr("Indiquez le fichier à écrire."))
            return
        path = Path(text).expanduser()
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        try:
            password = protection.check_export_password(self.password.text(), self.confirm.text())
        except UserError as exc:
            self.error.setText(str(exc))
            self.password.setFocus()
            return
        kind, company_filter = self.kind.currentData(), self._filter
        period, scope, group = self.period.currentData(), self.scope.currentData(), self.group.group_id()

        def work(db: Database) -> object:
            if kind == COMPANIES:
                return export_sheets.export_companies(db, path, filter=company_filter, password=password)
            if kind == SESSIONS:
                return export_sheets.export_sessions(db, path, period=period, group_id=group,
                                                     password=password)
            if kind == ACTIONS:
                return export_sheets.export_action_plans(db, path, scope=scope, group_id=group,
                                                         password=password)
            return export_sheets.export_dashboard(db, path, password=password)

        self.error.clear()
        self.message.clear()
        task = BackgroundTask(self._db, work, self)
        task.succeeded.connect(lambda rows: self._done(path, int(str(rows)), bool(password)))
        task.failed.connect(self.error.setText)
        task.finished.connect(self._finished)
        self._task = task
        self.progress.setVisible(True)
        self.export_button.setEnabled(False)
        task.start()

    def busy(self) -> bool:
        return self._task is not None

    def done(self, code: int) -> None:
        """Closing while the file is written waits for it."""
        stop_task(self._task)
        super().done(code)

    def _done(self, path: Path, rows: int, protected: bool = False) -> None:
        self.written = (path, rows)
        text = tr("{rows} ligne(s) exportée(s) dans {path}").format(rows=rows, path=path)
        if protected:
            text += " " + tr("(protégé par mot de passe)")
        self.message.setText(text)
        self.finished_export.emit(self.written)

    def _finished(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.deleteLater()
        self.progress.setVisible(False)
        self.export_button.setEnabled(True)
