"""Half-day budgets and group size: pure rules, no I/O.

A company's *used* half-days are the ``half_days`` of

* the group sessions of its group(s) held within one of its membership windows
  ``[joined_on, left_on]`` (both days included), and
* the individual visits of its enrolment,

at which at least one of its people is present or late, judging each person by the latest
attendance row of the session (attendance is append-only: a correction is a new row whose
``supersedes_id`` names the row it replaces). The attendance rate is
``(present + late) / latest rows`` over the same sessions, ``None`` when there is none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from advisor_app import i18n
from advisor_app.domain.enums import AttendanceStatus
from advisor_app.i18n import tr

GROUP_MIN = 4
GROUP_MAX = 10
ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})
MAX_HALF_DAYS_PER_SESSION = 2  # a session is held on one day: a morning and an afternoon


@dataclass(frozen=True)
class SessionCharge:
    """A held session: a group session (``group_id``) or an individual visit (``group_id=None``)."""

    id: str
    held_on: dt.date
    half_days: float
    group_id: str | None = None


@dataclass(frozen=True)
class Window:
    """A membership of a group: from ``joined_on`` to ``left_on`` (open when ``None``)."""

    group_id: str
    joined_on: dt.date
    left_on: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


@dataclass(frozen=True)
class Mark:
    """One attendance row. ``recorded_at`` (then ``id``) breaks ties between rows that no
    other row supersedes, e.g. two laptops that both entered the same sheet offline."""

    id: str
    session_id: str
    person_id: str
    status: AttendanceStatus
    supersedes_id: str | None = None
    recorded_at: dt.datetime | None = None


@dataclass(frozen=True)
class Usage:
    budget: float
    collective: float
    individual: float
    attended: int  # sessions counted (latest rows: present or late)
    marks: int  # latest attendance rows of its people in those sessions
    present: int  # of which present or late

    @property
    def used(self) -> float:
        return self.collective + self.individual

    @property
    def remaining(self) -> float:
        return self.budget - self.used

    @property
    def attendance_rate(self) -> float | None:
        return self.present / self.marks if self.marks else None

    @property
    def warning(self) -> str | None:
        return overrun_warning(self.budget, self.used)


def duration_minutes(starts_at: dt.time, ends_at: dt.time) -> int:
    """Minutes from ``starts_at`` to ``ends_at`` on the same day (0 or less when they are
    in the wrong order)."""
    return (ends_at.hour * 60 + ends_at.minute) - (starts_at.hour * 60 + starts_at.minute)


def half_days_for(starts_at: dt.time, ends_at: dt.time, min_hours: float) -> float:
    """Half-days a session counts: one per full ``min_hours`` (the track's
    ``half_day_min_hours``, 3 h by default) of duration, at most two (a whole day).
    3 h -> 1, 3 h 30 -> 1, 2 h 45 -> 0, 7 h -> 2, 10 h -> 2."""
    minutes = duration_minutes(starts_at, ends_at)
    step = round(max(min_hours, 0.25) * 60)
    if minutes <= 0:
        return 0.0
    return float(min(MAX_HALF_DAYS_PER_SESSION, minutes // step))


def latest_marks(marks: Iterable[Mark]) -> dict[tuple[str, str], Mark]:
    """(session id, person id) -> the row that stands: superseded rows drop out; among
    rows nobody supersedes, the last recorded wins."""
    rows = list(marks)
    superseded = {m.supersedes_id for m in rows if m.supersedes_id}
    latest: dict[tuple[str, str], Mark] = {}
    for mark in rows:
        if mark.id in superseded:
            continue
        key = (mark.session_id, mark.person_id)
        best = latest.get(key)
        if best is None or _order(mark) > _order(best):
            latest[key] = mark
    return latest


def _order(mark: Mark) -> tuple[dt.datetime, str]:
    return (mark.recorded_at or dt.datetime.min.replace(tzinfo=dt.UTC), mark.id)


def charged_sessions(sessions: Iterable[SessionCharge], windows: Sequence[Window]) -> list[SessionCharge]:
    """Sessions the company was expected at: its visits, and its groups' sessions held
    while it was a member."""
    return [
        s for s in sessions
        if s.group_id is None
        or any(w.group_id == s.group_id and w.covers(s.held_on) for w in windows)
    ]


def usage(budget: float, sessions: Iterable[SessionCharge], windows: Sequence[Window],
          marks: Iterable[Mark]) -> Usage:
    """Half-days used by one company; ``marks`` are the attendance rows of its people
    (rows of other sessions are ignored)."""
    expected = {s.id: s for s in charged_sessions(sessions, windows)}
    standing = [m for m in latest_marks(marks).values() if m.session_id in expected]
    attended_ids = {m.session_id for m in standing if m.status in ATTENDED}
    collective = sum(expected[sid].half_days for sid in attended_ids if expected[sid].group_id)
    individual = sum(expected[sid].half_days for sid in attended_ids if not expected[sid].group_id)
    return Usage(
        budget=float(budget), collective=float(collective), individual=float(individual),
        attended=len(attended_ids), marks=len(standing),
        present=sum(1 for m in standing if m.status in ATTENDED),
    )


def format_half_days(value: float) -> str:
    """3 -> "3"; 1.5 -> "1,5" in French, "1.5" in English."""
    rounded = round(value, 2) or 0.0  # no "-0"
    text = f"{rounded:.2f}".rstrip("0").rstrip(".")
    return text if i18n.language() == "en" else text.replace(".", ",")


def _half_days_label(value: float) -> str:
    count = format_half_days(value)
    # French: singular below 2 ("1,5 demi-journée"); English: plural but for exactly one.
    plural = abs(value) != 1 if i18n.language() == "en" else abs(value) >= 2
    if plural:
        return tr("{count} demi-journées").format(count=count)
    return tr("{count} demi-journée").format(count=count)


def overrun_warning(budget: float, used: float) -> str | None:
    """Warning (current language) when ``used`` exceeds ``budget``; ``None`` otherwise."""
    over = used - budget
    if over <= 1e-9:
        return None
    return tr("Budget dépassé de {over} : {used} utilisées pour {budget} prévues.").format(
        over=_half_days_label(over), used=format_half_days(used), budget=format_half_days(budget))


def would_overrun(budget: float, used: float, session_half_days: float) -> str | None:
    """Warning to show before charging a session that would take the company over budget."""
    after = used + session_half_days
    if after - budget <= 1e-9:
        return None
    return tr("Cette séance porterait le total à {total} demi-journées pour un budget de "
              "{budget}.").format(total=format_half_days(after), budget=format_half_days(budget))


def group_size_warning(active_members: int) -> str | None:
    """The programme coaches 4 to 10 active companies per group; warn outside that range."""
    if GROUP_MIN <= active_members <= GROUP_MAX:
        return None
    if active_members == 0:
        count = tr("Aucune entreprise active")
    elif active_members == 1:
        count = tr("1 entreprise active")
    else:
        count = tr("{count} entreprises actives").format(count=active_members)
    return tr("{count} : un groupe doit compter de {min} à {max} entreprises.").format(
        count=count, min=GROUP_MIN, max=GROUP_MAX)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, clamped to the end of a shorter month (31/01 + 1 -> 28/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (next_month - dt.timedelta(days=1)).day))


def default_end(starts_on: dt.date, duration_months: int) -> dt.date:
    """A group ends, unless told otherwise, when its track's duration has elapsed."""
    return add_months(starts_on, duration_months)
