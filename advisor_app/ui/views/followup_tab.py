"""The company page's "Suivi" tab: the financing of its latest enrolment (price, share,
subsidy, payment), its complaints with their handling, and the satisfaction survey at the
end of its track. Each action opens its dialog; the tab reloads after a save."""

from __future__ import annotations

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import programme_ops as ops
from advisor_app.services.database import Database
from advisor_app.services.programme_ops import FollowUp
from advisor_app.ui.dialogs.complaint_dialog import ComplaintDialog
from advisor_app.ui.dialogs.complaint_handling_dialog import ComplaintHandlingDialog
from advisor_app.ui.dialogs.payment_dialog import PaymentDialog, amount
from advisor_app.ui.dialogs.survey_dialog import SurveyDialog
from advisor_app.ui.widgets.display import fmt_date, widget_table

COMPLAINT_HEADERS = ("Reçue le", "Motif", "Description", "Traitement", "Clôturée le")


class FollowUpTab(QWidget):
    changed = Signal()

    def __init__(self, db: Database, tabs: QTabWidget | None = None,
                 page_changed: SignalInstance | None = None) -> None:
        """With ``tabs``, adds itself as the "Suivi" tab; ``page_changed`` is emitted after
        each save (the company page's own ``changed``)."""
        super().__init__()
        self._db = db
        self.company_id: str | None = None
        self.company_name = ""
        self.data: FollowUp | None = None
        self.financing = QLabel()
        self.financing.setWordWrap(True)
        self.payment_button = QPushButton(tr("Enregistrer un paiement"))
        self.complaints: QTableWidget = widget_table(COMPLAINT_HEADERS, stretch=2)
        self.new_complaint_button = QPushButton(tr("Nouvelle réclamation"))
        self.handle_button = QPushButton(tr("Traiter ou clôturer"))
        self.survey = QLabel()
        self.survey.setWordWrap(True)
        self.survey_button = QPushButton(tr("Questionnaire de satisfaction"))
        layout = QVBoxLayout(self)
        layout.addWidget(_box(tr("Financement"), self.financing, _row(self.payment_button)))
        layout.addWidget(_box(tr("Réclamations"), self.complaints,
                              _row(self.new_complaint_button, self.handle_button)))
        layout.addWidget(_box(tr("Satisfaction en fin de parcours"), self.survey, _row(self.survey_button)))
        self.payment_button.clicked.connect(self.record_payment)
        self.new_complaint_button.clicked.connect(self.new_complaint)
        self.handle_button.clicked.connect(self.handle_complaint)
        self.survey_button.clicked.connect(self.answer_survey)
        self.complaints.itemSelectionChanged.connect(self._enable)
        if tabs is not None:
            tabs.addTab(self, tr("Suivi"))
        if page_changed is not None:
            self.changed.connect(page_changed)

    def show_company(self, company_id: str, company_name: str) -> None:
        self.company_id, self.company_name = company_id, company_name
        self.reload()

    def reload(self) -> None:
        if self.company_id is None:
            return
        d = self.data = ops.follow_up(self._db, self.company_id)
        f = d.financing
        if d.enrolment_id is None:
            self.financing.setText(tr("L'entreprise n'est inscrite dans aucun parcours."))
        elif f is None:
            self.financing.setText(d.financing_error)
        elif not f.priced:
            self.financing.setText(tr("Aucun tarif pour ce parcours dans les données du programme."))
        else:
            self.financing.setText(tr(
                "{track} : prix {price}, participation de l'entreprise {share}, subvention {subsidy} "
                "({payer}). Paiement : {status}, reçu {received}{day}.").format(
                    track=d.track_name, price=amount(f.price, f.currency),
                    share=amount(f.company_share, f.currency), subsidy=amount(f.subsidy, f.currency),
                    payer=f.subsidy_payer or "—", status=ops.status_label(f.status),
                    received=amount(f.amount_received, f.currency),
                    day=tr(" le {date}").format(date=fmt_date(f.received_on)) if f.received_on else ""))
        self.complaints.setRowCount(0)
        for c in d.complaints:
            row = self.complaints.rowCount()
            self.complaints.insertRow(row)
            cells = (fmt_date(c.received_on), c.reason_label, c.details, c.handling,
                     fmt_date(c.closed_on) if c.closed_on else tr("en cours"))
            for column, text in enumerate(cells):
                self.complaints.setItem(row, column, QTableWidgetItem(text))
        s = d.survey
        if s is not None:
            self.survey.setText(tr("Note {score}/5 le {date}. {comment}").format(
                score=s.score, date=fmt_date(s.answered_on), comment=s.comment))
        elif d.completed:
            self.survey.setText(tr("Le parcours est terminé : l'entreprise n'a pas encore répondu."))
        else:
            self.survey.setText(tr("Le questionnaire se remplit à la fin du parcours."))
        self._enable()

    def _enable(self) -> None:
        d = self.data
        enrolled = d is not None and d.enrolment_id is not None
        self.payment_button.setEnabled(enrolled and d is not None and d.financing is not None
                                       and d.financing.priced)
        self.new_complaint_button.setEnabled(enrolled)
        self.handle_button.setEnabled(self.complaints.currentRow() >= 0)
        self.survey_button.setEnabled(d is not None and d.completed)

    # -- actions ------------------------------------------------------------------------------
    def _done(self, accepted: int) -> None:
        if accepted:
            self.reload()
            self.changed.emit()

    def record_payment(self) -> None:
        if self.data is not None and self.data.financing is not None:
            self._done(PaymentDialog(self._db, self.data.financing, self.company_name, self).exec())

    def new_complaint(self) -> None:
        if self.data is not None and self.data.enrolment_id is not None:
            self._done(ComplaintDialog(self._db, self.data.enrolment_id, self.company_name, self).exec())

    def handle_complaint(self) -> None:
        row = self.complaints.currentRow()
        if self.data is not None and 0 <= row < len(self.data.complaints):
            self._done(ComplaintHandlingDialog(self._db, self.data.complaints[row], self).exec())

    def answer_survey(self) -> None:
        if self.data is not None and self.data.enrolment_id is not None:
            self._done(SurveyDialog(self._db, self.data.enrolment_id, self.company_name,
                                    self.data.survey, self).exec())


def _row(*buttons: QPushButton) -> QWidget:
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addStretch(1)
    for button in buttons:
        line.addWidget(button)
    return row


def _box(title: str, *widgets: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for widget in widgets:
        layout.addWidget(widget)
    return box
