"""Lean flow figures counted by hand on a small stage history."""

from __future__ import annotations

import datetime as dt

import pytest

from advisor_app.domain import flow_metrics as flow
from advisor_app.domain.enums import Stage

R, D, G, P, C, OK, X = (Stage.REGISTERED, Stage.DIAGNOSED, Stage.IN_GROUP, Stage.PLAN_VALIDATED,
                        Stage.COACHING, Stage.COMPLETED, Stage.DROPPED)


def at(day: int) -> dt.datetime:
    """Day ``day`` of March 2026 (a Sunday is the 1st), noon UTC."""
    return dt.datetime(2026, 3, day, 12, tzinfo=dt.UTC)


# a: registered 2nd, diagnosed 5th, in group 9th, completed 20th
# b: registered 3rd, diagnosed 10th, back to registered 11th (correction), diagnosed 13th
# c: registered 4th, dropped 6th
MOVES = [
    flow.Move("a", R, at(2)), flow.Move("a", D, at(5)), flow.Move("a", G, at(9)), flow.Move("a", OK, at(20)),
    flow.Move("b", D, at(13)), flow.Move("b", R, at(3)), flow.Move("b", D, at(10)), flow.Move("b", R, at(11)),
    flow.Move("c", R, at(4)), flow.Move("c", X, at(6)),
]


@pytest.mark.parametrize(("values", "p", "expected"), [
    ([1, 2, 3, 4], 50, 2.5),  # median of an even count: halfway between 2 and 3
    ([1, 2, 3, 4], 85, 3.55),  # position 3 x 0.85 = 2.55: 3 + 0.55 x (4 - 3)
    ([7], 85, 7),
    ([10, 1, 100, 5, 3], 50, 5),  # sorted 1 3 5 10 100: the middle one, not the mean 23.8
    ([10, 1, 100, 5, 3], 85, 46.0),  # position 4 x 0.85 = 3.4: 10 + 0.4 x 90
    ([2, 4], 0, 2), ([2, 4], 100, 4),
])
def test_percentiles_interpolate_between_closest_ranks(values: list[float], p: float,
                                                       expected: float) -> None:
    assert flow.percentile(values, p) == pytest.approx(expected)


def test_no_value_no_percentile_and_out_of_range_refused() -> None:
    assert flow.median([]) is None
    assert flow.Spread.of([]) == flow.Spread(0, None, None)
    with pytest.raises(ValueError):
        flow.percentile([1], 120)


def test_stays_follow_each_enrolment_in_time_order() -> None:
    b = [s for s in flow.stays(MOVES) if s.enrolment_id == "b"]
    assert [(s.stage, s.start.day, s.end.day if s.end else None) for s in b] == [
        (R, 3, 10), (D, 10, 11), (R, 11, 13), (D, 13, None)]


def test_lead_times_count_stays_that_ended_per_stage() -> None:
    leads = flow.lead_times(flow.stays(MOVES))
    # registered: a 3 days, b 7 then 2 days, c 2 days (then dropped)
    assert sorted(leads[R]) == [2, 2, 3, 7]
    assert sorted(leads[D]) == [1, 4]  # a 4 (5th -> 9th), b 1 (10th -> 11th); b's open stay is WIP
    assert leads[G] == [11]  # a, 9th -> 20th
    assert leads[P] == [] and leads[C] == []
    spread = flow.Spread.of(leads[R])
    # median halfway between 2 and 3; 85th: position 3 x 0.85 = 2.55, 3 + 0.55 x (7 - 3)
    assert (spread.count, spread.median, spread.p85) == (4, 2.5, pytest.approx(5.2))
    assert flow.total_lead_times(MOVES) == {"a": 18.0}


def test_work_in_progress_and_its_age() -> None:
    ages = flow.wip_ages(flow.stays(MOVES), at(15))
    assert ages[D] == {"b": 2.0}  # diagnosed again on the 13th
    assert all(not ages[s] for s in (R, G, P, C))  # a completed, c dropped: not in progress


def test_throughput_per_week_starting_monday() -> None:
    weeks = flow.weeks_until(dt.date(2026, 3, 25), 4)
    assert weeks == [dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 16), dt.date(2026, 3, 23)]
    assert flow.throughput(MOVES, weeks) == [set(), set(), {"a"}, set()]


def test_cumulative_flow_counts_each_stage_at_each_week_end() -> None:
    weeks = [dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 16)]
    ends = flow.week_ends(weeks)
    assert ends[0] == dt.datetime(2026, 3, 9, tzinfo=dt.UTC)
    counts = flow.cumulative_flow(flow.stays(MOVES), ends)
    # Sunday 8th: a diagnosed, b registered, c dropped
    assert counts[0] == {X: 1, OK: 0, C: 0, P: 0, G: 0, D: 1, R: 1}
    # Sunday 15th: a in group, b diagnosed, c dropped
    assert counts[1] == {X: 1, OK: 0, C: 0, P: 0, G: 1, D: 1, R: 0}
    # Sunday 22nd: a completed
    assert counts[2] == {X: 1, OK: 1, C: 0, P: 0, G: 0, D: 1, R: 0}
    assert all(sum(c.values()) == 3 for c in counts)
