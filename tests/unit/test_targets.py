"""Annual targets (resources/targets.toml): the shipped file loads, sums over regions are
hand-checked, and a file edited wrongly gets a message naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor_app.services import targets
from advisor_app.services.errors import UserError


def test_the_shipped_targets_cover_every_region_and_sum() -> None:
    known = targets.load_targets()
    assert {t.region for t in known if t.year == 2026} == {f"MA-{i:02d}" for i in range(1, 13)}
    both = targets.sum_targets(known, year=2026, regions=["MA-06", "MA-01"])
    assert both is not None and (both.enrolments, both.completions) == (270, 185)  # 160 + 110, 110 + 75
    assert both.attendance_rate == pytest.approx(0.8)
    assert targets.sum_targets(known, year=1999) is None


def test_weighted_attendance_target_and_ratio() -> None:
    rows = [targets.Target("MA-01", 2026, 100, 50, 0.9), targets.Target("MA-02", 2026, 300, 100, 0.7)]
    total = targets.sum_targets(rows, year=2026)
    assert total is not None and total.attendance_rate == pytest.approx((0.9 * 100 + 0.7 * 300) / 400)
    assert targets.TargetLine("completions", 150, 60).ratio == pytest.approx(0.4)
    assert targets.TargetLine("completions", None, 60).ratio is None


HEAD = '[[target]]\nregion = "MA-01"\nyear = 2026\n'


@pytest.mark.parametrize(("body", "message"), [
    (HEAD + "enrolments = -3\ncompletions = 1\nattendance_rate = 0.8\n",
     "targets.toml, objectif n° 1 : enrolments"),
    (HEAD + "enrolments = 3\ncompletions = 1\nattendance_rate = 80\n", "objectif n° 1 : attendance_rate"),
    ((HEAD + "enrolments = 3\ncompletions = 1\nattendance_rate = 0.8\n") * 2,
     "deux objectifs pour MA-01 en 2026"),
    ("[[target]\n", "mal formé"),
])
def test_a_wrong_file_names_the_file_and_the_key(tmp_path: Path, body: str, message: str) -> None:
    (tmp_path / "targets.toml").write_text(body, encoding="utf-8")
    with pytest.raises(UserError, match=message):
        targets.load_targets(tmp_path)
