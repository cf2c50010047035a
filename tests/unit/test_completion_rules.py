"""Completion rules: the track's file overrides the defaults, every rule says why it holds
or not, and the figures sit in the message."""

from __future__ import annotations

import datetime as dt

import pytest

from advisor_app.services import completion_rules as rules
from advisor_app.services.completion_rules import Progress, TrackRules
from advisor_app.storage.resources import ResourceError


def _progress(**changes: object) -> Progress:
    values: dict[str, object] = {"attendance_rate": 1.0, "present": 8, "expected": 8, "half_days": 8.0,
                                 "validated_problems": 1, "problems_min": 1,
                                 "final_diagnostic_on": dt.date(2026, 6, 10)}
    values.update(changes)
    return Progress(**values)  # type: ignore[arg-type]


STRICT = TrackRules(min_attendance_rate=0.8, min_half_days=6, action_plan_validated=True,
                    final_diagnostic=True)


def test_track_values_override_the_defaults_and_half_days_round_up() -> None:
    targeted = rules.rules_for("PERF-CIBLEE", 8)
    assert targeted == TrackRules(min_attendance_rate=0.8, min_half_days=6.0, action_plan_validated=True,
                                  final_diagnostic=True)
    in_depth = rules.rules_for("PERF-APPROFONDIE", 14)
    assert (in_depth.min_attendance_rate, in_depth.min_half_days) == (0.75, 10.0)  # ceil(14 * 0.7 = 9.8)
    assert rules.rules_for("UNKNOWN-TRACK", 10).min_half_days == 8.0  # the defaults
    assert rules.programme().manager_title == "Le responsable du programme"


def test_a_participant_who_did_everything_meets_every_rule() -> None:
    checks = rules.evaluate(STRICT, _progress())
    assert [c.code for c in checks] == ["attendance", "half_days", "action_plan", "final_diagnostic"]
    assert all(c.holds for c in checks)
    assert rules.blocking_reasons(checks) == []
    assert checks[0].detail == "100 % : présent à 8 séance(s) sur 8."
    assert checks[3].detail == "Réalisé le 10/06/2026."


def test_each_missing_condition_is_named_with_its_figures() -> None:
    checks = rules.evaluate(STRICT, _progress(attendance_rate=5 / 8, present=5, half_days=5.0,
                                              validated_problems=0, final_diagnostic_on=None))
    assert not any(c.holds for c in checks)
    assert rules.blocking_reasons(checks) == [
        "Assiduité d'au moins 80 % — 62 % : présent à 5 séance(s) sur 8.",
        "Au moins 6 demi-journée(s) suivie(s) — 5 demi-journée(s) suivie(s) : il en manque 1.",
        "Plan d'action validé — 0 problème(s) clé(s) validé(s) sur 1 attendu(s).",
        "Diagnostic final validé — Aucun diagnostic final validé.",
    ]


def test_limits_are_inclusive_and_no_attendance_is_not_zero_percent() -> None:
    at_limit = rules.evaluate(STRICT, _progress(attendance_rate=0.8, half_days=6.0))
    assert at_limit[0].holds and at_limit[1].holds
    nothing = rules.evaluate(STRICT, _progress(attendance_rate=None, present=0, expected=0))
    assert not nothing[0].holds and nothing[0].detail == "Aucune séance émargée."


def test_rules_switched_off_are_not_listed() -> None:
    lenient = TrackRules(min_attendance_rate=0, min_half_days=0, action_plan_validated=False,
                         final_diagnostic=False)
    assert rules.evaluate(lenient, _progress(attendance_rate=None, final_diagnostic_on=None)) == []


def test_english_messages(english: None) -> None:
    checks = rules.evaluate(STRICT, _progress(final_diagnostic_on=None))
    assert checks[3].label == "Final diagnostic validated"
    assert checks[3].detail == "No validated final diagnostic."


def test_a_malformed_rules_file_names_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    rules._load.cache_clear()
    monkeypatch.setattr(rules, "read_toml", lambda _name: {
        "programme": {"name_fr": "P", "manager_title": "M", "advisor_title": "C"},
        "default": {"min_attendance_rate": 1.5}})
    try:
        with pytest.raises(ResourceError, match=r"completion_rules.toml \(default.min_attendance_rate"):
            rules.rules_for("PERF-CIBLEE", 8)
    finally:
        rules._load.cache_clear()
