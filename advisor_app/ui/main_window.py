"""The main window: navigation, the current view, and a status bar (database, advisor,
pending changes, last sync). Remembers its size and the last view."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from advisor_app.services import portfolio
from advisor_app.services.database import Database
from advisor_app.ui.dialogs.company_dialog import CompanyDialog
from advisor_app.ui.views.companies_view import CompaniesView
from advisor_app.ui.views.company_page import CompanyPage
from advisor_app.ui.views.groups_view import GroupsView

SECTIONS = ("Entreprises", "Groupes")


class MainWindow(QMainWindow):
    def __init__(self, db: Database, settings: QSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._settings = settings or QSettings()
        self.setWindowTitle(f"Mowakaba — {db.path.name}")
        self.resize(1280, 760)

        self.nav = QListWidget()
        self.nav.addItems(SECTIONS)
        self.nav.setFixedWidth(170)
        self.nav.setObjectName("navigation")
        self.companies = CompaniesView(db)
        self.company_page = CompanyPage(db)
        self.groups = GroupsView(db)
        self.stack = QStackedWidget()
        for view in (self.companies, self.groups, self.company_page):
            self.stack.addWidget(view)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label, 1)

        self.nav.currentRowChanged.connect(self.show_section)
        self.companies.open_company.connect(self.open_company)
        self.companies.new_company.connect(self.new_company)
        self.company_page.back.connect(lambda: self.show_section(0))
        self.company_page.changed.connect(self.data_changed)
        self.groups.changed.connect(self.data_changed)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_in_current_view)
        QShortcut(QKeySequence.StandardKey.Find, self, self.find_in_current_view)

        self._restore_state()
        self.refresh_status()

    # -- navigation ---------------------------------------------------------------------------
    def show_section(self, row: int) -> None:
        if row < 0:
            return
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # re-enters with the same row
            return
        self.stack.setCurrentWidget((self.companies, self.groups)[row])

    def open_company(self, company_id: str) -> None:
        self.company_page.show_company(company_id)
        self.stack.setCurrentWidget(self.company_page)

    def new_company(self) -> None:
        dialog = CompanyDialog(self._db, parent=self)
        if dialog.exec() and dialog.saved_id:
            self.data_changed()
            self.open_company(dialog.saved_id)

    def new_in_current_view(self) -> None:
        if self.stack.currentWidget() is self.groups:
            self.groups.new_group()
        else:
            self.new_company()

    def find_in_current_view(self) -> None:
        self.show_section(0)
        self.companies.focus_search()

    def data_changed(self) -> None:
        self.companies.reload()
        self.groups.reload()
        if self.stack.currentWidget() is self.company_page:
            self.company_page.reload()
        self.refresh_status()

    # -- status and state ---------------------------------------------------------------------
    def refresh_status(self) -> None:
        info = portfolio.status_info(self._db)
        parts = [
            f"Base : {info.database}",
            f"Conseiller : {info.advisor or 'non enregistré'}",
            f"Changements à synchroniser : {info.pending_changes}",
            f"Dernière synchronisation : {info.last_sync or 'jamais'}",
        ]
        if info.open_conflicts:
            parts.append(f"Conflits à résoudre : {info.open_conflicts}")
        self.status_label.setText("   |   ".join(parts))

    def _restore_state(self) -> None:
        # contains() first: value() of a missing key returns an empty QVariant (see
        # widgets.forms.selected on what those cost with PySide6 6.12).
        if self._settings.contains("main_window/geometry"):
            geometry = self._settings.value("main_window/geometry")
            if isinstance(geometry, QByteArray):
                self.restoreGeometry(geometry)
        section = (self._settings.value("main_window/section")
                   if self._settings.contains("main_window/section") else 0)
        try:
            row = int(str(section))
        except (TypeError, ValueError):
            row = 0
        self.nav.setCurrentRow(row if 0 <= row < len(SECTIONS) else 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("main_window/geometry", self.saveGeometry())
        self._settings.setValue("main_window/section", self.nav.currentRow())
        super().closeEvent(event)


