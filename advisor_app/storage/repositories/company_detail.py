"""Everything a company's page shows, in a handful of queries keyed by the company's
enrolments (no commit: the calling service owns the session)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, aliased

from advisor_app.domain.action_plans import Action, KeyProblem
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.diagnostics import Diagnostic, DiagnosticAnswer
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership, StageTransition
from advisor_app.domain.questionnaires import NOT_APPLICABLE
from advisor_app.domain.reference import ProgrammeTrack, Region, Sector
from advisor_app.domain.sessions import Attendance, CoachingSession


def company(session: Session, company_id: str) -> tuple[Company, str, str] | None:
    """(company, region name, sector name) of a live company."""
    stmt = (
        select(Company, Region.name_fr, Sector.name_fr)
        .outerjoin(Region, Region.code == Company.region_code)
        .outerjoin(Sector, Sector.code == Company.sector_code)
        .where(Company.id == company_id, Company.deleted_at.is_(None))
    )
    row = session.execute(stmt).first()
    return (row[0], row[1] or "", row[2] or "") if row else None


def people(session: Session, company_id: str) -> list[Person]:
    """All its people, the removed ones too (attendance and actions may name them)."""
    return list(session.scalars(select(Person).where(Person.company_id == company_id)))


def enrolments(session: Session, company_id: str) -> list[tuple[Enrolment, str, int]]:
    """(enrolment, track name, track half-days), newest first."""
    stmt = (
        select(Enrolment, ProgrammeTrack.name_fr, ProgrammeTrack.half_days)
        .outerjoin(ProgrammeTrack, ProgrammeTrack.code == Enrolment.track_code)
        .where(Enrolment.company_id == company_id, Enrolment.deleted_at.is_(None))
        .order_by(Enrolment.enrolled_on.desc(), Enrolment.id.desc())
    )
    return [(e, name or e.track_code, half_days or 0) for e, name, half_days in session.execute(stmt)]


def transitions(session: Session, enrolment_ids: Collection[str]) -> list[StageTransition]:
    stmt = (
        select(StageTransition)
        .where(StageTransition.enrolment_id.in_(list(enrolment_ids)),
               StageTransition.deleted_at.is_(None))
        .order_by(StageTransition.at, StageTransition.id)
    )
    return list(session.scalars(stmt))


def memberships(session: Session, enrolment_ids: Collection[str]) -> list[tuple[GroupMembership, str]]:
    """(membership, group name), oldest first."""
    stmt = (
        select(GroupMembership, CoachingGroup.name)
        .join(CoachingGroup, CoachingGroup.id == GroupMembership.group_id)
        .where(GroupMembership.enrolment_id.in_(list(enrolment_ids)),
               GroupMembership.deleted_at.is_(None))
        .order_by(GroupMembership.joined_on, GroupMembership.id)
    )
    return [(m, name) for m, name in session.execute(stmt)]


def diagnostics(
    session: Session, enrolment_ids: Collection[str]
) -> list[tuple[Diagnostic, float | None, int]]:
    """(diagnostic, mean score 0-4, answered items) for diagnostics no live correction
    supersedes. Each answer counts the advisor's score, else the entrepreneur's; N/A and
    unanswered items are left out."""
    newer = aliased(Diagnostic)
    superseded = select(newer.id).where(newer.supersedes_id == Diagnostic.id, newer.deleted_at.is_(None))
    score = func.coalesce(DiagnosticAnswer.advisor_score, DiagnosticAnswer.entrepreneur_score)
    counted = case((score > NOT_APPLICABLE, score), else_=None)
    answers = (
        select(DiagnosticAnswer.diagnostic_id.label("diagnostic_id"),
               func.avg(counted).label("mean"), func.count(counted).label("answered"))
        .where(DiagnosticAnswer.deleted_at.is_(None))
        .group_by(DiagnosticAnswer.diagnostic_id)
        .subquery()
    )
    stmt = (
        select(Diagnostic, answers.c.mean, answers.c.answered)
        .outerjoin(answers, answers.c.diagnostic_id == Diagnostic.id)
        .where(Diagnostic.enrolment_id.in_(list(enrolment_ids)), Diagnostic.deleted_at.is_(None),
               ~superseded.exists())
        .order_by(Diagnostic.conducted_on, Diagnostic.id)
    )
    return [(d, None if mean is None else float(mean), int(answered or 0))
            for d, mean, answered in session.execute(stmt)]


def key_problems(session: Session, enrolment_ids: Collection[str]) -> list[KeyProblem]:
    stmt = (
        select(KeyProblem)
        .where(KeyProblem.enrolment_id.in_(list(enrolment_ids)), KeyProblem.deleted_at.is_(None))
        .order_by(KeyProblem.enrolment_id, KeyProblem.position, KeyProblem.id)
    )
    return list(session.scalars(stmt))


def actions(session: Session, key_problem_ids: Collection[str]) -> list[Action]:
    stmt = (
        select(Action)
        .where(Action.key_problem_id.in_(list(key_problem_ids)), Action.deleted_at.is_(None))
        .order_by(Action.key_problem_id, Action.due_on.is_(None), Action.due_on, Action.id)
    )
    return list(session.scalars(stmt))


def sessions(
    session: Session, enrolment_ids: Collection[str], group_ids: Collection[str]
) -> list[CoachingSession]:
    """Its visits and its groups' sessions (the membership windows are applied by the caller)."""
    stmt = (
        select(CoachingSession)
        .where(or_(CoachingSession.enrolment_id.in_(list(enrolment_ids)),
                   CoachingSession.group_id.in_(list(group_ids))),
               CoachingSession.deleted_at.is_(None))
        .order_by(CoachingSession.held_on, CoachingSession.starts_at, CoachingSession.id)
    )
    return list(session.scalars(stmt))


def attendance(
    session: Session, session_ids: Collection[str], person_ids: Collection[str]
) -> list[Attendance]:
    """Live attendance rows of these people at these sessions (superseded ones included:
    ``domain.budget.latest_marks`` picks the rows that stand)."""
    if not session_ids or not person_ids:
        return []
    stmt = select(Attendance).where(
        Attendance.session_id.in_(list(session_ids)), Attendance.person_id.in_(list(person_ids)),
        Attendance.deleted_at.is_(None))
    return list(session.scalars(stmt))
