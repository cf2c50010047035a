"""Handle a complaint: what was done and, to close it, the closing date."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QPlainTextEdit, QWidget

from advisor_app.i18n import tr
from advisor_app.services import programme_ops as ops
from advisor_app.services.database import Database
from advisor_app.services.programme_ops import ComplaintRow
from advisor_app.ui.widgets.display import fmt_date
from advisor_app.ui.widgets.forms import FormDialog, date_edit, from_qdate


class ComplaintHandlingDialog(FormDialog):
    def __init__(self, db: Database, complaint: ComplaintRow, parent: QWidget | None = None) -> None:
        self._db = db
        self._complaint = complaint
        self.handling = QPlainTextEdit(complaint.handling)
        self.handling.setPlaceholderText(tr("Réponse apportée, actions menées"))
        self.handling.setFixedHeight(90)
        self.closed = QCheckBox(tr("Réclamation clôturée"))
        self.closed.setChecked(complaint.closed_on is not None)
        self.closed_on = date_edit(complaint.closed_on)
        self.closed_on.setEnabled(self.closed.isChecked())
        self.closed.toggled.connect(self.closed_on.setEnabled)
        about = QLabel(tr("Reçue le {date} — {reason} : {details}").format(
            date=fmt_date(complaint.received_on), reason=complaint.reason_label, details=complaint.details))
        about.setWordWrap(True)
        super().__init__(tr("Traitement de la réclamation"),
                         [(tr("Réclamation"), about), (tr("Traitement"), self.handling),
                          ("", self.closed), (tr("Clôturée le"), self.closed_on)], parent=parent)

    def save(self) -> bool:
        closed_on = from_qdate(self.closed_on.date()) if self.closed.isChecked() else None
        return self.run_service(lambda: ops.handle_complaint(
            self._db, complaint_id=self._complaint.id, handling=self.handling.toPlainText(),
            closed_on=closed_on))
