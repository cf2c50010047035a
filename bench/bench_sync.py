"""Sync throughput and load (issue 6), printed as ratios against floors measured in the same run.

    .venv/bin/python bench/bench_sync.py [--rows 100000] [--pg URL] [--laptops 200] [--repeat 3]

1. Push then pull N companies between two laptops through a real HQ (SQLite file, or
   PostgreSQL with --pg) on loopback, served by ``advisor-hq serve`` in its own process.
   Floors, as the issue defines them: the same rows, as
   the pull sends them, parsed with orjson and inserted with raw sqlite3 ``executemany``,

   * into the table they land in: HQ's company table for the push (a fresh SQLite HQ
     database, its indexes), the laptop's company table for the pull (its indexes and the
     companies list and search triggers, row by row as a plain executemany fires them);
   * into a bare table of the same columns, for comparison (no index, no trigger).

   Target: the push and the pull each reach at least 50 % of the floor of their table.
   Each floor is the best of three runs; so is the push on a SQLite HQ (``--repeat``, each
   run from copies of both databases as they were before the first).
2. Requests of an incremental sync with 100 changes (target: under 10).
3. With --pg: ``--laptops`` simulated laptops (threads, each its own device, token and
   changes) sync concurrently against a PostgreSQL HQ; every error is counted (target: 0).

Nothing is asserted: machines differ; the ratios travel.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("MOWAKABA_TOKEN_STORE", "file")
os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="mowakaba-bench-config-"))

from advisor_app.domain.companies import Company
from advisor_app.domain.enums import LegalForm, Segment
from advisor_app.gc_tuning import tune_gc
from advisor_app.services.database import open_database
from advisor_app.sync.rows import synced_tables
from tests.hq.harness import copy_laptop_database, new_laptop

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


def _floor(hq: ServedHq, rows: int, into: Path | None = None, runs: int = 3) -> float:
    """Seconds to parse the rows as the pull sends them (orjson) and insert them with raw
    sqlite3 executemany into the company table of a copy of the migrated database ``into``
    (its indexes and triggers), or into a bare table of the same columns without ``into``:
    the best of ``runs`` (a floor is what the machine can do, not its noise)."""
    table = synced_tables()["company"]
    with hq.db.read() as session:
        from sqlalchemy import select

        payload = orjson.dumps([{"table": "company", "server_seq": r.server_seq, "row": table.row(r)}
                                for r in session.scalars(select(table.cls).limit(rows))])
    columns = list(table.columns)
    sql = f"INSERT INTO company ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    best = float("inf")
    for _ in range(runs):
        path = Path(tempfile.mkdtemp()) / "floor.sqlite"
        if into is not None:
            shutil.copyfile(into, path)
        start = time.perf_counter()
        parsed = orjson.loads(payload)
        connection = sqlite3.connect(path)
        if into is None:
            connection.execute(f"CREATE TABLE company ({', '.join(columns)})")
        connection.executemany(sql, [tuple(item["row"][c] for c in columns) for item in parsed])
        connection.commit()
        best = min(best, time.perf_counter() - start)
        connection.close()
        shutil.rmtree(path.parent)
    return best


def _hq_floor_database(workdir: Path) -> Path:
    """A fresh SQLite HQ database (migrated, reference data, laptop triggers dropped)."""
    from advisor_app.hq.cli import init_database
    from advisor_app.hq.db import open_hq

    path = workdir / "floor-hq.sqlite"
    init_database(f"sqlite:///{path}")
    open_hq(f"sqlite:///{path}").close()
    return path


def _ratio_line(label: str, rows: int, seconds: float, requests: int, floor: float, bare: float) -> str:
    ratio = floor / seconds
    return (f"  {label}: {seconds:.1f} s = {rows / seconds:,.0f} rows/s, {requests} requests, "
            f"{ratio:.1%} of its table's floor (target 50 %) {'ok' if ratio >= 0.5 else 'UNDER'}; "
            f"{bare / seconds:.1%} of the bare floor")


def _best_push(hq: ServedHq, laptop: Any, workdir: Path, repeat: int) -> tuple[float, Any]:
    """Seconds of laptop A's first sync (the push of its N companies), the best of
    ``repeat`` runs as for the floors, each from copies of both databases taken before the
    first (a SQLite HQ only: a PostgreSQL HQ is pushed to once)."""
    from advisor_app.services.database import open_database

    path = Path(laptop.db.engine.url.database)
    if repeat > 1:
        _snapshot(path, workdir / "laptop-before.sqlite")
        _snapshot(Path(hq.url_db.removeprefix("sqlite:///")), workdir / "hq-before.sqlite")
    best, report = float("inf"), None
    for run in range(repeat):
        if run:
            laptop.db.close()
            _restore(workdir / "laptop-before.sqlite", path)
            hq.restore(workdir / "hq-before.sqlite")
            laptop.db = open_database(path)
        start = time.perf_counter()
        done = laptop.sync()
        seconds = time.perf_counter() - start
        print(f"  push run {run + 1}: {seconds:.2f} s")
        if seconds < best:
            best, report = seconds, done
    return best, report


def throughput(url: str, rows: int, workdir: Path, repeat: int) -> None:
    hq = ServedHq(url)  # as deployed: HQ's own process, not the laptop's
    try:
        a_adv = hq.add_advisor("Bench A", "a@bench.ma")
        b_adv = hq.add_advisor("Bench B", "b@bench.ma")
        a = new_laptop(hq, workdir / "a.sqlite", "a", a_adv)
        b = new_laptop(hq, workdir / "b.sqlite", "b", b_adv)
        start = time.perf_counter()
        _fill(a, rows)
        print(f"  {rows} companies made through the ORM on laptop A: {time.perf_counter() - start:.1f} s")
        push, report = _best_push(hq, a, workdir, repeat)
        start = time.perf_counter()
        pulled = b.sync()
        pull = time.perf_counter() - start
        bare = _floor(hq, rows)
        print(f"  bare floor (orjson + sqlite3 executemany, no index): {bare:.2f} s = "
              f"{rows / bare:,.0f} rows/s")
        hq_floor = _floor(hq, rows, into=_hq_floor_database(workdir))
        print(f"  floor into HQ's company table (SQLite HQ, its indexes): {hq_floor:.2f} s = "
              f"{rows / hq_floor:,.0f} rows/s = {bare / hq_floor:.0%} of the bare floor")
        laptop_table = workdir / "floor-laptop.sqlite"
        open_database(laptop_table).close()
        laptop_floor = _floor(hq, rows, into=laptop_table)
        print(f"  floor into a laptop's company table (indexes, companies list and search triggers): "
              f"{laptop_floor:.2f} s = {rows / laptop_floor:,.0f} rows/s = "
              f"{bare / laptop_floor:.0%} of the bare floor")
        print(_ratio_line("push", rows, push, report.requests, hq_floor, bare))
        print(_ratio_line("pull", rows, pull, pulled.requests, laptop_floor, bare))
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


class ServedHq:
    """``advisor-hq serve`` in its own process (its own interpreter: the laptops' threads
    here do not share its GIL), on a free port."""

    def __init__(self, url: str) -> None:
        import socket

        from advisor_app.hq.cli import init_database
        from advisor_app.hq.db import open_hq

        init_database(url)
        self.url_db = url
        self.db = open_hq(url)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._start()

    def _start(self) -> None:
        import subprocess

        import httpx

        self._process = subprocess.Popen(
            [sys.executable, "-m", "advisor_app.hq", "serve", "--database-url", self.url_db,
             "--port", str(self.port)], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def add_advisor(self, name: str, email: str) -> Any:
        from advisor_app.hq import admin

        with self.db.write() as session:
            return admin.add_advisor(session, name=name, email=email, region=REGION)

    def restore(self, copy: Path) -> None:
        """Stopped, its SQLite database put back to ``copy``, started again (same port)."""
        from advisor_app.hq.db import open_hq

        self.stop()
        _restore(copy, Path(self.url_db.removeprefix("sqlite:///")))
        self.db = open_hq(self.url_db)
        self._start()

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(10)
        self.db.close()


def _snapshot(path: Path, copy: Path) -> None:
    """A consistent copy of a SQLite database in use (its WAL included)."""
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)


def _restore(copy: Path, path: Path) -> None:
    for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        extra.unlink(missing_ok=True)
    shutil.copyfile(copy, path)


def many_laptops(url: str, count: int, workdir: Path) -> None:
    hq = ServedHq(url)
    errors: list[str] = []
    try:
        laptops = []
        workdir.mkdir(parents=True, exist_ok=True)
        template = workdir / "template.sqlite"
        open_database(template).close()  # migrated once, copied for each laptop
        for n in range(count):
            advisor = hq.add_advisor(f"Conseiller {n}", f"c{n}@bench.ma")
            copy_laptop_database(template, workdir / f"l{n}.sqlite")  # its own device id
            laptop = new_laptop(hq, workdir / f"l{n}.sqlite", f"l{n}", advisor)  # type: ignore[arg-type]
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
        pulled = [laptop.reports[-1].pulled for laptop in laptops if laptop.reports]
        if pulled:
            print(f"  rows pulled per laptop: {min(pulled)}–{max(pulled)}")
        for laptop in laptops:
            laptop.db.close()
    finally:
        hq.stop()


def _empty_schema(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> int:
    tune_gc()  # this process stands for the laptop: as the advisor-app command does
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", default=None, help="PostgreSQL URL of an empty database for HQ")
    parser.add_argument("--laptops", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3,
                        help="push runs, the best kept as for the floors (SQLite HQ)")
    parser.add_argument("--only-laptops", action="store_true", help="skip the throughput part")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="mowakaba-bench-sync-"))
    url = args.pg or f"sqlite:///{workdir / 'hq.sqlite'}"
    if not args.only_laptops:
        print(f"push and pull of {args.rows} rows, HQ on {'PostgreSQL' if args.pg else 'SQLite'}:")
        throughput(url, args.rows, workdir, 1 if args.pg else args.repeat)
    if args.pg:
        print(f"\n{args.laptops} laptops against PostgreSQL (a fresh HQ schema):")
        _empty_schema(args.pg)
        many_laptops(args.pg, args.laptops, workdir / "many")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
