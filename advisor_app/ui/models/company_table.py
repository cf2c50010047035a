"""Table model over the company list, loaded page by page from SQL (never all rows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from advisor_app.services.portfolio import CompanyRow

PAGE_SIZE = 500

HEADERS = ("Entreprise", "Ville", "Région", "Secteur", "Étape", "Groupe")
_FIELDS = ("name", "city", "region", "sector", "stage", "group")

AnyIndex = QModelIndex | QPersistentModelIndex
PageLoader = Callable[[int, int], list[CompanyRow]]


class CompanyTableModel(QAbstractTableModel):
    def __init__(self, load_page: PageLoader, total: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._load_page = load_page
        self._total = total
        self._rows: list[CompanyRow] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return getattr(row, _FIELDS[index.column()])
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = self._load_page(len(self._rows), PAGE_SIZE)
        if not page:
            self._total = len(self._rows)  # rows vanished since counting
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    @property
    def total(self) -> int:
        return self._total
