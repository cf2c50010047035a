"""Programme operations of a perimeter, read from the tables laptops and HQ share and
computed by ``domain.ops_metrics``: financing totals (per group, advisor and region),
complaints, satisfaction, advisors' capacity this month and the queue of companies waiting
for a group. Builds on the enrolment facts the dashboards already load."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from advisor_app.domain.enrolments import CoachingGroup
from advisor_app.domain.enums import Stage
from advisor_app.domain.ops_metrics import (
    AdvisorSession,
    CapacityLine,
    ComplaintFact,
    ComplaintFigures,
    FinancingFact,
    FinancingTotals,
    QueueFigures,
    SatisfactionFigures,
    capacity_lines,
    complaint_figures,
    financing_by,
    financing_total,
    month_of,
    queue_figures,
    satisfaction_figures,
)
from advisor_app.domain.programme_ops import (
    Complaint,
    ContributionPayment,
    PaymentStatus,
    SatisfactionSurvey,
)
from advisor_app.domain.reference import Advisor
from advisor_app.domain.sessions import CoachingSession
from advisor_app.services.indicator_facts import EnrolmentFacts
from advisor_app.services.ops_config import OpsConfig, OpsTargets

CHUNK = 500
WAITING = (Stage.REGISTERED, Stage.DIAGNOSED)


@dataclass(frozen=True)
class Named:
    key: str
    name: str
    totals: FinancingTotals


@dataclass(frozen=True)
class AdvisorCapacity:
    name: str
    region_code: str
    line: CapacityLine


@dataclass(frozen=True)
class Operations:
    today: dt.date
    currency: str
    financing: FinancingTotals
    by_group: tuple[Named, ...]
    by_advisor: tuple[Named, ...]
    by_region: tuple[Named, ...]
    complaints: ComplaintFigures
    satisfaction: SatisfactionFigures
    capacity: tuple[AdvisorCapacity, ...]
    queue: QueueFigures
    targets: OpsTargets | None
    enrolments: int


def waits(f: EnrolmentFacts) -> bool:
    """Registered (or diagnosed) and in no group yet: in the queue."""
    return f.stage in WAITING and f.group_id is None


def queue_by_region(facts: Sequence[EnrolmentFacts], *, today: dt.date) -> dict[str, QueueFigures]:
    days: dict[str, list[dt.date]] = {}
    for f in facts:
        days.setdefault(f.region_code, [])
        if waits(f):
            days[f.region_code].append(f.enrolled_on)
    return {region: queue_figures(values, today=today) for region, values in days.items()}


def _chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i:i + CHUNK])


def _payments(session: Session, ids: list[str]) -> dict[str, tuple[PaymentStatus, float]]:
    p = ContributionPayment
    found: dict[str, tuple[PaymentStatus, float]] = {}
    for chunk in _chunks(ids):
        for eid, status, amount in session.execute(
                select(p.enrolment_id, p.status, p.amount_received)
                .where(p.enrolment_id.in_(chunk), p.deleted_at.is_(None)).order_by(p.id.desc())):
            found[eid] = (PaymentStatus(status), float(amount))  # the first row made wins
    return found


def _complaints(session: Session, ids: list[str]) -> list[ComplaintFact]:
    c = Complaint
    out: list[ComplaintFact] = []
    for chunk in _chunks(ids):
        out.extend(ComplaintFact(eid, received, closed) for eid, received, closed in session.execute(
            select(c.enrolment_id, c.received_on, c.closed_on)
            .where(c.enrolment_id.in_(chunk), c.deleted_at.is_(None))))
    return out


def _scores(session: Session, ids: list[str]) -> dict[str, int]:
    s = SatisfactionSurvey
    found: dict[str, int] = {}
    for chunk in _chunks(ids):
        for eid, score in session.execute(
                select(s.enrolment_id, s.score).where(s.enrolment_id.in_(chunk), s.deleted_at.is_(None))
                .order_by(s.answered_on, s.id)):
            found[eid] = int(score)  # the latest answer wins
    return found


def _advisors(session: Session, *, regions: Sequence[str] | None, advisor_id: str | None,
              agency_id: str | None) -> list[tuple[str, str, str, str]]:
    a = Advisor
    stmt = select(a.id, a.name, a.email, a.region_code).where(a.deleted_at.is_(None), a.active.is_(True))
    if advisor_id is not None:
        stmt = stmt.where(a.id == advisor_id)
    elif agency_id is not None:
        stmt = stmt.where(a.agency_id == agency_id if agency_id else a.agency_id.is_(None))
    elif regions is not None:
        stmt = stmt.where(a.region_code.in_(list(regions)))
    return [tuple(row) for row in session.execute(stmt.order_by(a.region_code, a.name))]  # type: ignore[misc]


def _sessions(session: Session, advisor_ids: list[str], month: dt.date) -> list[AdvisorSession]:
    """The sessions of the month led by these advisors (a group session without an advisor
    counts for the group's advisor)."""
    s = CoachingSession
    first = month_of(month)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    who = func.coalesce(s.advisor_id, CoachingGroup.advisor_id)
    out: list[AdvisorSession] = []
    for chunk in _chunks(advisor_ids):
        out.extend(AdvisorSession(advisor, held_on, float(half_days)) for advisor, held_on, half_days in
                   session.execute(select(who, s.held_on, s.half_days)
                                   .outerjoin(CoachingGroup, CoachingGroup.id == s.group_id)
                                   .where(s.deleted_at.is_(None), s.held_on >= first,
                                          s.held_on < after, who.in_(chunk))))
    return out


def operations(session: Session, facts: Sequence[EnrolmentFacts], *, today: dt.date,
               config: OpsConfig, targets: OpsTargets | None, regions: Sequence[str] | None = None,
               advisor_id: str | None = None, agency_id: str | None = None,
               names: dict[str, str] | None = None) -> Operations:
    """``facts``: the enrolments of the perimeter; ``regions`` / ``advisor_id`` /
    ``agency_id`` ("" for no agency): whose capacity to show (every advisor when all are
    None); ``names``: region code -> name."""
    ids = [f.enrolment_id for f in facts]
    payments = _payments(session, ids)
    unpaid = (PaymentStatus.DUE, 0.0)
    money = [FinancingFact(f.enrolment_id, f.track_code, *payments.get(f.enrolment_id, unpaid))
             for f in facts]
    by_id = {f.enrolment_id: f for f in facts}
    advisors = _advisors(session, regions=regions, advisor_id=advisor_id, agency_id=agency_id)
    advisor_names = {a[0]: a[1] for a in advisors} | _advisor_names(session, facts)
    groups = {f.group_id: f.group_name for f in facts if f.group_id}
    region_names = names or {}

    def named(totals: dict[str, FinancingTotals], labels: dict[str, str]) -> tuple[Named, ...]:
        return tuple(sorted((Named(k, labels.get(k, k), t) for k, t in totals.items()),
                            key=lambda n: (n.name.casefold(), n.key)))

    available = {a[0]: config.capacity_of(a[2]) for a in advisors}
    lines = capacity_lines(available, _sessions(session, list(available), today), month=today,
                           today=today, under_ratio=config.under_ratio)
    info = {a[0]: a for a in advisors}
    completed = [f.enrolment_id for f in facts if f.stage is Stage.COMPLETED]
    waiting = [f.enrolled_on for f in facts if waits(f)]
    return Operations(
        today=today, currency=config.currency, financing=financing_total(money, config.tariffs),
        by_group=named(financing_by(money, config.tariffs, lambda m: by_id[m.enrolment_id].group_id),
                       groups),
        by_advisor=named(financing_by(money, config.tariffs,
                                      lambda m: by_id[m.enrolment_id].advisor_id), advisor_names),
        by_region=named(financing_by(money, config.tariffs,
                                     lambda m: by_id[m.enrolment_id].region_code), region_names),
        complaints=complaint_figures(_complaints(session, ids), len(facts), today=today),
        satisfaction=satisfaction_figures(_scores(session, ids), completed),
        capacity=tuple(AdvisorCapacity(info[line.advisor_id][1], info[line.advisor_id][3], line)
                       for line in lines),
        queue=queue_figures(waiting, today=today), targets=targets, enrolments=len(facts))


def _advisor_names(session: Session, facts: Sequence[EnrolmentFacts]) -> dict[str, str]:
    ids = sorted({f.advisor_id for f in facts if f.advisor_id})
    out: dict[str, str] = {}
    for chunk in _chunks(ids):
        out.update((str(i), str(n)) for i, n in
                   session.execute(select(Advisor.id, Advisor.name).where(Advisor.id.in_(chunk))))
    return out
