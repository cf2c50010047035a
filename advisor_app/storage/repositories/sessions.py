"""Coaching session queries: the session, who is expected at it, its attendance rows and the
commitments to review there (no commit: the calling service owns the transaction)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership
from advisor_app.domain.enums import CommitmentStatus
from advisor_app.domain.reference import Advisor, ProgrammeTrack
from advisor_app.domain.sessions import Attendance, CoachingSession, Commitment


@dataclass(frozen=True)
class Expected:
    """A company expected at a session: a member of the group that day, or the visited one."""

    enrolment_id: str
    company_id: str
    company_name: str


def get_session(session: Session, session_id: str) -> CoachingSession | None:
    row = session.get(CoachingSession, session_id)
    return row if row is not None and row.deleted_at is None else None


def covers(day: dt.date) -> ColumnElement[bool]:
    """A membership that includes ``day`` (entry and exit days included, as the budget)."""
    return and_(GroupMembership.deleted_at.is_(None), GroupMembership.joined_on <= day,
                or_(GroupMembership.left_on.is_(None), GroupMembership.left_on >= day))


def expected_companies(session: Session, *, group_id: str | None, enrolment_id: str | None,
                       day: dt.date) -> list[Expected]:
    """Companies expected at a group session held on ``day`` or at a visit, by name."""
    stmt = select(Enrolment.id, Company.id, Company.name).join(Company, Company.id == Enrolment.company_id)
    if group_id is not None:
        stmt = (stmt.join(GroupMembership, GroupMembership.enrolment_id == Enrolment.id)
                .where(GroupMembership.group_id == group_id, covers(day)))
    else:
        stmt = stmt.where(Enrolment.id == enrolment_id)
    stmt = stmt.where(Enrolment.deleted_at.is_(None)).order_by(Company.name, Enrolment.id)
    seen: dict[str, Expected] = {}
    for eid, cid, name in session.execute(stmt):
        seen.setdefault(eid, Expected(eid, cid, name))
    return list(seen.values())


def people_of(session: Session, company_ids: list[str]) -> list[Person]:
    """Every person of these companies, removed ones included (a recorded row may name one)."""
    if not company_ids:
        return []
    return list(session.scalars(select(Person).where(Person.company_id.in_(company_ids))))


def attendance_rows(session: Session, session_id: str) -> list[Attendance]:
    """Live rows of a session, superseded ones included (``budget.latest_marks`` decides)."""
    return list(session.scalars(
        select(Attendance).where(Attendance.session_id == session_id, Attendance.deleted_at.is_(None))
        .order_by(Attendance.updated_at, Attendance.id)))


def companies_of(session: Session, enrolment_ids: list[str]) -> dict[str, Expected]:
    if not enrolment_ids:
        return {}
    rows = session.execute(
        select(Enrolment.id, Company.id, Company.name).join(Company, Company.id == Enrolment.company_id)
        .where(Enrolment.id.in_(enrolment_ids)))
    return {eid: Expected(eid, cid, name) for eid, cid, name in rows}


def commitments_to_review(session: Session, *, group_id: str | None, enrolment_id: str | None,
                          day: dt.date, session_id: str | None) -> list[tuple[Commitment, dt.date]]:
    """(commitment, day it was taken) to review at a session of the group (or a visit of the
    enrolment) held on ``day``: those still open, taken at an earlier session (held that day
    at the latest), and those closed at this very session. Oldest first."""
    taken = CoachingSession
    stmt = (
        select(Commitment, taken.held_on)
        .join(taken, taken.id == Commitment.session_id)
        .where(Commitment.deleted_at.is_(None), taken.deleted_at.is_(None))
    )
    if group_id is not None:
        stmt = stmt.where(taken.group_id == group_id)
    else:
        stmt = stmt.where(Commitment.enrolment_id == enrolment_id)
    still_open = and_(Commitment.status == CommitmentStatus.OPEN, taken.held_on <= day)
    if session_id is not None:
        stmt = stmt.where(Commitment.session_id != session_id,
                          or_(still_open, Commitment.closed_in_session_id == session_id))
    else:
        stmt = stmt.where(still_open)
    stmt = stmt.order_by(taken.held_on, Commitment.due_on.is_(None), Commitment.due_on, Commitment.id)
    return [(c, held) for c, held in session.execute(stmt)]


def commitments_taken(session: Session, session_id: str) -> list[Commitment]:
    return list(session.scalars(
        select(Commitment).where(Commitment.session_id == session_id, Commitment.deleted_at.is_(None))
        .order_by(Commitment.id)))


def closed_in(session: Session, session_id: str) -> list[Commitment]:
    return list(session.scalars(
        select(Commitment).where(Commitment.closed_in_session_id == session_id,
                                 Commitment.deleted_at.is_(None))))


def overlapping(session: Session, *, group_id: str | None, enrolment_id: str | None, day: dt.date,
                starts_at: dt.time, ends_at: dt.time, exclude_id: str | None) -> CoachingSession | None:
    """Another session of the same group (or visit of the same enrolment) that day whose
    hours overlap."""
    s = CoachingSession
    target = s.group_id == group_id if group_id is not None else s.enrolment_id == enrolment_id
    stmt = select(s).where(target, s.deleted_at.is_(None), s.held_on == day,
                           s.starts_at < ends_at, s.ends_at > starts_at)
    if exclude_id is not None:
        stmt = stmt.where(s.id != exclude_id)
    return session.scalars(stmt.order_by(s.starts_at).limit(1)).first()


def last_session(session: Session, *, group_id: str | None, enrolment_id: str | None
                 ) -> CoachingSession | None:
    """The latest session of the group (or visit of the enrolment): defaults for the next."""
    s = CoachingSession
    target = s.group_id == group_id if group_id is not None else s.enrolment_id == enrolment_id
    return session.scalars(select(s).where(target, s.deleted_at.is_(None))
                           .order_by(s.held_on.desc(), s.starts_at.desc()).limit(1)).first()


def track_of(session: Session, *, group_id: str | None, enrolment_id: str | None) -> ProgrammeTrack | None:
    code_of = (select(CoachingGroup.track_code).where(CoachingGroup.id == group_id)
               if group_id is not None else
               select(Enrolment.track_code).where(Enrolment.id == enrolment_id))
    code = session.scalar(code_of)
    return session.get(ProgrammeTrack, code) if code else None


def advisor_name(session: Session, advisor_id: str | None) -> str:
    if not advisor_id:
        return ""
    return session.scalar(select(Advisor.name).where(Advisor.id == advisor_id)) or ""


def has_attendance(session: Session, session_id: str) -> bool:
    return session.scalar(select(Attendance.id).where(
        Attendance.session_id == session_id, Attendance.deleted_at.is_(None)).limit(1)) is not None
