"""The two commitment tables of the session form: earlier commitments to review (shown
first), and the commitments taken at this session (who / what / by when)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.labels import COMMITMENT_STATUS_LABELS, choices
from advisor_app.i18n import tr
from advisor_app.services.session_context import PersonChoice, ReviewRow, facilitator_label
from advisor_app.services.sessions import CommitmentInput
from advisor_app.ui.widgets.display import fmt_date, widget_table
from advisor_app.ui.widgets.forms import combo, date_edit, from_qdate, selected, to_qdate

FACILITATOR = "facilitator"  # data of the "who" item for the facilitator
REVIEW_HEADERS = ("Pris le", "Entreprise", "Qui", "Engagement", "Échéance", "Suite donnée")
TAKEN_HEADERS = ("Qui", "Engagement", "Échéance")
LATE = QColor("#b3261e")


class ReviewTable(QTableWidget):
    """Open commitments of earlier sessions: the facilitator says what became of each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(REVIEW_HEADERS), parent)
        self.setHorizontalHeaderLabels([tr(h) for h in REVIEW_HEADERS])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setWordWrap(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.rows: list[ReviewRow] = []
        self.status_boxes: list[QComboBox] = []

    def set_rows(self, rows: list[ReviewRow], day: dt.date | None) -> None:
        """Shows ``rows``, keeping the choices made for those shown before."""
        kept = self.decisions()
        self.rows, self.status_boxes = list(rows), []
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            late = row.status == "open" and row.due_on is not None and day is not None and row.due_on < day
            for c, text in enumerate((fmt_date(row.taken_on), row.company_name, row.who, row.what,
                                      fmt_date(row.due_on))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if late and c == 4:
                    item.setForeground(LATE)
                    item.setToolTip(tr("Échéance dépassée"))
                self.setItem(r, c, item)
            box = combo(choices(COMMITMENT_STATUS_LABELS), kept.get(row.id, row.status))
            self.setCellWidget(r, 5, box)
            self.status_boxes.append(box)
        self.resizeRowsToContents()

    def decisions(self) -> dict[str, str]:
        """Commitment id -> status chosen (every row shown)."""
        return {row.id: selected(box) or row.status for row, box in zip(self.rows, self.status_boxes,
                                                                          strict=True)}


class TakenCommitments(QWidget):
    """Commitments taken at this session; rows added and removed freely until saved."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = widget_table(TAKEN_HEADERS, stretch=1, editable=True)
        header = self.table.horizontalHeader()
        for column, width in ((0, 300), (2, 130)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.add_button = QPushButton(tr("Ajouter un engagement"))
        self.remove_button = QPushButton(tr("Retirer l'engagement"))
        self._people: list[PersonChoice] = []
        self._ids: list[str | None] = []
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_selected)

    def _who_items(self, keep: str | None) -> list[tuple[str, str]]:
        items = [("", tr("— qui ? —")), *((p.id, p.name) for p in self._people),
                 (FACILITATOR, facilitator_label())]
        if keep and keep != FACILITATOR and keep not in {p.id for p in self._people}:
            items.append((keep, tr("Personne qui n'est plus attendue")))
        return items

    def set_people(self, people: list[PersonChoice]) -> None:
        """Who may commit (the people expected); each row keeps its choice."""
        self._people = list(people)
        for r in range(self.table.rowCount()):
            box = self._who(r)
            current = selected(box)
            box.blockSignals(True)
            box.clear()
            for value, text in self._who_items(current):
                box.addItem(text, value)
            box.setCurrentIndex(max(box.findData(current or ""), 0))
            box.blockSignals(False)

    def add_row(self, item: CommitmentInput | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._ids.append(item.id if item else None)
        person = (FACILITATOR if item.by_facilitator else item.person_id) if item else None
        self.table.setCellWidget(row, 0, combo(self._who_items(person), person))
        what = QLineEdit(item.what if item else "")
        what.setPlaceholderText(tr("ex. envoyer le tableau de trésorerie"))
        self.table.setCellWidget(row, 1, what)
        self.table.setCellWidget(row, 2, date_edit(item.due_on if item else None, optional=True))
        self.table.selectRow(row)
        return row

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            row = rows[0].row()
            self.table.removeRow(row)
            del self._ids[row]

    def set_commitments(self, items: list[CommitmentInput]) -> None:
        self.table.setRowCount(0)
        self._ids = []
        for item in items:
            self.add_row(item)

    def _who(self, row: int) -> QComboBox:
        box = self.table.cellWidget(row, 0)
        assert isinstance(box, QComboBox)
        return box

    def what_edit(self, row: int) -> QLineEdit:
        edit = self.table.cellWidget(row, 1)
        assert isinstance(edit, QLineEdit)
        return edit

    def set_who(self, row: int, person_id: str) -> None:
        box = self._who(row)
        box.setCurrentIndex(max(box.findData(person_id), 0))

    def set_due(self, row: int, day: dt.date | None) -> None:
        self._due(row).setDate(to_qdate(day))

    def _due(self, row: int) -> QDateEdit:
        edit = self.table.cellWidget(row, 2)
        assert isinstance(edit, QDateEdit)
        return edit

    def commitments(self) -> list[CommitmentInput]:
        """Rows as typed; a new row left empty is ignored."""
        found = []
        for row in range(self.table.rowCount()):
            what = self.what_edit(row).text().strip()
            if not what and self._ids[row] is None and not selected(self._who(row)):
                continue
            who = selected(self._who(row))
            found.append(CommitmentInput(
                id=self._ids[row], person_id=None if who == FACILITATOR else who, what=what,
                due_on=from_qdate(self._due(row).date()), by_facilitator=who == FACILITATOR))
        return found
