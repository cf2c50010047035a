"""Sync throughput and load (issue 6), printed as ratios against floors measured in the same run.

    .venv/bin/python bench/bench_sync.py [--rows 100000] [--pg URL] [--laptops 200]

1. Push then pull N companies between two laptops through a real HQ (SQLite file, or
   PostgreSQL with --pg) on loopback. Floor: the same rows, as the pull sends them, parsed
   with orjson and inserted with raw sqlite3 ``executemany`` into a bare table. Target: the
   push and the pull each reach at least 50 % of the floor's rows per second.
2. Requests of an incremental sync with 100 changes (target: under 10).
3. With --pg: ``--laptops`` simulated laptops (threads, each its own device, token and
   changes) sync concurrently against a PostgreSQL HQ; every error is counted (target: 0).

Nothing is asserted: machines differ; the ratios travel.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("MOWAKABA_TOKEN_STORE", "file")
os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="mowakaba-bench-config-"))

from advisor_app.domain.companies import Company  # noqa: E402
from advisor_app.domain.enums import LegalForm, Segment  # noqa: E402
from advisor_app.sync.rows import synced_tables  # noqa: E402
from tests.hq.harness import LiveHq, new_laptop  # noqa: E402

REGION = "MA-06"


def _fill(laptop: Any, rows: int) -> None:
    """``rows`` companies made through the ORM (so the outbox records them), in chunks."""
    done = 0
    while done < rows:
        with laptop.db.unit_of_work() as session:
            for n in range(done, min(rows, done + 5000)):
                company = Company(name=f"Entreprise {n:06d}", legal_form=LegalForm.SARL, segment=Segment.TPE,
                                  region_code=REGION, city="Settat", created_on=dt.date(2020, 1, 1),
                                  employees=n % 40, notes="")
                company.set_scope(region=REGION, advisor=laptop.advisor_id)
                session.add(company)
        done = min(rows, done + 5000)


def _floor(hq: LiveHq, rows: int) -> float:
    """Seconds to parse the rows as the pull sends them (orjson) and insert them with raw
    sqlite3 executemany into a bare table of the same columns."""
    table = synced_tables()["company"]
    with hq.db.read() as session:
        from sqlalchemy import select

        payload = orjson.dumps([{"table": "company", "server_seq": r.server_seq, "row": table.row(r)}
                                for r in session.scalars(select(table.cls).limit(rows))])
    columns = list(table.columns)
    path = Path(tempfile.mkdtemp()) / "floor.sqlite"
    start = time.perf_counter()
    parsed = orjson.loads(payload)
    connection = sqlite3.connect(path)
    connection.execute(f"CREATE TABLE company ({', '.join(columns)})")
    connection.executemany(f"INSERT INTO company VALUES ({', '.join('?' * len(columns))})",
                           [tuple(item["row"][c] for c in columns) for item in parsed])
    connection.commit()
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def throughput(url: str, rows: int, workdir: Path) -> None:
    hq = LiveHq(url)
    try:
        a_adv = hq.add_advisor("Bench A", "a@bench.ma")
        b_adv = hq.add_advisor("Bench B", "b@bench.ma")
        a = new_laptop(hq, workdir / "a.sqlite", "a", a_adv)
        b = new_laptop(hq, workdir / "b.sqlite", "b", b_adv)
        start = time.perf_counter()
        _fill(a, rows)
        print(f"  {rows} companies made through the ORM on laptop A: {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        report = a.sync()
        push = time.perf_counter() - start
        start = time.perf_counter()
        pulled = b.sync()
        pull = time.perf_counter() - start
        floor = _floor(hq, rows)
        print(f"  floor (orjson + sqlite3 executemany): {floor:.2f} s = {rows / floor:,.0f} rows/s")
        for label, seconds, requests in (("push", push, report.requests), ("pull", pull, pulled.requests)):
            ratio = floor / seconds
            print(f"  {label}: {seconds:.1f} s = {rows / seconds:,.0f} rows/s, {requests} requests, "
                  f"{ratio:.1%} of the floor (target 50 %) {'ok' if ratio >= 0.5 else 'UNDER'}")
        assert pulled.pulled >= rows
        for n, company in enumerate(list(_ids(a))[:100]):
            a.edit(Company, company, city=f"Ville {n}")
        incremental = a.sync()
        print(f"  incremental sync of 100 changes: {incremental.requests} requests (target < 10)")
        a.db.close()
        b.db.close()
    finally:
        hq.stop()


def _ids(laptop: Any) -> list[str]:
    from sqlalchemy import select

    with laptop.db.sessions() as session:
        return list(session.scalars(select(Company.id).order_by(Company.id).limit(100)))


def many_laptops(url: str, count: int, workdir: Path) -> None:
    hq = LiveHq(url)
    errors: list[str] = []
    try:
        laptops = []
        for n in range(count):
            advisor = hq.add_advisor(f"Conseiller {n}", f"c{n}@bench.ma")
            laptop = new_laptop(hq, workdir / f"l{n}.sqlite", f"l{n}", advisor)
            for k in range(5):
                laptop.add_company(f"L{n} entreprise {k}", people=1)
            laptops.append(laptop)

        def run(laptop: Any) -> None:
            try:
                laptop.sync()
            except Exception as exc:  # counted, not raised: the figure is the error count
                errors.append(f"{laptop.name}: {exc}")

        start = time.perf_counter()
        threads = [threading.Thread(target=run, args=(laptop,)) for laptop in laptops]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        print(f"  {count} laptops synced concurrently in {elapsed:.1f} s: {len(errors)} error(s) (target 0)")
        for error in errors[:5]:
            print(f"    {error}")
        for laptop in laptops:
            laptop.db.close()
    finally:
        hq.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", default=None, help="PostgreSQL URL of an empty database for HQ")
    parser.add_argument("--laptops", type=int, default=200)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="mowakaba-bench-sync-"))
    url = args.pg or f"sqlite:///{workdir / 'hq.sqlite'}"
    print(f"push and pull of {args.rows} rows, HQ on {'PostgreSQL' if args.pg else 'SQLite'}:")
    throughput(url, args.rows, workdir)
    if args.pg:
        print(f"\n{args.laptops} laptops against PostgreSQL:")
        many_laptops(args.pg, args.laptops, workdir / "many")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
