"""Enrol a company in a programme track."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from advisor_app.i18n import tr
from advisor_app.services import enrolments
from advisor_app.services.database import Database
from advisor_app.ui.widgets.forms import FormDialog, combo, date_edit, from_qdate, selected


class EnrolDialog(FormDialog):
    def __init__(self, db: Database, company_id: str, parent: QWidget | None = None) -> None:
        self._db = db
        self._company_id = company_id
        self.saved_id: str | None = None
        describe = tr("{track} — {months} mois, {half_days} demi-journées")
        self.track = combo([(t.code, describe.format(track=t.name, months=t.duration_months,
                                                     half_days=t.half_days))
                            for t in enrolments.tracks(db)])
        self.enrolled_on = date_edit()
        super().__init__(tr("Inscrire dans un parcours"),
                         [(tr("Parcours"), self.track), (tr("Date d'inscription"), self.enrolled_on)],
                         save_text=tr("Inscrire"), parent=parent)

    def save(self) -> bool:
        enrolled = from_qdate(self.enrolled_on.date())
        assert enrolled is not None

        def enrol() -> None:
            self.saved_id = enrolments.enrol_company(
                self._db, company_id=self._company_id, track_code=selected(self.track) or "",
                enrolled_on=enrolled)

        return self.run_service(enrol)
