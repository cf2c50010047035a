"""Annual targets per region (``resources/targets.toml``) against what was done: new
enrolments of the year, completions of the year, attendance rate. Read by the advisor's
dashboard (his region) and by HQ's (each region, the whole programme)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor_app.domain.enums import Stage
from advisor_app.i18n import tr
from advisor_app.services.errors import UserError
from advisor_app.services.indicator_facts import EnrolmentFacts
from advisor_app.storage.resources import ResourceError, read_toml

FILE = "targets.toml"


class _Target(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    region: str = Field(pattern=r"^MA-\d{2}$")
    year: int = Field(ge=2000, le=2100)
    enrolments: int = Field(ge=0)
    completions: int = Field(ge=0)
    attendance_rate: float = Field(ge=0, le=1)


@dataclass(frozen=True)
class Target:
    region: str
    year: int
    enrolments: int
    completions: int
    attendance_rate: float


@dataclass(frozen=True)
class TargetLine:
    """One indicator: the target (None: no target set) and what was done."""

    key: str  # "enrolments", "completions", "attendance_rate"
    target: float | None
    actual: float | None

    @property
    def ratio(self) -> float | None:
        if self.target is None or self.actual is None or not self.target:
            return None
        return self.actual / self.target


def load_targets(root: Path | None = None) -> list[Target]:
    try:
        data = read_toml(FILE, root)
    except ResourceError as exc:
        raise UserError(str(exc)) from None
    targets: list[Target] = []
    seen: set[tuple[str, int]] = set()
    for i, raw in enumerate(data.get("target", []), start=1):
        try:
            row = _Target.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise UserError(tr("{file}, objectif n° {number} : {field} : {reason}").format(
                file=FILE, number=i, field=where, reason=first["msg"])) from None
        if (row.region, row.year) in seen:
            raise UserError(tr("{file} : deux objectifs pour {region} en {year}.").format(
                file=FILE, region=row.region, year=row.year))
        seen.add((row.region, row.year))
        targets.append(Target(**row.model_dump()))
    return targets


def sum_targets(targets: Iterable[Target], *, year: int,
                regions: Iterable[str] | None = None) -> Target | None:
    """The targets of ``year`` over ``regions`` (every region: None); attendance is the
    enrolment-weighted mean. None when no region has one."""
    wanted = None if regions is None else set(regions)
    rows = [t for t in targets if t.year == year and (wanted is None or t.region in wanted)]
    if not rows:
        return None
    enrolments = sum(t.enrolments for t in rows)
    rate = (sum(t.attendance_rate * t.enrolments for t in rows) / enrolments if enrolments
            else sum(t.attendance_rate for t in rows) / len(rows))
    return Target("", year, enrolments, sum(t.completions for t in rows), rate)


def actuals(facts: Sequence[EnrolmentFacts], target: Target | None, *, year: int) -> tuple[TargetLine, ...]:
    enrolled = sum(f.enrolled_on.year == year for f in facts)
    completed = len({m.enrolment_id for f in facts for m in f.moves
                     if m.to_stage == Stage.COMPLETED and m.at.year == year})
    marks = sum(f.marks for f in facts)
    rate = sum(f.present for f in facts) / marks if marks else None
    return (
        TargetLine("enrolments", target.enrolments if target else None, float(enrolled)),
        TargetLine("completions", target.completions if target else None, float(completed)),
        TargetLine("attendance_rate", target.attendance_rate if target else None, rate),
    )


def this_year(today: dt.date | None = None) -> int:
    return (today or dt.date.today()).year
