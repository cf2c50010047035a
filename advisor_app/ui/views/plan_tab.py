"""The company page's "Plan d'action" tab: each key problem followed by its actions (late
ones in red, with the days of delay) and its indicators (baseline, target, last reading);
add, edit or remove them; print or save the plan as PDF."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import tr
from advisor_app.services import action_plans, plan_print
from advisor_app.services.action_plans import ActionPlan, ActionView, IndicatorView, ProblemView
from advisor_app.services.database import Database
from advisor_app.services.diagnostic_scores import DiagnosticsOverview, diagnostics_overview
from advisor_app.services.diagnostics import current_questionnaire
from advisor_app.services.errors import UserError
from advisor_app.services.plan_validation import plan_validated_on, validate_plan
from advisor_app.ui.dialogs.action_dialog import ActionDialog
from advisor_app.ui.dialogs.indicator_dialog import IndicatorDialog, number_text
from advisor_app.ui.dialogs.key_problem_dialog import KeyProblemDialog
from advisor_app.ui.models.rows_table import ALERT
from advisor_app.ui.printing import print_pdf_file
from advisor_app.ui.widgets.display import fmt_date, widget_table
from advisor_app.ui.widgets.forms import ERROR_STYLE, percent_text

HEADERS = ("Problème clé", "Action / indicateur", "Responsable", "Début", "Échéance", "Statut", "Avancement")
PROBLEM, ACTION, INDICATOR = "problem", "action", "indicator"


def _value(value: float | None, unit: str, on: object) -> str:
    if value is None:
        return "—"
    day = fmt_date(on) if on is not None else ""  # type: ignore[arg-type]
    return f"{number_text(value)} {unit}".strip() + (f" ({day})" if day else "")


class PlanTab(QWidget):
    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.enrolment_id: str | None = None
        self.plan: ActionPlan | None = None
        self.diagnostics: DiagnosticsOverview | None = None
        self.keys: list[tuple[str, str, str]] = []  # per row: (kind, id, problem id)
        self.table = widget_table(HEADERS, stretch=1)
        self.summary = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.problem_button = QPushButton(tr("Nouveau problème clé"))
        self.action_button = QPushButton(tr("Nouvelle action"))
        self.indicator_button = QPushButton(tr("Nouvel indicateur"))
        self.edit_button = QPushButton(tr("Modifier"))
        self.delete_button = QPushButton(tr("Supprimer"))
        self.print_button = QPushButton(tr("Imprimer le plan"))
        self.pdf_button = QPushButton(tr("Enregistrer le plan en PDF"))
        self.validate_button = QPushButton(tr("Valider le plan"))
        self.validate_button.setToolTip(tr("Le dirigeant et le conseiller s'accordent sur le plan : "
                                           "l'accompagnement passe à l'étape « Plan d'action validé »."))
        self.validated_on: dt.date | None = None
        buttons = QHBoxLayout()
        for button in (
            self.problem_button,
            self.action_button,
            self.indicator_button,
            self.edit_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.validate_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.problem_button.clicked.connect(self.new_problem)
        self.action_button.clicked.connect(lambda: self._child(ACTION))
        self.indicator_button.clicked.connect(lambda: self._child(INDICATOR))
        self.edit_button.clicked.connect(self.edit_selected)
        self.table.doubleClicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.itemSelectionChanged.connect(self._enable)
        self.print_button.clicked.connect(self.print_plan)
        self.pdf_button.clicked.connect(self.save_plan_pdf)
        self.validate_button.clicked.connect(self.validate_plan)

    # -- data -----------------------------------------------------------------------------------
    def show_enrolment(self, enrolment_id: str | None) -> None:
        self.enrolment_id = enrolment_id
        self.plan = action_plans.action_plan(self._db, enrolment_id) if enrolment_id else None
        self.validated_on = plan_validated_on(self._db, enrolment_id) if enrolment_id else None
        self.diagnostics = diagnostics_overview(self._db, enrolment_id) if enrolment_id else None
        self._render()

    def reload(self) -> None:
        self.show_enrolment(self.enrolment_id)

    def _render(self) -> None:
        rows: list[tuple[tuple[str, ...], tuple[str, str, str], bool]] = []
        for p in self.plan.problems if self.plan else ():
            objective = tr("Objectif : {text}").format(text=p.objective) if p.objective else ""
            title = tr("{n}. {title}").format(n=p.position, title=p.title)
            cells: tuple[str, ...] = (title, "", "", "", fmt_date(p.target_on), objective, "")
            rows.append((cells, (PROBLEM, p.id, p.id), False))
            for a in p.actions:
                delay = tr(" — en retard de {n} j").format(n=a.days_late) if a.late else ""
                cells = ("", a.title, a.owner_name, fmt_date(a.starts_on), fmt_date(a.due_on),
                         a.status_label + delay, percent_text(a.progress / 100))
                rows.append((cells, (ACTION, a.id, p.id), a.late))
            for i in p.indicators:
                last = _value(i.last.value, i.unit, i.last.read_on) if i.last else "—"
                name = tr("Indicateur : {name} ({unit})").format(name=i.name, unit=i.unit)
                cells = ("", name, i.kind_label, _value(i.baseline_value, i.unit, i.baseline_on),
                         _value(i.target_value, i.unit, i.target_on),
                         tr("Dernière mesure : {value}").format(value=last), "")
                rows.append((cells, (INDICATOR, i.id, p.id), False))
        self.keys = [key for _, key, _ in rows]
        self.table.setRowCount(len(rows))
        for r, (values, key, is_late) in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if is_late:
                    item.setForeground(ALERT)
                if key[0] == PROBLEM:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        late = self.plan.late_actions if self.plan else 0
        count = len(self.plan.problems) if self.plan else 0
        text = tr("{n} problème(s) clé(s)").format(n=count)
        if self.plan:
            low, high = self.plan.problems_min, self.plan.problems_max
            text += " " + (tr("(parcours : {n} problème clé)").format(n=high) if low == high == 1 else
                           tr("(parcours : {low} à {high} problèmes clés)").format(low=low, high=high))
        if self.validated_on is not None:
            text += " — " + tr("plan validé le {date}").format(date=fmt_date(self.validated_on))
        if late:
            text += " — <span style='color:#b3261e'>{}</span>".format(
                tr("{count} action(s) en retard").format(count=late)
            )
        self.summary.setText(text)
        self.message.setText(
            ""
            if self.enrolment_id
            else tr("Inscrivez l'entreprise dans un parcours pour établir son plan d'action.")
        )
        self._enable()

    def selected_key(self) -> tuple[str, str, str] | None:
        r = self.table.currentRow()
        return self.keys[r] if 0 <= r < len(self.keys) and self.table.selectedItems() else None

    def _enable(self) -> None:
        full = self.plan is not None and self.plan.full
        self.problem_button.setEnabled(self.enrolment_id is not None and not full)
        limit = tr("Le parcours ne traite pas davantage de problèmes clés.")
        self.problem_button.setToolTip(limit if full else "")
        key = self.selected_key()
        for button in (self.action_button, self.indicator_button, self.edit_button, self.delete_button):
            button.setEnabled(key is not None)
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(self.enrolment_id is not None)
        problems = bool(self.plan and self.plan.problems)
        self.validate_button.setEnabled(problems and self.validated_on is None)

    def _problem(self, problem_id: str) -> ProblemView:
        assert self.plan is not None
        return next(p for p in self.plan.problems if p.id == problem_id)

    # -- editing --------------------------------------------------------------------------------
    def _run(self, dialog: QDialog) -> bool:
        if dialog.exec():
            self.reload()
            self.changed.emit()
            return True
        return False

    def problem_dialog(self, problem: ProblemView | None = None) -> KeyProblemDialog:
        assert self.enrolment_id is not None
        overview = self.diagnostics
        used = {p.axis_code for p in self.plan.problems} if self.plan else set()
        proposal = (
            next((p for p in overview.proposals if p.axis_code not in used), None) if overview else None
        )
        latest = overview.latest.id if overview and overview.latest else None
        return KeyProblemDialog(
            self._db,
            self.enrolment_id,
            current_questionnaire(self._db),
            problem=problem,
            proposal=None if problem else proposal,
            diagnostic_id=latest,
            parent=self,
        )

    def new_problem(self) -> None:
        if self.enrolment_id is not None:
            self._run(self.problem_dialog())

    def child_dialog(self, kind: str, problem_id: str, item_id: str | None = None) -> QDialog:
        problem = self._problem(problem_id)
        if kind == ACTION:
            action: ActionView | None = next((a for a in problem.actions if a.id == item_id), None)
            assert self.plan is not None
            return ActionDialog(self._db, problem_id, self.plan.people, action=action, parent=self)
        indicator: IndicatorView | None = next((i for i in problem.indicators if i.id == item_id), None)
        return IndicatorDialog(self._db, problem_id, indicator=indicator, parent=self)

    def _child(self, kind: str) -> None:
        key = self.selected_key()
        if key is not None:
            self._run(self.child_dialog(kind, key[2]))

    def edit_selected(self) -> None:
        key = self.selected_key()
        if key is None:
            return
        kind, item_id, problem_id = key
        if kind == PROBLEM:
            self._run(self.problem_dialog(self._problem(problem_id)))
        else:
            self._run(self.child_dialog(kind, problem_id, item_id))

    def delete_selected(self) -> None:
        key = self.selected_key()
        if key is None:
            return
        kind, item_id, _ = key
        question = {
            PROBLEM: tr("Supprimer ce problème clé avec ses actions et ses indicateurs ?"),
            ACTION: tr("Supprimer cette action ?"),
            INDICATOR: tr("Supprimer cet indicateur et ses mesures ?"),
        }[kind]
        if QMessageBox.question(self, tr("Supprimer"), question) != QMessageBox.StandardButton.Yes:
            return
        delete = {
            PROBLEM: action_plans.delete_key_problem,
            ACTION: action_plans.delete_action,
            INDICATOR: action_plans.delete_indicator,
        }[kind]
        try:
            delete(self._db, item_id)
        except UserError as exc:
            self._error(str(exc))
            return
        self.reload()
        self.changed.emit()

    # -- printing -------------------------------------------------------------------------------
    def _file_name(self) -> str:
        return plan_print.plan_file_name(self.plan.company_name if self.plan else "")

    def print_plan(self) -> None:
        if self.enrolment_id is None:
            return
        with tempfile.TemporaryDirectory(prefix="mowakaba-") as folder:
            try:
                path = plan_print.write_action_plan(
                    self._db, self.enrolment_id, Path(folder) / self._file_name()
                )
                print_pdf_file(path, tr("Plan d'action"), self)
            except (UserError, OSError) as exc:
                self._error(str(exc))

    def save_plan_pdf(self) -> None:
        if self.enrolment_id is None:
            return
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        proposed = Path(documents or Path.home()) / self._file_name()
        name, _ = QFileDialog.getSaveFileName(
            self, tr("Enregistrer le plan d'action"), str(proposed), tr("Documents PDF (*.pdf)")
        )
        if name:
            self.write_plan(Path(name))

    def write_plan(self, path: Path) -> bool:
        if self.enrolment_id is None:
            return False
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            plan_print.write_action_plan(self._db, self.enrolment_id, path)
        except UserError as exc:
            self._error(str(exc))
            return False
        self.message.setStyleSheet("")
        self.message.setText(tr("Plan d'action enregistré : {path}").format(path=path))
        return True

    def validate_plan(self) -> bool:
        """Stamps the plan validated (refused with the reason shown below the table)."""
        if self.enrolment_id is None:
            return False
        try:
            done = validate_plan(self._db, self.enrolment_id)
        except UserError as exc:
            self._error(str(exc))
            return False
        self.reload()
        self.changed.emit()
        self.message.setStyleSheet("")
        self.message.setText(tr("Plan d'action validé : l'accompagnement passe à l'étape "
                                "« Plan d'action validé ».") if done.stage_moved
                             else tr("Plan d'action validé."))
        return True

    def _error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
