"""Programme operations figures from hand-made facts, every number checked by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from advisor_app.domain.ops_metrics import (
    AdvisorSession,
    ComplaintFact,
    FinancingFact,
    Tariff,
    capacity_lines,
    complaint_figures,
    financing_by,
    financing_total,
    payment_status_for,
    queue_figures,
    satisfaction_figures,
)
from advisor_app.domain.programme_ops import PaymentStatus
from advisor_app.services import ops_config
from advisor_app.services.errors import UserError

CIBLEE = Tariff("PERF-CIBLEE", 6440, 2440, 4000, "Région")
APPROF = Tariff("PERF-APPROFONDIE", 12540, 4540, 8000, "Région")
TARIFFS = {t.track_code: t for t in (CIBLEE, APPROF)}
D = PaymentStatus


def test_financing_totals_per_key_and_overall() -> None:
    facts = [
        FinancingFact("e1", "PERF-CIBLEE", D.PAID, 2440),
        FinancingFact("e2", "PERF-CIBLEE", D.PARTIAL, 1000),
        FinancingFact("e3", "PERF-APPROFONDIE", D.DUE, 0),
        FinancingFact("e4", "PERF-APPROFONDIE", D.WAIVED, 0),
        FinancingFact("e5", "OLD-TRACK", D.DUE, 0),
    ]
    total = financing_total(facts, TARIFFS)
    # price: 2 x 6440 + 2 x 12540 = 12880 + 25080 = 37960 (the unpriced track adds nothing)
    assert total.price == 37960
    # subsidy: 2 x 4000 + 2 x 8000 = 24000
    assert total.subsidy == 24000
    # expected shares: 2440 + 2440 + 4540 (+ 0, waived) = 9420; received 3440
    assert total.company_share == 9420
    assert total.received == 3440
    assert total.outstanding == 5980
    assert (total.enrolments, total.paid, total.unpriced) == (5, 2, 1)
    groups = {"e1": "A", "e2": "A", "e3": "B", "e4": None, "e5": "B"}
    by = financing_by(facts, TARIFFS, lambda f: groups[f.enrolment_id])
    assert set(by) == {"A", "B"}  # e4 has no group: left out
    assert (by["A"].price, by["A"].subsidy, by["A"].company_share, by["A"].received) == (
        12880, 8000, 4880, 3440)
    assert by["A"].outstanding == 1440
    assert (by["B"].price, by["B"].subsidy, by["B"].outstanding, by["B"].unpriced) == (12540, 8000, 4540, 1)


def test_payment_status_follows_the_amount() -> None:
    assert payment_status_for(0, 2440) is D.DUE
    assert payment_status_for(1, 2440) is D.PARTIAL
    assert payment_status_for(2440, 2440) is D.PAID
    assert payment_status_for(0, 2440, waived=True) is D.WAIVED


def test_complaint_rate_and_handling_time() -> None:
    received = dt.date(2026, 3, 1)
    complaints = [
        ComplaintFact("e1", received, dt.date(2026, 3, 3)),  # 2 days
        ComplaintFact("e2", received, dt.date(2026, 3, 5)),  # 4 days
        ComplaintFact("e3", received, dt.date(2026, 3, 11)),  # 10 days
        ComplaintFact("e1", received, dt.date(2026, 3, 21)),  # 20 days
        ComplaintFact("e4", dt.date(2026, 3, 10), None),  # open, 15 days old on the 25th
    ]
    figures = complaint_figures(complaints, 40, today=dt.date(2026, 3, 25))
    assert figures.received == 5 and figures.open == 1
    assert figures.rate_per_100 == pytest.approx(12.5)  # 5 / 40 x 100
    # closed: 2, 4, 10, 20 -> median (4 + 10) / 2 = 7; p85 at position 3 x 0.85 = 2.55:
    # 10 + 0.55 x (20 - 10) = 15.5
    assert figures.handling_median == 7
    assert figures.handling_p85 == pytest.approx(15.5)
    assert figures.oldest_open_days == 15
    empty = complaint_figures([], 0, today=dt.date(2026, 3, 25))
    assert (empty.rate_per_100, empty.handling_median, empty.oldest_open_days) == (None, None, None)


def test_satisfaction_mean_distribution_and_response_rate() -> None:
    scores = {"e1": 5, "e2": 4, "e3": 4, "e4": 2}
    figures = satisfaction_figures(scores, completed=["e1", "e2", "e3", "e5", "e6"])
    assert figures.mean == pytest.approx(3.75)  # 15 / 4
    assert figures.distribution == (0, 1, 0, 2, 1)
    assert figures.response_rate == pytest.approx(0.6)  # e1, e2, e3 of 5 completed (e4 is not)
    assert satisfaction_figures({}, []).mean is None


def test_capacity_over_under_and_ok() -> None:
    today = dt.date(2026, 3, 15)
    sessions = [
        AdvisorSession("a", dt.date(2026, 3, 2), 2), AdvisorSession("a", dt.date(2026, 3, 10), 8),
        AdvisorSession("a", dt.date(2026, 3, 20), 8),  # planned
        AdvisorSession("b", dt.date(2026, 3, 3), 2), AdvisorSession("b", dt.date(2026, 2, 27), 9),
        AdvisorSession("c", dt.date(2026, 3, 16), 6), AdvisorSession("c", dt.date(2026, 3, 4), 4),
        AdvisorSession("z", dt.date(2026, 3, 4), 4),  # not an advisor of the perimeter
    ]
    lines = {line.advisor_id: line for line in capacity_lines(
        {"a": 16, "b": 16, "c": 16}, sessions, month=today, today=today, under_ratio=0.5)}
    a, b, c = lines["a"], lines["b"], lines["c"]
    assert (a.used, a.planned, a.status) == (10, 8, "over")  # 18 > 16
    assert a.load == pytest.approx(18 / 16)
    assert (b.used, b.planned, b.status) == (2, 0, "under")  # February does not count; 2 < 8
    assert (c.used, c.planned, c.status, c.load) == (4, 6, "ok", 10 / 16)
    assert a.month == dt.date(2026, 3, 1)


def test_queue_age_median_and_85th_percentile() -> None:
    today = dt.date(2026, 3, 31)
    days = [today - dt.timedelta(days=n) for n in (3, 10, 1, 30)]
    q = queue_figures(days, today=today)
    # ages 1, 3, 10, 30: median 6.5; p85 position 2.55 -> 10 + 0.55 x 20 = 21
    assert (q.waiting, q.median_days, q.oldest_days) == (4, 6.5, 30)
    assert q.p85_days == pytest.approx(21)
    assert queue_figures([], today=today).median_days is None


def test_shipped_configuration_and_targets() -> None:
    config = ops_config.load_config()
    ciblee = config.tariffs["PERF-CIBLEE"]
    assert (ciblee.company_share, ciblee.subsidy) == (2440, 4000)
    assert (config.tariffs["PERF-APPROFONDIE"].company_share,
            config.tariffs["PERF-APPROFONDIE"].subsidy) == (4540, 8000)
    targets = ops_config.load_targets()
    assert targets is not None and targets.complaint_rate == pytest.approx(5.0 / 5)


def test_a_tariff_that_does_not_add_up_is_refused(tmp_path: Path) -> None:
    (tmp_path / "programme_ops.toml").write_text(
        'currency = "MAD"\n[[financing]]\ntrack = "X"\nprice = 100\ncompany_share = 30\n'
        'subsidy = 60\n[capacity]\nhalf_days_per_month = 10\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"programme_ops\.toml : financing\.0"):
        ops_config.load_config(tmp_path)


def test_capacity_override_per_advisor(tmp_path: Path) -> None:
    (tmp_path / "programme_ops.toml").write_text(
        'currency = "EUR"\n[capacity]\nhalf_days_per_month = 16\n'
        '[[capacity.advisor]]\nemail = "Amina@exemple.ma"\nhalf_days_per_month = 10\n', encoding="utf-8")
    config = ops_config.load_config(tmp_path)
    assert config.capacity_of("amina@exemple.ma") == 10
    assert config.capacity_of("other@exemple.ma") == 16
    assert config.currency == "EUR"
