"""A company at a glance: identity, people, enrolments with their stage history and
half-day budget, groups, diagnostics, action plan (overdue actions in red), sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from advisor_app.services import enrolments
from advisor_app.services.company_detail import CompanyDetail, company_detail
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.ui.dialogs.company_dialog import CompanyDialog
from advisor_app.ui.dialogs.enrol_dialog import EnrolDialog
from advisor_app.ui.dialogs.stage_dialog import StageDialog

OVERDUE = QColor("#b3261e")
RIGHT_TO_LEFT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _d(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone().strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}".replace("%", " %")


class _Table(QTableWidget):
    def __init__(self, headers: Sequence[str]) -> None:
        super().__init__(0, len(headers))
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def fill(self, rows: Sequence[Sequence[str]], *, red_rows: set[int] | None = None,
             rtl_columns: tuple[int, ...] = ()) -> None:
        self.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if red_rows and r in red_rows:
                    item.setForeground(OVERDUE)
                if c in rtl_columns:
                    item.setTextAlignment(RIGHT_TO_LEFT)
                self.setItem(r, c, item)


class CompanyPage(QWidget):
    back = Signal()
    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.detail: CompanyDetail | None = None
        self.back_button = QPushButton("← Entreprises")
        self.edit_button = QPushButton("Modifier")
        self.enrol_button = QPushButton("Inscrire dans un parcours")
        self.stage_button = QPushButton("Changer d'étape")
        self.title = QLabel()
        self.title.setObjectName("viewTitle")
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.identity = QLabel()
        self.identity.setWordWrap(True)
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.people = _Table(("Rôle", "Nom", "الاسم", "Fonction", "Téléphone", "E-mail"))
        self.enrolments = _Table(("Parcours", "Étape", "Inscription", "Fin", "Demi-journées",
                                  "Utilisées", "Restantes", "Assiduité", "Historique"))
        self.groups = _Table(("Groupe", "Entrée", "Sortie", "Motif de sortie"))
        self.diagnostics = _Table(("Diagnostic", "Date", "État", "Score", "Items répondus"))
        self.plan = _Table(("Problème clé", "Action", "Responsable", "Échéance", "Statut",
                            "Avancement"))
        self.sessions = _Table(("Date", "Type", "Intitulé", "Demi-journées", "Présences"))
        self.tabs = QTabWidget()
        for widget, label in ((self.people, "Personnes"), (self.enrolments, "Parcours"),
                              (self.groups, "Groupes"), (self.diagnostics, "Diagnostics"),
                              (self.plan, "Plan d'action"), (self.sessions, "Séances")):
            self.tabs.addTab(widget, label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for button in (self.edit_button, self.enrol_button, self.stage_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.title)
        layout.addWidget(self.identity)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self.back_button.clicked.connect(self.back)
        self.edit_button.clicked.connect(self.edit)
        self.enrol_button.clicked.connect(self.enrol)
        self.stage_button.clicked.connect(self.change_stage)

    def show_company(self, company_id: str) -> None:
        self.detail = company_detail(self._db, company_id)
        self._render(self.detail)

    def reload(self) -> None:
        if self.detail is not None:
            self.show_company(self.detail.id)

    def _render(self, d: CompanyDetail) -> None:
        self.title.setText(d.name)
        facts = [d.legal_form, d.segment, d.sector, f"{d.city} ({d.region})" if d.city else d.region,
                 f"ICE {d.ice}" if d.ice else "", d.phone, d.email,
                 (f"{d.employees} salarié{'s' if d.employees > 1 else ''}"
                  if d.employees is not None else ""), d.turnover,
                 f"créée le {_d(d.created_on)}" if d.created_on else ""]
        self.identity.setText(" · ".join(f for f in facts if f))
        t = d.totals
        overdue = (f" — <span style='color:#b3261e'>{t.overdue_actions} action(s) en retard</span>"
                   if t.overdue_actions else "")
        self.summary.setText(
            f"Demi-journées utilisées : {_num(t.half_days_used)} · Séances suivies : "
            f"{t.sessions_attended} · Assiduité : {_pct(t.attendance_rate) or '—'}{overdue}")
        self.people.fill([(p.role_label, p.full_name, p.full_name_ar, p.job_title, p.phone, p.email)
                          for p in d.people], rtl_columns=(2,))
        self.enrolments.fill([
            (e.track_name, e.stage_label, _d(e.enrolled_on), _d(e.ended_on),
             _num(e.half_days_budget), _num(e.half_days_used), _num(e.half_days_remaining),
             _pct(e.attendance_rate),
             " → ".join(f"{t.to_label} ({_d(t.at)})" for t in e.transitions))
            for e in d.enrolments], red_rows={i for i, e in enumerate(d.enrolments) if e.budget_warning})
        self.groups.fill([(g.name, _d(g.joined_on), _d(g.left_on), g.leave_reason) for g in d.groups])
        self.diagnostics.fill([(x.kind_label, _d(x.conducted_on), x.status_label,
                                _pct(x.score_pct / 100 if x.score_pct is not None else None),
                                str(x.answered)) for x in d.diagnostics])
        rows: list[tuple[str, ...]] = []
        red: set[int] = set()
        for problem in d.key_problems:
            for action in problem.actions or ():
                if action.overdue:
                    red.add(len(rows))
                rows.append((problem.title, action.title, action.owner_name, _d(action.due_on),
                             action.status_label + (" — en retard" if action.overdue else ""),
                             f"{action.progress} %"))
        self.plan.fill(rows, red_rows=red)
        self.sessions.fill([(_d(s.held_on), s.kind_label, s.title, _num(s.half_days),
                             ", ".join(f"{a.person_name} : {a.status_label}" for a in s.attendance))
                            for s in d.sessions])
        open_enrolment = self._open_enrolment()
        self.stage_button.setEnabled(open_enrolment is not None)
        self.enrol_button.setEnabled(open_enrolment is None)

    def _open_enrolment(self) -> str | None:
        if self.detail is None:
            return None
        for e in self.detail.enrolments:
            if e.stage not in ("completed", "dropped"):
                return e.id
        return self.detail.enrolments[0].id if self.detail.enrolments and \
            self.detail.enrolments[0].stage == "dropped" else None

    # -- actions ------------------------------------------------------------------------------
    def edit(self) -> None:
        if self.detail and CompanyDialog(self._db, self.detail.id, parent=self).exec():
            self.changed.emit()

    def enrol(self) -> None:
        if self.detail and EnrolDialog(self._db, self.detail.id, parent=self).exec():
            self.changed.emit()

    def change_stage(self) -> None:
        enrolment_id = self._open_enrolment()
        if enrolment_id is None:
            return
        try:
            row = enrolments.get_enrolment(self._db, enrolment_id)
        except UserError as exc:
            QMessageBox.warning(self, "Mowakaba", str(exc))
            return
        if StageDialog(self._db, row, parent=self).exec():
            self.changed.emit()
