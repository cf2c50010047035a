"""Conflits: each change HQ and this laptop both made to the same field, with the two values
side by side, who changed each and when. The advisor keeps his value, HQ's, or types
another; the decision is a local change like any edit and reaches HQ at the next sync."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import sync_conflicts
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.services.sync_conflicts import KEEP_EDITED, KEEP_MINE, KEEP_THEIRS, ConflictRow
from advisor_app.ui.models.rows_table import Row, RowsTableModel
from advisor_app.ui.printing import Printable, Section
from advisor_app.ui.widgets.display import rows_view, view_title
from advisor_app.ui.widgets.forms import ERROR_STYLE
from advisor_app.ui.widgets.message_label import MessageLabel

CONFLICTS_HEADERS = ("Enregistrement", "Champ", "Ma valeur", "Valeur du siège", "En vigueur", "Depuis")
PRINT_HEADERS = ("Enregistrement", "Champ", "Ma valeur", "Valeur du siège", "Changée au siège par",
                 "Changée le")
IN_FORCE_STYLE = "color: #1b5e20; font-weight: bold;"
VALUE_STYLE = "font-size: 15px; padding: 6px; border: 1px solid #c8c8c8; border-radius: 4px;"


def _when(value: dt.datetime | None) -> str:
    return value.astimezone().strftime("%d/%m/%Y %H:%M") if value else "—"


def _record(c: ConflictRow) -> str:
    return " — ".join(part for part in (c.table_label, c.row_label) if part)


class _Side(QGroupBox):
    """One of the two values: the value, who changed it and when, and the button keeping it."""

    def __init__(self, title: str, keep_text: str) -> None:
        super().__init__(title)
        self.value = QLabel()
        self.value.setWordWrap(True)
        self.value.setStyleSheet(VALUE_STYLE)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.who = QLabel()
        self.who.setWordWrap(True)
        self.in_force = QLabel(tr("Valeur en vigueur"))
        self.in_force.setStyleSheet(IN_FORCE_STYLE)
        policy = self.in_force.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # both "keep" buttons stay on one line
        self.in_force.setSizePolicy(policy)
        self.keep = QPushButton(keep_text)
        layout = QVBoxLayout(self)
        for widget in (self.value, self.who, self.in_force, self.keep):
            layout.addWidget(widget)
        layout.addStretch(1)

    def show_value(self, text: str, who: str, in_force: bool) -> None:
        self.value.setText(text)
        self.who.setText(who)
        self.in_force.setVisible(in_force)


class ConflictsView(QWidget):
    back = Signal()
    changed = Signal()  # a conflict was resolved: a row may have changed
    sync_requested = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(parent)
        self._db = db
        self.conflicts: list[ConflictRow] = []
        self.back_button = QPushButton(tr("← Synchronisation"))
        self.back_button.setFlat(True)
        self.title = view_title(tr("Conflits à résoudre"))
        self.explain = QLabel(tr("Le siège et cet ordinateur ont changé le même champ. Choisissez la "
                                 "valeur à garder : votre choix partira au siège à la prochaine "
                                 "synchronisation."))
        self.explain.setWordWrap(True)
        self.model = RowsTableModel(CONFLICTS_HEADERS)
        self.table = rows_view(self.model)
        self.empty = QLabel(tr("Aucun conflit à résoudre."))
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold;")
        self.mine = _Side(tr("Ma valeur (cet ordinateur)"), tr("Garder la mienne"))
        self.theirs = _Side(tr("Valeur du siège"), tr("Garder celle du siège"))
        sides = QHBoxLayout()
        sides.addWidget(self.mine, 1)
        sides.addWidget(self.theirs, 1)
        self.edit = QLineEdit()
        self.edit_button = QPushButton(tr("Garder cette valeur"))
        self.edit_error = MessageLabel(ERROR_STYLE)
        edit_row = QHBoxLayout()
        self.edit_label = QLabel(tr("Ou une autre valeur :"))
        for widget in (self.edit_label, self.edit):
            edit_row.addWidget(widget)
        edit_row.addWidget(self.edit_button)
        self.detail = QWidget()
        detail = QVBoxLayout(self.detail)
        detail.setContentsMargins(0, 0, 0, 0)
        detail.addWidget(self.heading)
        detail.addLayout(sides)
        detail.addLayout(edit_row)
        detail.addWidget(self.edit_error)
        self.message = MessageLabel()
        self.sync_button = QPushButton(tr("Synchroniser maintenant"))

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        top.addWidget(self.sync_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        for widget in (self.title, self.explain, self.empty):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.message)

        self.back_button.clicked.connect(self.back)
        self.sync_button.clicked.connect(self.sync_requested)
        self.mine.keep.clicked.connect(lambda: self.resolve(KEEP_MINE))
        self.theirs.keep.clicked.connect(lambda: self.resolve(KEEP_THEIRS))
        self.edit_button.clicked.connect(lambda: self.resolve(KEEP_EDITED))
        self.edit.returnPressed.connect(lambda: self.resolve(KEEP_EDITED))
        self.edit.textEdited.connect(lambda _text: self.edit_error.clear())
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show(current.row()))
        if load:
            self.reload()

    def reload(self) -> None:
        selected = self.current()
        self.conflicts = sync_conflicts.list_conflicts(self._db)
        self.model.set_rows([
            Row(str(c.id), (_record(c), c.field_label, c.mine_text, c.theirs_text,
                            tr("la mienne") if c.kept == KEEP_MINE else tr("celle du siège"), _when(c.since)))
            for c in self.conflicts])
        self.title.setText(tr("Conflits à résoudre : {n}").format(n=len(self.conflicts)))
        has_rows = bool(self.conflicts)
        for widget in (self.table, self.detail, self.explain):
            widget.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        ids = [c.id for c in self.conflicts]
        row = ids.index(selected.id) if selected is not None and selected.id in ids else 0
        if has_rows:
            self.table.selectRow(row)
        self._show(row)

    def current(self) -> ConflictRow | None:
        index = self.table.currentIndex()
        row = index.row() if index.isValid() else 0
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def select(self, conflict_id: int) -> None:
        ids = [c.id for c in self.conflicts]
        if conflict_id in ids:
            self.table.selectRow(ids.index(conflict_id))

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.conflicts):
            return
        c = self.conflicts[row]
        self.heading.setText(tr("{record} : champ « {field} »").format(record=_record(c),
                                                                       field=c.field_label))
        mine_who = (tr("Changée sur cet ordinateur le {when}").format(when=_when(c.mine_at)) if c.mine_at
                    else tr("Changée sur cet ordinateur"))
        theirs_who = tr("Changée par {who} le {when}").format(
            who=c.theirs_by or tr("un autre ordinateur"), when=_when(c.theirs_at))
        self.mine.show_value(c.mine_text, mine_who, c.kept == KEEP_MINE)
        self.theirs.show_value(c.theirs_text, theirs_who, c.kept == KEEP_THEIRS)
        in_force = c.mine_text if c.kept == KEEP_MINE else c.theirs_text
        self.edit.setText("" if in_force == "—" else in_force)
        for widget in (self.edit_label, self.edit, self.edit_button):
            widget.setVisible(c.editable)
        self.edit_error.clear()

    def resolve(self, keep: str) -> bool:
        conflict = self.current()
        if conflict is None:
            return False
        try:
            done = sync_conflicts.resolve_conflict(self._db, conflict.id, keep,
                                                 value=self.edit.text() if keep == KEEP_EDITED else None)
        except UserError as exc:
            self.edit_error.setText(str(exc))
            return False
        kept = {KEEP_MINE: done.mine_text, KEEP_THEIRS: done.theirs_text}.get(keep, self.edit.text().strip())
        self.message.setText(tr("{record}, « {field} » : « {value} » gardé ; le siège le recevra à la "
                                "prochaine synchronisation.").format(record=_record(done),
                                                                     field=done.field_label, value=kept))
        self.reload()
        self.changed.emit()
        return True

    def printable(self) -> Printable:
        rows = [[_record(c), c.field_label, c.mine_text, c.theirs_text, c.theirs_by, _when(c.theirs_at)]
                for c in self.conflicts]
        return Printable(tr("Conflits à résoudre"), [Section(
            tr("Conflits à résoudre : {n}").format(n=len(rows)),
            [tr(h) for h in PRINT_HEADERS], rows)])
