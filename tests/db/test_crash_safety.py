"""Crash safety: a child process saving companies, or syncing with HQ, is killed with SIGKILL
at a random moment (seeded, several rounds). The file then passes integrity_check, holds
every change the child reported as committed, and its outbox and audit log match its rows;
a normal sync afterwards leaves the laptop equal to HQ."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import func, select, text

from advisor_app.domain.companies import Company
from advisor_app.domain.local import AuditEntry, SyncOutbox
from advisor_app.services.database import Database, open_database
from advisor_app.sync.rows import synced_tables
from tests.hq.harness import Laptop, LiveHq, hq_state, new_laptop

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]


class Child:
    """The child process, its stdout read line by line in a thread (complete lines only:
    a line cut by the kill does not count)."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen([sys.executable, str(CHILD), *args], cwd=ROOT,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            if raw.endswith(b"\n"):
                self.lines.append(raw.decode().strip())

    def wait_for(self, word: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while word not in self.lines:
            if self.process.poll() is not None or time.monotonic() > deadline:
                assert self.process.stderr is not None
                raise AssertionError(f"child never said {word!r}: {self.process.stderr.read().decode()}")
            time.sleep(0.005)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._reader.join(timeout=10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def _integrity(db: Database) -> str:
    with db.engine.connect() as conn:
        return str(conn.execute(text("PRAGMA integrity_check")).scalar())


def _check_outbox_and_audit(db: Database) -> None:
    """Every outbox row has its data row; every local row has an insert in the outbox (all
    rows here were made on this laptop); the audit log has one row per outbox row."""
    with db.sessions() as session:
        outbox = session.scalars(select(SyncOutbox)).all()
        inserted = {(e.table_name, e.row_id) for e in outbox if e.op == "insert"}
        for name, table in synced_tables().items():
            ids = set(session.scalars(select(table.cls.id)))
            entries = {e.row_id for e in outbox if e.table_name == name}
            assert entries <= ids, f"outbox rows of {name} without their data row"
            assert {(name, row_id) for row_id in ids} <= inserted, f"{name} rows without their outbox row"
        audits = session.scalar(select(func.count()).select_from(AuditEntry)
                                .where(AuditEntry.source == "local"))
        assert audits == len(outbox)


def test_killed_during_a_stream_of_saves(db_path: Path) -> None:
    rng = random.Random(20261123)
    committed: set[str] = set()
    edited: dict[str, str] = {}
    for round_ in range(4):
        child = Child("saves", str(db_path), str(round_))
        try:
            child.wait_for("ready")
            time.sleep(rng.uniform(0.05, 1.2))
        finally:
            child.kill()
        for line in child.lines:
            word, *rest = line.split()
            if word == "committed":
                committed.add(rest[0])
            elif word == "edited":
                edited[rest[0]] = " ".join(rest[1:])
        assert any(line.startswith("committed") for line in child.lines)
        db = open_database(db_path)
        try:
            assert _integrity(db) == "ok"
            with db.sessions() as session:
                cities = {row.id: row.city for row in session.scalars(select(Company))}
            assert committed <= set(cities), "a company reported as committed is missing"
            for company_id, city in edited.items():
                # this edit, or a later one made just before the kill (committed, not yet printed)
                assert _edit_order(cities[company_id]) >= _edit_order(city)
            _check_outbox_and_audit(db)
        finally:
            db.close()


def _edit_order(city: str) -> tuple[int, int]:
    round_, n = city.removeprefix("Ville ").split("-")
    return int(round_), int(n)


def _fill(laptop: Laptop, count: int, tag: str) -> None:
    for n in range(count):
        laptop.add_company(f"{tag} {n:04d}")


def _check_against_hq(db: Database, hq: LiveHq) -> None:
    """Acknowledged changes are at HQ; rows pulled from HQ are HQ's (never newer)."""
    with db.sessions() as session:
        acked = session.scalars(select(SyncOutbox).where(SyncOutbox.acked_at.is_not(None))).all()
        versions: dict[str, dict[str, int]] = {
            name: {i: v for i, v in session.execute(select(t.cls.id, t.cls.row_version))}
            for name, t in synced_tables().items()}
    at_hq = {name: hq.rows(name) for name in {e.table_name for e in acked} | {"company"}}
    for entry in acked:
        assert entry.row_id in at_hq[entry.table_name], "acknowledged change missing at HQ"
    for company_id, version in versions["company"].items():
        if version:
            assert company_id in at_hq["company"] and version <= at_hq["company"][company_id].row_version


def test_killed_during_a_sync(tmp_path: Path) -> None:
    rng = random.Random(11)
    hq = LiveHq(f"sqlite+pysqlite:///{tmp_path / 'hq.sqlite'}")
    laptops: list[Laptop] = []
    interrupted = 0
    try:
        a = new_laptop(hq, tmp_path / "a.sqlite", "a", hq.add_advisor("Samira Alaoui", "samira@example.ma"))
        b = new_laptop(hq, tmp_path / "b.sqlite", "b", hq.add_advisor("Karim Bennani", "karim@example.ma"))
        laptops += [a, b]
        made = 0
        for round_ in range(12):  # until four syncs were cut short (a kill may come after the end)
            if interrupted >= 4:
                break
            _fill(a, 300, f"Tour{round_}")
            made += 300
            for laptop in (a, b):  # A pushes (then pulls), B pulls what A sent so far
                laptop.db.close()
                child = Child("sync", str(laptop.db.path))
                try:
                    child.wait_for("syncing")
                    time.sleep(rng.uniform(0.0, 0.5))
                finally:
                    child.kill()
                interrupted += not any(line.startswith("done") for line in child.lines)
                laptop.db = open_database(laptop.db.path)
                assert _integrity(laptop.db) == "ok"
                if laptop is a:
                    _check_outbox_and_audit(a.db)
                _check_against_hq(laptop.db, hq)
        assert interrupted >= 4, "the kills should fall in the middle of syncs"
        a.sync()
        b.sync()
        expected = hq_state(hq)
        assert a.synced_state() == expected
        assert b.synced_state() == expected
        with a.db.sessions() as session:
            assert session.scalar(select(func.count()).select_from(SyncOutbox)
                                  .where(SyncOutbox.acked_at.is_(None))) == 0
        assert len(expected["company"]) == made
    finally:
        for laptop in laptops:
            laptop.db.close()
        hq.stop()
