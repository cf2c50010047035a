"""Half-day budgets and group size rules, with numbers checked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from advisor_app.domain.budget import (
    Mark,
    SessionCharge,
    Window,
    add_months,
    charged_sessions,
    default_end,
    duration_minutes,
    format_half_days,
    group_size_warning,
    half_days_for,
    latest_marks,
    overrun_warning,
    usage,
    would_overrun,
)
from advisor_app.domain.enums import AttendanceStatus as A

D = dt.date
T0 = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)


def _mark(id_: str, session: str, person: str, status: A, supersedes: str | None = None,
          minutes: int = 0) -> Mark:
    return Mark(id_, session, person, status, supersedes, T0 + dt.timedelta(minutes=minutes))


def test_a_correction_supersedes_the_row_it_names() -> None:
    rows = [
        _mark("a1", "s1", "p1", A.ABSENT),
        _mark("a2", "s1", "p1", A.PRESENT, supersedes="a1"),
        _mark("a3", "s1", "p2", A.LATE),
    ]
    latest = latest_marks(rows)
    assert {key: m.status for key, m in latest.items()} == {("s1", "p1"): A.PRESENT, ("s1", "p2"): A.LATE}


def test_superseding_wins_even_if_recorded_earlier_and_chains_are_followed() -> None:
    rows = [  # clocks of two laptops disagree: the correction carries an older time stamp
        _mark("a1", "s1", "p1", A.PRESENT, minutes=30),
        _mark("a2", "s1", "p1", A.EXCUSED, supersedes="a1", minutes=5),
        _mark("a3", "s1", "p1", A.ABSENT, supersedes="a2", minutes=1),
    ]
    assert latest_marks(rows)[("s1", "p1")].id == "a3"


def test_two_rows_nobody_supersedes_the_last_recorded_wins() -> None:
    rows = [_mark("b", "s1", "p1", A.ABSENT, minutes=10), _mark("a", "s1", "p1", A.PRESENT, minutes=0)]
    assert latest_marks(rows)[("s1", "p1")].status is A.ABSENT


def test_membership_window_includes_both_ends() -> None:
    window = Window("g", D(2026, 2, 3), D(2026, 3, 3))
    sessions = [SessionCharge(f"s{d}", D(2026, m, d), 1.0, "g")
                for m, d in ((2, 2), (2, 3), (3, 3), (3, 4))]
    other_group = SessionCharge("x", D(2026, 2, 20), 1.0, "h")
    visit = SessionCharge("v", D(2025, 12, 1), 1.0, None)  # its own visit: always expected
    kept = charged_sessions([*sessions, other_group, visit], [window])
    assert [s.held_on for s in kept] == [D(2026, 2, 3), D(2026, 3, 3), D(2025, 12, 1)]


def test_usage_of_a_company_that_joined_mid_way() -> None:
    """Group g: s1 (06/01, 1), s2 (03/02, 1), s3 (17/02, 0.5), s4 (03/03, 1); the company
    joined on 03/02; one visit v1 (10/03, 1). Its people: p1 (owner), p2 (pilot).

    s1: p1 present, but before joining -> ignored.
    s2: p1 absent, p2 late -> charged 1 (collective).
    s3: p1 absent, p2 excused -> not charged.
    s4: p1 absent then corrected to present -> charged 1 (collective).
    v1: p1 present -> charged 1 (individual).
    collective 2, individual 1, used 3, remaining 8 - 3 = 5.
    Rows standing in expected sessions: s2 (2), s3 (2), s4 (1), v1 (1) = 6, of which
    present or late: p2@s2, p1@s4, p1@v1 = 3 -> rate 0.5."""
    sessions = [
        SessionCharge("s1", D(2026, 1, 6), 1.0, "g"),
        SessionCharge("s2", D(2026, 2, 3), 1.0, "g"),
        SessionCharge("s3", D(2026, 2, 17), 0.5, "g"),
        SessionCharge("s4", D(2026, 3, 3), 1.0, "g"),
        SessionCharge("v1", D(2026, 3, 10), 1.0, None),
    ]
    marks = [
        _mark("m1", "s1", "p1", A.PRESENT),
        _mark("m2", "s2", "p1", A.ABSENT), _mark("m3", "s2", "p2", A.LATE),
        _mark("m4", "s3", "p1", A.ABSENT), _mark("m5", "s3", "p2", A.EXCUSED),
        _mark("m6", "s4", "p1", A.ABSENT), _mark("m7", "s4", "p1", A.PRESENT, supersedes="m6"),
        _mark("m8", "v1", "p1", A.PRESENT),
        _mark("m9", "elsewhere", "p1", A.PRESENT),  # a session it was never expected at
    ]
    used = usage(8, sessions, [Window("g", D(2026, 2, 3))], marks)
    assert (used.collective, used.individual, used.used, used.remaining) == (2.0, 1.0, 3.0, 5.0)
    assert used.attended == 3
    assert (used.marks, used.present) == (6, 3)
    assert used.attendance_rate == 0.5
    assert used.warning is None


def test_usage_counts_a_session_once_however_many_people_came() -> None:
    sessions = [SessionCharge("s1", D(2026, 1, 6), 1.0, "g")]
    marks = [_mark("a", "s1", "p1", A.PRESENT), _mark("b", "s1", "p2", A.PRESENT)]
    used = usage(8, sessions, [Window("g", D(2026, 1, 1))], marks)
    assert used.used == 1.0
    assert used.attendance_rate == 1.0


def test_usage_over_two_groups_and_without_any_attendance() -> None:
    """Left g on 15/01 for h on 16/01: g's session of 20/01 is not its own, h's is."""
    sessions = [SessionCharge("g1", D(2026, 1, 10), 1.0, "g"), SessionCharge("g2", D(2026, 1, 20), 1.0, "g"),
                SessionCharge("h1", D(2026, 1, 20), 1.0, "h")]
    windows = [Window("g", D(2026, 1, 1), D(2026, 1, 15)), Window("h", D(2026, 1, 16))]
    marks = [_mark("a", "g1", "p", A.PRESENT), _mark("b", "g2", "p", A.PRESENT),
             _mark("c", "h1", "p", A.LATE)]
    used = usage(14, sessions, windows, marks)
    assert (used.collective, used.remaining) == (2.0, 12.0)
    empty = usage(14, sessions, windows, [])
    assert (empty.used, empty.attendance_rate) == (0.0, None)


def test_overrun_goes_negative_with_a_french_warning() -> None:
    sessions = [SessionCharge(f"v{i}", D(2026, 1, i + 1), 1.5, None) for i in range(7)]
    marks = [_mark(f"m{i}", f"v{i}", "p", A.PRESENT) for i in range(7)]
    used = usage(8, sessions, [], marks)
    assert (used.individual, used.remaining) == (10.5, -2.5)
    assert used.warning == "Budget dépassé de 2,5 demi-journées : 10,5 utilisées pour 8 prévues."
    assert overrun_warning(8, 9) == "Budget dépassé de 1 demi-journée : 9 utilisées pour 8 prévues."
    assert overrun_warning(8, 8) is None


def test_would_overrun() -> None:
    assert would_overrun(8, 7, 1) is None
    assert would_overrun(8, 7.5, 1) == (
        "Cette séance porterait le total à 8,5 demi-journées pour un budget de 8.")


@pytest.mark.parametrize(
    ("value", "text"), [(3.0, "3"), (1.5, "1,5"), (0.25, "0,25"), (-0.0, "0"), (-1.5, "-1,5")])
def test_format_half_days(value: float, text: str) -> None:
    assert format_half_days(value) == text


@pytest.mark.parametrize(
    ("members", "warning"),
    [
        (0, "Aucune entreprise active : un groupe doit compter de 4 à 10 entreprises."),
        (1, "1 entreprise active : un groupe doit compter de 4 à 10 entreprises."),
        (3, "3 entreprises actives : un groupe doit compter de 4 à 10 entreprises."),
        (4, None),
        (10, None),
        (11, "11 entreprises actives : un groupe doit compter de 4 à 10 entreprises."),
    ],
)
def test_group_size_warning(members: int, warning: str | None) -> None:
    assert group_size_warning(members) == warning


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 11, 15), 4, D(2026, 3, 15)),
        (D(2025, 12, 1), 12, D(2026, 12, 1)),
        (D(2026, 10, 31), 4, D(2027, 2, 28)),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected
    assert default_end(day, months) == expected


@pytest.mark.parametrize(("start", "end", "min_hours", "expected"), [
    ((9, 0), (12, 0), 3.0, 1.0),  # exactly the threshold
    ((9, 0), (12, 30), 3.0, 1.0),
    ((9, 0), (11, 59), 3.0, 0.0),  # a short meeting counts no half-day
    ((9, 0), (15, 0), 3.0, 2.0),
    ((8, 0), (18, 0), 3.0, 2.0),  # a session is one day: two half-days at most
    ((14, 0), (17, 30), 4.0, 0.0),  # a track asking 4 hours for a half-day
    ((9, 0), (13, 0), 4.0, 1.0),
    ((12, 0), (9, 0), 3.0, 0.0),  # wrong order: nothing
])
def test_half_days_follow_the_duration_and_the_track_rule(
        start: tuple[int, int], end: tuple[int, int], min_hours: float, expected: float) -> None:
    assert half_days_for(dt.time(*start), dt.time(*end), min_hours) == expected


def test_duration_in_minutes() -> None:
    assert duration_minutes(dt.time(9, 15), dt.time(12, 45)) == 210
    assert duration_minutes(dt.time(12), dt.time(9)) < 0
