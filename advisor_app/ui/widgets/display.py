"""How values are written on screen (French conventions: 12/03/2026, 1,5, 75 %) and the
read-only table view the list screens share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QTableWidget, QWidget

from advisor_app.i18n import tr
from advisor_app.ui.models.rows_table import RowsTableModel
from advisor_app.ui.widgets.forms import number_text, percent_text

MAX_COLUMN_WIDTH = 220
MIN_STRETCH_WIDTH = 260


def fmt_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def fmt_time(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def fmt_num(value: float) -> str:
    return number_text(value)


def fmt_pct(value: float | None) -> str:
    """As ``percent_text``, with "—" for no value (an empty cell reads as missing data)."""
    return percent_text(value) or "—"


class RowsView(QTableView):
    """Read-only rows. Columns are as wide as their content up to ``MAX_COLUMN_WIDTH`` (long
    texts elided, whole in the tooltip); the ``stretch`` column (the one that says what the
    row is) takes the room left, never less than ``MIN_STRETCH_WIDTH``; the user can still
    drag any column."""

    def __init__(self, model: RowsTableModel, stretch: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stretch = stretch
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        model.modelReset.connect(self.fit_columns)

    def fit_columns(self) -> None:
        header = self.horizontalHeader()
        self.resizeColumnsToContents()
        others = 0
        for column in range(header.count()):
            if column != self._stretch:
                header.resizeSection(column, min(header.sectionSize(column), MAX_COLUMN_WIDTH))
                others += header.sectionSize(column)
        room = self.viewport().width() - others
        header.resizeSection(self._stretch, max(room, MIN_STRETCH_WIDTH))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()


def view_title(text: str) -> QLabel:
    """A section's heading (its text already translated)."""
    title = QLabel(text)
    title.setObjectName("view_title")
    title.setStyleSheet("font-size: 16px; font-weight: bold;")
    return title


def widget_table(headers: Sequence[str], *, stretch: int = 0, select_rows: bool = True,
                 editable: bool = False) -> QTableWidget:
    """A QTableWidget for a few dozen rows filled by hand: translated headers, no row
    numbers, columns fitted to their content but ``stretch``, which takes the rest."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels([tr(h) for h in headers])
    table.verticalHeader().setVisible(False)
    if select_rows:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    else:
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    if not editable:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def rows_view(model: RowsTableModel, *, stretch: int = 0, parent: QWidget | None = None) -> RowsView:
    return RowsView(model, stretch, parent)
