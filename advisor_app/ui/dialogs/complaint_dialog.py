"""Record a complaint (réclamation) from a company: date received, reason, description."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from advisor_app.i18n import tr
from advisor_app.services import ops_config
from advisor_app.services import programme_ops as ops
from advisor_app.services.database import Database
from advisor_app.ui.widgets.forms import FormDialog, combo, date_edit, from_qdate, selected


class ComplaintDialog(FormDialog):
    def __init__(self, db: Database, enrolment_id: str, company_name: str,
                 parent: QWidget | None = None) -> None:
        self._db = db
        self._enrolment_id = enrolment_id
        self.saved_id: str | None = None
        self.received_on = date_edit()
        self.reason = combo([("", tr("— choisir —"))] + [
            (code, tr(label)) for code, label in ops_config.COMPLAINT_REASONS.items()])
        self.details = QPlainTextEdit()
        self.details.setPlaceholderText(tr("Ce que l'entreprise reproche, avec ses mots"))
        self.details.setFixedHeight(90)
        super().__init__(tr("Réclamation de {company}").format(company=company_name),
                         [(tr("Reçue le"), self.received_on), (tr("Motif"), self.reason),
                          (tr("Description"), self.details)], save_text=tr("Enregistrer la réclamation"),
                         parent=parent)

    def save(self) -> bool:
        received = from_qdate(self.received_on.date())
        assert received is not None

        def record() -> None:
            self.saved_id = ops.record_complaint(
                self._db, enrolment_id=self._enrolment_id, received_on=received,
                reason=selected(self.reason) or "", details=self.details.toPlainText())

        return self.run_service(record)
