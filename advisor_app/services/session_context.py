"""What the session form shows around its fields: the groups and companies a session can be
for, and, for a chosen group (or visited company) and day, each expected company's half-day
budget (planned, used without this session, remaining, attendance rate), the people who may
take a commitment, and the earlier commitments still open, to review first.

Budgets follow ``domain.budget`` through ``services.groups`` (the Groupes screen shows the
same figures); "without this session" lets the form say what the session would bring."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain import budget
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enrolments import CoachingGroup, Enrolment
from advisor_app.domain.enums import Stage
from advisor_app.domain.reference import ProgrammeTrack
from advisor_app.i18n import tr
from advisor_app.services import groups, portfolio, reference_names
from advisor_app.services.database import Database
from advisor_app.storage.repositories import enrolments as enrolment_repo
from advisor_app.storage.repositories import groups as group_repo
from advisor_app.storage.repositories import sessions as repo

CHOICE_LIMIT = 2000  # companies offered for a visit: a laptop's portfolio is a few hundred
COACHED = (Stage.IN_GROUP, Stage.PLAN_VALIDATED, Stage.COACHING, Stage.DIAGNOSED)


@dataclass(frozen=True)
class TargetChoice:
    """A group, or a company's enrolment (visits), a session can be for."""

    id: str
    name: str
    track_name: str
    half_day_min_hours: float
    advisor_id: str | None


@dataclass(frozen=True)
class SessionChoices:
    groups: list[TargetChoice]
    companies: list[TargetChoice]
    advisors: list[tuple[str, str]]


@dataclass(frozen=True)
class BudgetLine:
    enrolment_id: str
    company_name: str
    budget: float
    collective: float  # used, this session left out
    individual: float
    attendance_rate: float | None

    @property
    def used(self) -> float:
        return self.collective + self.individual

    @property
    def remaining(self) -> float:
        return self.budget - self.used

    def warning(self, half_days: float) -> str | None:
        """What charging ``half_days`` more would do to the budget (current language)."""
        return budget.would_overrun(self.budget, self.used, half_days)


@dataclass(frozen=True)
class PersonChoice:
    id: str
    name: str  # "Fatima Zahra — Atelier Amal"
    enrolment_id: str


@dataclass(frozen=True)
class ReviewRow:
    """An earlier commitment to review at this session."""

    id: str
    taken_on: dt.date
    company_name: str
    who: str
    what: str
    due_on: dt.date | None
    status: str  # CommitmentStatus value


@dataclass(frozen=True)
class SessionContext:
    half_day_min_hours: float
    budgets: list[BudgetLine] = field(default_factory=list)
    people: list[PersonChoice] = field(default_factory=list)
    reviews: list[ReviewRow] = field(default_factory=list)


def facilitator_label() -> str:
    """"Who" of a commitment the facilitator takes (no person of a company)."""
    return tr("L'animateur")


def _min_hours(track: ProgrammeTrack | None) -> float:
    return float(track.half_day_min_hours or 3.0) if track is not None else 3.0


def session_choices(db: Database, *, keep_group: str | None = None,
                    keep_enrolment: str | None = None, today: dt.date | None = None) -> SessionChoices:
    """Groups not finished yet, and companies being coached (open enrolments past
    registration), by name; ``keep_*`` (the edited session's) are listed in any case."""
    today = today or dt.date.today()
    with db.sessions() as session:
        tracks = {t.code: t for t in session.scalars(select(ProgrammeTrack))}
        stmt = (select(CoachingGroup).where(CoachingGroup.deleted_at.is_(None),
                                            group_repo.not_finished(today) | (CoachingGroup.id == keep_group))
                .order_by(CoachingGroup.name, CoachingGroup.id))
        group_choices = [
            TargetChoice(g.id, g.name, _track_name(tracks.get(g.track_code), g.track_code),
                         _min_hours(tracks.get(g.track_code)), g.advisor_id)
            for g in session.scalars(stmt)]
        coached = ((Enrolment.stage.in_(list(COACHED)) & enrolment_repo.is_open())
                   | (Enrolment.id == keep_enrolment))
        rows = session.execute(
            select(Enrolment.id, Company.name, Enrolment.track_code, Enrolment.advisor_id)
            .join(Company, Company.id == Enrolment.company_id)
            .where(Enrolment.deleted_at.is_(None), Company.deleted_at.is_(None), coached)
            .order_by(Company.name, Enrolment.id).limit(CHOICE_LIMIT))
        company_choices = [
            TargetChoice(eid, name, _track_name(tracks.get(code), code), _min_hours(tracks.get(code)),
                         advisor)
            for eid, name, code, advisor in rows]
    return SessionChoices(group_choices, company_choices, portfolio.advisor_choices(db))


