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

from advisor_app.i18n import tr
from advisor_app.services import enrolments
from advisor_app.services.company_detail import CompanyDetail, company_detail
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.ui.dialogs.company_dialog import CompanyDialog
from advisor_app.ui.dialogs.enrol_dialog import EnrolDialog
from advisor_app.ui.dialogs.session_dialog import SessionDialog
from advisor_app.ui.dialogs.stage_dialog import StageDialog
from advisor_app.ui.views.diagnostics_tab import DiagnosticsTab
from advisor_app.ui.views.followup_tab import FollowUpTab
from advisor_app.ui.views.history_tab import HistoryTab
from advisor_app.ui.views.plan_tab import PlanTab
from advisor_app.ui.widgets.forms import number_text, percent_text

OVERDUE = QColor("#b3261e")
RIGHT_TO_LEFT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
# Column headers: French source texts, passed through tr() by _Table. The Arabic header
# names the Arabic-script column in every language.
PEOPLE_HEADERS = ("Rôle", "Nom", "الاسم", "Fonction", "Téléphone", "E-mail")
ENROLMENT_HEADERS = ("Parcours", "Étape", "Inscription", "Fin", "Demi-journées", "Utilisées",
                     "Restantes", "Assiduité", "Historique")
GROUP_HEADERS = ("Groupe", "Entrée", "Sortie", "Motif de sortie")
SESSION_HEADERS = ("Date", "Type", "Intitulé", "Demi-journées", "Présences")


