"""Completion rules of a programme track (``resources/completion_rules.toml``): what must
hold before a participant gets an "Attestation de participation", and, rule by rule, why
it holds or not. ``evaluate`` is pure: the certificates service gathers the figures."""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor_app import i18n
from advisor_app.domain.budget import format_half_days
from advisor_app.i18n import tr
from advisor_app.storage.resources import ResourceError, read_toml

RULES_FILE = "completion_rules.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Programme(_Strict):
    name_fr: str = Field(min_length=1)
    name_ar: str = ""
    manager_title: str = Field(min_length=1)
    advisor_title: str = Field(min_length=1)


class _Rules(_Strict):
    min_attendance_rate: float | None = Field(default=None, ge=0, le=1)
    min_half_days_ratio: float | None = Field(default=None, ge=0, le=1)
    action_plan_validated: bool | None = None
    final_diagnostic: bool | None = None


class _File(_Strict):
    programme: _Programme
    default: _Rules
    track: dict[str, _Rules] = Field(default_factory=dict)


@dataclass(frozen=True)
class Programme:
    name_fr: str
    name_ar: str
    manager_title: str
    advisor_title: str


@dataclass(frozen=True)
class TrackRules:
    min_attendance_rate: float  # 0..1
    min_half_days: float  # the track's half-days times the ratio, rounded up
    action_plan_validated: bool
    final_diagnostic: bool


@dataclass(frozen=True)
class Progress:
    """Where one participant (and his company) stands."""

    attendance_rate: float | None  # the participant's, None before any attendance row
    present: int  # sessions attended (present or late)
    expected: int  # sessions where he is on the sheet
    half_days: float  # half-days of the sessions he attended
    validated_problems: int  # key problems of the action plan, validated
    problems_min: int  # the track's
    final_diagnostic_on: dt.date | None  # the validated final diagnostic's date


@dataclass(frozen=True)
class RuleCheck:
    code: str  # attendance, half_days, action_plan, final_diagnostic
    label: str
    holds: bool
    detail: str  # the figures; says what is missing when the rule does not hold


@functools.cache
def _load() -> _File:
    data: dict[str, Any] = read_toml(RULES_FILE)
    try:
        return _File.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ResourceError(tr("Fichier de référence mal formé : {file} ({where} : {error})").format(
            file=RULES_FILE, where=where, error=first["msg"])) from None


def programme() -> Programme:
    p = _load().programme
    return Programme(p.name_fr, p.name_ar, p.manager_title, p.advisor_title)


def rules_for(track_code: str, track_half_days: float) -> TrackRules:
    loaded = _load()
    default, specific = loaded.default, loaded.track.get(track_code, _Rules())

    def pick(name: str, fallback: Any) -> Any:
        value = getattr(specific, name)
        if value is None:
            value = getattr(default, name)
        return fallback if value is None else value

    ratio = float(pick("min_half_days_ratio", 0.0))
    return TrackRules(
        min_attendance_rate=float(pick("min_attendance_rate", 0.0)),
        min_half_days=float(math.ceil(track_half_days * ratio - 1e-9)),
        action_plan_validated=bool(pick("action_plan_validated", False)),
        final_diagnostic=bool(pick("final_diagnostic", False)))


def _percent(rate: float) -> str:
    """80 % in French (a space before the sign), 80% in English."""
    return f"{round(rate * 100)}{'%' if i18n.language() == 'en' else ' %'}"


def evaluate(rules: TrackRules, progress: Progress) -> list[RuleCheck]:
    """Every rule of the track, in a fixed order, with its figures."""
    checks: list[RuleCheck] = []
    if rules.min_attendance_rate > 0:
        rate = progress.attendance_rate
        holds = rate is not None and rate + 1e-9 >= rules.min_attendance_rate
        detail = (tr("Aucune séance émargée.") if rate is None else
                  tr("{rate} : présent à {present} séance(s) sur {expected}.").format(
                      rate=_percent(rate), present=progress.present, expected=progress.expected))
        checks.append(RuleCheck("attendance", tr("Assiduité d'au moins {min}").format(
            min=_percent(rules.min_attendance_rate)), holds, detail))
    if rules.min_half_days > 0:
        holds = progress.half_days + 1e-9 >= rules.min_half_days
        detail = tr("{used} demi-journée(s) suivie(s)").format(used=format_half_days(progress.half_days))
        if not holds:
            detail += tr(" : il en manque {missing}.").format(
                missing=format_half_days(rules.min_half_days - progress.half_days))
        checks.append(RuleCheck("half_days", tr("Au moins {min} demi-journée(s) suivie(s)").format(
            min=format_half_days(rules.min_half_days)), holds, detail))
    if rules.action_plan_validated:
        needed = max(1, progress.problems_min)
        holds = progress.validated_problems >= needed
        checks.append(RuleCheck("action_plan", tr("Plan d'action validé"), holds,
                                tr("{count} problème(s) clé(s) validé(s) sur {needed} attendu(s).").format(
                                    count=progress.validated_problems, needed=needed)))
    if rules.final_diagnostic:
        done = progress.final_diagnostic_on
        checks.append(RuleCheck(
            "final_diagnostic", tr("Diagnostic final validé"), done is not None,
            tr("Réalisé le {date}.").format(date=f"{done:%d/%m/%Y}") if done is not None
            else tr("Aucun diagnostic final validé.")))
    return checks


def blocking_reasons(checks: list[RuleCheck]) -> list[str]:
    """"Label : detail" of every rule that does not hold."""
    return [f"{check.label} — {check.detail}" for check in checks if not check.holds]
