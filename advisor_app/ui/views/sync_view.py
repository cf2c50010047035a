"""Synchronisation: where this laptop stands with headquarters — enrolment, changes waiting
to be sent (by kind of record), last sync, conflicts waiting for a decision."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from advisor_app.i18n import tr
from advisor_app.services.database import Database
from advisor_app.services.sync_status import SyncStatus, sync_status
from advisor_app.ui.models.rows_table import Row, RowsTableModel
from advisor_app.ui.printing import Printable, Section
from advisor_app.ui.widgets.display import rows_view, view_title

PENDING_HEADERS = ("Type d'enregistrement", "Changements", "Plus ancien changement")
CONFLICT_HEADERS = ("Type d'enregistrement", "Champ", "Ma valeur", "Valeur du siège",
                    "Valeur retenue", "Depuis")


def _moment(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone().strftime("%d/%m/%Y %H:%M")
    return str(value or "")


def _box(table: QWidget, empty: QLabel) -> QGroupBox:
    box = QGroupBox()
    layout = QVBoxLayout(box)
    layout.addWidget(empty)
    layout.addWidget(table)
    return box


def enrolment_text(status: SyncStatus) -> str:
    if status.hq_url:
        return tr("Inscrit auprès du siège : {url}").format(url=status.hq_url)
    text = tr("Cet ordinateur n'est inscrit auprès d'aucun siège : les changements restent "
              "enregistrés ici, en sécurité, et partiront à la première synchronisation.")
    if status.demo_data:
        text += " " + tr("Les données de démonstration ne sont jamais envoyées au siège.")
    return text


class SyncView(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(parent)
        self._db = db
        self.status: SyncStatus | None = None
        title = view_title(tr("Synchronisation"))
        self.enrolment = QLabel()
        self.enrolment.setWordWrap(True)
        self.device = QLabel()
        self.device.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.last_sync = QLabel()
        self.pending_model = RowsTableModel(PENDING_HEADERS, right_aligned=(1,))
        self.pending_table = rows_view(self.pending_model)
        self.pending_empty = QLabel(tr("Rien à envoyer : tout ce qui a été saisi ici est déjà au siège "
                                       "ou n'a pas à y aller."))
        self.pending_box = _box(self.pending_table, self.pending_empty)
        self.conflict_model = RowsTableModel(CONFLICT_HEADERS)
        self.conflict_table = rows_view(self.conflict_model, stretch=2)
        self.conflict_empty = QLabel(tr("Aucun conflit."))
        self.conflict_box = _box(self.conflict_table, self.conflict_empty)

        layout = self._layout = QVBoxLayout(self)
        for widget in (title, self.enrolment, self.device, self.last_sync):
            layout.addWidget(widget)
        layout.addWidget(self.pending_box, 2)
        layout.addWidget(self.conflict_box, 1)
        layout.addStretch(0)  # takes the room of empty tables
        if load:  # the main window loads a section when it is first shown
            self.reload()

    def reload(self) -> None:
        status = self.status = sync_status(self._db)
        self.enrolment.setText(enrolment_text(status))
        self.device.setText(tr("Identifiant de cet ordinateur : {id}").format(id=status.device_id))
        self.last_sync.setText(tr("Dernière synchronisation : {when}").format(
            when=status.last_sync or tr("jamais")))
        self.pending_box.setTitle(tr("Changements à envoyer : {n}").format(n=status.pending_total))
        self.pending_model.set_rows([
            Row(kind.table, (kind.label, str(kind.changes), _moment(kind.oldest)))
            for kind in status.pending])
        self.conflict_box.setTitle(tr("Conflits à résoudre : {n}").format(n=len(status.conflicts)))
        self.conflict_model.set_rows([
            Row(str(c.id), (c.table_label, c.field, c.local_value, c.remote_value,
                            tr("la mienne") if c.kept == "local" else tr("celle du siège"),
                            _moment(c.since)))
            for c in status.conflicts])
        for box, table, empty, rows, share in (
                (self.pending_box, self.pending_table, self.pending_empty, status.pending, 2),
                (self.conflict_box, self.conflict_table, self.conflict_empty, status.conflicts, 1)):
            table.setVisible(bool(rows))
            empty.setVisible(not rows)
            self._layout.setStretchFactor(box, share if rows else 0)
        self._layout.setStretch(self._layout.count() - 1,
                                0 if status.pending or status.conflicts else 1)

    def printable(self) -> Printable:
        status = self.status or sync_status(self._db)
        rows = [[kind.label, str(kind.changes), _moment(kind.oldest)] for kind in status.pending]
        conflicts = [[c.table_label, c.field, c.local_value, c.remote_value] for c in status.conflicts]
        return Printable(tr("Synchronisation"), [
            Section(tr("Changements à envoyer : {n}").format(n=status.pending_total),
                    [tr(h) for h in PENDING_HEADERS], rows),
            Section(tr("Conflits à résoudre : {n}").format(n=len(status.conflicts)),
                    [tr(h) for h in CONFLICT_HEADERS[:4]], conflicts)], note=enrolment_text(status))
