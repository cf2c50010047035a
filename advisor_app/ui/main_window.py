"""The main window: the portfolio and a status bar (database, advisor, pending changes)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from advisor_app.services import portfolio
from advisor_app.services.database import Database
from advisor_app.ui.views.companies_view import CompaniesView


class MainWindow(QMainWindow):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.setWindowTitle(f"Mowakaba — {db.path.name}")
        self.resize(1100, 700)
        self.companies = CompaniesView(db, self)
        self.setCentralWidget(self.companies)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label, 1)
        self.refresh_status()

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
