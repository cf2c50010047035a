"""Companies list speed with 100 000 companies (issue 3): search keystrokes, filters, sorts.

    .venv/bin/python bench/bench_company_search.py [--companies 100000] [--rebuild]
    .venv/bin/python bench/bench_company_search.py --demo-overhead 20000

Each measure is the median of several calls through the service API (session, SQL, plain
dataclasses), printed in milliseconds, as a ratio to a *floor* measured in the same run
(reading 200 listing rows by primary key through the same path: the least a page can cost
on this machine) and against the issue's budget (keystroke 5 ms, filter or sort 100 ms for
the first page). Nothing is asserted: machines differ; the ratios travel.

``--demo-overhead N`` times ``generate_demo`` for N companies with and without the listing
triggers of revision 0003 (same database otherwise), alternating, and prints the ratio.

The database is built once (bulk inserts that fire the triggers, as a sync pull would) and
kept in the temporary folder for the next run (each run works on a copy).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from advisor_app.services import demo_names as names
from advisor_app.services.companies import (
    SORT_COLUMNS,
    CompanyFilter,
    count_companies,
    filter_choices,
    optimize_search_index,
    search_companies,
)
from advisor_app.services.database import Database, open_database
from advisor_app.services.demo import generate_demo
from advisor_app.services.demo_writer import BulkWriter
from advisor_app.storage import migrate
from advisor_app.storage.repositories import companies as old_repo
from advisor_app.ui.models.company_table import FIRST_PAGE

TODAY = dt.date(2026, 6, 15)
KEYSTROKE_MS, FILTER_MS = 5.0, 100.0
PAGE = 200
STAGES = ["registered", "diagnosed", "in_group", "plan_validated", "coaching", "completed", "dropped"]
TABLES = ("company", "person", "enrolment", "coaching_group", "group_membership", "key_problem", "action")


# -- data -----------------------------------------------------------------------------------
def _sync(row_id: str, region: str) -> dict[str, Any]:
    return {"id": row_id, "row_version": 0, "updated_at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
            "scope_region": region}


def build(path: Path, companies: int, seed: int = 1) -> None:
    """Companies with 2-3 people (Latin and Arabic names), 85 % enrolled, 60 % in groups of
    8, a key problem with four actions for a third of them."""
    rng = random.Random(seed)
    vocab = names.load_vocabulary()
    ids = names.IdMaker(random.Random(seed), dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    phones, ices, namer = names.PhoneMaker(rng), names.IceMaker(rng), names.CompanyNamer(rng, vocab)
    db = open_database(path)
    try:
        with db.unit_of_work() as session:
            regions = [r[0] for r in session.execute(text("SELECT code FROM region ORDER BY position"))]
            sectors = [r[0] for r in session.execute(text("SELECT code FROM sector ORDER BY code"))]
            out = BulkWriter(session, TABLES)
            group: tuple[str, int] | None = None
            for _ in range(companies):
                region, sector = rng.choice(regions), rng.choice(sectors)
                city = rng.choice(vocab.cities.get(region) or ["Casablanca"])
                cid = ids()
                out.add("company", {
                    **_sync(cid, region), "name": namer(sector, city), "legal_form": "sarl",
                    "segment": rng.choice(["tpe"] * 6 + ["auto_entrepreneur", "pme", "project_holder"]),
                    "sector_code": sector, "region_code": region, "city": city, "address": "",
                    "ice": ices() if rng.random() < 0.9 else None, "phone": phones.mobile(),
                    "email": None, "employees": rng.randint(0, 10), "turnover_band": None,
                    "created_on": None, "notes": ""})
                people = []
                for k in range(rng.choice([2, 2, 3])):
                    first = rng.choice(vocab.female if rng.random() < 0.4 else vocab.male)
                    last = rng.choice(vocab.last)
                    people.append(pid := ids())
                    out.add("person", {
                        **_sync(pid, region), "company_id": cid, "role": "owner" if k == 0 else "pilot",
                        "first_name": first[0], "last_name": last[0], "first_name_ar": first[1],
                        "last_name_ar": last[1], "gender": None, "job_title": "", "phone": None,
                        "email": None})
                if rng.random() < 0.15:
                    continue
                eid, stage = ids(), rng.choice(STAGES)
                out.add("enrolment", {
                    **_sync(eid, region), "company_id": cid, "track_code": "PERF-CIBLEE",
                    "stage": stage, "stage_changed_at": dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
                    "enrolled_on": dt.date(2026, 1, 5), "ended_on": None, "drop_reason": ""})
                if stage not in ("registered", "diagnosed") and rng.random() < 0.75:
                    if group is None or group[1] >= 8:
                        group = (ids(), 0)
                        out.add("coaching_group", {
                            **_sync(group[0], region), "name": f"{city} · {sector} · G{rng.randint(1, 9)}",
                            "track_code": "PERF-CIBLEE", "sector_code": sector, "region_code": region,
                            "territory": city})
                    group = (group[0], group[1] + 1)
                    out.add("group_membership", {
                        **_sync(ids(), region), "group_id": group[0], "enrolment_id": eid,
                        "joined_on": dt.date(2026, 2, 2), "left_on": None, "leave_reason": ""})
                if rng.random() < 0.35:
                    kpid = ids()
                    out.add("key_problem", {
                        **_sync(kpid, region), "enrolment_id": eid, "axis_code": "A1", "position": 1,
                        "title": "Problème clé", "root_cause": "", "objective": ""})
                    for j in range(4):
                        out.add("action", {
                            **_sync(ids(), region), "key_problem_id": kpid, "title": "Action",
                            "owner_person_id": people[0], "due_on": TODAY + dt.timedelta(days=30 * j - 45),
                            "status": rng.choice(["not_started", "in_progress", "done"]), "progress": 0})
                out.checkpoint()
            out.flush()
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


# -- timing ---------------------------------------------------------------------------------
def median_ms(call: Callable[[], object], repeat: int = 15) -> float:
    call()  # warm the page cache and the statement cache
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def floor_ms(db: Database) -> float:
    def read() -> list[tuple[Any, ...]]:
        with db.sessions() as session:
            return [tuple(r) for r in session.execute(text(
                "SELECT company_id, name, city, region_name, sector_name, stage, group_name "
                "FROM company_listing ORDER BY id LIMIT 200"))]
    return median_ms(read, 41)


def report(label: str, ms: float, floor: float, budget: float) -> None:
    verdict = "ok" if ms <= budget else "OVER"
    print(f"  {label:<52} {ms:8.2f} ms  {ms / floor:7.1f}x floor  "
          f"{ms / budget:5.2f} of budget  {verdict}")


def keystrokes(db: Database, typed: list[str], floor: float) -> None:
    """A keystroke as the list answers it: the count (the title) and the first screenful
    (``FIRST_PAGE`` rows); the 200-row page for comparison."""
    for word in typed:
        f = CompanyFilter(text=word)
        found = count_companies(db, filter=f)

        def keystroke(f: CompanyFilter = f) -> None:  # what the list model's reload does
            total = count_companies(db, filter=f)
            search_companies(db, filter=f, limit=FIRST_PAGE, today=TODAY, total=total)

        report(f"keystroke {word!r} ({found} found)", median_ms(keystroke), floor, KEYSTROKE_MS)
        report(f"  page of {PAGE} rows", median_ms(
            lambda f=f: search_companies(db, filter=f, limit=PAGE, today=TODAY)), floor, KEYSTROKE_MS)


def run(db: Database) -> None:
    with db.sessions() as session:
        total = session.scalar(text("SELECT count(*) FROM company_listing")) or 0
        sample = session.execute(text(
            "SELECT name, people, ice, phones FROM company_listing WHERE ice <> '' "
            "ORDER BY id LIMIT 1 OFFSET :o"), {"o": total // 2}).one()
    floor = floor_ms(db)
    print(f"{total} companies; floor (200 listing rows by primary key): {floor:.2f} ms")

    name_word, person_word = sample[0].split()[-1], sample[1].split()[1]
    arabic = next(w for w in sample[1].split() if not w.isascii())
    national = sample[3].split()[1]
    typed = [name_word[:k] for k in range(1, min(len(name_word), 5) + 1)] + [name_word]
    typed += [person_word[:3], person_word, f"{name_word[:3]} {person_word[:3]}", arabic[:2], arabic,
              sample[2][:6], sample[2], national[:4], national[:6], "+212 " + national[1:5]]
    print(f"\nsearch keystrokes, index as bulk-loaded: count + first {FIRST_PAGE} rows | {PAGE} rows")
    keystrokes(db, typed, floor)
    start = time.perf_counter()
    optimize_search_index(db)
    print(f"\nsearch keystrokes after optimize_search_index ({time.perf_counter() - start:.1f} s)")
    keystrokes(db, typed[:4] + typed[-10:-5], floor)

    choices = filter_choices(db)
    group = choices.groups[len(choices.groups) // 2][0]
    filters = {
        "no filter": CompanyFilter(),
        "region": CompanyFilter(region_code=choices.regions[5][0]),
        "segment pme": CompanyFilter(segment="pme"),
        "sector": CompanyFilter(sector_code=choices.sectors[0][0]),
        "stage coaching": CompanyFilter(stage="coaching"),
        "stage none": CompanyFilter(stage="none"),
        "group": CompanyFilter(group_id=group),
        "region + sector + stage": CompanyFilter(region_code=choices.regions[5][0],
                                                 sector_code=choices.sectors[0][0], stage="coaching"),
        "text 'a' + region": CompanyFilter(text="a", region_code=choices.regions[5][0]),
    }
    print("\nfilter and sort: first page (200 rows), every sort column, both directions")
    for label, f in filters.items():
        report(f"count {label}", median_ms(lambda f=f: count_companies(db, filter=f), 7), floor, FILTER_MS)
        timings = {
            f"{column} {'desc' if descending else 'asc'}": median_ms(
                lambda f=f, c=column, d=descending: search_companies(
                    db, filter=f, sort=c, descending=d, limit=PAGE, today=TODAY), 7)
            for column in SORT_COLUMNS for descending in (False, True)}
        slowest = max(timings, key=timings.__getitem__)
        report(f"page  {label} (slowest of 12: {slowest})", timings[slowest], floor, FILTER_MS)
    deep = median_ms(lambda: search_companies(db, filter=CompanyFilter(), sort="name",
                                              offset=total // 2, limit=PAGE, today=TODAY), 5)
    report("page  no filter, name, offset = half the rows", deep, floor, FILTER_MS)
    deep = median_ms(lambda: search_companies(db, filter=CompanyFilter(), sort="city",
                                              offset=total // 2, limit=PAGE, today=TODAY), 5)
    print(f"  (page  no filter, city, offset = half the rows: {deep:.0f} ms: a sort keeps every row "
          "up to the page; budget is for first pages)")

    print("\nfor comparison, the former correlated-subquery page (by name, no filter):")

    def old_page() -> object:
        with db.sessions() as session:
            return old_repo.company_page(session, offset=0, limit=PAGE)
    report("page  portfolio.company_page", median_ms(old_page, 3), floor, FILTER_MS)


# -- demo overhead --------------------------------------------------------------------------
def demo_overhead(companies: int, folder: Path) -> None:
    timings: dict[bool, list[float]] = {True: [], False: []}
    for rounds in range(2):
        for with_triggers in (rounds % 2 == 0, rounds % 2 == 1):
            path = folder / f"demo-{with_triggers}-{rounds}.sqlite"
            migrate.remove_file_set(path)
            db = open_database(path)
            if not with_triggers:
                with db.engine.begin() as conn:
                    triggers = conn.exec_driver_sql(
                        "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                        "AND name LIKE 'company_listing_%'").scalars().all()
                    for name in triggers:
                        conn.exec_driver_sql(f"DROP TRIGGER {name}")
            start = time.perf_counter()
            generate_demo(db, companies=companies, seed=1, as_of=TODAY)
            timings[with_triggers].append(time.perf_counter() - start)
            db.close()
            migrate.remove_file_set(path)
    with_t, without = min(timings[True]), min(timings[False])
    print(f"generate_demo({companies}): {without:.1f} s without the listing triggers, "
          f"{with_t:.1f} s with them: {with_t / without:.2f}x (budget 1.30x)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--demo-overhead", type=int, metavar="N")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--cache-mib", type=int, metavar="MIB",
                        help="SQLite page cache per connection (the app keeps SQLite's 2 MiB)")
    args = parser.parse_args(argv)
    if args.demo_overhead:
        demo_overhead(args.demo_overhead, args.folder)
        return 0
    path = args.folder / f"mowakaba-bench-{args.companies}-{migrate.head_revision()}.sqlite"
    if args.rebuild or not path.exists():
        migrate.remove_file_set(path)
        start = time.perf_counter()
        build(path, args.companies)
        print(f"built {path} in {time.perf_counter() - start:.0f} s")
    work = args.folder / f"mowakaba-bench-{args.companies}-work.sqlite"
    migrate.remove_file_set(work)
    shutil.copyfile(path, work)  # the run optimizes the index: keep the built file as loaded
    db = open_database(work)
    if args.cache_mib:
        def cache(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA cache_size = -{args.cache_mib * 1024}")
        event.listen(db.engine, "connect", cache)
        db.engine.dispose()
        print(f"page cache: {args.cache_mib} MiB per connection")
    try:
        run(db)
    finally:
        db.close()
        migrate.remove_file_set(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
