"""Programme operations figures: pure functions shared by the advisor's dashboard, HQ's
page and the exports (no I/O, no Qt).

* *Financing*: per enrolment, the track's price, the company's share and the public
  subsidy (from the programme's tariff), and what the company paid; summed per key
  (group, advisor, region). Dropped enrolments count like the others: the programme
  committed the subsidy when the company enrolled.
* *Complaint rate*: complaints received per 100 enrolments of the same perimeter.
* *Handling time*: days from reception to closing of the closed complaints (median and
  85th percentile, ``flow_metrics.percentile``); open complaints are counted apart.
* *Satisfaction*: mean score (1-5), how many answered each score, and the response rate
  (answers / completed enrolments).
* *Capacity*: an advisor's half-days of a month, planned (sessions dated after today) and
  used (sessions held up to today), against the half-days he has available that month.
* *Queue*: open enrolments not yet in a group (registered or diagnosed): their number and
  the days since they enrolled (median, 85th percentile, oldest).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from advisor_app.domain.flow_metrics import median, percentile
from advisor_app.domain.programme_ops import PaymentStatus

SCORES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Tariff:
    """One track's financing, per enrolled company."""

    track_code: str
    price: float
    company_share: float
    subsidy: float
    subsidy_payer: str = ""


@dataclass(frozen=True)
class FinancingFact:
    enrolment_id: str
    track_code: str
    status: PaymentStatus  # DUE when no payment row exists
    amount_received: float


@dataclass
class FinancingTotals:
    enrolments: int = 0
    price: float = 0.0
    company_share: float = 0.0
    subsidy: float = 0.0
    received: float = 0.0
    paid: int = 0  # enrolments whose contribution is paid (or waived)
    unpriced: int = 0  # enrolments of a track without a tariff

    @property
    def outstanding(self) -> float:
        """Contributions still expected (never negative: an overpayment owes nothing back here)."""
        return max(self.company_share - self.received, 0.0)


def expected_share(tariff: Tariff | None, status: PaymentStatus) -> float:
    """A waived contribution is not expected."""
    if tariff is None or status is PaymentStatus.WAIVED:
        return 0.0
    return tariff.company_share


def add_financing(totals: FinancingTotals, fact: FinancingFact, tariff: Tariff | None) -> None:
    totals.enrolments += 1
    if tariff is None:
        totals.unpriced += 1
        return
    totals.price += tariff.price
    totals.subsidy += tariff.subsidy
    totals.company_share += expected_share(tariff, fact.status)
    totals.received += fact.amount_received
    totals.paid += fact.status in (PaymentStatus.PAID, PaymentStatus.WAIVED)


def financing_by(facts: Iterable[FinancingFact], tariffs: dict[str, Tariff],
                 key: Callable[[FinancingFact], str | None]) -> dict[str, FinancingTotals]:
    """Totals per ``key(fact)`` (facts whose key is None are left out)."""
    out: dict[str, FinancingTotals] = defaultdict(FinancingTotals)
    for fact in facts:
        k = key(fact)
        if k is not None:
            add_financing(out[k], fact, tariffs.get(fact.track_code))
    return dict(out)


def financing_total(facts: Iterable[FinancingFact], tariffs: dict[str, Tariff]) -> FinancingTotals:
    totals = FinancingTotals()
    for fact in facts:
        add_financing(totals, fact, tariffs.get(fact.track_code))
    return totals


def payment_status_for(amount: float, share: float, *, waived: bool = False) -> PaymentStatus:
    """The status an amount received implies: nothing, part of the share, all of it."""
    if waived:
        return PaymentStatus.WAIVED
    if amount <= 0:
        return PaymentStatus.DUE
    return PaymentStatus.PAID if amount >= share else PaymentStatus.PARTIAL


# -- complaints ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ComplaintFact:
    enrolment_id: str
    received_on: dt.date
    closed_on: dt.date | None


@dataclass(frozen=True)
class ComplaintFigures:
    received: int
    open: int
    rate_per_100: float | None  # None: no enrolment
    handling_median: float | None  # days, closed complaints
    handling_p85: float | None
    oldest_open_days: int | None


def complaint_figures(complaints: Sequence[ComplaintFact], enrolments: int, *,
                      today: dt.date) -> ComplaintFigures:
    days = [float((c.closed_on - c.received_on).days) for c in complaints if c.closed_on is not None]
    open_ages = [(today - c.received_on).days for c in complaints if c.closed_on is None]
    return ComplaintFigures(
        received=len(complaints), open=len(open_ages),
        rate_per_100=100.0 * len(complaints) / enrolments if enrolments else None,
        handling_median=median(days), handling_p85=percentile(days, 85),
        oldest_open_days=max(open_ages) if open_ages else None)


# -- satisfaction -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SatisfactionFigures:
    answers: int
    mean: float | None
    distribution: tuple[int, int, int, int, int]  # how many answered 1, 2, 3, 4, 5
    completed: int
    response_rate: float | None  # answers of completed enrolments / completed enrolments


def satisfaction_figures(scores: dict[str, int], completed: Iterable[str]) -> SatisfactionFigures:
    """``scores``: enrolment id -> its (latest) score; ``completed``: the completed enrolments."""
    values = list(scores.values())
    done = set(completed)
    counts = tuple(values.count(s) for s in SCORES)
    answered_done = len(done & set(scores))
    return SatisfactionFigures(
        answers=len(values), mean=sum(values) / len(values) if values else None,
        distribution=(counts[0], counts[1], counts[2], counts[3], counts[4]), completed=len(done),
        response_rate=answered_done / len(done) if done else None)


# -- capacity -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AdvisorSession:
    advisor_id: str
    held_on: dt.date
    half_days: float


@dataclass(frozen=True)
class CapacityLine:
    advisor_id: str
    month: dt.date  # first day of the month
    available: float
    planned: float  # sessions dated after today
    used: float  # sessions held up to today
    load: float | None  # (planned + used) / available
    status: str  # "over", "under" or "ok"


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def capacity_lines(advisors: dict[str, float], sessions: Iterable[AdvisorSession], *,
                   month: dt.date, today: dt.date, under_ratio: float) -> list[CapacityLine]:
    """One line per advisor of ``advisors`` (id -> half-days available in a month) for the
    month of ``month``; sessions of other months or other advisors are ignored."""
    first = month_of(month)
    planned: dict[str, float] = defaultdict(float)
    used: dict[str, float] = defaultdict(float)
    for s in sessions:
        if s.advisor_id in advisors and month_of(s.held_on) == first:
            (planned if s.held_on > today else used)[s.advisor_id] += s.half_days
    lines = []
    for advisor_id, available in advisors.items():
        total = planned[advisor_id] + used[advisor_id]
        load = total / available if available > 0 else None
        if available <= 0:
            status = "over" if total > 0 else "ok"
        elif total > available:
            status = "over"
        elif total < under_ratio * available:
            status = "under"
        else:
            status = "ok"
        lines.append(CapacityLine(advisor_id, first, available, planned[advisor_id],
                                  used[advisor_id], load, status))
    return lines


# -- queue --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueueFigures:
    waiting: int
    median_days: float | None
    p85_days: float | None
    oldest_days: int | None
    ages: tuple[int, ...] = field(default=())


def queue_figures(enrolled_days: Iterable[dt.date], *, today: dt.date) -> QueueFigures:
    """``enrolled_days``: the enrolment dates of the companies waiting for a group."""
    ages = sorted((today - day).days for day in enrolled_days)
    values = [float(a) for a in ages]
    return QueueFigures(len(ages), median(values), percentile(values, 85),
                        ages[-1] if ages else None, tuple(ages))
