"""The portfolio: every company with its stage and group."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from advisor_app.services import portfolio
from advisor_app.services.database import Database
from advisor_app.ui.models.company_table import CompanyTableModel

COLUMN_WIDTHS = (300, 120, 150, 230, 150)  # the last column (group) takes the rest


class CompaniesView(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.title = QLabel()
        self.title.setObjectName("viewTitle")
        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        self.model: CompanyTableModel | None = None
        self.reload()

    def reload(self) -> None:
        total = portfolio.company_count(self._db)
        self.model = CompanyTableModel(
            lambda offset, limit: portfolio.company_page(self._db, offset=offset, limit=limit),
            total,
            self,
        )
        self.table.setModel(self.model)
        if self.model.canFetchMore():  # the first page now, the next ones as the user scrolls
            self.model.fetchMore()
        # Fixed starting widths: ResizeToContents would measure every loaded row.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        if total == 0:
            self.title.setText(
                "Aucune entreprise pour l'instant. Pour explorer l'application avec des "
                f"données fictives : advisor-app demo --db \"{self._db.path}\" --companies 60"
            )
        else:
            self.title.setText(f"Entreprises du portefeuille : {total}")