def _track_name(track: ProgrammeTrack | None, code: str) -> str:
    return reference_names.name_of(track) if track is not None else code


def session_context(db: Database, *, group_id: str | None, enrolment_id: str | None,
                    day: dt.date, session_id: str | None = None) -> SessionContext:
    """Budgets, people and commitments to review for a session of ``group_id`` (or a visit
    of ``enrolment_id``) held on ``day``; ``session_id``: the session being edited."""
    with db.sessions() as session:
        return context_in(session, group_id=group_id, enrolment_id=enrolment_id, day=day,
                          session_id=session_id)


def context_in(session: Session, *, group_id: str | None, enrolment_id: str | None,
               day: dt.date, session_id: str | None) -> SessionContext:
    if not group_id and not enrolment_id:
        return SessionContext(half_day_min_hours=3.0)
    track = repo.track_of(session, group_id=group_id, enrolment_id=enrolment_id)
    lines = _budgets(session, group_id, enrolment_id, day, session_id)
    expected = repo.expected_companies(session, group_id=group_id, enrolment_id=enrolment_id, day=day)
    by_company = {e.company_id: e for e in expected}
    people = sorted(
        (PersonChoice(p.id, f"{p.full_name} — {by_company[p.company_id].company_name}",
                      by_company[p.company_id].enrolment_id)
         for p in repo.people_of(session, list(by_company)) if p.deleted_at is None),
        key=lambda c: (c.name.casefold(), c.id))
    return SessionContext(half_day_min_hours=_min_hours(track), budgets=lines, people=people,
                          reviews=reviews_in(session, group_id=group_id, enrolment_id=enrolment_id,
                                             day=day, session_id=session_id))


def _budgets(session: Session, group_id: str | None, enrolment_id: str | None, day: dt.date,
             session_id: str | None) -> list[BudgetLine]:
    if group_id:
        return [BudgetLine(m.enrolment_id, m.company_name, m.half_days_budget, m.collective_used,
                           m.individual_used, m.attendance_rate)
                for m in groups.members_on(session, group_id, day, without_session=session_id)]
    assert enrolment_id is not None
    inputs = group_repo.budget_inputs(session, [enrolment_id]).get(enrolment_id)
    row = session.execute(
        select(Company.name, ProgrammeTrack.half_days).select_from(Enrolment)
        .join(Company, Company.id == Enrolment.company_id)
        .join(ProgrammeTrack, ProgrammeTrack.code == Enrolment.track_code)
        .where(Enrolment.id == enrolment_id)).first()
    if inputs is None or row is None:
        return []
    used = budget.usage(row[1], [s for s in inputs.sessions if s.id != session_id], inputs.windows,
                        inputs.marks)
    return [BudgetLine(enrolment_id, row[0], used.budget, used.collective, used.individual,
                       used.attendance_rate)]


def reviews_in(session: Session, *, group_id: str | None, enrolment_id: str | None, day: dt.date,
               session_id: str | None) -> list[ReviewRow]:
    found = repo.commitments_to_review(session, group_id=group_id, enrolment_id=enrolment_id,
                                       day=day, session_id=session_id)
    people = {p.id: p for p in session.scalars(select(Person).where(
        Person.id.in_([c.person_id for c, _ in found if c.person_id])))}
    companies = repo.companies_of(session, [c.enrolment_id for c, _ in found if c.enrolment_id])
    rows = []
    for c, taken_on in found:
        person = people.get(c.person_id or "")
        company = companies.get(c.enrolment_id or "")
        rows.append(ReviewRow(
            id=c.id, taken_on=taken_on, company_name=company.company_name if company else "",
            who=person.full_name if person is not None else facilitator_label(), what=c.what,
            due_on=c.due_on, status=str(c.status)))
    return rows

