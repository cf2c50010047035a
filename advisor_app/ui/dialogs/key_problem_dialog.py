"""A key problem of the action plan: the diagnostic axis (and item) it comes from, its
root cause, the objective and its target date. A new one may start from a proposal of the
latest diagnostic (its weakest axes)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from advisor_app.i18n import tr
from advisor_app.services import action_plans
from advisor_app.services.action_plans import ProblemForm, ProblemView
from advisor_app.services.database import Database
from advisor_app.services.diagnostic_scores import Proposal
from advisor_app.services.diagnostics import QuestionnaireInfo
from advisor_app.ui.widgets.forms import FormDialog, combo, date_edit, from_qdate, selected


def _text_box(text: str, placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(64)
    return box


class KeyProblemDialog(FormDialog):
    def __init__(
        self,
        db: Database,
        enrolment_id: str,
        questionnaire: QuestionnaireInfo,
        *,
        problem: ProblemView | None = None,
        proposal: Proposal | None = None,
        diagnostic_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self._db = db
        self._enrolment_id = enrolment_id
        self._problem = problem
        self._diagnostic_id = diagnostic_id
        self._questionnaire = questionnaire
        axis = problem.axis_code if problem else proposal.axis_code if proposal else None
        item = problem.item_code if problem else proposal.item_code if proposal else None
        self.axis = combo(
            [("", tr("— choisir un axe —"))] + [(a.code, a.label) for a in questionnaire.axes], axis
        )
        self.item = QComboBox()
        self.title_edit = QLineEdit(problem.title if problem else proposal.axis_label if proposal else "")
        self.title_edit.setPlaceholderText(tr("ex. Prix de vente fixés sans connaître le coût de revient"))
        self.root_cause = _text_box(
            problem.root_cause if problem else "", tr("Pourquoi le problème existe (cause racine)")
        )
        self.objective = _text_box(
            problem.objective if problem else "", tr("Résultat mesurable visé, ex. marge brute de 30 %")
        )
        self.target_on = date_edit(problem.target_on if problem else None, optional=True)
        self._fill_items(item)
        self.axis.currentIndexChanged.connect(lambda: self._fill_items(None))
        super().__init__(
            tr("Modifier le problème clé") if problem else tr("Nouveau problème clé"),
            [
                (tr("Axe"), self.axis),
                (tr("Item"), self.item),
                (tr("Problème clé"), self.title_edit),
                (tr("Cause racine"), self.root_cause),
                (tr("Objectif"), self.objective),
                (tr("Date cible"), self.target_on),
            ],
            parent=parent,
        )
        self.setMinimumWidth(620)

    def _fill_items(self, current: str | None) -> None:
        code = selected(self.axis)
        axis = next((a for a in self._questionnaire.axes if a.code == code), None)
        self.item.clear()
        self.item.addItem(tr("— tout l'axe —"), "")
        for i in axis.items if axis else ():
            self.item.addItem(f"{i.code} — {i.label}", i.code)
        self.item.setCurrentIndex(max(0, self.item.findData(current or "")))

    def save(self) -> bool:
        form = ProblemForm(
            enrolment_id=self._enrolment_id,
            axis_code=selected(self.axis) or "",
            title=self.title_edit.text(),
            item_code=selected(self.item),
            root_cause=self.root_cause.toPlainText(),
            objective=self.objective.toPlainText(),
            target_on=from_qdate(self.target_on.date()),
            diagnostic_id=self._diagnostic_id,
            id=self._problem.id if self._problem else None,
        )
        return self.run_service(lambda: action_plans.save_key_problem(self._db, form))
