"""Demo data generator: volumes, reproducibility, validity of what it writes."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from advisor_app.domain import models as m
from advisor_app.domain.validation import check_email, check_ice, check_phone
from advisor_app.services.database import ADVISOR_KEY, Database, get_setting, open_database, set_setting
from advisor_app.services.demo import DemoSummary, generate_demo
from advisor_app.services.demo_writer import BulkWriter
from advisor_app.services.errors import UserError

AS_OF = dt.date(2026, 6, 15)
ARABIC = re.compile(r"[\u0600-\u06FF]")
SYNCED = [
    m.Company, m.Person, m.Enrolment, m.StageTransition, m.CoachingGroup, m.GroupMembership,
    m.Diagnostic, m.DiagnosticAnswer, m.KeyProblem, m.Action, m.Indicator, m.IndicatorReading,
    m.CoachingSession, m.Attendance, m.Commitment,
]


def _make(path: Path, seed: int = 7, companies: int = 30) -> tuple[Database, DemoSummary]:
    db = open_database(path)
    return db, generate_demo(db, companies=companies, seed=seed, as_of=AS_OF)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db, summary = _make(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    yield db, summary
    db.close()


def _dump(db: Database, table: str) -> list[tuple[Any, ...]]:
    with db.engine.connect() as conn:
        return list(conn.execute(text(f"SELECT * FROM {table} ORDER BY id")))


def _all(session: Session, model: type[Any]) -> list[Any]:
    return list(session.scalars(select(model)))


def test_every_synced_table_is_filled(demo: Any) -> None:
    db, summary = demo
    with db.sessions() as session:
        counts = {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                  for model in SYNCED}
        advisors = session.scalar(select(func.count()).select_from(m.Advisor))
    assert all(counts.values()), counts
    assert counts["company"] == summary.companies == 30
    assert counts["person"] == summary.people and 60 <= summary.people <= 90
    assert counts["coaching_group"] == summary.groups >= 2
    assert counts["coaching_session"] == summary.sessions
    assert counts["diagnostic"] == summary.diagnostics
    assert counts["enrolment"] == 30 and advisors == summary.advisors == 2
    assert counts["diagnostic_answer"] == 32 * counts["diagnostic"]
    assert sum(count for _, count in summary.stages) == 30


def test_settings_outbox_and_ids(demo: Any) -> None:
    db, _ = demo
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(m.SyncOutbox)) == 0
        assert get_setting(session, "demo_data") == "1"
        advisor_id = get_setting(session, "advisor_id")
        advisor = session.get(m.Advisor, advisor_id)
        assert advisor is not None and advisor.email.endswith("@mowakaba.ma")
        agency = session.get(m.Agency, advisor.agency_id)
        assert agency is not None and agency.region_code == advisor.region_code
        for model in SYNCED:
            for row in session.scalars(select(model).limit(50)):
                assert uuid.UUID(row.id).version == 7
                assert row.updated_at.tzinfo is not None
                assert row.updated_at.date() <= AS_OF
                assert row.scope_region and row.scope_advisor and row.updated_by
                assert row.row_version == 0 and row.server_seq is None


def test_same_seed_same_rows_other_seed_other_names(demo: Any, tmp_path: Path) -> None:
    db, _ = demo
    again, _ = _make(tmp_path / "again.sqlite")
    other, _ = _make(tmp_path / "other.sqlite", seed=8)
    try:
        # every table, reference ids included (they derive from the shipped codes)
        for table in ["advisor", *(model.__tablename__ for model in SYNCED)]:
            assert _dump(db, table) == _dump(again, table), table
        with db.sessions() as a, other.sessions() as b:
            assert (sorted(a.scalars(select(m.Company.name)))
                    != sorted(b.scalars(select(m.Company.name))))
            assert (sorted(a.scalars(select(m.Person.first_name + m.Person.last_name)))
                    != sorted(b.scalars(select(m.Person.first_name + m.Person.last_name))))
    finally:
        again.close()
        other.close()


def test_identities_are_valid(demo: Any) -> None:
    db, _ = demo
    with db.sessions() as session:
        companies = _all(session, m.Company)
        people = _all(session, m.Person)
        advisors = _all(session, m.Advisor)
    assert len({c.ice for c in companies if c.ice}) == len([c for c in companies if c.ice]) > 20
    for company in companies:
        assert check_ice(company.ice) == (company.ice, [])
        assert check_phone(company.phone) == (company.phone, [])
        assert check_email(company.email)[1] == []
        assert company.created_on is None or company.created_on < AS_OF
        assert company.scope_region == company.region_code and company.city
    for phone in [p.phone for p in people] + [a.phone for a in advisors]:
        assert check_phone(phone) == (phone, [])
    for person in people:
        assert check_email(person.email)[1] == []
        assert ARABIC.search(person.first_name_ar) and ARABIC.search(person.last_name_ar)
        assert person.first_name and person.last_name and person.job_title
        assert person.gender in ("F", "M")
    roles = Counter((p.company_id, p.role) for p in people)
    for company in companies:
        assert roles[(company.id, "owner")] == 1 and 1 <= roles[(company.id, "pilot")] <= 2


def test_groups_memberships_and_attendance(demo: Any) -> None:
    db, _ = demo
    with db.sessions() as session:
        groups = {g.id: g for g in _all(session, m.CoachingGroup)}
        memberships = _all(session, m.GroupMembership)
        sessions = {s.id: s for s in _all(session, m.CoachingSession)}
        attendance = _all(session, m.Attendance)
        tracks = {t.code: t for t in _all(session, m.ProgrammeTrack)}
        enrolments = {e.id: e for e in _all(session, m.Enrolment)}
    by_group = defaultdict(list)
    for ms in memberships:
        by_group[ms.group_id].append(ms)
        assert ms.left_on is None or (ms.left_on > ms.joined_on and ms.leave_reason)
    for gid, group in groups.items():
        founders = [ms for ms in by_group[gid] if ms.joined_on <= group.starts_on
                    and (ms.left_on is None or ms.left_on > group.starts_on)]
        assert 4 <= len(founders) <= 10 and len(by_group[gid]) <= 10
    cover = {(ms.group_id, ms.enrolment_id): ms for ms in memberships}
    half_days: dict[str, set[str]] = defaultdict(set)
    for row in attendance:
        held = sessions[row.session_id]
        assert held.held_on <= AS_OF
        if held.group_id is None:
            assert held.enrolment_id == row.enrolment_id
        else:
            ms = cover[(held.group_id, row.enrolment_id)]
            assert ms.joined_on <= held.held_on and (ms.left_on is None or held.held_on < ms.left_on)
        half_days[row.enrolment_id].add(row.session_id)
    for eid, ids in half_days.items():
        used = sum(sessions[sid].half_days for sid in ids)
        assert used <= tracks[enrolments[eid].track_code].half_days
    statuses = Counter(row.status for row in attendance)
    assert statuses["present"] > sum(statuses.values()) / 2 and len(statuses) >= 3


def test_pipeline_is_consistent(demo: Any) -> None:
    db, _ = demo
    with db.sessions() as session:
        enrolments = _all(session, m.Enrolment)
        transitions = defaultdict(list)
        for tr in session.scalars(select(m.StageTransition).order_by(m.StageTransition.at)):
            transitions[tr.enrolment_id].append(tr)
        initial = {d.enrolment_id for d in _all(session, m.Diagnostic) if d.kind == "initial"}
        planned = {k.enrolment_id for k in _all(session, m.KeyProblem)}
        answers = _all(session, m.DiagnosticAnswer)
        actions = _all(session, m.Action)
    for enrolment in enrolments:
        history = transitions[enrolment.id]
        assert history[0].from_stage is None and history[-1].to_stage == enrolment.stage
        assert enrolment.stage_changed_at == history[-1].at
        assert all(a.at < b.at and b.from_stage == a.to_stage for a, b in itertools.pairwise(history))
        reached = {tr.to_stage for tr in history}
        assert (enrolment.id in initial) == ("diagnosed" in reached)
        assert (enrolment.id in planned) == ("plan_validated" in reached)
        if enrolment.stage == "dropped":
            assert enrolment.drop_reason and enrolment.ended_on
    assert all(-1 <= a.advisor_score <= 4 and 1 <= a.importance <= 3 for a in answers)
    assert any(a.due_on < AS_OF and a.status != "done" for a in actions)  # some overdue


def test_bulk_writer_stores_what_core_insert_stores(tmp_path: Path) -> None:
    db = open_database(tmp_path / "writer.sqlite")
    when = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    row = {"kind": "kickoff", "held_on": dt.date(2026, 3, 1), "starts_at": dt.time(9),
           "ends_at": dt.time(12, 30), "half_days": 1.0, "place": "", "facilitators": "",
           "title": "", "topics": "", "notes": "", "decisions": "", "row_version": 0,
           "updated_at": when}
    try:
        with db.unit_of_work() as session:
            session.connection().execute(insert(m.CoachingSession), [{**row, "id": "a"}])
            writer = BulkWriter(session, ["coaching_session"])
            writer.add("coaching_session", {**row, "id": "b"})
            writer.flush()
        with db.engine.connect() as conn:
            plain, bulk = (dict(r._mapping) for r in conn.execute(
                text("SELECT * FROM coaching_session ORDER BY id")))
        assert plain.pop("id") == "a" and bulk.pop("id") == "b"
        assert plain == bulk
    finally:
        db.close()


def test_bad_arguments_and_second_run(demo: Any, tmp_path: Path) -> None:
    db, _ = demo
    with pytest.raises(UserError, match="entre 1 et"):
        generate_demo(db, companies=0, seed=7, as_of=AS_OF)
    with pytest.raises(UserError, match="entre 1 et"):
        generate_demo(db, companies=200_001, seed=7, as_of=AS_OF)
    with pytest.raises(UserError, match="déjà des entreprises"):
        generate_demo(db, companies=5, seed=7, as_of=AS_OF)
    small, summary = _make(tmp_path / "small.sqlite", companies=1)
    small.close()
    assert summary.companies == 1


def test_demo_refuses_a_laptop_that_belongs_to_an_advisor(tmp_path: Path) -> None:
    db = open_database(tmp_path / "work.sqlite")
    try:
        with db.unit_of_work() as session:
            set_setting(session, ADVISOR_KEY, "0190a1b2-0000-7000-8000-00000000abcd")
        with pytest.raises(UserError, match="conseiller rattaché"):
            generate_demo(db, companies=5)
        with db.sessions() as session:
            assert get_setting(session, ADVISOR_KEY) == "0190a1b2-0000-7000-8000-00000000abcd"
    finally:
        db.close()
