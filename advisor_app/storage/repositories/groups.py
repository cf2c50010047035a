"""Coaching group queries (no commit: the calling service owns the transaction)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from advisor_app.domain.budget import Mark, SessionCharge, Window
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership
from advisor_app.domain.reference import Advisor, ProgrammeTrack, Region, Sector
from advisor_app.domain.sessions import Attendance, CoachingSession
from advisor_app.storage.repositories.enrolments import live_membership


def get_group(session: Session, group_id: str) -> CoachingGroup | None:
    group = session.get(CoachingGroup, group_id)
    return group if group is not None and group.deleted_at is None else None


def get_membership(session: Session, membership_id: str) -> GroupMembership | None:
    row = session.get(GroupMembership, membership_id)
    return row if row is not None and row.deleted_at is None else None


def group_rows(session: Session, *where: ColumnElement[bool], today: dt.date) -> list[tuple[Any, ...]]:
    """(id, name, track_code, track_name, sector_name, region_name, territory, advisor_name,
    starts_on, ends_on, active members), latest start first."""
    active = (
        select(func.count(GroupMembership.id))
        .where(GroupMembership.group_id == CoachingGroup.id, live_membership(today))
        .correlate(CoachingGroup)
        .scalar_subquery()
    )
    stmt = (
        select(CoachingGroup.id, CoachingGroup.name, CoachingGroup.track_code, ProgrammeTrack.name_fr,
               Sector.name_fr, Region.name_fr, CoachingGroup.territory, Advisor.name,
               CoachingGroup.starts_on, CoachingGroup.ends_on, active.label("active_members"))
        .join(ProgrammeTrack, ProgrammeTrack.code == CoachingGroup.track_code)
        .join(Region, Region.code == CoachingGroup.region_code)
        .outerjoin(Sector, Sector.code == CoachingGroup.sector_code)
        .outerjoin(Advisor, Advisor.id == CoachingGroup.advisor_id)
        .where(CoachingGroup.deleted_at.is_(None), *where)
        .order_by(CoachingGroup.starts_on.desc().nulls_first(), CoachingGroup.name, CoachingGroup.id)
    )
    return [tuple(row) for row in session.execute(stmt)]


def not_finished(today: dt.date) -> ColumnElement[bool]:
    return or_(CoachingGroup.ends_on.is_(None), CoachingGroup.ends_on >= today)


def group_name_taken(session: Session, name: str, exclude_id: str | None) -> bool:
    stmt = select(CoachingGroup.id).where(
        func.lower(CoachingGroup.name) == name.lower(), CoachingGroup.deleted_at.is_(None))
    if exclude_id is not None:
        stmt = stmt.where(CoachingGroup.id != exclude_id)
    return session.scalar(stmt.limit(1)) is not None


def member_rows(session: Session, group_id: str, membership_id: str | None = None) -> list[tuple[Any, ...]]:
    """(membership id, enrolment id, company id, company name, joined_on, left_on,
    leave_reason, track half-days, enrolment stage) of a group, or of one membership."""
    stmt = (
        select(GroupMembership.id, GroupMembership.enrolment_id, Company.id, Company.name,
               GroupMembership.joined_on, GroupMembership.left_on, GroupMembership.leave_reason,
               ProgrammeTrack.half_days, Enrolment.stage)
        .join(Enrolment, Enrolment.id == GroupMembership.enrolment_id)
        .join(Company, Company.id == Enrolment.company_id)
        .join(ProgrammeTrack, ProgrammeTrack.code == Enrolment.track_code)
        .where(GroupMembership.group_id == group_id, GroupMembership.deleted_at.is_(None))
        .order_by(Company.name, GroupMembership.joined_on)
    )
    if membership_id is not None:
        stmt = stmt.where(GroupMembership.id == membership_id)
    return [tuple(row) for row in session.execute(stmt)]


def membership_span(session: Session, group_id: str) -> tuple[dt.date | None, dt.date | None, int]:
    """(first entry, last entry or exit, number of memberships) of a group."""
    last_day = func.max(func.coalesce(GroupMembership.left_on, GroupMembership.joined_on))
    row = session.execute(
        select(func.min(GroupMembership.joined_on), last_day, func.count(GroupMembership.id))
        .where(GroupMembership.group_id == group_id, GroupMembership.deleted_at.is_(None))
    ).one()
    return row[0], row[1], row[2] or 0


def overlapping_membership(session: Session, enrolment_id: str,
                           joined_on: dt.date) -> tuple[GroupMembership, str] | None:
    """A membership of the enrolment still running on ``joined_on`` (or starting later),
    with its group's name."""
    stmt = (
        select(GroupMembership, CoachingGroup.name)
        .join(CoachingGroup, CoachingGroup.id == GroupMembership.group_id)
        .where(GroupMembership.enrolment_id == enrolment_id, GroupMembership.deleted_at.is_(None),
               or_(GroupMembership.left_on.is_(None), GroupMembership.left_on > joined_on))
        .order_by(GroupMembership.joined_on.desc())
        .limit(1)
    )
    row = session.execute(stmt).first()
    return (row[0], row[1]) if row else None


