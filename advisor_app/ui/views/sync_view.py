"""Synchronisation: where this laptop stands with headquarters — who it is enrolled for and
from which region, the sync button (run in a worker, with progress, cancellable), automatic
sync, changes waiting to be sent (by kind of record), conflicts waiting for a decision —
and enrolling or forgetting the laptop."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import sync_conflicts, sync_device, sync_status
from advisor_app.services.database import Database
from advisor_app.services.sync_status import Overview, SyncStatus
from advisor_app.ui.dialogs.hq_enrolment_dialog import HqEnrolmentDialog
from advisor_app.ui.models.rows_table import Row, RowsTableModel
from advisor_app.ui.printing import Printable, Section
from advisor_app.ui.sync_controller import SyncController
from advisor_app.ui.sync_worker import CANCELLED
from advisor_app.ui.widgets.display import rows_view, view_title
from advisor_app.ui.widgets.forms import ERROR_STYLE, combo, selected
from advisor_app.ui.widgets.message_label import MessageLabel

PENDING_HEADERS = ("Type d'enregistrement", "Changements", "Plus ancien changement")
CONFLICT_HEADERS = ("Type d'enregistrement", "Champ", "Ma valeur", "Valeur du siège",
                    "Valeur retenue", "Depuis")
AUTO_SYNC_LABELS = {0: "Jamais", 15: "Toutes les 15 minutes", 30: "Toutes les 30 minutes",
                    60: "Toutes les heures", 120: "Toutes les 2 heures"}


def _moment(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone().strftime("%d/%m/%Y %H:%M")
    return str(value or "")


def _record(conflict: sync_conflicts.ConflictRow) -> str:
    """The kind of record and which one: "Entreprises — Tissage Fès"."""
    return " — ".join(part for part in (conflict.table_label, conflict.row_label) if part)


def _box(title: str, *widgets: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for widget in widgets:
        layout.addWidget(widget)
    return box


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return holder


def _confirm(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str,
             action: tuple[str, QMessageBox.ButtonRole], cancel: str) -> bool:
    """Whether the advisor chose ``action`` (its label and role) rather than ``cancel``."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Cancel, parent)
    chosen = box.addButton(*action)
    box.button(QMessageBox.StandardButton.Cancel).setText(cancel)
    box.exec()
    return box.clickedButton() is chosen


def _labels(tables: list[str]) -> str:
    """Synced tables as the advisor calls their rows."""
    return ", ".join(sync_status.table_label(table) for table in tables)


def enrolment_text(status: SyncStatus | Overview) -> str:
    if status.hq_url:
        text = tr("Inscrit auprès du siège : {url}").format(url=status.hq_url)
        if isinstance(status, Overview) and status.advisor_name:
            text += "\n" + tr("Conseiller : {name} — région {region}").format(
                name=status.advisor_name, region=status.region or "—")
        return text
    text = tr("Cet ordinateur n'est inscrit auprès d'aucun siège : les changements restent "
              "enregistrés ici, en sécurité, et partiront à la première synchronisation.")
    if status.demo_data:
        text += " " + tr("Les données de démonstration ne sont jamais envoyées au siège.")
    return text


