"""Sessions, attendance, half-days and commitments through the services, on a real database:
half-days from the duration, permanent entry and exit in the half-day accounting, the
overrun warning, append-only corrections, commitments carried to the next session."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enums import (
    AttendanceStatus,
    CommitmentStatus,
    LegalForm,
    OutboxOp,
    PersonRole,
    Segment,
    SessionKind,
)
from advisor_app.domain.local import SyncOutbox
from advisor_app.domain.reference import ProgrammeTrack
from advisor_app.domain.sessions import Attendance, CoachingSession, Commitment
from advisor_app.services import attendance, session_context, sessions
from advisor_app.services.attendance import MarkInput
from advisor_app.services.database import Database
from advisor_app.services.enrolments import enrol_company
from advisor_app.services.errors import UserError
from advisor_app.services.groups import (
    GroupForm,
    add_member,
    group_detail,
    load_group_form,
    remove_member,
    save_group,
)
from advisor_app.services.sessions import CommitmentInput, SessionForm, SessionValidationError

D = dt.date
T = dt.time
ENROLLED, GROUP_START, MORNING = D(2025, 1, 2), D(2025, 1, 6), (T(9), T(12, 30))
P, A, E, L = (AttendanceStatus.PRESENT.value, AttendanceStatus.ABSENT.value,
              AttendanceStatus.EXCUSED.value, AttendanceStatus.LATE.value)


@dataclasses.dataclass
class Member:
    company: str
    enrolment: str
    people: list[str]  # owner, pilot


def _member(db: Database, name: str, enrolled: dt.date = ENROLLED) -> Member:
    with db.unit_of_work() as session:
        company = Company(name=name, legal_form=LegalForm.SARL, segment=Segment.TPE,
                          region_code="MA-06", city="Settat")
        company.people = [
            Person(role=PersonRole.OWNER, first_name="Khadija", last_name=name.split()[-1],
                   first_name_ar="خديجة", last_name_ar="بناني"),
            Person(role=PersonRole.PILOT, first_name="Youssef", last_name=name.split()[-1])]
        session.add(company)
        session.flush()
        company_id, people = company.id, [p.id for p in company.people]
    enrolment = enrol_company(db, company_id=company_id, track_code="PERF-CIBLEE", enrolled_on=enrolled)
    return Member(company_id, enrolment, people)


def _group(db: Database, starts_on: dt.date = GROUP_START) -> str:
    return save_group(db, GroupForm(id=None, name="Settat · Agro · G1", track_code="PERF-CIBLEE",
                                    sector_code="AGRO", region_code="MA-06", territory="Settat",
                                    starts_on=starts_on))


def _session(db: Database, group: str | None, day: dt.date, *, start: T = MORNING[0],
             end: T = MORNING[1], **extra: Any) -> str:
    values: dict[str, Any] = {"id": None, "kind": SessionKind.GROUP_WORKSHOP.value, "group_id": group,
                              "held_on": day, "starts_at": start, "ends_at": end,
                              "title": "Gérer sa trésorerie", "place": "CCIS Settat",
                              "facilitators": "Samira Alaoui"}
    values.update(extra)
    return sessions.save_session(db, SessionForm(**values))


def _everyone(db: Database, session_id: str, status: str = P) -> attendance.AttendanceResult:
    sheet = attendance.attendance_sheet(db, session_id)
    return attendance.record_attendance(db, session_id, [
        MarkInput(p.person_id, status, T(9, 20) if status == L else None) for p in sheet.participants])


def _refusal(call: Callable[..., object], *args: Any, **kwargs: Any) -> str:
    with pytest.raises(UserError) as err:
        call(*args, **kwargs)
    return str(err.value)


def _issues(db: Database, form: SessionForm) -> dict[str, str]:
    with pytest.raises(SessionValidationError) as err:
        sessions.save_session(db, form)
    return err.value.issues


@pytest.fixture
def group(db: Database) -> str:
    return _group(db)


def test_half_days_come_from_the_hours_and_the_track(db: Database, group: str) -> None:
    morning = _session(db, group, D(2025, 1, 13))
    short = _session(db, group, D(2025, 1, 14), start=T(14), end=T(16, 45))
    day = _session(db, group, D(2025, 1, 15), start=T(9), end=T(16, 30))
    with db.unit_of_work() as session:
        track = session.get(ProgrammeTrack, "PERF-CIBLEE")
        assert track is not None
        track.half_day_min_hours = 4.0  # a track that asks four hours
    later = _session(db, group, D(2025, 1, 16))
    with db.sessions() as session:
        found = {s.id: s.half_days for s in session.scalars(select(CoachingSession))}
        row = session.get(CoachingSession, morning)
        assert row is not None
        assert (row.scope_region, row.scope_group, row.title, row.kind) == (
            "MA-06", group, "Gérer sa trésorerie", SessionKind.GROUP_WORKSHOP)
    assert found == {morning: 1.0, short: 0.0, day: 2.0, later: 0.0}
    # the figure is never typed: it is computed again at each save
    sessions.save_session(db, dataclasses.replace(sessions.load_session_form(db, later), ends_at=T(13)))
    with db.sessions() as session:
        assert session.get(CoachingSession, later).half_days == 1.0  # type: ignore[union-attr]


def test_a_session_is_checked_field_by_field(db: Database, group: str) -> None:
    base = SessionForm(id=None, held_on=D(2025, 1, 13), starts_at=T(9), ends_at=T(12))
    assert _issues(db, base) == {"target": "Un atelier collectif se tient avec un groupe : choisissez-le."}
    visit = dataclasses.replace(base, kind=SessionKind.INDIVIDUAL_VISIT.value)
    assert _issues(db, visit) == {
        "target": "Une visite individuelle se fait dans une entreprise : choisissez-la."}
    wrong = dataclasses.replace(base, group_id=group, held_on=D(2024, 12, 1), starts_at=T(12),
                                ends_at=T(9), title="x" * 301)
    assert _issues(db, wrong) == {
        "held_on": "La séance précède le démarrage du groupe (le 06/01/2025).",
        "times": "L'heure de fin doit suivre l'heure de début.", "title": "300 caractères au plus."}
    _session(db, group, D(2025, 1, 13), start=T(9), end=T(12))
    overlap = dataclasses.replace(base, group_id=group, starts_at=T(11), ends_at=T(13))
    assert _issues(db, overlap) == {"times": "Une autre séance a lieu ce jour-là de 09:00 à 12:00."}
    member = _member(db, "Atelier Amal")
    late_visit = dataclasses.replace(visit, enrolment_id=member.enrolment, held_on=D(2024, 12, 30))
    assert _issues(db, late_visit) == {
        "held_on": "La visite précède l'inscription de l'entreprise (le 02/01/2025)."}


def test_a_company_that_joined_mid_way_is_charged_from_its_entry_and_not_after_its_exit(
        db: Database, group: str) -> None:
    """Amal: from the start, leaves on 03/03 (that day still counts). Nour: joins on 03/02.
    Workshops on 13/01, 10/02, 03/03 and 17/03, everyone present; a visit to Nour on 20/03."""
    amal, nour = _member(db, "Atelier Amal"), _member(db, "Boulangerie Nour")
    add_member(db, group_id=group, enrolment_id=amal.enrolment, joined_on=D(2025, 1, 6))
    add_member(db, group_id=group, enrolment_id=nour.enrolment, joined_on=D(2025, 2, 3))
    days = [D(2025, 1, 13), D(2025, 2, 10), D(2025, 3, 3), D(2025, 3, 17)]
    ids = [_session(db, group, day) for day in days]
    [amal_membership] = [m.membership_id for m in group_detail(db, group).members
                         if m.enrolment_id == amal.enrolment]
    remove_member(db, membership_id=amal_membership, left_on=D(2025, 3, 3), reason="Déménagement")
    expected = []
    for session_id in ids:
        sheet = attendance.attendance_sheet(db, session_id)
        expected.append({p.enrolment_id for p in sheet.participants})
        _everyone(db, session_id)
    both = {amal.enrolment, nour.enrolment}
    assert expected == [{amal.enrolment}, both, both, {nour.enrolment}]
    # Nour's people cannot sign the sheet of a workshop held before it joined
    assert _refusal(attendance.record_attendance, db, ids[0], [MarkInput(nour.people[0], P)]) == (
        "Une personne de la feuille n'est pas attendue à cette séance.")
    visit = _session(db, None, D(2025, 3, 20), kind=SessionKind.INDIVIDUAL_VISIT.value,
                     enrolment_id=nour.enrolment, start=T(14, 30), end=T(17, 30))
    attendance.record_attendance(db, visit, [MarkInput(nour.people[0], P)])

    members = {m.enrolment_id: m for m in group_detail(db, group).members}
    a, n = members[amal.enrolment], members[nour.enrolment]
    assert (a.collective_used, a.individual_used, a.half_days_remaining) == (3.0, 0.0, 5.0)
    assert (n.collective_used, n.individual_used, n.half_days_remaining) == (3.0, 1.0, 4.0)
    assert (a.attendance_rate, n.attendance_rate) == (1.0, 1.0)
    # the form of a new session lists the companies of its day, budgets without it
    ctx = session_context.session_context(db, group_id=group, enrolment_id=None, day=D(2025, 3, 24))
    assert [(b.company_name, b.used, b.remaining) for b in ctx.budgets] == [("Boulangerie Nour", 4.0, 4.0)]
    edited = session_context.session_context(db, group_id=group, enrolment_id=None, day=D(2025, 3, 17),
                                             session_id=ids[3])
    assert [(b.collective, b.individual) for b in edited.budgets] == [(2.0, 1.0)]


def test_a_session_that_would_overrun_a_budget_is_announced(db: Database, group: str) -> None:
    amal = _member(db, "Atelier Amal")
    add_member(db, group_id=group, enrolment_id=amal.enrolment, joined_on=D(2025, 1, 6))
    for week in range(7):  # 7 workshops of one half-day: 7 of the 8 used
        _everyone(db, _session(db, group, D(2025, 1, 13) + dt.timedelta(weeks=week)))
    ctx = session_context.session_context(db, group_id=group, enrolment_id=None, day=D(2025, 3, 10))
    [line] = ctx.budgets
    assert (line.budget, line.used, line.remaining) == (8.0, 7.0, 1.0)
    assert line.warning(1.0) is None
    assert line.warning(2.0) == "Cette séance porterait le total à 9 demi-journées pour un budget de 8."
    day = _session(db, group, D(2025, 3, 10), start=T(9), end=T(16))  # a whole day: 2 half-days
    result = _everyone(db, day)
    assert result.warnings == [
        "Atelier Amal : Cette séance porterait le total à 9 demi-journées pour un budget de 8."]
    [member] = group_detail(db, group).members
    assert member.half_days_remaining == -1.0
    assert member.budget_warning == "Budget dépassé de 1 demi-journée : 9 utilisées pour 8 prévues."


def test_attendance_is_append_only_and_corrections_supersede(db: Database, group: str) -> None:
    amal = _member(db, "Atelier Amal")
    add_member(db, group_id=group, enrolment_id=amal.enrolment, joined_on=D(2025, 1, 6))
    sid = _session(db, group, D(2025, 1, 13))
    owner, pilot = amal.people
    first = attendance.record_attendance(db, sid, [MarkInput(owner, P), MarkInput(pilot, E, note="Malade")])
    assert (first.recorded, first.corrected) == (2, 0)
    again = attendance.record_attendance(db, sid, [MarkInput(owner, P), MarkInput(pilot, E, note="Malade")])
    assert (again.recorded, again.corrected) == (0, 0)  # same sheet: nothing written
    fixed = attendance.record_attendance(db, sid, [MarkInput(pilot, L, T(9, 40))])
    assert (fixed.recorded, fixed.corrected) == (0, 1)
    with db.sessions() as session:
        rows = {(a.person_id, a.status): a for a in session.scalars(select(Attendance))}
        outbox = session.execute(select(SyncOutbox.op, func.count()).where(
            SyncOutbox.table_name == "attendance").group_by(SyncOutbox.op)).all()
    assert len(rows) == 3
    old, new = rows[(pilot, AttendanceStatus.EXCUSED)], rows[(pilot, AttendanceStatus.LATE)]
    assert (new.supersedes_id, new.arrived_at) == (old.id, T(9, 40))
    assert (old.supersedes_id, old.note) == (None, "Malade")
    assert (new.enrolment_id, new.scope_group) == (amal.enrolment, group)
    assert outbox == [(OutboxOp.INSERT, 3)]  # never an update
    sheet = attendance.attendance_sheet(db, sid)
    assert [(p.full_name, p.status, p.corrections) for p in sheet.participants] == [
        ("Khadija Amal", P, 0), ("Youssef Amal", L, 1)]
    assert _refusal(attendance.record_attendance, db, sid, [MarkInput(owner, L)]) == (
        "Khadija Amal : indiquez l'heure d'arrivée.")
    assert "après le début (09:00)" in _refusal(attendance.record_attendance, db, sid,
                                                 [MarkInput(owner, L, T(8, 50))])
    soon = dt.date.today() + dt.timedelta(days=3)
    save_group(db, dataclasses.replace(load_group_form(db, group), ends_on=soon))
    upcoming = _session(db, group, soon)
    assert not attendance.attendance_sheet(db, upcoming).editable
    assert "pas encore eu lieu" in _refusal(attendance.record_attendance, db, upcoming,
                                            [MarkInput(owner, P)])


def test_commitments_are_reviewed_and_closed_at_the_next_session(db: Database, group: str) -> None:
    amal, nour = _member(db, "Atelier Amal"), _member(db, "Boulangerie Nour")
    for m in (amal, nour):
        add_member(db, group_id=group, enrolment_id=m.enrolment, joined_on=D(2025, 1, 6))
    _session(db, group, D(2025, 1, 13), commitments=[
        CommitmentInput(None, amal.people[0], "Tenir le tableau de trésorerie", D(2025, 1, 27)),
        CommitmentInput(None, nour.people[1], "Compter le stock", None),
        CommitmentInput(None, None, "Envoyer le modèle de tableau", D(2025, 1, 20), by_facilitator=True)])
    with db.sessions() as session:
        taken = {c.what: c for c in session.scalars(select(Commitment))}
    assert taken["Tenir le tableau de trésorerie"].enrolment_id == amal.enrolment
    assert taken["Envoyer le modèle de tableau"].enrolment_id is None  # the facilitator's
    assert {c.status for c in taken.values()} == {CommitmentStatus.OPEN}

    # the next session of the group shows them first, to review
    form = sessions.empty_session_form(db, group_id=group, today=D(2025, 1, 27))
    assert (form.place, form.starts_at, form.facilitators) == ("CCIS Settat", T(9), "Samira Alaoui")
    ctx = session_context.session_context(db, group_id=group, enrolment_id=None, day=D(2025, 1, 27))
    assert [(r.who, r.what, r.status) for r in ctx.reviews] == [
        ("L'animateur", "Envoyer le modèle de tableau", "open"),
        ("Khadija Amal", "Tenir le tableau de trésorerie", "open"),
        ("Youssef Nour", "Compter le stock", "open")]
    by_what = {r.what: r.id for r in ctx.reviews}
    second = _session(db, group, D(2025, 1, 27), reviews={
        by_what["Tenir le tableau de trésorerie"]: "done", by_what["Envoyer le modèle de tableau"]: "done",
        by_what["Compter le stock"]: "open"})
    with db.sessions() as session:
        closed = {c.what: (c.status, c.closed_in_session_id, c.closed_on)
                  for c in session.scalars(select(Commitment))}
    assert closed == {
        "Tenir le tableau de trésorerie": (CommitmentStatus.DONE, second, D(2025, 1, 27)),
        "Envoyer le modèle de tableau": (CommitmentStatus.DONE, second, D(2025, 1, 27)),
        "Compter le stock": (CommitmentStatus.OPEN, None, None)}
    later = session_context.session_context(db, group_id=group, enrolment_id=None, day=D(2025, 2, 10))
    assert [r.what for r in later.reviews] == ["Compter le stock"]
    # editing the second session shows what it closed, and can reopen it
    form = sessions.load_session_form(db, second)
    assert set(form.reviews.values()) == {"done"}
    sessions.save_session(db, dataclasses.replace(form, reviews={
        by_what["Envoyer le modèle de tableau"]: "open"}))
    reopened = session_context.session_context(db, group_id=group, enrolment_id=None, day=D(2025, 2, 10))
    assert sorted(r.what for r in reopened.reviews) == ["Compter le stock", "Envoyer le modèle de tableau"]
    # a session still to come cannot close them yet
    soon = dt.date.today() + dt.timedelta(days=2)
    save_group(db, dataclasses.replace(load_group_form(db, group), ends_on=soon + dt.timedelta(days=30)))
    assert "se revoient pendant la séance" in _issues(db, SessionForm(
        id=None, group_id=group, held_on=soon, starts_at=T(9), ends_at=T(12),
        reviews={by_what["Compter le stock"]: "done"}))["reviews"]
    # a commitment needs who, what, and a due date not before the session
    for pledge, problem in (
            (CommitmentInput(None, None, " ", by_facilitator=True), "indiquez ce qui est promis."),
            (CommitmentInput(None, None, "x", D(2025, 2, 1), True), "l'échéance précède la séance."),
            (CommitmentInput(None, None, "x"), "indiquez qui s'engage.")):
        form = SessionForm(id=None, group_id=group, held_on=D(2025, 2, 10), starts_at=T(9),
                           ends_at=T(12), commitments=[pledge])
        assert _issues(db, form) == {"commitments": f"Engagement 1 : {problem}"}


def test_deleting_a_session(db: Database, group: str) -> None:
    amal = _member(db, "Atelier Amal")
    add_member(db, group_id=group, enrolment_id=amal.enrolment, joined_on=D(2025, 1, 6))
    pledge = CommitmentInput(None, None, "Modèle", by_facilitator=True)
    first = _session(db, group, D(2025, 1, 13), commitments=[pledge])
    [review] = session_context.session_context(db, group_id=group, enrolment_id=None,
                                               day=D(2025, 1, 27)).reviews
    second = _session(db, group, D(2025, 1, 27), reviews={review.id: "done"},
                      commitments=[CommitmentInput(None, amal.people[0], "Inventaire")])
    _everyone(db, first)
    assert "ne peut plus être supprimée" in _refusal(sessions.delete_session, db, first)
    sessions.delete_session(db, second)
    with db.sessions() as session:
        rows = {c.what: (c.status, c.closed_in_session_id, c.deleted_at is not None)
                for c in session.scalars(select(Commitment))}
        assert session.get(CoachingSession, second).deleted_at is not None  # type: ignore[union-attr]
    assert rows == {"Modèle": (CommitmentStatus.OPEN, None, False),
                    "Inventaire": (CommitmentStatus.OPEN, None, True)}
    assert "introuvable" in _refusal(sessions.load_session_form, db, second)


def test_a_visit_and_the_choices_of_the_form(db: Database, group: str) -> None:
    amal = _member(db, "Atelier Amal")
    add_member(db, group_id=group, enrolment_id=amal.enrolment, joined_on=D(2025, 1, 6))
    choices = session_context.session_choices(db, today=D(2025, 2, 1))
    assert [g.id for g in choices.groups] == [group]
    assert [(c.id, c.name, c.half_day_min_hours) for c in choices.companies] == [
        (amal.enrolment, "Atelier Amal", 3.0)]
    form = sessions.empty_session_form(db, enrolment_id=amal.enrolment, today=D(2025, 2, 3))
    assert (form.kind, form.group_id, form.enrolment_id) == ("individual_visit", None, amal.enrolment)
    visit = sessions.save_session(db, dataclasses.replace(form, starts_at=T(14, 30), ends_at=T(17, 30)))
    sheet = attendance.attendance_sheet(db, visit)
    assert (sheet.session.company_name, sheet.session.group_name, sheet.session.half_days) == (
        "Atelier Amal", "", 1.0)
    assert [p.full_name for p in sheet.participants] == ["Khadija Amal", "Youssef Amal"]
    loaded = sessions.load_session_form(db, visit)
    assert (loaded.kind, loaded.enrolment_id, loaded.has_attendance) == (
        "individual_visit", amal.enrolment, False)
    attendance.record_attendance(db, visit, [MarkInput(amal.people[0], P)])
    assert sessions.load_session_form(db, visit).has_attendance
    assert _issues(db, dataclasses.replace(loaded, kind=SessionKind.REVIEW.value, enrolment_id=None,
                                           group_id=group)) == {
        "target": "La feuille d'émargement est saisie : la séance garde son groupe ou son entreprise."}
