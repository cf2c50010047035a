"""Enrolment queries (no commit: the calling service owns the transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from advisor_app.domain.companies import Company
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership, StageTransition
from advisor_app.domain.enums import Stage
from advisor_app.domain.reference import ProgrammeTrack
from advisor_app.domain.stages import FINAL_STAGES


def live_membership(today: dt.date) -> ColumnElement[bool]:
    """A membership that holds on ``today`` or later: not left yet (or leaving later)."""
    return (GroupMembership.deleted_at.is_(None)
            & or_(GroupMembership.left_on.is_(None), GroupMembership.left_on > today))


def is_open() -> ColumnElement[bool]:
    return Enrolment.stage.not_in(list(FINAL_STAGES))


def get_enrolment(session: Session, enrolment_id: str) -> Enrolment | None:
    enrolment = session.get(Enrolment, enrolment_id)
    return enrolment if enrolment is not None and enrolment.deleted_at is None else None


def open_enrolment_of_company(session: Session, company_id: str,
                              exclude_id: str | None = None) -> Enrolment | None:
    stmt = select(Enrolment).where(Enrolment.company_id == company_id,
                                   Enrolment.deleted_at.is_(None), is_open())
    if exclude_id is not None:
        stmt = stmt.where(Enrolment.id != exclude_id)
    return session.scalars(stmt.order_by(Enrolment.enrolled_on.desc()).limit(1)).first()


def last_transition(session: Session, enrolment_id: str) -> StageTransition | None:
    stmt = (select(StageTransition)
            .where(StageTransition.enrolment_id == enrolment_id, StageTransition.deleted_at.is_(None))
            .order_by(StageTransition.at.desc(), StageTransition.id.desc()).limit(1))
    return session.scalars(stmt).first()


def stage_before_drop(session: Session, enrolment_id: str) -> Stage | None:
    """The stage a dropped enrolment had: where its latest move to "dropped" came from."""
    stmt = (select(StageTransition.from_stage)
            .where(StageTransition.enrolment_id == enrolment_id,
                   StageTransition.to_stage == Stage.DROPPED, StageTransition.deleted_at.is_(None))
            .order_by(StageTransition.at.desc(), StageTransition.id.desc()).limit(1))
    return session.scalars(stmt).first()


def live_memberships(session: Session, enrolment_id: str, today: dt.date) -> list[GroupMembership]:
    stmt = (select(GroupMembership)
            .where(GroupMembership.enrolment_id == enrolment_id, live_membership(today))
            .order_by(GroupMembership.joined_on))
    return list(session.scalars(stmt))


def enrolment_rows(session: Session, *where: ColumnElement[bool], today: dt.date) -> list[tuple[Any, ...]]:
    """(id, company_id, company_name, track_code, track_name, stage, stage_changed_at,
    enrolled_on, ended_on, drop_reason, current group name or None), newest first."""
    group_name = (
        select(CoachingGroup.name)
        .join(GroupMembership, GroupMembership.group_id == CoachingGroup.id)
        .where(GroupMembership.enrolment_id == Enrolment.id, live_membership(today))
        .order_by(GroupMembership.joined_on.desc())
        .limit(1)
        .correlate(Enrolment)
        .scalar_subquery()
    )
    stmt = (
        select(Enrolment.id, Enrolment.company_id, Company.name, Enrolment.track_code,
               ProgrammeTrack.name_fr, Enrolment.stage, Enrolment.stage_changed_at,
               Enrolment.enrolled_on, Enrolment.ended_on, Enrolment.drop_reason,
               group_name.label("group_name"))
        .join(Company, Company.id == Enrolment.company_id)
        .join(ProgrammeTrack, ProgrammeTrack.code == Enrolment.track_code)
        .where(Enrolment.deleted_at.is_(None), *where)
        .order_by(Enrolment.enrolled_on.desc(), Company.name, Enrolment.id.desc())
    )
    return [tuple(row) for row in session.execute(stmt)]


def active_tracks(session: Session) -> list[ProgrammeTrack]:
    stmt = (select(ProgrammeTrack)
            .where(ProgrammeTrack.active.is_(True), ProgrammeTrack.deleted_at.is_(None))
            .order_by(ProgrammeTrack.half_days, ProgrammeTrack.code))
    return list(session.scalars(stmt))


def get_company(session: Session, company_id: str) -> Company | None:
    company = session.get(Company, company_id)
    return company if company is not None and company.deleted_at is None else None
