"""Coaching groups: create and edit, permanent entry and exit, members' half-day budgets."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select, text

from advisor_app.domain.base import new_id
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership, StageTransition
from advisor_app.domain.enums import (
    AttendanceStatus,
    LegalForm,
    OutboxOp,
    PersonRole,
    Segment,
    SessionKind,
    Stage,
)
from advisor_app.domain.local import SyncOutbox
from advisor_app.domain.reference import Advisor
from advisor_app.domain.sessions import Attendance, CoachingSession
from advisor_app.domain.stages import STAGE_LABELS_FR
from advisor_app.services.database import Database
from advisor_app.services.demo import generate_demo
from advisor_app.services.enrolments import drop_enrolment, enrol_company, enrolments_of_company, move_stage
from advisor_app.services.errors import UserError
from advisor_app.services.groups import (
    GroupForm,
    GroupValidationError,
    add_member,
    candidates_for_group,
    empty_group_form,
    group_detail,
    list_groups,
    load_group_form,
    remove_member,
    save_group,
)

D = dt.date
TODAY = dt.date.today()
SIZE_RULE = "un groupe doit compter de 4 à 10 entreprises."
ENROLLED = D(2024, 12, 2)



def _refusal(call: Callable[..., object], *args: Any, **kwargs: Any) -> str:
    """The French message of the ``UserError`` that ``call(*args, **kwargs)`` raises."""
    with pytest.raises(UserError) as err:
        call(*args, **kwargs)
    return str(err.value)

def _company(db: Database, name: str, region: str = "MA-06") -> tuple[str, list[str]]:
    """A company with its owner and one internal pilot: (company id, [owner id, pilot id])."""
    with db.unit_of_work() as session:
        company = Company(name=name, legal_form=LegalForm.SARL_AU, segment=Segment.TPE,
                          region_code=region, city="Settat")
        company.people = [Person(role=PersonRole.OWNER, first_name="Khadija", last_name="Bennani"),
                          Person(role=PersonRole.PILOT, first_name="Youssef", last_name="Alami")]
        session.add(company)
        session.flush()
        return company.id, [p.id for p in company.people]


def _enrolled(db: Database, name: str, *, region: str = "MA-06", track: str = "PERF-CIBLEE",
              on: dt.date = ENROLLED) -> str:
    company, _ = _company(db, name, region)
    return enrol_company(db, company_id=company, track_code=track, enrolled_on=on)


def _group(db: Database, name: str = "Settat · Agroalimentaire · G1", **extra: Any) -> str:
    values: dict[str, Any] = {"id": None, "name": name, "track_code": "PERF-CIBLEE",
                              "sector_code": "AGRO", "region_code": "MA-06", "territory": "Settat",
                              "starts_on": D(2025, 1, 6)}
    values.update(extra)
    return save_group(db, GroupForm(**values))


def _issues(db: Database, form: GroupForm) -> dict[str, str]:
    with pytest.raises(GroupValidationError) as err:
        save_group(db, form)
    assert isinstance(err.value, UserError)
    return err.value.issues


def test_create_validate_and_edit_a_group(db: Database) -> None:
    form = empty_group_form(db)
    assert (form.id, form.track_code, form.region_code) == (None, "PERF-CIBLEE", "")
    assert _issues(db, form) == {"name": "Indiquez le nom du groupe.",
                                 "region_code": "Choisissez la région du groupe.",
                                 "starts_on": "Indiquez la date de démarrage du groupe."}
    bad = GroupForm(id=None, name="G", track_code="PERF-X", sector_code="NOPE", region_code="MA-06",
                    starts_on=D(2026, 3, 1), ends_on=D(2026, 2, 1), advisor_id=new_id())
    assert set(_issues(db, bad)) == {"track_code", "sector_code", "ends_on", "advisor_id"}

    gid = _group(db, starts_on=D(2026, 1, 31))
    form = load_group_form(db, gid)
    assert (form.starts_on, form.ends_on) == (D(2026, 1, 31), D(2026, 5, 31))  # + 4 months
    [row] = list_groups(db)
    assert (row.id, row.track_name, row.region_name, row.sector_name, row.advisor_name) == (
        gid, "Performance ciblée", "Casablanca-Settat", "Agroalimentaire", "")
    assert (row.active_members, row.size_warning) == (0, "Aucune entreprise active : " + SIZE_RULE)
    assert list_groups(db, include_finished=False, today=D(2026, 6, 1)) == []
    assert _issues(db, dataclasses.replace(empty_group_form(db), name="settat · agroalimentaire · g1",
                                           region_code="MA-06", starts_on=D(2026, 1, 1))) == {
        "name": "Un autre groupe porte déjà ce nom."}

    with db.unit_of_work() as session:
        advisor = Advisor(id=new_id(), name="Samira Alaoui", email="s@x.ma", region_code="MA-06")
        session.add(advisor)
    seq = _seq(db)
    save_group(db, dataclasses.replace(form, name="Settat · Agro · G1", advisor_id=advisor.id))
    with db.sessions() as session:
        group = session.get(CoachingGroup, gid)
        assert group is not None
        assert (group.scope_region, group.scope_advisor, group.scope_group) == ("MA-06", advisor.id, gid)
        entries = list(session.scalars(select(SyncOutbox).where(SyncOutbox.seq > seq)))
    assert [(e.table_name, e.op) for e in entries] == [("coaching_group", OutboxOp.UPDATE)]
    assert entries[0].changed["name"] == "Settat · Agro · G1"
    assert list_groups(db)[0].advisor_name == "Samira Alaoui"


def _seq(db: Database) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.max(SyncOutbox.seq))) or 0


def test_size_warnings_entry_and_stage(db: Database) -> None:
    gid = _group(db)
    enrolments = [_enrolled(db, f"Entreprise {i:02}") for i in range(11)]
    for eid in enrolments[:3]:
        member = add_member(db, group_id=gid, enrolment_id=eid, joined_on=D(2025, 1, 6))
        assert member.active and member.stage == "in_group" and member.half_days_budget == 8
    assert group_detail(db, gid).size_warning == "3 entreprises actives : " + SIZE_RULE
    assert list_groups(db)[0].size_warning == "3 entreprises actives : " + SIZE_RULE
    add_member(db, group_id=gid, enrolment_id=enrolments[3], joined_on=D(2025, 1, 6))
    assert group_detail(db, gid).size_warning is None and list_groups(db)[0].active_members == 4
    for eid in enrolments[4:]:
        add_member(db, group_id=gid, enrolment_id=eid, joined_on=D(2025, 2, 3))
    detail = group_detail(db, gid)
    assert len(detail.members) == 11
    assert detail.size_warning == detail.group.size_warning == "11 entreprises actives : " + SIZE_RULE

    with db.sessions() as session:
        moves = session.execute(select(StageTransition.from_stage, StageTransition.to_stage,
                                       StageTransition.at, StageTransition.scope_group)
                                .where(StageTransition.enrolment_id == enrolments[0])
                                .order_by(StageTransition.at)).all()
        membership = session.scalars(select(GroupMembership).where(
            GroupMembership.enrolment_id == enrolments[0])).one()
        outbox = session.scalar(select(func.count()).select_from(SyncOutbox).where(
            SyncOutbox.table_name == "group_membership", SyncOutbox.op == OutboxOp.INSERT))
    assert [(m[0], m[1]) for m in moves] == [(None, Stage.REGISTERED), (Stage.REGISTERED, Stage.IN_GROUP)]
    assert moves[1][2] == dt.datetime(2025, 1, 6, 12, tzinfo=dt.UTC) and moves[1][3] == gid
    assert (membership.scope_region, membership.scope_group) == ("MA-06", gid)
    assert outbox == 11
    [row] = enrolments_of_company(db, _company_of(db, enrolments[0]))
    assert row.group_name == "Settat · Agroalimentaire · G1"


def _company_of(db: Database, enrolment_id: str) -> str:
    with db.sessions() as session:
        enrolment = session.get(Enrolment, enrolment_id)
        assert enrolment is not None
        return enrolment.company_id


def test_entry_is_refused_when_it_cannot_hold(db: Database) -> None:
    gid = _group(db)
    other = _group(db, name="Settat · Agroalimentaire · G2")
    eid = _enrolled(db, "Conserverie Chaouia")
    add_member(db, group_id=other, enrolment_id=eid, joined_on=D(2025, 1, 10))
    cases = [
        (eid, D(2025, 1, 20), "L'entreprise est déjà membre du groupe « Settat · Agroalimentaire · G2 » "
                              "(depuis le 10/01/2025) : enregistrez d'abord sa sortie."),
        (_enrolled(db, "A"), D(2025, 1, 5),
         "La date d'entrée précède le démarrage du groupe (le 06/01/2025)."),
        (_enrolled(db, "B"), D(2025, 5, 7),
         "La date d'entrée est postérieure à la fin du groupe (le 06/05/2025)."),
        (_enrolled(db, "C", on=D(2025, 2, 1)), D(2025, 1, 20),
         "La date d'entrée précède l'inscription de l'entreprise (le 01/02/2025)."),
        (_enrolled(db, "D", track="PERF-APPROFONDIE"), D(2025, 1, 20),
         "Le groupe suit le parcours « Performance ciblée » ; l'entreprise est inscrite au parcours "
         "« Performance approfondie »."),
    ]
    for enrolment, joined, message in cases:
        assert _refusal(add_member, db, group_id=gid, enrolment_id=enrolment, joined_on=joined) == message
    assert _refusal(add_member, db, group_id=other, enrolment_id=eid, joined_on=D(2025, 2, 1)) == (
        "L'entreprise est déjà membre de ce groupe (depuis le 10/01/2025) : enregistrez d'abord sa sortie.")
    closed = _enrolled(db, "E")
    drop_enrolment(db, enrolment_id=closed, reason="Cessation d'activité", on=TODAY)
    assert _refusal(add_member, db, group_id=gid, enrolment_id=closed, joined_on=D(2025, 1, 20)) == (
        f"L'accompagnement de cette entreprise est clos (« {STAGE_LABELS_FR[Stage.DROPPED]} ») : "
        "elle ne peut plus entrer dans un groupe.")
    assert [m.company_name for m in group_detail(db, gid).members] == []


def test_exit_then_entry_into_another_group(db: Database) -> None:
    first, second = _group(db), _group(db, name="Settat · Agroalimentaire · G2")
    eid = _enrolled(db, "Huilerie Doukkala")
    move_stage(db, enrolment_id=eid, target="coaching")
    member = add_member(db, group_id=first, enrolment_id=eid, joined_on=D(2025, 1, 6))
    assert member.stage == "coaching"  # a stage past "in group" is kept
    for left_on, reason, message in [
        (D(2025, 2, 1), "  ", "Indiquez le motif de la sortie du groupe."),
        (D(2025, 1, 5), "Déménagement", "La date de sortie précède la date d'entrée (le 06/01/2025)."),
        (D(2025, 6, 1), "Déménagement",
         "La date de sortie est postérieure à la fin du groupe (le 06/05/2025)."),
    ]:
        exit_ = {"membership_id": member.membership_id, "left_on": left_on, "reason": reason}
        assert _refusal(remove_member, db, **exit_) == message
    left = remove_member(db, membership_id=member.membership_id, left_on=D(2025, 2, 3),
                         reason="Déménagement")
    assert (left.active, left.left_on, left.leave_reason, left.stage) == (
        False, D(2025, 2, 3), "Déménagement", "coaching")
    assert _refusal(remove_member, db, membership_id=member.membership_id, left_on=D(2025, 2, 4),
                    reason="x") == "Cette entreprise a déjà quitté le groupe le 03/02/2025."
    assert [c.id for c in candidates_for_group(db, second)] == [eid]
    moved = add_member(db, group_id=second, enrolment_id=eid, joined_on=D(2025, 2, 3))  # same day
    assert moved.active and candidates_for_group(db, second) == []
    assert _issues(db, dataclasses.replace(load_group_form(db, second), track_code="PERF-APPROFONDIE")) == {
        "track_code": "Le parcours ne peut plus changer : le groupe a des membres."}
    assert _issues(db, dataclasses.replace(load_group_form(db, second), starts_on=D(2025, 3, 1))) == {
        "starts_on": "Une entreprise est entrée dans le groupe le 03/02/2025 : le démarrage ne peut pas "
                     "être plus tardif."}


def test_drop_closes_the_membership_and_members_are_ordered(db: Database) -> None:
    gid = _group(db)
    staying = [_enrolled(db, name) for name in ("Zitoune", "Atlas", "Marjane")]
    for eid in staying:
        add_member(db, group_id=gid, enrolment_id=eid, joined_on=D(2025, 1, 6))
    leaving = _enrolled(db, "Boulangerie Amal")
    add_member(db, group_id=gid, enrolment_id=leaving, joined_on=D(2025, 1, 6))
    drop_enrolment(db, enrolment_id=leaving, reason="Cessation d'activité", on=TODAY)
    detail = group_detail(db, gid)
    assert [(m.company_name, m.active) for m in detail.members] == [
        ("Atlas", True), ("Marjane", True), ("Zitoune", True), ("Boulangerie Amal", False)]
    gone = detail.members[-1]
    assert (gone.left_on, gone.leave_reason, gone.stage) == (TODAY, "Cessation d'activité", "dropped")
    assert gone.stage_label == STAGE_LABELS_FR[Stage.DROPPED]
    assert detail.size_warning == "3 entreprises actives : " + SIZE_RULE


def test_candidates_are_open_same_track_same_region_and_groupless(db: Database) -> None:
    gid = _group(db)
    wanted = _enrolled(db, "Biscuiterie Chellah")
    _enrolled(db, "Loin d'ici", region="MA-07")
    _enrolled(db, "Autre parcours", track="PERF-APPROFONDIE")
    dropped = _enrolled(db, "Abandon")
    drop_enrolment(db, enrolment_id=dropped, reason="Cessation", on=TODAY)
    busy = _enrolled(db, "Déjà en groupe")
    add_member(db, group_id=_group(db, name="Autre groupe"), enrolment_id=busy, joined_on=D(2025, 1, 6))
    assert [c.company_name for c in candidates_for_group(db, gid)] == ["Biscuiterie Chellah"]
    assert candidates_for_group(db, gid)[0].id == wanted


def _session(db: Database, held_on: dt.date, half_days: float, *, group: str | None = None,
             enrolment: str | None = None) -> str:
    with db.unit_of_work() as session:
        row = CoachingSession(
            id=new_id(), kind=SessionKind.GROUP_WORKSHOP if group else SessionKind.INDIVIDUAL_VISIT,
            group_id=group, enrolment_id=enrolment, held_on=held_on, starts_at=dt.time(9),
            ends_at=dt.time(12, 30), half_days=half_days)
        session.add(row)
        return row.id


def _mark(db: Database, session_id: str, person: str, enrolment: str, status: AttendanceStatus,
          supersedes: str | None = None) -> str:
    with db.unit_of_work() as session:
        row = Attendance(id=new_id(), session_id=session_id, person_id=person, enrolment_id=enrolment,
                         status=status, supersedes_id=supersedes)
        session.add(row)
        return row.id


def test_a_company_that_joined_mid_way_is_charged_only_after_it_joined(db: Database) -> None:
    """Group from 06/01/2025 (Performance ciblée, 8 half-days). A joined at the start, B on
    03/02 and left on 03/03. Sessions: s1 06/01 (1), s2 20/01 (1), s3 03/02 (1), s4 17/02 (0.5),
    s5 03/03 (1), s6 17/03 (1); one visit of B on 10/02 (1).

    A (owner a1, pilot a2): s1 a1 present, a2 absent -> 1; s2 both absent -> 0; s3 a1 late,
    a2 present -> 1; s4 a1 present -> 0.5; s5 a1 absent corrected to present -> 1; s6 a1 present
    -> 1. Collective 4.5, used 4.5, remaining 3.5; rows 2+2+2+1+1+1 = 9, present or late
    1+0+2+1+1+1 = 6 -> rate 2/3.
    B (owner b1): s2 present (a guest before joining) -> not charged; s3 present -> 1 (joining
    day counts); s4 excused -> 0; s5 present -> 1 (leaving day counts); s6 present -> not
    charged (after leaving); visit present -> 1 individual. Collective 2, individual 1,
    used 3, remaining 5; rows in its window s3, s4, s5, visit = 4, present 3 -> 0.75."""
    P, L, X, E = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT,
                  AttendanceStatus.EXCUSED)
    gid = _group(db)
    company_a, (a1, a2) = _company(db, "Atelier A")
    company_b, (b1, _b2) = _company(db, "Boulangerie B")
    ea = enrol_company(db, company_id=company_a, track_code="PERF-CIBLEE", enrolled_on=D(2024, 12, 2))
    eb = enrol_company(db, company_id=company_b, track_code="PERF-CIBLEE", enrolled_on=D(2024, 12, 2))
    add_member(db, group_id=gid, enrolment_id=ea, joined_on=D(2025, 1, 6))
    member_b = add_member(db, group_id=gid, enrolment_id=eb, joined_on=D(2025, 2, 3))
    s1, s2, s3, s4, s5, s6 = (_session(db, day, hd, group=gid) for day, hd in [
        (D(2025, 1, 6), 1.0), (D(2025, 1, 20), 1.0), (D(2025, 2, 3), 1.0), (D(2025, 2, 17), 0.5),
        (D(2025, 3, 3), 1.0), (D(2025, 3, 17), 1.0)])
    visit = _session(db, D(2025, 2, 10), 1.0, enrolment=eb)
    for sid, person, status in [(s1, a1, P), (s1, a2, X), (s2, a1, X), (s2, a2, X), (s3, a1, L),
                                (s3, a2, P), (s4, a1, P), (s6, a1, P)]:
        _mark(db, sid, person, ea, status)
    _mark(db, s5, a1, ea, P, supersedes=_mark(db, s5, a1, ea, X))
    for sid, status in [(s2, P), (s3, P), (s4, E), (s5, P), (s6, P), (visit, P)]:
        _mark(db, sid, b1, eb, status)
    remove_member(db, membership_id=member_b.membership_id, left_on=D(2025, 3, 3), reason="Déménagement")

    members = {m.company_name: m for m in group_detail(db, gid, today=D(2025, 3, 20)).members}
    a, b = members["Atelier A"], members["Boulangerie B"]
    assert (a.collective_used, a.individual_used) == (4.5, 0)
    assert (a.half_days_used, a.half_days_remaining) == (4.5, 3.5)
    assert a.attendance_rate == pytest.approx(6 / 9)
    assert (b.collective_used, b.individual_used, b.half_days_used, b.half_days_remaining) == (2, 1, 3, 5)
    assert b.attendance_rate == 0.75 and not b.active
    assert a.budget_warning is None and b.budget_warning is None

    for day in (D(2025, 3, 24), D(2025, 3, 31), D(2025, 4, 7), D(2025, 4, 14)):  # A overruns: 8.5 of 8
        _mark(db, _session(db, day, 1.0, group=gid), a1, ea, P)
    a = next(m for m in group_detail(db, gid).members if m.company_name == "Atelier A")
    assert (a.half_days_used, a.half_days_remaining) == (8.5, -0.5)
    assert a.budget_warning == "Budget dépassé de 0,5 demi-journée : 8,5 utilisées pour 8 prévues."


def test_budgets_on_demo_data_are_consistent(db: Database) -> None:
    as_of = D(2026, 6, 15)
    generate_demo(db, companies=30, seed=3, as_of=as_of)
    groups = list_groups(db, today=as_of)
    assert len(groups) >= 3
    seen = 0
    with db.engine.connect() as conn:
        track_budget = dict(conn.execute(text("SELECT code, half_days FROM programme_track")).all())
    for group in groups:
        detail = group_detail(db, group.id, today=as_of)
        assert detail.group == group
        assert sum(m.active for m in detail.members) == group.active_members
        assert [m.active for m in detail.members] == sorted((m.active for m in detail.members), reverse=True)
        for m in detail.members:
            seen += 1
            assert m.half_days_budget == track_budget[group.track_code]
            assert m.half_days_used == m.collective_used + m.individual_used
            assert m.half_days_remaining == m.half_days_budget - m.half_days_used
            assert m.collective_used > 0 or m.joined_on >= as_of - dt.timedelta(days=7)
            assert m.budget_warning is None and m.half_days_remaining >= 0  # demo fits budgets
            assert m.attendance_rate is None or 0 < m.attendance_rate <= 1
            assert (m.collective_used, m.individual_used) == _charged_by_sql(db, m.enrolment_id)
    assert seen >= 20


def _charged_by_sql(db: Database, enrolment_id: str) -> tuple[float, float]:
    """The same rule, written independently in SQL (demo attendance has no corrections)."""
    attended = """EXISTS (SELECT 1 FROM attendance a JOIN person p ON p.id = a.person_id
                  JOIN enrolment e ON e.company_id = p.company_id
                  WHERE a.session_id = s.id AND e.id = :e AND a.status IN ('present', 'late'))"""
    with db.engine.connect() as conn:
        collective = conn.execute(text(f"""
            SELECT COALESCE(SUM(s.half_days), 0) FROM coaching_session s WHERE EXISTS (
              SELECT 1 FROM group_membership m WHERE m.enrolment_id = :e AND m.group_id = s.group_id
              AND s.held_on >= m.joined_on AND (m.left_on IS NULL OR s.held_on <= m.left_on))
            AND {attended}"""), {"e": enrolment_id}).scalar_one()
        individual = conn.execute(text(f"""
            SELECT COALESCE(SUM(s.half_days), 0) FROM coaching_session s
            WHERE s.enrolment_id = :e AND {attended}"""), {"e": enrolment_id}).scalar_one()
    return float(collective), float(individual)
