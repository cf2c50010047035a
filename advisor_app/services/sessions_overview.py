"""The advisor's sessions, upcoming and past, with their attendance at a glance.

Attendance counts judge each person by the row that stands (``domain.budget.latest_marks``):
a corrected sheet is counted once, as corrected."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from advisor_app.domain import budget
from advisor_app.domain.companies import Company
from advisor_app.domain.enrolments import CoachingGroup, Enrolment
from advisor_app.domain.enums import CommitmentStatus
from advisor_app.domain.labels import SESSION_KIND_LABELS, label
from advisor_app.domain.sessions import Attendance, CoachingSession, Commitment
from advisor_app.services.database import Database

UPCOMING, PAST, ALL = "upcoming", "past", "all"
PERIODS = (UPCOMING, PAST, ALL)
ROW_LIMIT = 5000  # a laptop's portfolio holds a few hundred sessions a year


@dataclass(frozen=True)
class SessionRow:
    id: str
    held_on: dt.date
    starts_at: dt.time
    ends_at: dt.time
    kind: str
    kind_label: str
    title: str
    group_id: str | None
    group_name: str  # "" for an individual visit
    company_id: str | None  # the visited company (individual visits)
    company_name: str
    place: str
    half_days: float
    recorded: int  # people with an attendance mark that stands
    attended: int  # of them present or late
    open_commitments: int  # taken in this session, still open


def list_sessions(db: Database, *, period: str = ALL, group_id: str | None = None,
                  advisor_id: str | None = None, today: dt.date | None = None) -> list[SessionRow]:
    """Sessions of ``period`` (of one group, of one advisor): upcoming soonest first, past
    (and all) latest first."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    today = today or dt.date.today()
    s = CoachingSession
    stmt = (
        select(s, CoachingGroup.name, Company.id, Company.name)
        .outerjoin(CoachingGroup, CoachingGroup.id == s.group_id)
        .outerjoin(Enrolment, Enrolment.id == s.enrolment_id)
        .outerjoin(Company, Company.id == Enrolment.company_id)
        .where(s.deleted_at.is_(None))
    )
    if group_id:
        stmt = stmt.where(s.group_id == group_id)
    if advisor_id:
        stmt = stmt.where(s.advisor_id == advisor_id)
    if period == UPCOMING:
        stmt = stmt.where(s.held_on >= today).order_by(s.held_on, s.starts_at, s.id)
    else:
        if period == PAST:
            stmt = stmt.where(s.held_on < today)
        stmt = stmt.order_by(s.held_on.desc(), s.starts_at.desc(), s.id)
    with db.sessions() as session:
        rows = session.execute(stmt.limit(ROW_LIMIT)).all()
        ids = [row[0].id for row in rows]
        marks = standing_marks(session, ids)
        commitments = _open_commitments(session, ids)
        return [
            SessionRow(
                id=x.id, held_on=x.held_on, starts_at=x.starts_at, ends_at=x.ends_at,
                kind=str(x.kind), kind_label=label(SESSION_KIND_LABELS, x.kind),
                title=x.title or "", group_id=x.group_id, group_name=group_name or "",
                company_id=company_id if x.group_id is None else None,
                company_name=(company_name or "") if x.group_id is None else "",
                place=x.place or "", half_days=float(x.half_days or 0.0),
                recorded=len(marks[x.id]),
                attended=sum(m.status in budget.ATTENDED for m in marks[x.id]),
                open_commitments=commitments.get(x.id, 0))
            for x, group_name, company_id, company_name in rows
        ]


def standing_marks(session: Session, session_ids: list[str]) -> dict[str, list[budget.Mark]]:
    by_session: dict[str, list[budget.Mark]] = defaultdict(list)
    if not session_ids:
        return by_session
    a = Attendance
    marks: list[budget.Mark] = []
    for chunk in _chunks(session_ids):
        marks.extend(
            budget.Mark(r.id, r.session_id, r.person_id, r.status, r.supersedes_id, r.updated_at)
            for r in session.execute(
                select(a.id, a.session_id, a.person_id, a.status, a.supersedes_id, a.updated_at)
                .where(a.session_id.in_(chunk), a.deleted_at.is_(None))))
    for (session_id, _), mark in budget.latest_marks(marks).items():
        by_session[session_id].append(mark)
    return by_session


def _open_commitments(session: Session, session_ids: list[str]) -> dict[str, int]:
    c = Commitment
    counts: dict[str, int] = {}
    for chunk in _chunks(session_ids):
        counts.update(
            (session_id, n) for session_id, n in session.execute(
                select(c.session_id, func.count())
                .where(c.session_id.in_(chunk), c.deleted_at.is_(None),
                       c.status == CommitmentStatus.OPEN)
                .group_by(c.session_id)))
    return counts


def _chunks(ids: list[str], size: int = 900) -> list[list[str]]:
    """SQLite caps bound parameters; ask in chunks."""
    return [ids[i:i + size] for i in range(0, len(ids), size)]
