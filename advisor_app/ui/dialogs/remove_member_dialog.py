"""Permanent exit: a company leaves a group at a date, with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from advisor_app.i18n import tr
from advisor_app.services import groups
from advisor_app.services.database import Database
from advisor_app.ui.widgets.forms import FormDialog, date_edit, from_qdate


class RemoveMemberDialog(FormDialog):
    def __init__(self, db: Database, membership_id: str, company_name: str,
                 parent: QWidget | None = None) -> None:
        self._db = db
        self._membership_id = membership_id
        self.left_on = date_edit()
        self.reason = QLineEdit(placeholderText=tr("ex. changement d'activité, fin anticipée…"))
        super().__init__(tr("Sortie du groupe : {company}").format(company=company_name),
                         [(tr("Date de sortie"), self.left_on), (tr("Motif *"), self.reason)],
                         save_text=tr("Enregistrer la sortie"), parent=parent)

    def save(self) -> bool:
        left = from_qdate(self.left_on.date())
        reason = self.reason.text().strip()
        if not reason:
            self.error.setText(tr("Indiquez le motif de la sortie."))
            return False
        assert left is not None
        return self.run_service(lambda: groups.remove_member(
            self._db, membership_id=self._membership_id, left_on=left, reason=reason))
