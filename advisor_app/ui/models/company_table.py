"""Table model over the company list: filtered, sorted and paged in SQL (100k rows stay fast).

Rows arrive a page at a time (``fetchMore``); a click on a header re-queries with ORDER BY
instead of sorting Python objects (DESIGN.md: never a proxy sort over a large model)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from advisor_app.i18n import tr
from advisor_app.services.companies import SORT_COLUMNS, CompanyFilter, CompanyRow

FIRST_PAGE = 40  # what a search keystroke reads: a screenful (the view fetches more if taller)
PAGE_SIZE = 500  # each further page, as the user scrolls
HEADERS = ("Entreprise", "Ville", "Région", "Secteur", "Étape", "Groupe")  # shown through tr()
_FIELDS = ("name", "city", "region", "sector", "stage", "group")
OVERDUE_BRUSH = QBrush(QColor("#b3261e"))

AnyIndex = QModelIndex | QPersistentModelIndex
# (filter, sort column, descending, offset, limit, count of the filter) -> rows ; (filter) -> count
PageLoader = Callable[[CompanyFilter, str, bool, int, int, int], list[CompanyRow]]
Counter = Callable[[CompanyFilter], int]


class CompanyTableModel(QAbstractTableModel):
    def __init__(self, load_page: PageLoader, count: Counter, parent: Any = None) -> None:
        super().__init__(parent)
        self._load_page = load_page
        self._count = count
        self._filter = CompanyFilter()
        self._sort = "name"
        self._descending = False
        self._rows: list[CompanyRow] = []
        self._total = 0
        self.reload()

    # -- queries ------------------------------------------------------------------------------
    def set_filter(self, company_filter: CompanyFilter) -> None:
        if company_filter != self._filter:
            self._filter = company_filter
            self.reload()

    @property
    def company_filter(self) -> CompanyFilter:
        return self._filter

    @property
    def sort_order(self) -> tuple[str, bool]:
        """(sort column, descending) as shown."""
        return self._sort, self._descending

    def reload(self) -> None:
        self.beginResetModel()
        self._total = self._count(self._filter)
        self._rows = self._load_page(self._filter, self._sort, self._descending, 0, FIRST_PAGE, self._total)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SORT_COLUMNS):
            return
        self._sort = SORT_COLUMNS[column]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        self._rows = self._load_page(self._filter, self._sort, self._descending, 0, FIRST_PAGE, self._total)
        self.layoutChanged.emit()

    @property
    def total(self) -> int:
        return self._total

    def company_id(self, row: int) -> str | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return getattr(row, _FIELDS[index.column()])
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.overdue_actions:
                return tr("{company} : {count} action(s) en retard").format(
                    company=row.name, count=row.overdue_actions)
            return getattr(row, _FIELDS[index.column()])
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue_actions and index.column() == 0:
            return OVERDUE_BRUSH
        if role == Qt.ItemDataRole.DecorationRole and row.overdue_actions and index.column() == 0:
            return OVERDUE_BRUSH.color()  # a red mark before the name: late actions
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return tr(HEADERS[section])
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = self._load_page(self._filter, self._sort, self._descending, len(self._rows), PAGE_SIZE,
                               self._total)
        if not page:
            self._total = len(self._rows)  # rows vanished since counting
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()
