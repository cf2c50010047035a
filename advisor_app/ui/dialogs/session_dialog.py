"""Create or edit a session: a group workshop, kick-off, review or closing, or a company
visit. Half-days follow from the hours (the track's rule, shown as they are typed); each
expected company's budget says what the session would bring it to; the group's open
commitments come first on the commitments tab, to review, then those taken at the session."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.budget import duration_minutes, half_days_for
from advisor_app.domain.enums import CommitmentStatus
from advisor_app.domain.labels import SESSION_KIND_LABELS, choices
from advisor_app.i18n import tr
from advisor_app.services import session_context, sessions
from advisor_app.services.database import Database
from advisor_app.services.session_context import SessionContext
from advisor_app.services.sessions import SessionForm, SessionValidationError, is_group_kind
from advisor_app.ui.widgets.commitments_editor import ReviewTable, TakenCommitments
from advisor_app.ui.widgets.forms import (
    ERROR_STYLE,
    combo,
    date_edit,
    from_qdate,
    number_text,
    percent_text,
    save_cancel_buttons,
    selected,
)

TARGET_LABELS = {"group": "Un groupe", "company": "Une entreprise (visite)"}
BUDGET_HEADERS = ("Entreprise", "Prévu", "Collectif", "Individuel", "Restant", "Après la séance",
                  "Assiduité")
WARNING_STYLE = "color: #8a5a00; font-weight: bold;"
OVERRUN = QColor("#b3261e")
FIELDS = ("kind", "target", "title", "held_on", "times", "place", "facilitators", "advisor_id")


def to_qtime(value: dt.time | None) -> QTime:
    return QTime(value.hour, value.minute) if value else QTime(9, 0)


def from_qtime(value: QTime) -> dt.time:
    return dt.time(value.hour(), value.minute())


def duration_text(minutes: int) -> str:
    """185 -> "3 h 05"; 180 -> "3 h"."""
    hours, rest = divmod(max(minutes, 0), 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def _time_edit(value: dt.time | None) -> QTimeEdit:
    edit = QTimeEdit(to_qtime(value))
    edit.setDisplayFormat("HH:mm")
    return edit


class SessionDialog(QDialog):
    def __init__(self, db: Database, session_id: str | None = None, *, group_id: str | None = None,
                 enrolment_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.saved_id: str | None = None
        self._form = (sessions.load_session_form(db, session_id) if session_id else
                      sessions.empty_session_form(db, group_id=group_id, enrolment_id=enrolment_id))
        form = self._form
        self.setWindowTitle(tr("Modifier la séance") if session_id else tr("Nouvelle séance"))
        self.setMinimumSize(860, 640)
        self._choices = session_context.session_choices(db, keep_group=form.group_id,
                                                        keep_enrolment=form.enrolment_id)
        self._min_hours = {c.id: c.half_day_min_hours for c in
                           (*self._choices.groups, *self._choices.companies)}
        self.context = SessionContext(half_day_min_hours=3.0)

        self.kind = combo(choices(SESSION_KIND_LABELS), form.kind)
        self.target_type = combo([(k, tr(v)) for k, v in TARGET_LABELS.items()],
                                 "company" if form.enrolment_id and not form.group_id else "group")
        self.group = combo([(g.id, f"{g.name} ({g.track_name})") for g in self._choices.groups],
                           form.group_id)
        self.company = combo([(c.id, f"{c.name} ({c.track_name})") for c in self._choices.companies],
                             form.enrolment_id)
        self.targets = QStackedWidget()
        self.targets.addWidget(self.group)
        self.targets.addWidget(self.company)
        self.title_edit = QLineEdit(form.title, placeholderText=tr("ex. Gérer sa trésorerie au quotidien"))
        self.held_on = date_edit(form.held_on)
        self.starts_at = _time_edit(form.starts_at)
        self.ends_at = _time_edit(form.ends_at)
        self.half_days = QLabel()
        self.place = QLineEdit(form.place, placeholderText=tr("ex. Chambre de commerce, Settat"))
        self.facilitators = QLineEdit(form.facilitators, placeholderText=tr("Noms, séparés par des virgules"))
        self.advisor = combo([("", "—"), *self._choices.advisors], form.advisor_id)
        self.topics = QPlainTextEdit(form.topics)
        self.notes = QPlainTextEdit(form.notes)
        self.decisions = QPlainTextEdit(form.decisions)
        self.budgets = QTableWidget(0, len(BUDGET_HEADERS))
        self.budget_warning = QLabel()
        self.reviews = ReviewTable()
        self.taken = TakenCommitments()
        self.open_notice = QLabel()
        self.review_button = QPushButton(tr("Revoir les engagements"))
        self.general_error = QLabel()
        self.commitment_error = QLabel()
        self.errors: dict[str, QLabel] = {}
        self.tabs = QTabWidget()
        self._build()
        self.taken.set_commitments(form.commitments)
        if form.has_attendance:
            for widget in (self.target_type, self.group, self.company):
                widget.setEnabled(False)
                widget.setToolTip(tr("La feuille d'émargement est saisie : la séance garde son groupe "
                                     "ou son entreprise."))
        self._connect()
        self._kind_changed()

    # -- layout ------------------------------------------------------------------------------
    def _field(self, layout: QFormLayout, text: str, name: str, widget: QWidget | QHBoxLayout) -> None:
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.setVisible(False)
        self.errors[name] = error
        box = QVBoxLayout()
        if isinstance(widget, QHBoxLayout):
            box.addLayout(widget)
        else:
            box.addWidget(widget)
        box.addWidget(error)
        layout.addRow(text, box)

    def _build(self) -> None:
        main = QWidget()
        fields = QFormLayout()
        target = QHBoxLayout()
        target.addWidget(self.target_type)
        target.addWidget(self.targets, 1)
        hours = QHBoxLayout()
        for part in (QLabel(tr("de")), self.starts_at, QLabel(tr("à")), self.ends_at):
            hours.addWidget(part)
        hours.addWidget(self.half_days, 1)
        rows: list[tuple[str, str, QWidget | QHBoxLayout]] = [
            (tr("Type *"), "kind", self.kind), (tr("Pour *"), "target", target),
            (tr("Intitulé (module)"), "title", self.title_edit), (tr("Date *"), "held_on", self.held_on),
            (tr("Horaire *"), "times", hours), (tr("Lieu"), "place", self.place),
            (tr("Animateur(s)"), "facilitators", self.facilitators),
            (tr("Conseiller"), "advisor_id", self.advisor),
        ]
        for text, name, widget in rows:
            self._field(fields, text, name, widget)
        self.budgets.setHorizontalHeaderLabels([tr(h) for h in BUDGET_HEADERS])
        self.budgets.verticalHeader().setVisible(False)
        self.budgets.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.budgets.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.budgets.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.budget_warning.setStyleSheet(WARNING_STYLE)
        self.budget_warning.setWordWrap(True)
        main_layout = QVBoxLayout(main)
        main_layout.addLayout(fields)
        main_layout.addWidget(QLabel(tr("Demi-journées des entreprises attendues")))
        main_layout.addWidget(self.budgets, 1)
        main_layout.addWidget(self.budget_warning)

        content = QWidget()
        content_layout = QFormLayout(content)
        content_layout.addRow(tr("Thèmes abordés"), self.topics)
        content_layout.addRow(tr("Notes"), self.notes)
        content_layout.addRow(tr("Décisions"), self.decisions)

        pledges = QWidget()
        pledges_layout = QVBoxLayout(pledges)
        pledges_layout.addWidget(QLabel(tr("À revoir : engagements ouverts des séances précédentes")))
        pledges_layout.addWidget(self.reviews, 1)
        pledges_layout.addWidget(QLabel(tr("Pris lors de cette séance")))
        pledges_layout.addWidget(self.taken, 1)
        self.commitment_error.setStyleSheet(ERROR_STYLE)
        self.commitment_error.setWordWrap(True)
        pledges_layout.addWidget(self.commitment_error)

        self.tabs.addTab(main, tr("Séance"))
        self.tabs.addTab(pledges, tr("Engagements"))
        self.tabs.addTab(content, tr("Contenu et décisions"))
        self.open_notice.setStyleSheet(WARNING_STYLE)
        self.open_notice.setWordWrap(True)
        notice = QHBoxLayout()
        notice.addWidget(self.open_notice, 1)
        notice.addWidget(self.review_button)
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        buttons = save_cancel_buttons()
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(notice)
        outer.addWidget(self.tabs, 1)
        outer.addWidget(self.general_error)
        outer.addWidget(buttons)

    def _connect(self) -> None:
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.target_type.currentIndexChanged.connect(self._target_changed)
        self.group.currentIndexChanged.connect(self.reload_context)
        self.company.currentIndexChanged.connect(self.reload_context)
        self.held_on.dateChanged.connect(self.reload_context)
        self.starts_at.timeChanged.connect(self.show_half_days)
        self.ends_at.timeChanged.connect(self.show_half_days)
        self.review_button.clicked.connect(lambda: self.tabs.setCurrentIndex(1))

    # -- live feedback -----------------------------------------------------------------------
    def _kind_changed(self) -> None:
        wants_group = is_group_kind(selected(self.kind) or "")
        if wants_group is not None and not self._form.has_attendance:
            self.target_type.blockSignals(True)
            self.target_type.setCurrentIndex(self.target_type.findData("group" if wants_group else "company"))
            self.target_type.blockSignals(False)
        self.target_type.setEnabled(wants_group is None and not self._form.has_attendance)
        self._target_changed()

    def _target_changed(self) -> None:
        self.targets.setCurrentIndex(0 if selected(self.target_type) == "group" else 1)
        self.reload_context()

    def target(self) -> tuple[str | None, str | None]:
        """(group id, enrolment id) as chosen."""
        if selected(self.target_type) == "group":
            return selected(self.group), None
        return None, selected(self.company)

    def reload_context(self) -> None:
        group_id, enrolment_id = self.target()
        day = from_qdate(self.held_on.date())
        if day is None:
            return
        self.context = session_context.session_context(
            self._db, group_id=group_id, enrolment_id=enrolment_id, day=day, session_id=self._form.id)
        self.reviews.set_rows(self.context.reviews, day)
        self.taken.set_people(self.context.people)
        open_count = sum(1 for r in self.context.reviews if r.status == CommitmentStatus.OPEN)
        self.open_notice.setText(tr("{n} engagement(s) ouvert(s) des séances précédentes, à revoir "
                                    "en début de séance.").format(n=open_count) if open_count else "")
        self.open_notice.setVisible(bool(open_count))
        self.review_button.setVisible(bool(open_count))
        self.tabs.setTabText(1, tr("Engagements ({n} à revoir)").format(n=open_count) if open_count
                             else tr("Engagements"))
        self.show_half_days()

    def session_half_days(self) -> float:
        return half_days_for(from_qtime(self.starts_at.time()), from_qtime(self.ends_at.time()),
                             self.context.half_day_min_hours)

    def show_half_days(self) -> None:
        minutes = duration_minutes(from_qtime(self.starts_at.time()), from_qtime(self.ends_at.time()))
        value = self.session_half_days()
        group_id, _ = self.target()
        kind = tr("collective") if group_id else tr("individuelle")
        rule = tr("une demi-journée par tranche de {hours} h").format(
            hours=number_text(self.context.half_day_min_hours))
        if minutes <= 0:
            self.half_days.setText(tr("l'heure de fin doit suivre l'heure de début"))
        else:
            self.half_days.setText(tr("{duration} : {half_days} demi-journée(s) {kind} ({rule})").format(
                duration=duration_text(minutes), half_days=number_text(value), kind=kind, rule=rule))
        self._show_budgets(value)

    def _show_budgets(self, half_days: float) -> None:
        lines = self.context.budgets
        table = self.budgets
        table.setRowCount(len(lines))
        warnings = []
        for r, line in enumerate(lines):
            warning = line.warning(half_days)
            if warning:
                warnings.append(tr("{company} : {message}").format(company=line.company_name,
                                                                  message=warning))
            values = (line.company_name, number_text(line.budget), number_text(line.collective),
                      number_text(line.individual), number_text(line.remaining),
                      number_text(line.remaining - half_days), percent_text(line.attendance_rate))
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if warning and c == 5:
                    item.setForeground(OVERRUN)
                    item.setToolTip(warning)
                table.setItem(r, c, item)
        self.budget_warning.setText("\n".join(warnings))
        self.budget_warning.setVisible(bool(warnings))

    # -- saving ------------------------------------------------------------------------------
    def current_form(self) -> SessionForm:
        group_id, enrolment_id = self.target()
        base = self._form
        return SessionForm(
            id=base.id, kind=selected(self.kind) or "", group_id=group_id, enrolment_id=enrolment_id,
            advisor_id=selected(self.advisor), held_on=from_qdate(self.held_on.date()),
            starts_at=from_qtime(self.starts_at.time()), ends_at=from_qtime(self.ends_at.time()),
            title=self.title_edit.text(), place=self.place.text(), facilitators=self.facilitators.text(),
            topics=self.topics.toPlainText(), notes=self.notes.toPlainText(),
            decisions=self.decisions.toPlainText(), commitments=self.taken.commitments(),
            reviews=self.reviews.decisions(), has_attendance=base.has_attendance)

    def save(self) -> bool:
        try:
            self.saved_id = sessions.save_session(self._db, self.current_form())
        except SessionValidationError as exc:
            self._show_errors(exc.issues)
            return False
        self.accept()
        return True

    def _show_errors(self, issues: dict[str, str]) -> None:
        for name, label in self.errors.items():
            message = issues.get(name, "")
            label.setText(message)
            label.setVisible(bool(message))
        pledges = "\n".join(issues[k] for k in ("commitments", "reviews") if k in issues)
        self.commitment_error.setText(pledges)
        others = [m for f, m in issues.items() if f not in (*FIELDS, "commitments", "reviews")]
        self.general_error.setText("\n".join(others))
        if any(f in issues for f in FIELDS):
            self.tabs.setCurrentIndex(0)
        elif pledges:
            self.tabs.setCurrentIndex(1)
