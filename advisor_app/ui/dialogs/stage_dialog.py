"""Move an enrolment to another stage (dated), or drop it with a reason."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QDateTimeEdit, QLabel, QLineEdit, QWidget

from advisor_app.domain.enums import Stage
from advisor_app.domain.stages import stage_label
from advisor_app.i18n import tr
from advisor_app.services import enrolments
from advisor_app.services.database import Database
from advisor_app.services.enrolments import EnrolmentRow
from advisor_app.ui.widgets.forms import FormDialog, combo, selected


class StageDialog(FormDialog):
    def __init__(self, db: Database, enrolment: EnrolmentRow, parent: QWidget | None = None) -> None:
        self._db = db
        self._enrolment = enrolment
        self.target = combo([(stage.value, stage_label(stage)) for stage in Stage
                             if stage.value != enrolment.stage])
        self.at = QDateTimeEdit(QDateTime.currentDateTime())
        self.at.setCalendarPopup(True)
        self.at.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.reason = QLineEdit(
            placeholderText=tr("obligatoire pour un abandon ou un retour en arrière"))
        super().__init__(tr("Étape de {company}").format(company=enrolment.company_name),
                         [(tr("Étape actuelle"), QLabel(enrolment.stage_label)),
                          (tr("Nouvelle étape"), self.target), (tr("Date"), self.at),
                          (tr("Motif"), self.reason)], parent=parent)

    def save(self) -> bool:
        when = self.at.dateTime().toPython()
        assert isinstance(when, dt.datetime)
        at = when.astimezone(dt.UTC)  # a naive value is the laptop's local time
        target = selected(self.target) or ""
        reason = self.reason.text().strip()
        enrolment_id = self._enrolment.id
        if target == Stage.DROPPED.value:
            return self.run_service(lambda: enrolments.drop_enrolment(
                self._db, enrolment_id=enrolment_id, reason=reason, on=at.date()))
        return self.run_service(lambda: enrolments.move_stage(
            self._db, enrolment_id=enrolment_id, target=target, at=at, reason=reason))
