"""What Ctrl+P prints for each screen. Screens built from tables print those tables as
shown (same columns, same words, late rows in red); the companies list prints the current
search, filters and sort from the database, not just the rows scrolled into view."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView, QTableWidget, QWidget

from advisor_app.i18n import tr
from advisor_app.services import companies
from advisor_app.services.database import Database
from advisor_app.ui.models.rows_table import ALERT
from advisor_app.ui.printing import Printable, Section

PRINT_LIMIT = 2000  # companies printed from a list; the note says when there are more
_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """A label's rich text as printable plain text."""
    return re.sub(r"\s+", " ", _TAG.sub("", text)).strip()


def _is_alert(value: object) -> bool:
    color = value.color() if isinstance(value, QBrush) else value
    return isinstance(color, QColor) and color.name() == ALERT.name()


def table_section(heading: str, view: QAbstractItemView, *, rtl_columns: tuple[int, ...] = ()) -> Section:
    """The rows of a table view or widget as they are displayed."""
    model: QAbstractItemModel = view.model()
    columns = [c for c in range(model.columnCount())
               if not (isinstance(view, QTableView) and view.isColumnHidden(c))]
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns]
    rows: list[list[str]] = []
    alerts: set[int] = set()
    for r in range(model.rowCount()):
        rows.append([str(model.data(model.index(r, c)) or "") for c in columns])
        if columns and _is_alert(model.data(model.index(r, columns[0]), Qt.ItemDataRole.ForegroundRole)):
            alerts.add(r)
    return Section(heading, headers, rows, rtl_columns=rtl_columns, alert_rows=frozenset(alerts))


def tabbed_tables(title: str, note: str, tabs: Sequence[tuple[str, QWidget]]) -> Printable:
    """One section per tab holding a table (the company page)."""
    sections = []
    for heading, page in tabs:
        table = page if isinstance(page, QTableView) else page.findChild(QTableView)
        if table is not None:
            rtl = tuple(c for c in range(table.model().columnCount())
                        if isinstance(table, QTableWidget) and _column_is_rtl(table, c))
            sections.append(table_section(plain(heading), table, rtl_columns=rtl))
    return Printable(title, sections, note=note)


def _column_is_rtl(table: QTableWidget, column: int) -> bool:
    item = table.item(0, column) if table.rowCount() else None
    return item is not None and bool(item.textAlignment() & Qt.AlignmentFlag.AlignRight)


def companies_list(db: Database, company_filter: companies.CompanyFilter, sort: str, descending: bool,
                   headers: Sequence[str], title: str) -> Printable:
    total = companies.count_companies(db, filter=company_filter)
    rows = companies.search_companies(db, filter=company_filter, sort=sort, descending=descending,
                                      limit=PRINT_LIMIT)
    note = tr("{n} entreprise(s).").format(n=total)
    if total > len(rows):
        note = tr("Les {shown} premières entreprises sur {n} (affinez la recherche pour tout imprimer).") \
            .format(shown=len(rows), n=total)
    return Printable(title, [Section("", list(headers), [
        [r.name, r.city, r.region, r.sector, r.stage, r.group] for r in rows])], note=note)
