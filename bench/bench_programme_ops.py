"""HQ's dashboard with and without the programme operations sections (issue 11): financing,
complaints, satisfaction, capacity and queue, for N and 4 x N enrolments (a payment for
half of them, a complaint for one in ten, a survey for every completed one, a session per
enrolment), measured in the same run.

    .venv/bin/python bench/bench_programme_ops.py [--count 2000]

Prints (1) what the operations sections add to the page (ratio with / without) and (2) how
the page scales from N to 4 x N (about 4 = linear). Nothing is asserted: machines differ;
the ratios travel.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from advisor_app.domain.companies import Company
from advisor_app.domain.enrolments import Enrolment, StageTransition
from advisor_app.domain.enums import LegalForm, Segment, SessionKind, Stage
from advisor_app.domain.programme_ops import (
    Complaint,
    ComplaintStatus,
    ContributionPayment,
    PaymentStatus,
    SatisfactionSurvey,
)
from advisor_app.domain.sessions import CoachingSession
from advisor_app.domain.stages import PIPELINE
from advisor_app.hq import admin, dashboard_page
from advisor_app.hq.cli import init_database
from advisor_app.hq.dashboard_html import render_dashboard
from advisor_app.hq.db import HqDatabase, open_hq
from advisor_app.hq.staff import StaffMember

TODAY = dt.date.today()


def _fill(db: HqDatabase, count: int, seed: int) -> None:
    rnd = random.Random(seed)
    with db.write() as session:
        advisors = [admin.add_advisor(session, name=f"Conseiller {r}", email=f"c{r}@siege.ma",
                                      region=f"MA-{r:02d}").advisor_id for r in range(1, 13)]
        for i in range(count):
            region = rnd.randint(1, 12)
            company = Company(name=f"Entreprise {i}", legal_form=LegalForm.SARL, segment=Segment.TPE,
                              region_code=f"MA-{region:02d}")
            session.add(company)
            session.flush()
            stages = rnd.randint(1, len(PIPELINE))
            start = dt.datetime.combine(TODAY - dt.timedelta(days=rnd.randint(30, 400)), dt.time(12),
                                        tzinfo=dt.UTC)
            enrolment = Enrolment(company_id=company.id, track_code="PERF-CIBLEE", stage=PIPELINE[stages - 1],
                                  stage_changed_at=start, enrolled_on=start.date(),
                                  advisor_id=advisors[region - 1])
            session.add(enrolment)
            session.flush()
            for stage in PIPELINE[:stages]:
                session.add(StageTransition(enrolment_id=enrolment.id, to_stage=stage, at=start))
            if i % 2:
                session.add(ContributionPayment(enrolment_id=enrolment.id, status=PaymentStatus.PAID,
                                                amount_received=2440.0, received_on=TODAY, note=""))
            if i % 10 == 0:
                session.add(Complaint(enrolment_id=enrolment.id, received_on=start.date(), reason="delay",
                                      details="x", handling="y", status=ComplaintStatus.CLOSED,
                                      closed_on=start.date() + dt.timedelta(days=rnd.randint(0, 30))))
            if PIPELINE[stages - 1] is Stage.COMPLETED:
                session.add(SatisfactionSurvey(enrolment_id=enrolment.id, answered_on=TODAY,
                                               score=rnd.randint(1, 5), comment=""))
            session.add(CoachingSession(kind=SessionKind.INDIVIDUAL_VISIT, enrolment_id=enrolment.id,
                                        advisor_id=advisors[region - 1],
                                        held_on=TODAY.replace(day=rnd.randint(1, 28)),
                                        starts_at=dt.time(9), ends_at=dt.time(12), half_days=1.0))


def _best(run: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def _measure(count: int, folder: Path) -> tuple[float, float]:
    url = f"sqlite:///{folder / f'hq-{count}.sqlite'}"
    init_database(url)
    db = open_hq(url)
    member = StaffMember("bench", "Bench", "bench@siege.ma")
    original = dashboard_page._operations

    def page() -> None:
        with db.read() as session:
            render_dashboard(dashboard_page.build_page(session, member, region="", agency="", today=TODAY))

    try:
        _fill(db, count, seed=count)
        with_ops = _best(page)
        dashboard_page._operations = lambda *args, **kwargs: (None, [], "")
        try:
            without = _best(page)
        finally:
            dashboard_page._operations = original
        return without, with_ops
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        small_without, small = _measure(args.count, Path(folder))
        big_without, big = _measure(args.count * 4, Path(folder))
    for count, without, with_ops in ((args.count, small_without, small), (args.count * 4, big_without, big)):
        print(f"{count:>6} enrolments: page without operations {without * 1000:7.1f} ms, with "
              f"{with_ops * 1000:7.1f} ms ({with_ops / without:.2f} x)")
    print(f"scaling N -> 4N: page with operations x {big / small:.2f} (4 = linear)")


if __name__ == "__main__":
    main()