@dataclass
class BudgetInputs:
    company_id: str
    windows: list[Window] = field(default_factory=list)
    sessions: list[SessionCharge] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)


def budget_inputs(session: Session, enrolment_ids: Collection[str]) -> dict[str, BudgetInputs]:
    """What ``domain.budget.usage`` needs for each enrolment: its membership windows, the
    sessions of its groups and its visits, and the attendance rows of its company's people."""
    ids = list(enrolment_ids)
    if not ids:
        return {}
    inputs = {eid: BudgetInputs(company_id=cid) for eid, cid in session.execute(
        select(Enrolment.id, Enrolment.company_id).where(Enrolment.id.in_(ids)))}
    for eid, gid, joined, left in session.execute(
            select(GroupMembership.enrolment_id, GroupMembership.group_id,
                   GroupMembership.joined_on, GroupMembership.left_on)
            .where(GroupMembership.enrolment_id.in_(ids), GroupMembership.deleted_at.is_(None))):
        inputs[eid].windows.append(Window(gid, joined, left))
    groups = {w.group_id for item in inputs.values() for w in item.windows}
    by_group: dict[str, list[SessionCharge]] = defaultdict(list)
    scope = or_(CoachingSession.group_id.in_(groups), CoachingSession.enrolment_id.in_(ids))
    for sid, session_group, visited, held, half_days in session.execute(
            select(CoachingSession.id, CoachingSession.group_id, CoachingSession.enrolment_id,
                   CoachingSession.held_on, CoachingSession.half_days)
            .where(scope, CoachingSession.deleted_at.is_(None))):
        charge = SessionCharge(sid, held, half_days or 0.0, session_group)
        if session_group is not None:
            by_group[session_group].append(charge)
        elif visited in inputs:
            inputs[visited].sessions.append(charge)
    for item in inputs.values():
        for gid in {w.group_id for w in item.windows}:
            item.sessions.extend(by_group[gid])
    companies: dict[str, list[BudgetInputs]] = defaultdict(list)
    for item in inputs.values():
        companies[item.company_id].append(item)
    for aid, sid, pid, status, supersedes, recorded, cid in session.execute(
            select(Attendance.id, Attendance.session_id, Attendance.person_id, Attendance.status,
                   Attendance.supersedes_id, Attendance.updated_at, Person.company_id)
            .join(CoachingSession, CoachingSession.id == Attendance.session_id)
            .join(Person, Person.id == Attendance.person_id)
            .where(scope, Person.company_id.in_(list(companies)), Attendance.deleted_at.is_(None))):
        for item in companies[cid]:
            item.marks.append(Mark(aid, sid, pid, status, supersedes, recorded))
    return inputs
