"""A real HQ on loopback (uvicorn in a thread, SQLite file or PostgreSQL) and laptops
(real databases, enrolled with real codes) for the sync tests."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain.base import new_id
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enums import LegalForm, PersonRole, Segment
from advisor_app.hq import admin
from advisor_app.hq.api import create_app
from advisor_app.hq.cli import init_database
from advisor_app.hq.db import HqDatabase, open_hq
from advisor_app.services import sync_service
from advisor_app.services.database import Database, open_database
from advisor_app.sync.engine import SyncReport
from advisor_app.sync.rows import synced_tables

REGION = "MA-06"
State = dict[str, dict[str, tuple[int, dict[str, Any]]]]  # table -> id -> (version, values)


class LiveHq:
    """HQ served on 127.0.0.1 (a free port). ``fail_next_push(n)``: the next n pushes fail
    after applying their mutations, before commit (HQ crashing mid-batch)."""

    def __init__(self, url: str) -> None:
        init_database(url)
        self.db: HqDatabase = open_hq(url)
        self._failures = 0
        self.app = create_app(self.db, fail_after=self._maybe_fail)
        self._server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="error",
                                                     lifespan="off"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("HQ did not start")
            time.sleep(0.01)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def _maybe_fail(self) -> None:
        if self._failures > 0:
            self._failures -= 1
            raise RuntimeError("simulated HQ crash in the middle of a push")

    def fail_next_push(self, count: int = 1) -> None:
        self._failures = count

    def add_advisor(self, name: str, email: str, region: str = REGION) -> admin.NewAdvisor:
        with self.db.write() as session:
            return admin.add_advisor(session, name=name, email=email, region=region)

    def new_code(self, advisor_id: str) -> str:
        with self.db.write() as session:
            return admin.new_enrolment_code(session, advisor_id)[0]

    def rows(self, table: str) -> dict[str, Any]:
        """id -> row of a synced table at HQ (every row, tombstones included)."""
        cls = synced_tables()[table].cls
        with self.db.read() as session:
            return {row.id: row for row in session.scalars(select(cls))}

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self.db.close()


@dataclass
class Laptop:
    name: str
    db: Database
    hq: LiveHq
    advisor_id: str = ""
    reports: list[SyncReport] = field(default_factory=list)

    def sync(self, transport: httpx.BaseTransport | None = None, *, full: bool = False,
             check: bool = False) -> SyncReport:
        report = sync_service.sync(self.db, transport=transport, full=full, check=check)
        self.reports.append(report)
        return report

    def add_company(self, name: str, *, city: str = "Settat", people: int = 1) -> str:
        with self.db.unit_of_work() as session:
            company = Company(name=name, legal_form=LegalForm.SARL, segment=Segment.TPE, region_code=REGION,
                              city=city, created_on=dt.date(2020, 1, 1))
            company.set_scope(region=REGION, advisor=self.advisor_id)
            session.add(company)
            session.flush()
            for n in range(people):
                person = Person(company_id=company.id, role=PersonRole.OWNER if n == 0 else PersonRole.PILOT,
                                first_name=f"Prénom{n}", last_name=name.split()[0])
                person.set_scope(region=REGION, advisor=self.advisor_id)
                session.add(person)
            return company.id

    def edit(self, cls: type[Any], row_id: str, **values: Any) -> None:
        with self.db.unit_of_work() as session:
            row = session.get(cls, row_id)
            assert row is not None
            for key, value in values.items():
                setattr(row, key, value)

    def get(self, cls: type[Any], row_id: str) -> Any:
        with self.db.sessions() as session:
            return session.get(cls, row_id)

    def synced_state(self) -> State:
        """table -> id -> (row_version, values) of every row here, sync columns aside."""
        with self.db.sessions() as session:
            return _state(session)


def _values(table: Any, row: Any) -> dict[str, Any]:
    wire = table.row(row)
    for column in ("row_version", "server_seq", "updated_at", "updated_by", "origin_device"):
        wire.pop(column, None)
    return wire


def _state(session: Session) -> State:
    return {name: {row.id: (row.row_version, _values(table, row))
                   for row in session.scalars(select(table.cls))}
            for name, table in synced_tables().items()}


def hq_state(hq: LiveHq) -> State:
    with hq.db.read() as session:
        return _state(session)


def copy_laptop_database(template: Path, path: Path) -> None:
    """A migrated laptop database copied for another laptop, with its own device id: a plain
    copy keeps the first laptop's id, and with it the HQ token and signing key stored under
    that id on this machine (two laptops would then sync as one device)."""
    shutil.copyfile(template, path)
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE local_setting SET value = ? WHERE key = 'device_id'", (new_id(),))
    connection.close()


def new_laptop(hq: LiveHq, path: Path, name: str, advisor: admin.NewAdvisor | None = None,
               code: str | None = None) -> Laptop:
    db = open_database(path)
    laptop = Laptop(name, db, hq)
    if advisor is not None:
        done = sync_service.enroll(db, server=hq.url, code=code or advisor.code, device_name=name)
        assert done.advisor_name == advisor.name
        laptop.advisor_id = advisor.advisor_id
    return laptop


class Faulty(httpx.BaseTransport):
    """Forwards to the real HQ; ``on_push`` decides what happens to a push:
    "lose" (HQ applies it, the answer never arrives), "twice" (sent twice, second answer
    returned) or None (normal)."""

    def __init__(self, plan: Callable[[int], str | None]) -> None:
        self._inner = httpx.HTTPTransport()
        self._plan = plan
        self.pushes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.endswith("/push"):
            return self._inner.handle_request(request)
        self.pushes += 1
        action = self._plan(self.pushes)
        response = self._inner.handle_request(request)
        response.read()
        if action == "lose":
            raise httpx.ReadError("connection dropped before the answer")
        if action == "twice":
            again = self._inner.handle_request(request)
            again.read()
            return again
        return response

    def close(self) -> None:
        self._inner.close()
