"""The main window: navigation between the sections, the current view, a menu (new,
search, print, sync, settings), and a status bar (database, advisor, pending changes, last
sync, sync errors and progress). Remembers its size and the last section. A view is
refreshed when data changed and it is shown, not before; after a sync, only the sections
showing a table HQ changed."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import portfolio, sync_status
from advisor_app.services.database import Database
from advisor_app.ui import printables
from advisor_app.ui.backup_controller import AutoBackup
from advisor_app.ui.dialogs.company_dialog import CompanyDialog
from advisor_app.ui.dialogs.settings_dialog import SettingsDialog
from advisor_app.ui.printing import Printable, print_with_dialog
from advisor_app.ui.sync_controller import SyncController
from advisor_app.ui.views.actions_view import ActionsView
from advisor_app.ui.views.companies_view import CompaniesView
from advisor_app.ui.views.company_page import CompanyPage
from advisor_app.ui.views.conflicts_view import ConflictsView
from advisor_app.ui.views.dashboard_view import DashboardView
from advisor_app.ui.views.groups_view import GroupsView
from advisor_app.ui.views.sessions_view import SessionsView
from advisor_app.ui.views.sync_view import SyncView
from advisor_app.ui.widgets.sync_status_bar import SyncStatusBar
from advisor_app.ui.window_lock import WindowLock

SECTIONS = ("Entreprises", "Groupes", "Séances", "Plans d'action", "Tableau de bord",
            "Synchronisation")
# synced tables each section shows (by position in SECTIONS): a sync that changed none of
# them leaves the section as it is; None: every table (the dashboard counts them all)
_PEOPLE = {"company", "person", "enrolment", "stage_transition"}
_GROUPS = {"coaching_group", "group_membership"}
_PLANS = {"key_problem", "action", "indicator", "indicator_reading"}
_SESSIONS = {"coaching_session", "attendance", "commitment"}
SECTION_TABLES: tuple[frozenset[str] | None, ...] = (
    frozenset(_PEOPLE | _GROUPS), frozenset(_PEOPLE | _GROUPS), frozenset(_SESSIONS | _GROUPS | {"company"}),
    frozenset(_PLANS | {"company"}), None, None)
STATUS_TICK_MS = 30_000  # "il y a 5 min" stays true


class MainWindow(QMainWindow):
    def __init__(self, db: Database, settings: QSettings | None = None,
                 parent: QWidget | None = None, *, automatic_backups: bool = False) -> None:
        super().__init__(parent)
        self._db = db
        self._settings = settings or QSettings()
        self.setWindowTitle(f"Mowakaba — {db.path.name}")
        self.resize(1280, 760)

        self.nav = QListWidget()
        self.nav.addItems([tr(section) for section in SECTIONS])
        self.nav.setFixedWidth(170)
        self.nav.setObjectName("navigation")
        self.companies = CompaniesView(db)
        self.company_page = CompanyPage(db)
        self.groups = GroupsView(db)
        # Sections are read when first shown, not all at start-up.
        self.sessions = SessionsView(db, load=False)
        self.action_plans = ActionsView(db, load=False)
        self.dashboard = DashboardView(db, load=False)
        self.sync_controller = SyncController(db, self)
        self.sync = SyncView(db, load=False, controller=self.sync_controller)
        self.conflicts = ConflictsView(db, load=False)
        self.sections: tuple[QWidget, ...] = (
            self.companies, self.groups, self.sessions, self.action_plans, self.dashboard, self.sync)
        self._stale: set[QWidget] = {self.sessions, self.action_plans, self.dashboard, self.sync}
        self.stack = QStackedWidget()
        for view in (*self.sections, self.company_page, self.conflicts):
            self.stack.addWidget(view)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.window_lock = WindowLock(self, db)  # idle lock of an encrypted database
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label, 1)
        self.sync_bar = SyncStatusBar()
        self.statusBar().addPermanentWidget(self.sync_bar)
        self._build_menu()

        self.nav.currentRowChanged.connect(self.show_section)
        # a click on the current section comes back to it from a page (company, conflicts)
        self.nav.itemClicked.connect(lambda item: self.show_section(self.nav.row(item)))
        self.companies.open_company.connect(self.open_company)
        self.companies.new_company.connect(self.new_company)
        self.sessions.open_company.connect(self.open_company)
        self.sessions.open_group.connect(self.open_group)
        self.action_plans.open_company.connect(self.open_company)
        self.dashboard.open_company.connect(self.open_company)
        self.company_page.back.connect(lambda: self.show_section(0))
        self.company_page.changed.connect(self.data_changed)
        self.groups.changed.connect(self.data_changed)
        self.sessions.changed.connect(self.data_changed)
        self._connect_sync()
        self.auto_backup = AutoBackup(db, self)  # the app's; tests make windows without it
        if automatic_backups:
            self.sync_controller.finished.connect(self.auto_backup.after_sync)
            QTimer.singleShot(0, self.auto_backup.at_start)

        self._restore_state()
        self.refresh_status()

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(tr("&Fichier"))
        entries = (
            ("new", tr("&Nouveau…"), QKeySequence.StandardKey.New, self.new_in_current_view),
            ("find", tr("&Rechercher une entreprise"), QKeySequence.StandardKey.Find,
             self.find_in_current_view),
            ("print", tr("&Imprimer…"), QKeySequence.StandardKey.Print, self.print_current),
            ("import", tr("I&mporter des entreprises…"), QKeySequence(), self.import_companies),
            ("export", tr("&Exporter vers Excel…"), QKeySequence("Ctrl+E"), self.export_current),
            ("sync", tr("&Synchroniser avec le siège"), QKeySequence("F9"), self.start_sync),
            ("settings", tr("&Paramètres…"), QKeySequence.StandardKey.Preferences,
             self.open_settings),
            ("lock", tr("&Verrouiller"), QKeySequence("Ctrl+L"), self.window_lock.lock),
            ("backups", tr("Sauvegardes et &restauration…"), QKeySequence(), self.open_backups),
            ("quit", tr("&Quitter"), QKeySequence.StandardKey.Quit, self.close),
        )
        self.menu_actions: dict[str, QAction] = {}
        for name, text, key, slot in entries:
            action = QAction(text, self)
            action.setShortcut(key)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.menu_actions[name] = action
        self.menu_actions["lock"].setVisible(self.window_lock.available)
        if self.menu_actions["settings"].shortcut().isEmpty():  # no standard key on Windows
            self.menu_actions["settings"].setShortcut(QKeySequence("Ctrl+,"))

    # -- navigation ---------------------------------------------------------------------------
    def show_section(self, row: int) -> None:
        if row < 0 or row >= len(self.sections):
            return
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # re-enters with the same row
            return
        view = self.sections[row]
        if view in self._stale:
            self._stale.discard(view)
            self._refresh(view)
        self.stack.setCurrentWidget(view)

    def open_company(self, company_id: str) -> None:
        self.company_page.show_company(company_id)
        self.stack.setCurrentWidget(self.company_page)
        # the page belongs to the companies section (its back button leads there), whichever
        # screen opened it
        with QSignalBlocker(self.nav):
            self.nav.setCurrentRow(0)

    def open_conflicts(self) -> None:
        self.conflicts.reload()
        self.stack.setCurrentWidget(self.conflicts)

    def open_group(self, group_id: str) -> None:
        self.show_section(SECTIONS.index("Groupes"))
        self.groups.select_group(group_id)

    def new_company(self) -> None:
        dialog = CompanyDialog(self._db, parent=self)
        if dialog.exec() and dialog.saved_id:
            self.data_changed()
            self.open_company(dialog.saved_id)

    def new_in_current_view(self) -> None:
        if self.stack.currentWidget() is self.groups:
            self.groups.new_group()
        elif self.stack.currentWidget() is self.sessions:
            self.sessions.new_session()
        else:
            self.new_company()

    def import_companies(self) -> None:
        """File → Import: .xlsx or CSV, checked and previewed before anything is written."""
        from advisor_app.ui.dialogs.import_dialog import open_import_dialog  # openpyxl on demand

        dialog = open_import_dialog(self, self._db)
        if dialog.import_result is not None:
            self.data_changed()

    def export_current(self) -> None:
        """File → Export: what the current section shows (the companies list with its filters)."""
        from advisor_app.ui.dialogs import export_dialog  # openpyxl on demand

        kinds: dict[QWidget, str] = {self.sessions: export_dialog.SESSIONS,
                                     self.action_plans: export_dialog.ACTIONS,
                                     self.dashboard: export_dialog.DASHBOARD}
        kind = kinds.get(self.stack.currentWidget() or self.companies, export_dialog.COMPANIES)
        export_dialog.ExportDialog(self._db, self, company_filter=self.companies.current_filter(),
                                   kind=kind).exec()

    def find_in_current_view(self) -> None:
        self.show_section(0)
        self.companies.focus_search()

    def data_changed(self) -> None:
        """Something was saved: the current view reloads now, the others when shown."""
        current = self.stack.currentWidget()
        self._stale = {view for view in self.sections if view is not current}
        if current is self.company_page:
            self.company_page.reload()
        elif isinstance(current, QWidget):
            self._refresh(current)
        self.refresh_status()

    def _refresh(self, view: QWidget) -> None:
        reload = getattr(view, "reload", None)
        assert reload is not None, f"{type(view).__name__} cannot reload"
        reload()

    # -- sync -----------------------------------------------------------------------------------
    def _connect_sync(self) -> None:
        controller = self.sync_controller
        controller.set_interval(sync_status.overview(self._db).auto_sync_minutes)
        controller.started.connect(lambda: self.sync_bar.set_running(True))
        controller.progress.connect(self.sync_bar.progress_text.setText)
        controller.finished.connect(self.after_sync)
        controller.failed.connect(lambda _kind, _message: self.refresh_status())
        controller.idle.connect(lambda: self.sync_bar.set_running(False))
        self.sync_bar.sync_requested.connect(self.start_sync)
        self.sync_bar.open_conflicts.connect(self.open_conflicts)
        self.sync.open_conflicts.connect(self.open_conflicts)
        self.sync.enrolment_changed.connect(self.refresh_status)
        self.conflicts.back.connect(lambda: self.show_section(SECTIONS.index("Synchronisation")))
        self.conflicts.changed.connect(self.data_changed)
        self.conflicts.sync_requested.connect(self.start_sync)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self.refresh_status)
        self._tick.start(STATUS_TICK_MS)

    def start_sync(self) -> None:
        """Starts a sync in the background (nothing if one runs or the laptop is not enrolled)."""
        if sync_status.overview(self._db).hq_url:
            self.sync_controller.start()
        else:
            self.show_section(SECTIONS.index("Synchronisation"))

    def after_sync(self, report: object) -> None:
        """Reloads the sections showing a table HQ changed: the current one now, the others
        when shown. The sync screen always (its counts changed)."""
        changed = set(getattr(report, "changed_tables", set()))
        current = self.stack.currentWidget()
        for view, tables in zip(self.sections, SECTION_TABLES, strict=True):
            shows_changed = bool(changed) if tables is None else bool(tables & changed)
            if view is self.sync or not shows_changed:
                continue
            if view is current:
                self._refresh(view)
            else:
                self._stale.add(view)
        if current is self.company_page and changed:
            self.company_page.reload()
        if current is self.conflicts:
            self.conflicts.reload()
        self.refresh_status()

    # -- printing and settings ----------------------------------------------------------------
    def current_printable(self) -> Printable:
        view = self.stack.currentWidget()
        if view is self.companies:
            sort, descending = self.companies.model.sort_order
            model = self.companies.model
            headers = [str(model.headerData(c, Qt.Orientation.Horizontal))
                       for c in range(model.columnCount())]
            return printables.companies_list(
                self._db, model.company_filter, sort, descending, headers,
                " — ".join((tr("Entreprises"), printables.plain(self.companies.title.text()))))
        if view is self.company_page:
            page = self.company_page
            note = " — ".join(printables.plain(label.text()) for label in (page.identity, page.summary))
            return printables.tabbed_tables(
                printables.plain(page.title.text()), note,
                [(page.tabs.tabText(i), tab) for i in range(page.tabs.count())
                 if (tab := page.tabs.widget(i)) is not None])
        if view is self.groups:
            return Printable(tr("Groupes"), [
                printables.table_section(tr("Groupes d'accompagnement"), self.groups.group_table),
                printables.table_section(printables.plain(self.groups.title.text()),
                                         self.groups.member_table)])
        printable = getattr(view, "printable", None)
        assert printable is not None, f"{type(view).__name__} has nothing to print"
        result: Printable = printable()
        return result

    def print_current(self) -> None:
        print_with_dialog(self.current_printable(), self)

    def open_settings(self) -> None:
        SettingsDialog(self._settings, parent=self, db=self._db).exec()
        self.window_lock.reload_settings()

    # -- status and state ---------------------------------------------------------------------
    def open_backups(self) -> None:
        from advisor_app.ui.dialogs.restore_dialog import RestoreDialog

        self.auto_backup.wait()
        dialog = RestoreDialog(self._db, self)
        dialog.restored.connect(self.data_changed)
        dialog.exec()

    def refresh_status(self) -> None:
        info = portfolio.status_info(self._db)
        parts = [
            tr("Base : {path}").format(path=info.database),
            tr("Conseiller : {name}").format(name=info.advisor or tr("non enregistré")),
            tr("Changements à synchroniser : {n}").format(n=info.pending_changes),
        ]
        self.status_label.setText("   |   ".join(parts))
        self.sync_bar.show_overview(sync_status.overview(self._db), self.sync_controller.last_failure)

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
        self.sync_controller.wait()  # cancelled between batches: what was exchanged stays
        self.auto_backup.wait()
        self.window_lock.stop()
        self._settings.setValue("main_window/geometry", self.saveGeometry())
        self._settings.setValue("main_window/section", self.nav.currentRow())
        super().closeEvent(event)


