"""The company's contribution to its track: price, share and subsidy (the programme's
tariff, read-only) and what the company paid; the payment status follows the amount."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QLabel, QLineEdit, QWidget

from advisor_app.i18n import tr
from advisor_app.services import programme_ops as ops
from advisor_app.services.database import Database
from advisor_app.services.programme_ops import EnrolmentFinancing
from advisor_app.ui.widgets.forms import FormDialog, date_edit, from_qdate


def amount(value: float, currency: str) -> str:
    return f"{value:,.0f}\u202f{currency}".replace(",", "\u202f")


class PaymentDialog(FormDialog):
    def __init__(self, db: Database, financing: EnrolmentFinancing, company_name: str,
                 parent: QWidget | None = None) -> None:
        self._db = db
        self._financing = f = financing
        tariff = QLabel(tr("Prix {price} = participation de l'entreprise {share} + subvention {subsidy} "
                           "({payer})").format(price=amount(f.price, f.currency),
                                               share=amount(f.company_share, f.currency),
                                               subsidy=amount(f.subsidy, f.currency),
                                               payer=f.subsidy_payer or "—"))
        tariff.setWordWrap(True)
        self.received = QDoubleSpinBox()
        self.received.setRange(0, 10_000_000)
        self.received.setDecimals(2)
        self.received.setSuffix(f" {f.currency}")
        self.received.setValue(f.amount_received)
        self.received_on = date_edit(f.received_on, optional=True)
        self.waived = QCheckBox(tr("Participation exonérée par le programme"))
        self.waived.setChecked(f.status.value == "waived")
        self.note = QLineEdit(f.note)
        self.status = QLabel(ops.status_label(f.status))
        super().__init__(tr("Participation de {company}").format(company=company_name),
                         [(tr("Tarif"), tariff), (tr("État actuel"), self.status),
                          (tr("Montant reçu"), self.received), (tr("Date du versement"), self.received_on),
                          ("", self.waived), (tr("Note"), self.note)], parent=parent)

    def save(self) -> bool:
        return self.run_service(lambda: ops.record_payment(
            self._db, enrolment_id=self._financing.enrolment_id, amount_received=self.received.value(),
            received_on=from_qdate(self.received_on.date()), waived=self.waived.isChecked(),
            note=self.note.text()))
