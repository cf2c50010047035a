"""HQ's dashboard page (issue 9): time to build it for N and 4 x N enrolments, each with
its stage history, against reading the same enrolment rows alone (the floor), measured in
the same run.

    .venv/bin/python bench/bench_hq_dashboard.py [--count 2000]

The page reads every enrolment once and aggregates it per region, per agency, in total and
for the chosen perimeter. The printed ratios say (1) how far above the floor the page is and
(2) how it scales: about 4 when going from N to 4 x N means linear. Nothing is asserted:
machines differ; the ratios travel.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from advisor_app.domain.companies import Company
from advisor_app.domain.enrolments import Enrolment, StageTransition
from advisor_app.domain.enums import LegalForm, Segment
from advisor_app.domain.stages import PIPELINE
from advisor_app.hq.cli import init_database
from advisor_app.hq.dashboard_html import render_dashboard
from advisor_app.hq.dashboard_page import build_page
from advisor_app.hq.db import HqDatabase, open_hq
from advisor_app.hq.staff import StaffMember

TODAY = dt.date.today()


def _fill(db: HqDatabase, count: int, seed: int) -> None:
    rnd = random.Random(seed)
    with db.write() as session:
        for i in range(count):
            company = Company(name=f"Entreprise {i}", legal_form=LegalForm.SARL, segment=Segment.TPE,
                              region_code=f"MA-{rnd.randint(1, 12):02d}")
            session.add(company)
            session.flush()
            stages = rnd.randint(1, len(PIPELINE))
            start = dt.datetime.combine(TODAY - dt.timedelta(days=rnd.randint(30, 400)), dt.time(12),
                                        tzinfo=dt.UTC)
            enrolment = Enrolment(company_id=company.id, track_code="PERF-CIBLEE", stage=PIPELINE[stages - 1],
                                  stage_changed_at=start, enrolled_on=start.date())
            session.add(enrolment)
            session.flush()
            at = start
            for stage in PIPELINE[:stages]:
                session.add(StageTransition(enrolment_id=enrolment.id, to_stage=stage, at=at))
                at += dt.timedelta(days=rnd.randint(1, 20))


def _best(run: object, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return best


def _measure(count: int, folder: Path) -> tuple[float, float]:
    url = f"sqlite:///{folder / f'hq-{count}.sqlite'}"
    init_database(url)
    db = open_hq(url)
    try:
        _fill(db, count, seed=count)
        member = StaffMember("bench", "Bench", "bench@siege.ma")

        def floor() -> None:
            with db.read() as session:
                list(session.execute(select(Enrolment.id, Enrolment.stage, Enrolment.enrolled_on)))
                list(session.execute(select(StageTransition.enrolment_id, StageTransition.to_stage,
                                            StageTransition.at)))

        def page() -> None:
            with db.read() as session:
                render_dashboard(build_page(session, member, region="", agency="", today=TODAY))

        return _best(floor), _best(page)
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        small_floor, small = _measure(args.count, Path(folder))
        big_floor, big = _measure(args.count * 4, Path(folder))
    print(f"{args.count:>6} enrolments: floor {small_floor * 1000:7.1f} ms, page {small * 1000:7.1f} ms "
          f"({small / small_floor:.1f} x floor)")
    print(f"{args.count * 4:>6} enrolments: floor {big_floor * 1000:7.1f} ms, page {big * 1000:7.1f} ms "
          f"({big / big_floor:.1f} x floor)")
    print(f"scaling N -> 4N: page x {big / small:.2f} (4 = linear), floor x {big_floor / small_floor:.2f}")


if __name__ == "__main__":
    main()