def _d(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone().strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def _employees(count: int | None) -> str:
    if count is None:
        return ""
    if count == 0:
        return tr("aucun salarié")
    if count == 1:
        return tr("1 salarié")
    return tr("{count} salariés").format(count=count)


class _Table(QTableWidget):
    def __init__(self, headers: Sequence[str]) -> None:
        super().__init__(0, len(headers))
        self.setHorizontalHeaderLabels([tr(header) for header in headers])
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
        self.back_button = QPushButton("← " + tr("Entreprises"))
        self.edit_button = QPushButton(tr("Modifier"))
        self.enrol_button = QPushButton(tr("Inscrire dans un parcours"))
        self.stage_button = QPushButton(tr("Changer d'étape"))
        self.visit_button = QPushButton(tr("Nouvelle visite"))
        self.title = QLabel()
        self.title.setObjectName("viewTitle")
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.identity = QLabel()
        self.identity.setWordWrap(True)
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.people = _Table(PEOPLE_HEADERS)
        self.enrolments = _Table(ENROLMENT_HEADERS)
        self.groups = _Table(GROUP_HEADERS)
        self.diagnostics_tab = DiagnosticsTab(db)
        self.plan_tab = PlanTab(db)
        self.diagnostics = self.diagnostics_tab.list  # the tables Ctrl+P prints
        self.plan = self.plan_tab.table
        self.sessions = _Table(SESSION_HEADERS)
        self.history_tab = HistoryTab(db)
        self.tabs = QTabWidget()
        for widget, label in ((self.people, tr("Personnes")), (self.enrolments, tr("Parcours")),
                              (self.groups, tr("Groupes")), (self.diagnostics_tab, tr("Diagnostics")),
                              (self.plan_tab, tr("Plan d'action")), (self.sessions, tr("Séances")),
                              (self.history_tab, tr("Historique"))):
            self.tabs.addTab(widget, label)
        self.followup_tab = FollowUpTab(db, self.tabs, self.changed)  # complaints, survey, payment
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for button in (self.edit_button, self.enrol_button, self.stage_button, self.visit_button):
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
        self.visit_button.clicked.connect(self.new_visit)
        self.diagnostics_tab.changed.connect(self.changed)
        self.plan_tab.changed.connect(self.changed)

    def show_company(self, company_id: str) -> None:
        self.detail = company_detail(self._db, company_id)
        self._render(self.detail)

    def reload(self) -> None:
        if self.detail is not None:
            self.show_company(self.detail.id)

    def _render(self, d: CompanyDetail) -> None:
        self.title.setText(d.name)
        facts = [d.legal_form, d.segment, d.sector, f"{d.city} ({d.region})" if d.city else d.region,
                 f"ICE {d.ice}" if d.ice else "", d.phone, d.email, _employees(d.employees),
                 d.turnover,
                 tr("créée le {date}").format(date=_d(d.created_on)) if d.created_on else ""]
        self.identity.setText(" · ".join(f for f in facts if f))
        t = d.totals
        overdue = (" — <span style='color:#b3261e'>{}</span>".format(
            tr("{count} action(s) en retard").format(count=t.overdue_actions))
            if t.overdue_actions else "")
        self.summary.setText(tr(
            "Demi-journées utilisées : {used} · Séances suivies : {sessions} · Assiduité : {rate}"
        ).format(used=number_text(t.half_days_used), sessions=t.sessions_attended,
                 rate=percent_text(t.attendance_rate) or "—") + overdue)
        self.people.fill([(p.role_label, p.full_name, p.full_name_ar, p.job_title, p.phone, p.email)
                          for p in d.people], rtl_columns=(2,))
        self.enrolments.fill([
            (e.track_name, e.stage_label, _d(e.enrolled_on), _d(e.ended_on),
             number_text(e.half_days_budget), number_text(e.half_days_used),
             number_text(e.half_days_remaining),
             percent_text(e.attendance_rate),
             " → ".join(f"{t.to_label} ({_d(t.at)})" for t in e.transitions))
            for e in d.enrolments], red_rows={i for i, e in enumerate(d.enrolments) if e.budget_warning})
        self.groups.fill([(g.name, _d(g.joined_on), _d(g.left_on), g.leave_reason) for g in d.groups])
        enrolment_id = self._running_enrolment() or (d.enrolments[0].id if d.enrolments else None)
        self.diagnostics_tab.show_enrolment(enrolment_id)
        self.plan_tab.show_enrolment(enrolment_id)
        late = self.plan_tab.plan.late_actions if self.plan_tab.plan else 0
        index = self.tabs.indexOf(self.plan_tab)
        normal = self.tabs.palette().windowText().color()
        self.tabs.tabBar().setTabTextColor(index, OVERDUE if late else normal)
        self.tabs.setTabToolTip(index, tr("{count} action(s) en retard").format(count=late) if late else "")
        self.sessions.fill([(_d(s.held_on), s.kind_label, s.title, number_text(s.half_days),
                             ", ".join(tr("{person} : {status}").format(person=a.person_name,
                                                                        status=a.status_label)
                                       for a in s.attendance))
                            for s in d.sessions])
        self.history_tab.show_company(d.id)
        self.followup_tab.show_company(d.id, d.name)
        open_enrolment = self._open_enrolment()
        self.stage_button.setEnabled(open_enrolment is not None)
        self.enrol_button.setEnabled(open_enrolment is None)
        self.visit_button.setEnabled(self._running_enrolment() is not None)

    def _open_enrolment(self) -> str | None:
        if self.detail is None:
            return None
        for e in self.detail.enrolments:
            if e.stage not in ("completed", "dropped"):
                return e.id
        return self.detail.enrolments[0].id if self.detail.enrolments and \
            self.detail.enrolments[0].stage == "dropped" else None

    def _running_enrolment(self) -> str | None:
        """The enrolment being coached (neither completed nor dropped): visits go there."""
        if self.detail is None:
            return None
        return next((e.id for e in self.detail.enrolments if e.stage not in ("completed", "dropped")), None)

    # -- actions ------------------------------------------------------------------------------
    def edit(self) -> None:
        if self.detail and CompanyDialog(self._db, self.detail.id, parent=self).exec():
            self.changed.emit()

    def enrol(self) -> None:
        if self.detail and EnrolDialog(self._db, self.detail.id, parent=self).exec():
            self.changed.emit()

    def new_visit(self) -> None:
        enrolment_id = self._running_enrolment()
        if enrolment_id and SessionDialog(self._db, enrolment_id=enrolment_id, parent=self).exec():
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
