"""Every action of the advisor's action plans in one list: what is late comes first.

"Late" follows ``company_detail.is_overdue``: past due, neither done nor dropped, in an
enrolment still running."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from advisor_app.domain.action_plans import Action, KeyProblem
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership
from advisor_app.domain.labels import ACTION_STATUS_LABELS, label
from advisor_app.services.company_detail import CLOSED_ACTIONS, is_overdue
from advisor_app.services.database import Database

OPEN, LATE, ALL = "open", "late", "all"
SCOPES = (OPEN, LATE, ALL)


@dataclass(frozen=True)
class ActionRow:
    id: str
    company_id: str
    company_name: str
    problem_title: str
    title: str
    owner_name: str
    starts_on: dt.date | None
    due_on: dt.date | None
    status: str
    status_label: str
    progress: int
    late: bool
    days_late: int  # 0 unless late


def list_actions(db: Database, *, scope: str = OPEN, group_id: str | None = None,
                 today: dt.date | None = None) -> list[ActionRow]:
    """Actions of ``scope`` (open: not done nor dropped; late; all), late ones first (most
    late first), then by due date, actions without a date last."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    today = today or dt.date.today()
    stmt = (
        select(Action, Enrolment, Company.id, Company.name, KeyProblem.title, Person)
        .join(KeyProblem, KeyProblem.id == Action.key_problem_id)
        .join(Enrolment, Enrolment.id == KeyProblem.enrolment_id)
        .join(Company, Company.id == Enrolment.company_id)
        .outerjoin(Person, Person.id == Action.owner_person_id)
        .where(Action.deleted_at.is_(None), KeyProblem.deleted_at.is_(None),
               Enrolment.deleted_at.is_(None), Company.deleted_at.is_(None))
    )
    if scope != ALL:
        stmt = stmt.where(Action.status.not_in(list(CLOSED_ACTIONS)))
    if group_id:
        members = (select(GroupMembership.enrolment_id)
                   .join(CoachingGroup, CoachingGroup.id == GroupMembership.group_id)
                   .where(GroupMembership.group_id == group_id, GroupMembership.deleted_at.is_(None)))
        stmt = stmt.where(Enrolment.id.in_(members))
    with db.sessions() as session:
        rows = []
        for action, enrolment, company_id, company_name, problem, owner in session.execute(stmt):
            late = is_overdue(action, enrolment, today)
            if scope == LATE and not late:
                continue
            rows.append(ActionRow(
                id=action.id, company_id=company_id, company_name=company_name,
                problem_title=problem, title=action.title, owner_name=owner.full_name if owner else "",
                starts_on=action.starts_on, due_on=action.due_on, status=str(action.status),
                status_label=label(ACTION_STATUS_LABELS, action.status),
                progress=action.progress or 0, late=late,
                days_late=(today - action.due_on).days if late and action.due_on else 0))
    rows.sort(key=lambda r: (not r.late, -r.days_late, r.due_on is None, r.due_on or today,
                             r.company_name.casefold(), r.id))
    return rows
