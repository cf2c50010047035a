"""The Lean indicators of a portfolio (an advisor's laptop, a region, an agency, the whole
programme), each with the companies behind it so that a screen can list them.

``aggregate`` is pure: it works on the facts ``indicator_facts.load_facts`` read, so HQ
computes every region's figures from one read of its database."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from advisor_app.domain import flow_metrics as flow
from advisor_app.domain.enums import Stage
from advisor_app.domain.stages import stage_label
from advisor_app.services.database import Database
from advisor_app.services.indicator_facts import EnrolmentFacts, Scope, load_facts

WEEKS = 12  # throughput and cumulative flow: the last twelve weeks


@dataclass(frozen=True)
class StageLine:
    stage: str  # a Stage value
    label: str
    wip: int  # enrolments in this stage now (final stages: ever reached and stayed)
    age: flow.Spread  # days in the stage so far, of the work in progress
    lead: flow.Spread  # days spent in the stage, of the stays that ended
    companies: tuple[str, ...]  # in the stage now


@dataclass(frozen=True)
class WeekLine:
    monday: dt.date
    completed: int
    companies: tuple[str, ...]


@dataclass(frozen=True)
class GroupLine:
    group_id: str
    name: str
    members: int
    attendance_rate: float | None
    half_days_used: float
    half_days_budget: float
    initial_percent: float | None  # mean of the members' latest validated initial diagnostics
    final_percent: float | None
    diagnosed: int  # members with both an initial and a final diagnostic
    companies: tuple[str, ...]


@dataclass(frozen=True)
class FlowPoint:
    week_end: dt.date  # the Sunday the counts are taken at (end of day)
    counts: dict[str, int]  # Stage value -> enrolments, in ``flow.FLOW_ORDER``


@dataclass(frozen=True)
class Indicators:
    today: dt.date
    enrolments: int
    companies: tuple[str, ...]
    stages: tuple[StageLine, ...]  # pipeline order, then completed and dropped
    wip: int
    total_lead: flow.Spread  # first stage to completion, in days
    weeks: tuple[WeekLine, ...]
    overdue_actions: int
    overdue_companies: tuple[str, ...]
    attendance_rate: float | None  # (present + late) / marks, every session so far
    marks: int
    half_days_used: float
    half_days_budget: float
    over_budget: tuple[str, ...]  # companies that used more than their budget
    groups: tuple[GroupLine, ...]
    flow: tuple[FlowPoint, ...]
    # diagnostic progress of the enrolments that have both an initial and a final diagnostic
    diagnosed: int
    initial_percent: float | None
    final_percent: float | None

    @property
    def diagnostic_gain(self) -> float | None:
        if self.initial_percent is None or self.final_percent is None:
            return None
        return self.final_percent - self.initial_percent

    @property
    def completed_in_weeks(self) -> int:
        return sum(w.completed for w in self.weeks)

    def stage(self, stage: str) -> StageLine:
        return next(line for line in self.stages if line.stage == stage)


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def _now(today: dt.date) -> dt.datetime:
    """Ages are counted to the end of ``today``."""
    return dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


def aggregate(facts: Sequence[EnrolmentFacts], *, today: dt.date, weeks: int = WEEKS) -> Indicators:
    company_of = {f.enrolment_id: f.company_id for f in facts}
    moves = [m for f in facts for m in f.moves]
    stays = flow.stays(moves)
    now = _now(today)
    ages = flow.wip_ages(stays, now)
    leads = flow.lead_times(stays)
    current = flow.current_stays(stays)
    lines = []
    for stage in (*flow.OPEN_STAGES, Stage.COMPLETED, Stage.DROPPED):
        in_stage = [e for e, s in current.items() if s.stage == stage]
        lines.append(StageLine(
            stage=stage.value, label=stage_label(stage), wip=len(in_stage),
            age=flow.Spread.of(list(ages.get(stage, {}).values())),
            lead=flow.Spread.of(leads.get(stage, [])),
            companies=_unique(company_of[e] for e in in_stage)))
    both = [f for f in facts if f.initial_percent is not None and f.final_percent is not None]
    mondays = flow.weeks_until(today, weeks)
    done = flow.throughput(moves, mondays)
    cumulative = flow.cumulative_flow(stays, [min(end, now) for end in flow.week_ends(mondays)])
    return Indicators(
        today=today, enrolments=len(facts), companies=_unique(f.company_id for f in facts),
        stages=tuple(lines), wip=sum(len(v) for v in ages.values()),
        total_lead=flow.Spread.of(list(flow.total_lead_times(moves).values())),
        weeks=tuple(WeekLine(m, len(ids), _unique(company_of[e] for e in sorted(ids)))
                    for m, ids in zip(mondays, done, strict=True)),
        overdue_actions=sum(f.overdue_actions for f in facts),
        overdue_companies=_unique(f.company_id for f in facts if f.overdue_actions),
        attendance_rate=_rate(facts), marks=sum(f.marks for f in facts),
        half_days_used=sum(f.half_days_used for f in facts),
        half_days_budget=sum(f.half_days_budget for f in facts),
        over_budget=_unique(f.company_id for f in facts if f.half_days_used > f.half_days_budget > 0),
        groups=_groups(facts),
        flow=tuple(FlowPoint(m + dt.timedelta(days=6), {s.value: c[s] for s in flow.FLOW_ORDER})
                   for m, c in zip(mondays, cumulative, strict=True)),
        diagnosed=len(both), initial_percent=_mean(f.initial_percent for f in both),
        final_percent=_mean(f.final_percent for f in both),
    )


def _rate(facts: Iterable[EnrolmentFacts]) -> float | None:
    rows = list(facts)
    marks = sum(f.marks for f in rows)
    return sum(f.present for f in rows) / marks if marks else None


def _mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def _groups(facts: Iterable[EnrolmentFacts]) -> tuple[GroupLine, ...]:
    by_group: dict[str, list[EnrolmentFacts]] = defaultdict(list)
    for f in facts:
        if f.group_id:
            by_group[f.group_id].append(f)
    lines = [
        GroupLine(
            group_id=gid, name=rows[0].group_name, members=len(rows), attendance_rate=_rate(rows),
            half_days_used=sum(f.half_days_used for f in rows),
            half_days_budget=sum(f.half_days_budget for f in rows),
            initial_percent=_mean(f.initial_percent for f in rows),
            final_percent=_mean(f.final_percent for f in rows),
            diagnosed=sum(f.initial_percent is not None and f.final_percent is not None for f in rows),
            companies=_unique(f.company_id for f in rows))
        for gid, rows in by_group.items()]
    return tuple(sorted(lines, key=lambda g: (g.name.casefold(), g.group_id)))


def indicators(db: Database, *, today: dt.date | None = None, scope: Scope | None = None,
               weeks: int = WEEKS) -> Indicators:
    """The laptop's portfolio (every enrolment of its database unless ``scope`` says)."""
    today = today or dt.date.today()
    with db.sessions() as session:
        facts = load_facts(session, today=today, scope=scope)
    return aggregate(facts, today=today, weeks=weeks)
