"""Attestations de participation of a group: per participant, which completion rules of
the track hold and why a certificate cannot be issued yet; issuing for the selected
participants or the whole group, reissuing, print preview and printing, saving the PDFs.

Issuing needs the laptop enrolled with HQ (certificates are signed with its key so that HQ
can verify them before they sync): the dialog says so at the top and keeps the issue
buttons off until then."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QMarginsF, QStandardPaths, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import certificate_files, certificates
from advisor_app.services.certificates import GroupCertificates, ParticipantRow
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.ui.printing import paint_pdf
from advisor_app.ui.widgets.display import fmt_date, widget_table
from advisor_app.ui.widgets.forms import ERROR_STYLE

HEADERS = ("Entreprise", "Participant", "الاسم", "Règles d'achèvement", "Attestation")
WARNING_STYLE = "color: #8a5a00; font-weight: bold;"
OK_COLOR, MISSING_COLOR = QColor("#1b6b33"), QColor("#b3261e")


class CertificatesDialog(QDialog):
    def __init__(self, db: Database, group_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._group_id = group_id
        self.overview: GroupCertificates | None = None
        self.setMinimumSize(900, 520)
        self.heading = QLabel()
        self.heading.setObjectName("viewTitle")
        self.signing = QLabel()
        self.signing.setStyleSheet(WARNING_STYLE)
        self.signing.setWordWrap(True)
        self.key_button = QPushButton(tr("Créer la clé de signature"))
        self.table = widget_table(HEADERS, stretch=3)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.issue_button = QPushButton(tr("Délivrer à la sélection"))
        self.issue_all_button = QPushButton(tr("Délivrer à tout le groupe"))
        self.reissue_button = QPushButton(tr("Réémettre…"))
        self.print_button = QPushButton(tr("Aperçu et impression…"))
        self.save_button = QPushButton(tr("Enregistrer les PDF…"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("Fermer"))
        close.rejected.connect(self.reject)

        actions = QHBoxLayout()
        for button in (self.issue_button, self.issue_all_button, self.reissue_button):
            actions.addWidget(button)
        actions.addStretch(1)
        for button in (self.print_button, self.save_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.signing)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_button)
        key_row.addStretch(1)
        layout.addLayout(key_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(close)

        self.key_button.clicked.connect(self.create_key)
        self.issue_button.clicked.connect(self.issue_selected)
        self.issue_all_button.clicked.connect(self.issue_all)
        self.reissue_button.clicked.connect(self.reissue)
        self.print_button.clicked.connect(self.print_certificates)
        self.save_button.clicked.connect(self.save_pdfs)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.reload()

    # -- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        self.overview = certificates.group_certificates(self._db, self._group_id)
        o = self.overview
        self.setWindowTitle(tr("Attestations — {group}").format(group=o.group_name))
        self.heading.setText(tr("{group} — {track}").format(group=o.group_name, track=o.track_name))
        self.signing.setText(o.signing_problem)
        self.signing.setVisible(bool(o.signing_problem))
        self.key_button.setVisible(o.key_missing)
        table = self.table
        table.blockSignals(True)
        table.clearSelection()
        table.setRowCount(len(o.participants))
        for row, p in enumerate(o.participants):
            missing = [c for c in p.checks if not c.holds]
            rules_text = (tr("Toutes remplies") if not missing else
                          tr("{count} non remplie(s) : {labels}").format(
                              count=len(missing), labels=", ".join(c.label for c in missing)))
            issued = (tr("N° {number} du {date}").format(number=p.certificate.number,
                                                         date=fmt_date(p.certificate.issued_on))
                      if p.certificate else (tr("À délivrer") if p.eligible else "—"))
            values = (p.company_name, p.person_name, p.person_name_ar, rules_text, issued)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 3:
                    item.setForeground(OK_COLOR if not missing else MISSING_COLOR)
                    item.setToolTip(self._rules_text(p))
                table.setItem(row, column, item)
        table.blockSignals(False)
        self._selection_changed()

    @staticmethod
    def _rules_text(p: ParticipantRow) -> str:
        return "\n".join(f"{'✓' if c.holds else '✗'} {c.label} — {c.detail}" for c in p.checks)

    def selected(self) -> list[ParticipantRow]:
        if self.overview is None:
            return []
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.overview.participants[r] for r in rows if r < len(self.overview.participants)]

    def _selection_changed(self) -> None:
        chosen = self.selected()
        o = self.overview
        can_sign = o is not None and o.can_sign
        if len(chosen) == 1:
            p = chosen[0]
            head = tr("{name} ({company}) :").format(name=p.person_name, company=p.company_name)
            self.details.setText(head + "\n" + self._rules_text(p))
        else:
            self.details.setText(tr("Choisissez un participant pour voir le détail des règles."))
        self.issue_button.setEnabled(can_sign and any(p.eligible and not p.certificate for p in chosen))
        self.issue_all_button.setEnabled(can_sign and o is not None and any(
            p.eligible and not p.certificate for p in o.participants))
        self.reissue_button.setEnabled(can_sign and len(chosen) == 1 and chosen[0].certificate is not None)
        has_any = o is not None and any(p.certificate for p in o.participants)
        self.print_button.setEnabled(has_any)
        self.save_button.setEnabled(has_any)

    def _show(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    # -- issuing ------------------------------------------------------------------------------
    def create_key(self) -> None:
        from advisor_app.services import certificate_key  # httpx: only when asked

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            prefix = certificate_key.create_signing_key(self._db)
        except UserError as exc:
            self._show(str(exc), error=True)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.reload()
        self._show(tr("Clé de signature créée : les attestations de cet ordinateur seront numérotées "
                      "ATT-{prefix}-….").format(prefix=prefix))

    def issue_selected(self) -> None:
        ids = [p.person_id for p in self.selected() if p.eligible and not p.certificate]
        self._issue(ids)

    def issue_all(self) -> None:
        self._issue(None)

    def _issue(self, person_ids: list[str] | None) -> None:
        try:
            issued = certificates.issue_certificates(self._db, group_id=self._group_id, person_ids=person_ids)
        except UserError as exc:
            self._show(str(exc), error=True)
            return
        self.reload()
        self._show(tr("{count} attestation(s) délivrée(s) : {numbers}.").format(
            count=len(issued), numbers=", ".join(row.number for row in issued)))

    def confirm_reissue(self, p: ParticipantRow) -> bool:
        assert p.certificate is not None
        answer = QMessageBox.question(
            self, tr("Réémettre l'attestation"),
            tr("Réémettre l'attestation n° {number} de {name} ? Une nouvelle attestation (nouveau "
               "numéro) la remplace, avec les données actuelles ; l'ancienne reste archivée et sera "
               "signalée comme remplacée.").format(number=p.certificate.number, name=p.person_name))
        return answer == QMessageBox.StandardButton.Yes

    def reissue(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or chosen[0].certificate is None or not self.confirm_reissue(chosen[0]):
            return
        try:
            row = certificates.reissue_certificate(self._db, chosen[0].certificate.id)
        except UserError as exc:
            self._show(str(exc), error=True)
            return
        self.reload()
        self._show(tr("Attestation n° {number} délivrée ; elle remplace le n° {old}.").format(
            number=row.number, old=row.supersedes_number))

    # -- files and printing -------------------------------------------------------------------
    def certificate_ids(self) -> list[str]:
        """The selected participants' certificates, or every certificate of the group when
        no selected participant has one."""
        chosen = [p.certificate.id for p in self.selected() if p.certificate]
        if chosen:
            return chosen
        return [p.certificate.id for p in (self.overview.participants if self.overview else [])
                if p.certificate]

    def ask_folder(self) -> Path | None:
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = QFileDialog.getExistingDirectory(self, tr("Dossier des attestations"),
                                                documents or str(Path.home()))
        return Path(name) if name else None

    def save_pdfs(self) -> None:
        ids = self.certificate_ids()
        folder = self.ask_folder() if ids else None
        if folder is None:
            return
        try:
            paths = certificate_files.write_certificates(self._db, ids, folder)
        except UserError as exc:
            self._show(str(exc), error=True)
            return
        self._show(tr("{count} fichier(s) PDF enregistré(s) dans {folder}.").format(
            count=len(paths), folder=folder))

    def show_preview(self, preview: QPrintPreviewDialog) -> None:
        preview.exec()

    def print_certificates(self) -> None:
        ids = self.certificate_ids()
        if not ids:
            return
        with tempfile.TemporaryDirectory(prefix="mowakaba-") as folder:
            path = Path(folder) / "attestations.pdf"
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                certificate_files.write_bundle(self._db, ids, path)
            except UserError as exc:
                self._show(str(exc), error=True)
                return
            finally:
                QGuiApplication.restoreOverrideCursor()
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                              QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0),
                                              QPageLayout.Unit.Millimeter))
            printer.setFullPage(True)
            printer.setDocName(tr("Attestations de participation"))
            preview = QPrintPreviewDialog(printer, self)
            preview.setWindowTitle(tr("Aperçu — {count} attestation(s)").format(count=len(ids)))
            preview.paintRequested.connect(lambda target: paint_pdf(target, path))
            self.show_preview(preview)