class SyncView(QWidget):
    open_conflicts = Signal()
    enrolment_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None, *, load: bool = True,
                 controller: SyncController | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.controller = controller or SyncController(db, self)
        self.status: SyncStatus | None = None
        self.overview: Overview | None = None
        self.enrol_dialog: HqEnrolmentDialog | None = None
        self.enrolment = QLabel()
        self.enrolment.setWordWrap(True)
        self.device = QLabel()
        self.device.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.enrol_button = QPushButton(tr("Inscrire cet ordinateur…"))
        self.forget_button = QPushButton(tr("Oublier cet ordinateur…"))
        hq_box = _box(tr("Siège"), self.enrolment, self.device, _row(self.enrol_button, self.forget_button))

        self.sync_button = QPushButton(tr("Synchroniser maintenant"))
        self.sync_button.setDefault(True)
        self.check_button = QPushButton(tr("Vérifier avec le siège"))
        self.check_button.setToolTip(tr("Synchronise, puis compare les lignes de cet ordinateur avec "
                                        "celles du siège."))
        self._start_over = False  # a full resync the advisor accepted, once this sync is over
        self.cancel_button = QPushButton(tr("Annuler"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the engine does not know the total in advance
        self.progress.setMaximumWidth(160)
        self.progress_text = QLabel()
        self.last_sync = QLabel()
        self.outcome = MessageLabel()
        self.error = MessageLabel(ERROR_STYLE)
        self.auto = combo([(str(minutes), tr(label)) for minutes, label in AUTO_SYNC_LABELS.items()])
        sync_box = _box(tr("Échanges avec le siège"),
                        _row(self.sync_button, self.check_button, self.cancel_button, self.progress,
                             self.progress_text),
                        self.last_sync, self.outcome, self.error,
                        _row(QLabel(tr("Synchronisation automatique :")), self.auto))

        self.pending_model = RowsTableModel(PENDING_HEADERS, right_aligned=(1,))
        self.pending_table = rows_view(self.pending_model)
        self.pending_empty = QLabel(tr("Rien à envoyer : tout ce qui a été saisi ici est déjà au siège "
                                       "ou n'a pas à y aller."))
        self.pending_box = _box("", self.pending_empty, self.pending_table)
        self.conflict_model = RowsTableModel(CONFLICT_HEADERS)
        self.conflict_table = rows_view(self.conflict_model)
        self.conflict_empty = QLabel(tr("Aucun conflit."))
        self.resolve_button = QPushButton(tr("Résoudre les conflits…"))
        self.conflict_box = _box("", self.conflict_empty, self.conflict_table, _row(self.resolve_button))

        layout = self._layout = QVBoxLayout(self)
        for widget in (view_title(tr("Synchronisation")), hq_box, sync_box):
            layout.addWidget(widget)
        layout.addWidget(self.pending_box, 1)
        layout.addWidget(self.conflict_box, 2)
        layout.addStretch(0)  # takes the room of empty tables

        self.sync_button.clicked.connect(lambda: self.controller.start())
        self.check_button.clicked.connect(lambda: self.controller.start(check=True))
        self.cancel_button.clicked.connect(self._cancel)
        self.enrol_button.clicked.connect(self.enrol)
        self.forget_button.clicked.connect(self.forget)
        self.resolve_button.clicked.connect(self.open_conflicts)
        self.auto.activated.connect(self._auto_changed)
        self.controller.started.connect(self._started)
        self.controller.progress.connect(self.progress_text.setText)
        self.controller.finished.connect(self._finished)
        self.controller.failed.connect(self._failed)
        self.controller.idle.connect(self._idle)
        self._idle()
        if load:  # the main window loads a section when it is first shown
            self.reload()

    # -- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        status = self.status = sync_status.sync_status(self._db)
        overview = self.overview = sync_status.overview(self._db)
        enrolled = bool(overview.hq_url)
        self.enrolment.setText(enrolment_text(overview))
        device = tr("Identifiant de cet ordinateur : {id}").format(id=status.device_id)
        if overview.hq_device_id and enrolled:
            device += "\n" + tr("Identifiant au siège : {id}").format(id=overview.hq_device_id)
        self.device.setText(device)
        self.enrol_button.setVisible(not enrolled)
        self.forget_button.setVisible(enrolled)
        self.sync_button.setEnabled(enrolled and not self.controller.running)
        self.check_button.setEnabled(enrolled and not self.controller.running)
        self.auto.setEnabled(enrolled)
        self.auto.setCurrentIndex(max(self.auto.findData(str(overview.auto_sync_minutes)), 0))
        self.last_sync.setText(tr("Dernière synchronisation : {when}").format(
            when=status.last_sync or tr("jamais")))
        if not self.error.text() and overview.last_failure and self.controller.last_failure is None:
            self.error.setText(sync_status.failure_text(overview.last_failure, overview.hq_url or ""))
        self.pending_box.setTitle(tr("Changements à envoyer : {n}").format(n=status.pending_total))
        self.pending_model.set_rows([
            Row(kind.table, (kind.label, str(kind.changes), _moment(kind.oldest)))
            for kind in status.pending])
        self.conflict_box.setTitle(tr("Conflits à résoudre : {n}").format(n=len(status.conflicts)))
        self.conflict_model.set_rows([
            Row(str(c.id), (_record(c), c.field_label, c.mine_text, c.theirs_text,
                            tr("la mienne") if c.kept == "mine" else tr("celle du siège"),
                            _moment(c.since)))
            for c in sync_conflicts.list_conflicts(self._db)])
        self.resolve_button.setVisible(bool(status.conflicts))
        for box, table, empty, rows, share in (
                (self.pending_box, self.pending_table, self.pending_empty, status.pending, 1),
                (self.conflict_box, self.conflict_table, self.conflict_empty, status.conflicts, 2)):
            table.setVisible(bool(rows))
            empty.setVisible(not rows)
            self._layout.setStretchFactor(box, share if rows else 0)
        self._layout.setStretch(self._layout.count() - 1,
                                0 if status.pending or status.conflicts else 1)

    # -- sync ---------------------------------------------------------------------------------
    def _started(self) -> None:
        self.error.clear()
        self.outcome.clear()
        self.progress_text.setText(tr("Connexion au siège…"))
        self.sync_button.setEnabled(False)
        self.check_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setVisible(True)
        self.progress.setVisible(True)

    def _cancel(self) -> None:
        self.controller.cancel()
        self.cancel_button.setEnabled(False)
        self.progress_text.setText(tr("Arrêt après l'échange en cours…"))

    def _finished(self, report: object) -> None:
        pushed, pulled, conflicts = (getattr(report, name, 0) for name in ("pushed", "pulled", "conflicts"))
        text = tr("Synchronisation terminée : {pushed} changement(s) envoyé(s), {pulled} reçu(s).").format(
            pushed=pushed, pulled=pulled)
        if conflicts:
            text += " " + tr("{n} conflit(s) à examiner.").format(n=conflicts)
        differences = getattr(report, "differences", None)
        if differences == []:
            text += " " + tr("Vérification : identique au siège.")
        elif differences:
            text += " " + tr("Vérification : différences avec le siège ({tables}).").format(
                tables=_labels(differences))
        self.outcome.setText(text)
        self.reload()
        if differences and self.ask_start_over(differences):
            # the question is modal: the checking sync may be over by the time it is answered
            if self.controller.running:
                self._start_over = True  # started by _idle once it is
            else:
                self.controller.start(full=True, check=True)

    def ask_start_over(self, tables: list[str]) -> bool:
        """Whether to run a full resync, after a check found ``tables`` differing."""
        text = tr("Les données de cet ordinateur diffèrent de celles du siège ({tables}). Une "
                  "resynchronisation complète renvoie tous vos changements (le siège ignore ceux "
                  "qu'il a déjà), relit tout et renvoie au siège les lignes qui lui manquent. "
                  "Rien n'est effacé.").format(tables=_labels(tables))
        return _confirm(self, QMessageBox.Icon.Question, tr("Resynchronisation complète"), text,
                        (tr("Resynchroniser"), QMessageBox.ButtonRole.AcceptRole), tr("Plus tard"))

    def _failed(self, kind: str, message: str) -> None:
        if kind == CANCELLED:
            self.outcome.setText(message)
        else:
            self.error.setText(message)
        self.reload()

    def _idle(self) -> None:
        running = self.controller.running
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        if not running:
            self.progress_text.clear()
        enrolled = bool(self.overview and self.overview.hq_url)
        self.sync_button.setEnabled(not running and enrolled)
        self.check_button.setEnabled(not running and enrolled)
        if not running and self._start_over:
            self._start_over = False
            self.controller.start(full=True, check=True)

    def _auto_changed(self) -> None:
        minutes = int(selected(self.auto) or 0)
        sync_status.set_auto_sync(self._db, minutes)
        self.controller.set_interval(minutes)

    # -- enrolment ----------------------------------------------------------------------------
    def enrol(self) -> None:
        """Opens the enrolment dialog (window-modal, not blocking)."""
        dialog = self.enrol_dialog = HqEnrolmentDialog(self._db, self)
        dialog.accepted.connect(self._enrolled)
        dialog.open()

    def _enrolled(self) -> None:
        self.error.clear()
        dialog = self.enrol_dialog
        if dialog is not None and dialog.enrolment is not None:
            done = dialog.enrolment
            self.outcome.setText(tr("Ordinateur inscrit pour {name} ({region}) : synchronisez pour recevoir "
                                    "les données de votre région.").format(name=done.advisor_name,
                                                                           region=done.region_code))
        self.reload()
        self.enrolment_changed.emit()

    def ask_forget(self, pending: int) -> bool:
        """Asks before forgetting; says how many changes are not sent yet (tests patch it)."""
        text = tr("Cet ordinateur ne sera plus relié au siège : il faudra un nouveau code "
                  "d'inscription pour synchroniser de nouveau.")
        if pending:
            text += "\n\n" + tr("{n} changement(s) n'ont pas encore été envoyés au siège. Ils restent sur "
                                "cet ordinateur et partiront si vous l'inscrivez de nouveau ; "
                                "synchronisez d'abord pour les envoyer maintenant.").format(n=pending)
        return _confirm(self, QMessageBox.Icon.Warning, tr("Oublier cet ordinateur"), text,
                        (tr("Oublier cet ordinateur"), QMessageBox.ButtonRole.DestructiveRole), tr("Annuler"))

    def forget(self) -> None:
        if self.controller.running:
            self.error.setText(tr("Une synchronisation est en cours : attendez sa fin ou annulez-la."))
            return
        pending = sync_status.overview(self._db).pending
        if not self.ask_forget(pending):
            return
        sync_device.forget_device(self._db)
        self.auto.setCurrentIndex(0)
        self.controller.set_interval(0)
        self.error.clear()
        self.outcome.setText(tr("Cet ordinateur n'est plus relié au siège."))
        self.reload()
        self.enrolment_changed.emit()

    def printable(self) -> Printable:
        status = self.status or sync_status.sync_status(self._db)
        rows = [[kind.label, str(kind.changes), _moment(kind.oldest)] for kind in status.pending]
        conflicts = [[_record(c), c.field_label, c.mine_text, c.theirs_text]
                     for c in sync_conflicts.list_conflicts(self._db)]
        return Printable(tr("Synchronisation"), [
            Section(tr("Changements à envoyer : {n}").format(n=status.pending_total),
                    [tr(h) for h in PENDING_HEADERS], rows),
            Section(tr("Conflits à résoudre : {n}").format(n=len(status.conflicts)),
                    [tr(h) for h in CONFLICT_HEADERS[:4]], conflicts)],
            note=enrolment_text(self.overview or sync_status.overview(self._db)))
