"""An action of a key problem: title, owner among the company's people, start and due
dates, status and progress ("late" is computed, not entered)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QSpinBox, QWidget

from advisor_app.domain.enums import ActionStatus
from advisor_app.domain.labels import ACTION_STATUS_LABELS, label
from advisor_app.i18n import tr
from advisor_app.services import action_plans
from advisor_app.services.action_plans import ActionForm, ActionView
from advisor_app.services.database import Database
from advisor_app.ui.widgets.forms import FormDialog, combo, date_edit, from_qdate, selected


class ActionDialog(FormDialog):
    def __init__(
        self,
        db: Database,
        problem_id: str,
        people: tuple[tuple[str, str], ...],
        *,
        action: ActionView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self._db = db
        self._problem_id = problem_id
        self._action = action
        self.title_edit = QLineEdit(action.title if action else "")
        self.title_edit.setPlaceholderText(tr("ex. Calculer le coût de revient de trois produits"))
        self.owner = combo([("", tr("— personne —")), *people], action.owner_id if action else None)
        self.starts_on = date_edit(action.starts_on if action else None, optional=True)
        self.due_on = date_edit(action.due_on if action else None, optional=True)
        self.status = combo(
            [(s.value, label(ACTION_STATUS_LABELS, s)) for s in ActionStatus],
            action.status if action else ActionStatus.NOT_STARTED.value,
        )
        self.progress = QSpinBox()
        self.progress.setRange(0, 100)
        self.progress.setSuffix(" %")
        self.progress.setValue(action.progress if action else 0)
        super().__init__(
            tr("Modifier l'action") if action else tr("Nouvelle action"),
            [
                (tr("Action"), self.title_edit),
                (tr("Responsable"), self.owner),
                (tr("Début"), self.starts_on),
                (tr("Échéance"), self.due_on),
                (tr("Statut"), self.status),
                (tr("Avancement"), self.progress),
            ],
            parent=parent,
        )

    def save(self) -> bool:
        form = ActionForm(
            key_problem_id=self._problem_id,
            title=self.title_edit.text(),
            owner_id=selected(self.owner),
            starts_on=from_qdate(self.starts_on.date()),
            due_on=from_qdate(self.due_on.date()),
            status=selected(self.status) or ActionStatus.NOT_STARTED.value,
            progress=self.progress.value(),
            id=self._action.id if self._action else None,
        )
        return self.run_service(lambda: action_plans.save_action(self._db, form))
