"""What the dashboards need to know about each enrolment, read in a few queries: its
company, region, advisor and agency, its stage history, its current group, its half-days
used and budgeted, its attendance marks, its overdue actions and its initial and final
diagnostic scores. Laptops and HQ have the same tables: both dashboards read them here
(the laptop's ``company_listing`` is not used, HQ leaves it empty)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain import budget, scoring
from advisor_app.domain.action_plans import Action, KeyProblem
from advisor_app.domain.companies import Company
from advisor_app.domain.diagnostics import Diagnostic
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership, StageTransition
from advisor_app.domain.enums import DiagnosticKind, Stage
from advisor_app.domain.flow_metrics import Move
from advisor_app.domain.reference import Advisor, ProgrammeTrack
from advisor_app.services.company_detail import is_overdue
from advisor_app.services.diagnostic_scores import item_answers
from advisor_app.storage.repositories import diagnostics as diagnostics_repo
from advisor_app.storage.repositories import groups as groups_repo

CHUNK = 500  # enrolments per query: SQLite caps bound parameters


@dataclass(frozen=True)
class Scope:
    """Which enrolments a dashboard covers: everything, or one region, agency or advisor."""

    region: str | None = None
    agency_id: str | None = None
    advisor_id: str | None = None


@dataclass(frozen=True)
class EnrolmentFacts:
    enrolment_id: str
    company_id: str
    region_code: str
    advisor_id: str | None
    agency_id: str | None
    stage: Stage
    enrolled_on: dt.date
    moves: tuple[Move, ...]
    group_id: str | None  # its current group
    group_name: str
    half_days_budget: float
    half_days_used: float
    marks: int  # attendance rows that stand
    present: int  # of which present or late
    overdue_actions: int
    initial_percent: float | None  # latest validated initial diagnostic, 0-100
    final_percent: float | None
    track_code: str = ""


def _enrolments(scope: Scope) -> Any:
    """Columns, not ORM objects: HQ reads every enrolment of the country."""
    e = Enrolment
    stmt = (
        select(e.id, Company.id, Company.region_code, Advisor.agency_id, ProgrammeTrack.half_days,
               e.advisor_id, e.stage, e.stage_changed_at, e.enrolled_on, e.track_code)
        .join(Company, Company.id == Enrolment.company_id)
        .outerjoin(Advisor, Advisor.id == Enrolment.advisor_id)
        .outerjoin(ProgrammeTrack, ProgrammeTrack.code == Enrolment.track_code)
        .where(Enrolment.deleted_at.is_(None), Company.deleted_at.is_(None))
    )
    if scope.region:
        stmt = stmt.where(Company.region_code == scope.region)
    if scope.agency_id:
        stmt = stmt.where(Advisor.agency_id == scope.agency_id)
    if scope.advisor_id:
        stmt = stmt.where(Enrolment.advisor_id == scope.advisor_id)
    return stmt


def _chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i:i + CHUNK])


def load_facts(session: Session, *, today: dt.date, scope: Scope | None = None) -> list[EnrolmentFacts]:
    rows = session.execute(_enrolments(scope or Scope())).all()
    ids = [row[0] for row in rows]
    moves: dict[str, list[Move]] = defaultdict(list)
    groups: dict[str, tuple[str, str]] = {}
    usages: dict[str, budget.Usage] = {}
    overdue: dict[str, int] = defaultdict(int)
    scores: dict[tuple[str, DiagnosticKind], float | None] = {}
    budgets = {row[0]: float(row[4] or 0) for row in rows}
    t = StageTransition
    for chunk in _chunks(ids):
        for enrolment_id, to_stage, at in session.execute(select(t.enrolment_id, t.to_stage, t.at).where(
                t.enrolment_id.in_(chunk), t.deleted_at.is_(None))):
            moves[enrolment_id].append(Move(enrolment_id, to_stage, at))
        groups.update(_current_groups(session, chunk, today))
        for eid, inputs in groups_repo.budget_inputs(session, chunk).items():
            usages[eid] = budget.usage(budgets[eid], inputs.sessions, inputs.windows, inputs.marks)
        for action, enrolment in session.execute(
                select(Action, Enrolment)
                .join(KeyProblem, KeyProblem.id == Action.key_problem_id)
                .join(Enrolment, Enrolment.id == KeyProblem.enrolment_id)
                .where(KeyProblem.enrolment_id.in_(chunk), Action.deleted_at.is_(None),
                       KeyProblem.deleted_at.is_(None), Action.due_on < today)):
            overdue[enrolment.id] += is_overdue(action, enrolment, today)
        scores.update(_diagnostic_scores(session, chunk))
    facts = []
    for (eid, company_id, region, agency_id, _half_days, advisor_id, stage, changed_at, enrolled_on,
         track_code) in rows:
        # an enrolment without history (an old import): in its stage since it changed
        own = moves.get(eid) or [Move(eid, Stage(stage), changed_at)]
        usage = usages.get(eid)
        group_id, group_name = groups.get(eid, (None, ""))
        facts.append(EnrolmentFacts(
            enrolment_id=eid, company_id=company_id, region_code=region,
            advisor_id=advisor_id, agency_id=agency_id, stage=Stage(stage),
            enrolled_on=enrolled_on, moves=tuple(own), group_id=group_id,
            group_name=group_name, half_days_budget=budgets[eid],
            half_days_used=usage.used if usage else 0.0, marks=usage.marks if usage else 0,
            present=usage.present if usage else 0, overdue_actions=overdue.get(eid, 0),
            initial_percent=scores.get((eid, DiagnosticKind.INITIAL)),
            final_percent=scores.get((eid, DiagnosticKind.FINAL)), track_code=track_code))
    return facts


def _current_groups(session: Session, ids: list[str], today: dt.date) -> dict[str, tuple[str, str]]:
    m = GroupMembership
    found: dict[str, tuple[str, str]] = {}
    for enrolment_id, group_id, name in session.execute(
            select(m.enrolment_id, m.group_id, CoachingGroup.name)
            .join(CoachingGroup, CoachingGroup.id == m.group_id)
            .where(m.enrolment_id.in_(ids), m.deleted_at.is_(None), CoachingGroup.deleted_at.is_(None),
                   m.joined_on <= today, (m.left_on.is_(None)) | (m.left_on > today))
            .order_by(m.joined_on)):
        found[enrolment_id] = (group_id, name)  # the latest joined wins
    return found


def _diagnostic_scores(session: Session, ids: list[str]) -> dict[tuple[str, DiagnosticKind], float | None]:
    """(enrolment id, kind) -> percent of the newest validated diagnostic of that kind."""
    newest: dict[tuple[str, DiagnosticKind], Diagnostic] = {}
    for d in diagnostics_repo.standing(session, ids, validated_only=True):
        key = (d.enrolment_id, DiagnosticKind(d.kind))
        best = newest.get(key)
        if best is None or (d.conducted_on, d.version) >= (best.conducted_on, best.version):
            newest[key] = d
    answers = item_answers(session, list(newest.values()))
    return {key: scoring.score_answers(answers.get(d.id, []), {}).percent for key, d in newest.items()}
