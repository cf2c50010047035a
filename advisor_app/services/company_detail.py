"""A company's page at a glance: identity, people, enrolments and their stage history,
groups, diagnostics, action plan, sessions with attendance, and totals. Plain frozen
dataclasses with display strings (labels and reference names in the current language,
phone numbers as written in Morocco).

Half-days and attendance follow ``domain.budget`` (the groups screen uses the same rules):
an enrolment's used half-days are those of its visits and of its groups' sessions held
while it was a member, at which at least one of the company's people was present or late,
each person judged by the attendance row that stands (corrections supersede).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy.orm import Session

from advisor_app.domain import budget
from advisor_app.domain import validation as v
from advisor_app.domain.action_plans import Action
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enrolments import Enrolment, GroupMembership
from advisor_app.domain.enums import (
    ActionStatus,
)
from advisor_app.domain.labels import (
    ACTION_STATUS_LABELS,
    ATTENDANCE_LABELS,
    DIAGNOSTIC_KIND_LABELS,
    DIAGNOSTIC_STATUS_LABELS,
    GENDER_LABELS,
    LEGAL_FORM_LABELS,
    ROLE_LABELS,
    SEGMENT_LABELS,
    SESSION_KIND_LABELS,
    TURNOVER_LABELS,
    label,
)
from advisor_app.domain.questionnaires import SCORE_MAX
from advisor_app.domain.sessions import CoachingSession
from advisor_app.domain.stages import FINAL_STAGES, stage_label
from advisor_app.i18n import tr
from advisor_app.services import reference_names
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.storage.repositories import company_detail as repo

CLOSED_ACTIONS = frozenset({ActionStatus.DONE, ActionStatus.DROPPED})


@dataclass(frozen=True)
class PersonView:
    id: str
    role: str
    role_label: str
    full_name: str
    full_name_ar: str  # shown right to left
    gender: str  # "Femme" / "Homme" / "" (current language)
    job_title: str
    phone: str
    email: str


class TransitionView(NamedTuple):
    from_label: str  # "" for the first one
    to_label: str
    at: dt.datetime
    reason: str


@dataclass(frozen=True)
class EnrolmentView:
    id: str
    track_name: str
    stage: str
    stage_label: str
    enrolled_on: dt.date
    ended_on: dt.date | None
    drop_reason: str
    transitions: tuple[TransitionView, ...]
    half_days_budget: float
    half_days_used: float
    half_days_remaining: float
    attendance_rate: float | None
    budget_warning: str | None


@dataclass(frozen=True)
class GroupView:
    membership_id: str
    group_id: str
    name: str
    joined_on: dt.date
    left_on: dt.date | None
    leave_reason: str


@dataclass(frozen=True)
class DiagnosticView:
    id: str
    kind_label: str
    conducted_on: dt.date
    status_label: str
    score_pct: float | None  # mean of the answered items / 4, in %; None: nothing answered
    answered: int


@dataclass(frozen=True)
class ActionView:
    id: str
    title: str
    owner_name: str
    due_on: dt.date | None
    status: str
    status_label: str
    progress: int
    overdue: bool


@dataclass(frozen=True)
class KeyProblemView:
    id: str
    title: str
    axis_code: str
    objective: str
    target_on: dt.date | None
    actions: tuple[ActionView, ...]


@dataclass(frozen=True)
class AttendanceView:
    person_name: str
    status: str
    status_label: str


@dataclass(frozen=True)
class SessionView:
    id: str
    held_on: dt.date
    kind_label: str
    title: str
    half_days: float
    attendance: tuple[AttendanceView, ...]  # its people only, the rows that stand
    attended: bool  # one of its people present or late


@dataclass(frozen=True)
class DetailTotals:
    half_days_used: float
    attendance_rate: float | None  # (present + late) / attendance rows; None: no row yet
    sessions_attended: int
    overdue_actions: int


@dataclass(frozen=True)
class CompanyDetail:
    id: str
    name: str
    legal_form: str
    segment: str
    sector: str
    region: str
    city: str
    address: str
    ice: str
    phone: str
    email: str
    employees: int | None
    turnover: str
    created_on: dt.date | None
    notes: str
    people: tuple[PersonView, ...]
    enrolments: tuple[EnrolmentView, ...]  # newest first
    groups: tuple[GroupView, ...]
    diagnostics: tuple[DiagnosticView, ...]
    key_problems: tuple[KeyProblemView, ...]
    sessions: tuple[SessionView, ...]
    totals: DetailTotals


def _person_view(p: Person) -> PersonView:
    return PersonView(
        id=p.id, role=str(p.role), role_label=label(ROLE_LABELS, p.role), full_name=p.full_name,
        full_name_ar=p.full_name_ar, gender=label(GENDER_LABELS, p.gender),
        job_title=p.job_title or "", phone=v.format_phone(p.phone), email=p.email or "")


def is_overdue(action: Action, enrolment: Enrolment, today: dt.date) -> bool:
    """Past due, not done or dropped, in an enrolment still running (a completed or
    dropped enrolment's plan is closed: the companies list counts the same way)."""
    return (action.due_on is not None and action.due_on < today
            and action.status not in CLOSED_ACTIONS and enrolment.stage not in FINAL_STAGES)


def company_detail(db: Database, company_id: str, *, today: dt.date | None = None) -> CompanyDetail:
    today = today or dt.date.today()
    with db.sessions() as session:
        found = repo.company(session, company_id)
        if found is None:
            raise UserError(tr("Cette entreprise n'existe pas ou a été supprimée."))
        return _build(session, *found, today=today)


def _build(session: Session, c: Company, region: str, sector: str, *, today: dt.date) -> CompanyDetail:
    people = repo.people(session, c.id)
    names = {p.id: p.full_name for p in people}
    enrolments = repo.enrolments(session, c.id)
    by_id = {e.id: e for e, _, _ in enrolments}
    memberships = repo.memberships(session, by_id)
    sessions = repo.sessions(session, by_id, {m.group_id for m, _ in memberships})
    rows = repo.attendance(session, [s.id for s in sessions], names)
    marks = [budget.Mark(a.id, a.session_id, a.person_id, a.status, a.supersedes_id, a.updated_at)
             for a in rows]
    standing = budget.latest_marks(marks)
    enrolment_views, usages, expected = _enrolments(session, enrolments, memberships, sessions, marks)
    session_views = _sessions(sessions, expected, standing, names)
    key_problems = _plan(session, by_id, names, today)
    marks_total = sum(u.marks for u in usages)
    return CompanyDetail(
        id=c.id, name=c.name, legal_form=label(LEGAL_FORM_LABELS, c.legal_form),
        segment=label(SEGMENT_LABELS, c.segment),
        sector=reference_names.localize_code(session, "sector", c.sector_code, sector),
        region=reference_names.localize_code(session, "region", c.region_code, region),
        city=c.city or "",
        address=c.address or "", ice=c.ice or "", phone=v.format_phone(c.phone), email=c.email or "",
        employees=c.employees, turnover=label(TURNOVER_LABELS, c.turnover_band),
        created_on=c.created_on, notes=c.notes or "",
        people=tuple(_person_view(p) for p in sorted(
            (p for p in people if p.deleted_at is None),
            key=lambda p: (list(ROLE_LABELS).index(p.role), p.last_name, p.first_name, p.id))),
        enrolments=tuple(enrolment_views),
        groups=tuple(GroupView(m.id, m.group_id, name, m.joined_on, m.left_on, m.leave_reason or "")
                     for m, name in memberships),
        diagnostics=tuple(
            DiagnosticView(
                id=d.id, kind_label=label(DIAGNOSTIC_KIND_LABELS, d.kind),
                conducted_on=d.conducted_on, status_label=label(DIAGNOSTIC_STATUS_LABELS, d.status),
                score_pct=None if mean is None else round(mean / SCORE_MAX * 100, 1),
                answered=answered)
            for d, mean, answered in repo.diagnostics(session, by_id)),
        key_problems=key_problems,
        sessions=session_views,
        totals=DetailTotals(
            half_days_used=float(sum(u.used for u in usages)),
            attendance_rate=(sum(u.present for u in usages) / marks_total) if marks_total else None,
            sessions_attended=sum(1 for s in session_views if s.attended),
            overdue_actions=sum(a.overdue for kp in key_problems for a in kp.actions),
        ),
    )


def _enrolments(
    session: Session, enrolments: list[tuple[Enrolment, str, int]],
    memberships: list[tuple[GroupMembership, str]], sessions: list[CoachingSession],
    marks: list[budget.Mark],
) -> tuple[list[EnrolmentView], list[budget.Usage], set[str]]:
    """Enrolment views, each enrolment's usage, and the ids of the sessions the company
    was expected at (its visits, its groups' sessions while a member)."""
    windows: dict[str, list[budget.Window]] = defaultdict(list)
    for m, _ in memberships:
        windows[m.enrolment_id].append(budget.Window(m.group_id, m.joined_on, m.left_on))
    history: dict[str, list[TransitionView]] = defaultdict(list)
    for t in repo.transitions(session, [e.id for e, _, _ in enrolments]):
        history[t.enrolment_id].append(TransitionView(
            stage_label(t.from_stage), stage_label(t.to_stage), t.at, t.reason or ""))
    views: list[EnrolmentView] = []
    usages: list[budget.Usage] = []
    expected: set[str] = set()
    for e, track_name, half_days in enrolments:
        charges = [budget.SessionCharge(s.id, s.held_on, s.half_days or 0.0, s.group_id)
                   for s in sessions if s.group_id is not None or s.enrolment_id == e.id]
        expected.update(s.id for s in budget.charged_sessions(charges, windows[e.id]))
        usage = budget.usage(half_days, charges, windows[e.id], marks)
        usages.append(usage)
        views.append(EnrolmentView(
            id=e.id, track_name=reference_names.localize_code(session, "track", e.track_code, track_name),
            stage=str(e.stage), stage_label=stage_label(e.stage),
            enrolled_on=e.enrolled_on, ended_on=e.ended_on, drop_reason=e.drop_reason or "",
            transitions=tuple(history[e.id]), half_days_budget=usage.budget,
            half_days_used=usage.used, half_days_remaining=usage.remaining,
            attendance_rate=usage.attendance_rate, budget_warning=usage.warning))
    return views, usages, expected


def _sessions(
    sessions: list[CoachingSession], expected: set[str],
    standing: dict[tuple[str, str], budget.Mark], names: dict[str, str],
) -> tuple[SessionView, ...]:
    by_session: dict[str, list[budget.Mark]] = defaultdict(list)
    for (session_id, _), mark in standing.items():
        by_session[session_id].append(mark)
    views = []
    for s in sessions:
        marks = sorted(by_session.get(s.id, []), key=lambda m: (names.get(m.person_id, ""), m.person_id))
        if not marks and s.id not in expected:
            continue  # a session of its group before it joined or after it left
        views.append(SessionView(
            id=s.id, held_on=s.held_on, kind_label=label(SESSION_KIND_LABELS, s.kind),
            title=s.title or "", half_days=float(s.half_days or 0.0),
            attendance=tuple(AttendanceView(names.get(m.person_id, "—"), m.status.value,
                                            label(ATTENDANCE_LABELS, m.status)) for m in marks),
            attended=any(m.status in budget.ATTENDED for m in marks)))
    return tuple(views)


def _plan(session: Session, enrolments: dict[str, Enrolment], names: dict[str, str],
          today: dt.date) -> tuple[KeyProblemView, ...]:
    problems = repo.key_problems(session, enrolments)
    by_problem: dict[str, list[Action]] = defaultdict(list)
    for a in repo.actions(session, [kp.id for kp in problems]):
        by_problem[a.key_problem_id].append(a)
    return tuple(
        KeyProblemView(
            id=kp.id, title=kp.title, axis_code=kp.axis_code, objective=kp.objective or "",
            target_on=kp.target_on,
            actions=tuple(ActionView(
                id=a.id, title=a.title, owner_name=names.get(a.owner_person_id or "", ""),
                due_on=a.due_on, status=str(a.status), status_label=label(ACTION_STATUS_LABELS, a.status),
                progress=a.progress or 0, overdue=is_overdue(a, enrolments[kp.enrolment_id], today))
                for a in by_problem[kp.id]))
        for kp in problems)
