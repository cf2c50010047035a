"""The advisor's dashboard: the portfolio in a few figures, computed from this laptop's
database (the national dashboards live at headquarters)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from advisor_app.domain import budget
from advisor_app.domain.action_plans import Action, KeyProblem
from advisor_app.domain.diagnostics import Diagnostic
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership
from advisor_app.domain.enums import DiagnosticKind, DiagnosticStatus
from advisor_app.domain.listing import CompanyListing
from advisor_app.domain.sessions import CoachingSession
from advisor_app.services import ops_config, reference_names
from advisor_app.services import targets as targets_service
from advisor_app.services.companies import stage_label
from advisor_app.services.company_detail import CLOSED_ACTIONS, is_overdue
from advisor_app.services.database import ADVISOR_KEY, Database, get_setting
from advisor_app.services.errors import UserError
from advisor_app.services.indicator_facts import load_facts
from advisor_app.services.indicators import Indicators, aggregate
from advisor_app.services.ops_facts import Operations, operations
from advisor_app.services.sessions_overview import standing_marks
from advisor_app.storage.repositories.company_search import NOT_ENROLLED, STAGE_RANKS

RECENT_DAYS = 30
ATTENDANCE_DAYS = 90
CHUNK = 500


@dataclass(frozen=True)
class StageCount:
    stage: str  # a Stage value or "none"
    label: str
    companies: int


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    companies: int
    by_stage: tuple[StageCount, ...]  # pipeline order, not enrolled first
    active_groups: int
    active_members: int
    sessions_last_30_days: int
    sessions_next_30_days: int
    collective_half_days_this_year: float
    individual_half_days_this_year: float
    attendance_rate_90_days: float | None  # (present + late) / marks; None: no mark
    open_actions: int
    late_actions: int
    done_actions: int
    initial_diagnostics: int  # validated
    final_diagnostics: int  # validated


def dashboard(db: Database, *, today: dt.date | None = None) -> Dashboard:
    today = today or dt.date.today()
    with db.sessions() as session:
        open_actions, late_actions, done_actions = _actions(session, today)
        collective, individual = _half_days(session, today)
        return Dashboard(
            today=today,
            companies=session.scalar(select(func.count()).select_from(CompanyListing)) or 0,
            by_stage=_by_stage(session),
            active_groups=_active_groups(session, today),
            active_members=_active_members(session, today),
            sessions_last_30_days=_count_sessions(
                session, today - dt.timedelta(days=RECENT_DAYS), today - dt.timedelta(days=1)),
            sessions_next_30_days=_count_sessions(
                session, today, today + dt.timedelta(days=RECENT_DAYS - 1)),
            collective_half_days_this_year=collective,
            individual_half_days_this_year=individual,
            attendance_rate_90_days=_attendance_rate(session, today),
            open_actions=open_actions, late_actions=late_actions, done_actions=done_actions,
            initial_diagnostics=_diagnostics(session, DiagnosticKind.INITIAL),
            final_diagnostics=_diagnostics(session, DiagnosticKind.FINAL),
        )


def _by_stage(session: Session) -> tuple[StageCount, ...]:
    counts = {rank: n for rank, n in session.execute(
        select(CompanyListing.stage_rank, func.count()).group_by(CompanyListing.stage_rank))}
    return tuple(
        StageCount(stage, stage_label(None if stage == NOT_ENROLLED else stage), counts.get(rank, 0))
        for stage, rank in sorted(STAGE_RANKS.items(), key=lambda item: item[1]))


def _active(today: dt.date) -> list[ColumnElement[bool]]:
    return [GroupMembership.deleted_at.is_(None), GroupMembership.joined_on <= today,
            (GroupMembership.left_on.is_(None)) | (GroupMembership.left_on > today)]


def _active_groups(session: Session, today: dt.date) -> int:
    count: int | None = session.scalar(
        select(func.count(func.distinct(GroupMembership.group_id)))
        .join(CoachingGroup, CoachingGroup.id == GroupMembership.group_id)
        .where(CoachingGroup.deleted_at.is_(None), *_active(today)))
    return count or 0


def _active_members(session: Session, today: dt.date) -> int:
    count: int | None = session.scalar(
        select(func.count(func.distinct(GroupMembership.enrolment_id))).where(*_active(today)))
    return count or 0


def _count_sessions(session: Session, first: dt.date, last: dt.date) -> int:
    s = CoachingSession
    return session.scalar(select(func.count()).select_from(s).where(
        s.deleted_at.is_(None), s.held_on >= first, s.held_on <= last)) or 0


def _half_days(session: Session, today: dt.date) -> tuple[float, float]:
    """Half-days of the sessions held this year up to today: collective, individual."""
    s = CoachingSession
    rows = session.execute(
        select(s.group_id.is_(None), func.coalesce(func.sum(s.half_days), 0.0))
        .where(s.deleted_at.is_(None), s.held_on >= dt.date(today.year, 1, 1), s.held_on <= today)
        .group_by(s.group_id.is_(None)))
    totals = {bool(individual): float(total) for individual, total in rows}
    return totals.get(False, 0.0), totals.get(True, 0.0)


def _attendance_rate(session: Session, today: dt.date) -> float | None:
    s = CoachingSession
    ids = list(session.scalars(select(s.id).where(
        s.deleted_at.is_(None), s.held_on <= today,
        s.held_on > today - dt.timedelta(days=ATTENDANCE_DAYS))))
    marks = [m for rows in standing_marks(session, ids).values() for m in rows]
    if not marks:
        return None
    return sum(m.status in budget.ATTENDED for m in marks) / len(marks)


def _actions(session: Session, today: dt.date) -> tuple[int, int, int]:
    open_, late, done = 0, 0, 0
    for action, enrolment in session.execute(
        select(Action, Enrolment)
        .join(KeyProblem, KeyProblem.id == Action.key_problem_id)
        .join(Enrolment, Enrolment.id == KeyProblem.enrolment_id)
        .where(Action.deleted_at.is_(None), KeyProblem.deleted_at.is_(None),
               Enrolment.deleted_at.is_(None))
    ):
        if action.status in CLOSED_ACTIONS:
            done += action.status == "done"
            continue
        open_ += 1
        late += is_overdue(action, enrolment, today)
    return open_, late, done


def _diagnostics(session: Session, kind: DiagnosticKind) -> int:
    """Enrolments with a validated diagnostic of ``kind`` (versions counted once)."""
    return session.scalar(
        select(func.count(func.distinct(Diagnostic.enrolment_id))).where(
            Diagnostic.deleted_at.is_(None), Diagnostic.kind == kind,
            Diagnostic.status == DiagnosticStatus.VALIDATED)) or 0


@dataclass(frozen=True)
class LeanBoard:
    """The flow indicators of the laptop's portfolio, and the year's targets of the regions
    its companies are in (``targets_error``: why targets.toml could not be read)."""

    indicators: Indicators
    year: int
    regions: tuple[str, ...]
    targets: tuple[targets_service.TargetLine, ...]
    targets_error: str


def lean_board(db: Database, *, today: dt.date | None = None) -> LeanBoard:
    today = today or dt.date.today()
    with db.sessions() as session:
        facts = load_facts(session, today=today)
    regions = tuple(sorted({f.region_code for f in facts}))
    error = ""
    try:
        known = targets_service.load_targets()
    except UserError as exc:
        known, error = [], str(exc)
    target = targets_service.sum_targets(known, year=today.year, regions=regions) if regions else None
    return LeanBoard(aggregate(facts, today=today), today.year, regions,
                     targets_service.actuals(facts, target, year=today.year), error)


@dataclass(frozen=True)
class CompanyLine:
    id: str
    name: str
    city: str
    region: str
    stage: str
    group: str


def companies_behind(db: Database, company_ids: Sequence[str]) -> list[CompanyLine]:
    """The companies behind a figure, by name (companies deleted since are left out)."""
    ids = list(dict.fromkeys(company_ids))
    lines: list[CompanyLine] = []
    L = CompanyListing
    with db.sessions() as session:
        for i in range(0, len(ids), CHUNK):
            lines.extend(
                CompanyLine(cid, name, city, region, stage_label(stage), group)
                for cid, name, city, region, stage, group in session.execute(
                    select(L.company_id, L.name, L.city, L.region_name, L.stage, L.group_name)
                    .where(L.company_id.in_(ids[i:i + CHUNK]))))
    return sorted(lines, key=lambda c: (c.name.casefold(), c.id))


def companies_at_stage(db: Database, stage: str) -> list[str]:
    """Ids of the companies a stage bar counts (``stage``: a Stage value or "none")."""
    with db.sessions() as session:
        return list(session.scalars(select(CompanyListing.company_id).where(
            CompanyListing.stage_rank == STAGE_RANKS.get(stage, -1))))


@dataclass(frozen=True)
class OperationsBoard:
    """Financing, complaints, satisfaction, capacity and queue of the laptop's portfolio
    (``operations`` None and ``error`` set when programme_ops.toml cannot be read)."""

    operations: Operations | None
    error: str


def operations_board(db: Database, *, today: dt.date | None = None) -> OperationsBoard:
    """The capacity shown is this laptop's advisor's (every advisor of the portfolio's
    regions before the first sync, when the laptop does not know its advisor yet)."""
    today = today or dt.date.today()
    try:
        config, targets = ops_config.load_config(), ops_config.load_targets()
    except UserError as exc:
        return OperationsBoard(None, str(exc))
    with db.sessions() as session:
        facts = load_facts(session, today=today)
        advisor = get_setting(session, ADVISOR_KEY)
        regions = sorted({f.region_code for f in facts})
        region_names = reference_names.names(session, "region")
        names = {code: region_names.of(code, code) for code in regions}
        return OperationsBoard(operations(session, facts, today=today, config=config, targets=targets,
                                          regions=regions, advisor_id=str(advisor) if advisor else None,
                                          names=names), "")
