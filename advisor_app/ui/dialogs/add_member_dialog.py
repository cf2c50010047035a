"""Permanent entry: a company joins a group at a given date."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from advisor_app.i18n import tr
from advisor_app.services import groups
from advisor_app.services.database import Database
from advisor_app.ui.widgets.forms import FormDialog, combo, date_edit, from_qdate, selected


class AddMemberDialog(FormDialog):
    def __init__(self, db: Database, group_id: str, parent: QWidget | None = None) -> None:
        self._db = db
        self._group_id = group_id
        candidates = groups.candidates_for_group(db, group_id)
        self.candidate = combo([(c.id, f"{c.company_name} ({c.stage_label})") for c in candidates])
        self.joined_on = date_edit()
        super().__init__(tr("Ajouter une entreprise au groupe"),
                         [(tr("Entreprise"), self.candidate), (tr("Date d'entrée"), self.joined_on)],
                         save_text=tr("Ajouter"), parent=parent)
        if not candidates:
            self.error.setText(tr("Aucune entreprise inscrite dans ce parcours et cette région "
                                  "n'attend de groupe."))

    def save(self) -> bool:
        enrolment_id = selected(self.candidate)  # None when no company waits
        joined = from_qdate(self.joined_on.date())
        if not enrolment_id or joined is None:
            self.error.setText(tr("Choisissez une entreprise et une date d'entrée."))
            return False
        return self.run_service(lambda: groups.add_member(
            self._db, group_id=self._group_id, enrolment_id=enrolment_id, joined_on=joined))
