"""Portfolio indicators aggregated from hand-made enrolment facts (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from advisor_app.domain.enums import Stage
from advisor_app.domain.flow_metrics import Move
from advisor_app.services.indicator_facts import EnrolmentFacts
from advisor_app.services.indicators import aggregate

TODAY = dt.date(2026, 3, 25)  # a Wednesday


def at(day: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, 12, tzinfo=dt.UTC)


def facts(eid: str, company: str, moves: list[tuple[Stage, int]], **values: object) -> EnrolmentFacts:
    base: dict[str, object] = dict(
        enrolment_id=eid, company_id=company, region_code="MA-06", advisor_id=None, agency_id=None,
        stage=moves[-1][0], enrolled_on=at(moves[0][1]).date(),
        moves=tuple(Move(eid, stage, at(day)) for stage, day in moves), group_id=None, group_name="",
        half_days_budget=8.0, half_days_used=0.0, marks=0, present=0, overdue_actions=0,
        initial_percent=None, final_percent=None)
    base.update(values)
    return EnrolmentFacts(**base)  # type: ignore[arg-type]


ROWS = [
    facts("e1", "c1", [(Stage.REGISTERED, 2), (Stage.IN_GROUP, 9)], group_id="g", group_name="Groupe A",
          half_days_used=9.0, marks=4, present=3, initial_percent=40.0, final_percent=70.0,
          overdue_actions=2),
    facts("e2", "c2", [(Stage.REGISTERED, 3), (Stage.COMPLETED, 17)], group_id="g", group_name="Groupe A",
          half_days_used=8.0, marks=6, present=6, initial_percent=50.0),
    facts("e3", "c3", [(Stage.REGISTERED, 20)], half_days_budget=14.0),
]


def test_totals_attendance_budget_and_overdue() -> None:
    f = aggregate(ROWS, today=TODAY, weeks=4)
    assert f.enrolments == 3 and f.companies == ("c1", "c2", "c3")
    assert f.attendance_rate == pytest.approx(9 / 10)  # (3 + 6) / (4 + 6)
    assert (f.half_days_used, f.half_days_budget) == (17.0, 30.0)
    assert f.over_budget == ("c1",)  # 9 of 8
    assert (f.overdue_actions, f.overdue_companies) == (2, ("c1",))
    assert f.wip == 2  # e1 in group, e3 registered; e2 completed
    assert [w.completed for w in f.weeks] == [0, 0, 1, 0]  # e2 on Tuesday the 17th
    assert f.weeks[2].companies == ("c2",)
    assert f.total_lead.median == 14.0  # e2: 3rd -> 17th


def test_stage_lines_and_groups() -> None:
    f = aggregate(ROWS, today=TODAY, weeks=4)
    registered = f.stage("registered")
    assert registered.wip == 1 and registered.companies == ("c3",)
    assert registered.age.median == pytest.approx(5.5)  # noon of the 20th to the end of the 25th
    assert registered.lead.count == 2 and registered.lead.median == pytest.approx(10.5)  # 7 and 14 days
    [group] = f.groups
    assert (group.name, group.members, group.companies) == ("Groupe A", 2, ("c1", "c2"))
    assert group.attendance_rate == pytest.approx(9 / 10)
    assert (group.half_days_used, group.half_days_budget) == (17.0, 16.0)
    # initial: mean of 40 and 50; final: only c1 has one
    assert (group.initial_percent, group.final_percent, group.diagnosed) == (45.0, 70.0, 1)
    # the portfolio's progress counts the enrolments with both diagnostics only: c1, +30
    assert (f.diagnosed, f.diagnostic_gain) == (1, pytest.approx(30.0))


def test_cumulative_flow_at_each_sunday() -> None:
    f = aggregate(ROWS, today=TODAY, weeks=4)
    assert [p.week_end for p in f.flow] == [dt.date(2026, 3, d) for d in (8, 15, 22, 29)]
    # registered: e1 till the 9th, e2 till the 17th, e3 from the 20th
    assert [p.counts["registered"] for p in f.flow] == [2, 1, 1, 1]
    assert [p.counts["in_group"] for p in f.flow] == [0, 1, 1, 1]
    assert [p.counts["completed"] for p in f.flow] == [0, 0, 1, 1]
