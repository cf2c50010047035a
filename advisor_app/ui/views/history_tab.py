"""The "Historique" tab of a company page: who changed what and when, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services.audit import HistoryLine, company_history
from advisor_app.services.database import Database

HEADERS = ("Date", "Par", "Élément", "Action", "Changements")


class HistoryTab(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.lines: list[HistoryLine] = []
        self.empty = QLabel(tr("Aucun changement enregistré pour cette entreprise."))
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def show_company(self, company_id: str | None) -> None:
        self.lines = company_history(self._db, company_id) if company_id else []
        self.empty.setVisible(not self.lines)
        self.table.setRowCount(len(self.lines))
        for r, line in enumerate(self.lines):
            changes = "\n".join(change.text for change in line.changes)
            values = (line.at.strftime("%d/%m/%Y %H:%M"), line.who, line.record, line.action, changes)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == len(values) - 1 and changes:
                    item.setToolTip(changes)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
