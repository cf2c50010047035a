"""Lean flow figures of the enrolment pipeline, from the stage history alone: pure
functions shared by the advisor's dashboard and HQ's (no I/O, no Qt).

* A *stay* is the time an enrolment spends in one stage: it opens at the transition into
  the stage and closes at the next transition (a backward correction closes it too).
* *Lead time* of a stage: the durations, in days, of the closed stays in that stage.
* *Work in progress*: the enrolments whose current stage is not final; their *age* is the
  time since they entered that stage.
* *Throughput*: completions per week (weeks start on Monday).
* *Cumulative flow*: at the end of each week, how many enrolments were in each stage.

Percentiles use linear interpolation between closest ranks (the "inclusive" method, R's
type 7, numpy's default): position ``(n - 1) x p`` in the sorted values. So the median of
1, 2, 3, 4 is 2.5 and their 85th percentile 3.55, never an average that one very long
stay would drag.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from advisor_app.domain.enums import Stage
from advisor_app.domain.stages import FINAL_STAGES, PIPELINE

SECONDS_PER_DAY = 86_400.0
OPEN_STAGES: tuple[Stage, ...] = tuple(s for s in PIPELINE if s not in FINAL_STAGES)
# bottom to top of the cumulative flow diagram: what is done first, then the pipeline backwards
FLOW_ORDER: tuple[Stage, ...] = (Stage.DROPPED, Stage.COMPLETED, *reversed(OPEN_STAGES))


def percentile(values: Iterable[float], p: float) -> float | None:
    """The ``p``-th percentile (0-100) by linear interpolation; None for no value."""
    ordered = sorted(values)
    if not ordered:
        return None
    if not 0 <= p <= 100:
        raise ValueError("percentile out of 0-100")
    position = (len(ordered) - 1) * p / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Iterable[float]) -> float | None:
    return percentile(values, 50)


@dataclass(frozen=True)
class Move:
    """One stage transition of one enrolment."""

    enrolment_id: str
    to_stage: Stage
    at: dt.datetime


@dataclass(frozen=True)
class Stay:
    enrolment_id: str
    stage: Stage
    start: dt.datetime
    end: dt.datetime | None  # None: still there

    def days(self, now: dt.datetime) -> float:
        return ((self.end or now) - self.start).total_seconds() / SECONDS_PER_DAY


@dataclass(frozen=True)
class Spread:
    """Median and 85th percentile (days) of ``count`` values."""

    count: int
    median: float | None
    p85: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(len(values), median(values), percentile(values, 85))


def stays(moves: Iterable[Move]) -> list[Stay]:
    """Every stay, enrolment by enrolment in time order (ties keep the given order)."""
    by_enrolment: dict[str, list[Move]] = defaultdict(list)
    for move in moves:
        by_enrolment[move.enrolment_id].append(move)
    result: list[Stay] = []
    for enrolment_id, rows in by_enrolment.items():
        rows.sort(key=lambda m: m.at)
        for move, after in zip(rows, [*rows[1:], None], strict=True):
            result.append(Stay(enrolment_id, move.to_stage, move.at, after.at if after else None))
    return result


def current_stays(all_stays: Iterable[Stay]) -> dict[str, Stay]:
    """enrolment id -> the stay it is in now."""
    return {s.enrolment_id: s for s in all_stays if s.end is None}


def lead_times(all_stays: Iterable[Stay]) -> dict[Stage, list[float]]:
    """Open stage -> durations in days of the stays that ended (pipeline order)."""
    result: dict[Stage, list[float]] = {stage: [] for stage in OPEN_STAGES}
    for stay in all_stays:
        if stay.end is not None and stay.stage in result:
            result[stay.stage].append(stay.days(stay.end))
    return result


def total_lead_times(moves: Iterable[Move]) -> dict[str, float]:
    """enrolment id -> days from its first move to its (last) completion."""
    first: dict[str, dt.datetime] = {}
    done: dict[str, dt.datetime] = {}
    for move in moves:
        if move.enrolment_id not in first or move.at < first[move.enrolment_id]:
            first[move.enrolment_id] = move.at
        if move.to_stage == Stage.COMPLETED:
            done[move.enrolment_id] = max(move.at, done.get(move.enrolment_id, move.at))
    return {e: (at - first[e]).total_seconds() / SECONDS_PER_DAY for e, at in done.items()}


def wip_ages(all_stays: Iterable[Stay], now: dt.datetime) -> dict[Stage, dict[str, float]]:
    """Open stage -> {enrolment id: days in that stage so far} of the work in progress."""
    result: dict[Stage, dict[str, float]] = {stage: {} for stage in OPEN_STAGES}
    for stay in current_stays(all_stays).values():
        if stay.stage in result:
            result[stay.stage][stay.enrolment_id] = max(0.0, stay.days(now))
    return result


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weeks_until(today: dt.date, count: int) -> list[dt.date]:
    """The Mondays of the ``count`` weeks that end with the current one, oldest first."""
    last = week_start(today)
    return [last - dt.timedelta(weeks=count - 1 - i) for i in range(count)]


def throughput(moves: Iterable[Move], weeks: Sequence[dt.date]) -> list[set[str]]:
    """Per week of ``weeks`` (Mondays): the enrolments that completed during it."""
    index = {monday: i for i, monday in enumerate(weeks)}
    result: list[set[str]] = [set() for _ in weeks]
    for move in moves:
        if move.to_stage == Stage.COMPLETED:
            i = index.get(week_start(move.at.date()))
            if i is not None:
                result[i].add(move.enrolment_id)
    return result


def cumulative_flow(all_stays: Sequence[Stay], instants: Sequence[dt.datetime]
                    ) -> list[dict[Stage, int]]:
    """Per instant: stage -> enrolments in it at that instant (stages of ``FLOW_ORDER``)."""
    result = []
    for instant in instants:
        counts = dict.fromkeys(FLOW_ORDER, 0)
        for stay in all_stays:
            if stay.start <= instant and (stay.end is None or stay.end > instant):
                counts[stay.stage] = counts.get(stay.stage, 0) + 1
        result.append(counts)
    return result


def week_ends(weeks: Sequence[dt.date]) -> list[dt.datetime]:
    """The instant each week (a Monday) ends: the next Monday at 00:00 UTC."""
    return [dt.datetime.combine(monday + dt.timedelta(weeks=1), dt.time(), tzinfo=dt.UTC)
            for monday in weeks]
