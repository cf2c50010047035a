"""The attendance sheet (feuille d'émargement) of a session: each person of each company
expected there (the group's members on that day, or the visited company) present, absent,
excused or late (with the arrival time), entered at once for a whole group if need be.

Attendance is append-only: a first entry is a new row; a correction is a new row whose
``supersedes_id`` names the row that stood until then; a row is never updated. Entering
the same thing again writes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from advisor_app.domain import budget
from advisor_app.domain.base import new_id
from advisor_app.domain.enums import AttendanceStatus, PersonRole
from advisor_app.domain.labels import ATTENDANCE_LABELS, ROLE_LABELS, SESSION_KIND_LABELS, label
from advisor_app.domain.sessions import Attendance, CoachingSession
from advisor_app.i18n import tr
from advisor_app.services import reference_names
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.services.session_context import BudgetLine, context_in
from advisor_app.storage.repositories import groups as group_repo
from advisor_app.storage.repositories import sessions as repo

NOTE_MAX = 500
ROLE_ORDER = {PersonRole.OWNER: 0, PersonRole.PILOT: 1, PersonRole.EMPLOYEE: 2}


@dataclass(frozen=True)
class SessionHeader:
    id: str
    kind: str
    kind_label: str
    title: str  # the module; the kind's label when none was given
    held_on: dt.date
    starts_at: dt.time
    ends_at: dt.time
    half_days: float
    place: str
    facilitators: str
    group_name: str  # "" for a visit
    company_name: str  # the visited company, "" for a group session
    track_name: str
    topics: str

    @property
    def for_whom(self) -> str:
        return self.group_name or self.company_name


@dataclass(frozen=True)
class ParticipantRow:
    person_id: str
    enrolment_id: str
    company_name: str
    full_name: str
    full_name_ar: str
    role_label: str
    status: str | None  # the row that stands; None: nothing recorded yet
    arrived_at: dt.time | None
    note: str
    corrections: int  # rows this person's standing row replaced, one after the other
    expected: bool  # False: recorded, but no longer expected (left the group, removed)

    @property
    def status_label(self) -> str:
        return label(ATTENDANCE_LABELS, self.status) if self.status else ""


@dataclass(frozen=True)
class AttendanceSheet:
    session: SessionHeader
    participants: list[ParticipantRow]
    budgets: list[BudgetLine] = field(default_factory=list)  # this session left out
    editable: bool = True
    reason: str = ""  # why it is not editable yet


@dataclass(frozen=True)
class MarkInput:
    person_id: str
    status: str  # AttendanceStatus value
    arrived_at: dt.time | None = None  # late only
    note: str = ""


@dataclass(frozen=True)
class AttendanceResult:
    recorded: int  # first entries
    corrected: int  # rows superseding another
    warnings: list[str]  # budgets this session takes over


def _require(session: Session, session_id: str) -> CoachingSession:
    row = repo.get_session(session, session_id)
    if row is None:
        raise UserError(tr("Séance introuvable : elle a peut-être été supprimée."))
    return row


def _header(session: Session, s: CoachingSession) -> SessionHeader:
    track = repo.track_of(session, group_id=s.group_id, enrolment_id=s.enrolment_id)
    group = group_repo.get_group(session, s.group_id) if s.group_id else None
    visited = repo.companies_of(session, [s.enrolment_id]) if s.enrolment_id else {}
    kind = label(SESSION_KIND_LABELS, s.kind)
    return SessionHeader(
        id=s.id, kind=str(s.kind), kind_label=kind, title=s.title or kind, held_on=s.held_on,
        starts_at=s.starts_at, ends_at=s.ends_at, half_days=float(s.half_days or 0.0),
        place=s.place or "", facilitators=s.facilitators or "",
        group_name=group.name if group is not None else "",
        company_name=visited[s.enrolment_id].company_name if s.enrolment_id in visited else "",
        track_name=reference_names.name_of(track) if track is not None else "",
        topics=s.topics or "")


def _standing(rows: list[Attendance]) -> tuple[dict[str, Attendance], dict[str, int]]:
    """person id -> the row that stands, and how many corrections led to it."""
    by_id = {a.id: a for a in rows}
    marks = [budget.Mark(a.id, a.session_id, a.person_id, a.status, a.supersedes_id, a.updated_at)
             for a in rows]
    standing = {person: by_id[m.id] for (_, person), m in budget.latest_marks(marks).items()}
    depth: dict[str, int] = {}
    for person, row in standing.items():
        count, seen, current = 0, set(), row
        while current.supersedes_id and current.supersedes_id in by_id and current.id not in seen:
            seen.add(current.id)
            count, current = count + 1, by_id[current.supersedes_id]
        depth[person] = count
    return standing, depth


def _participants(session: Session, s: CoachingSession) -> list[ParticipantRow]:
    expected = repo.expected_companies(session, group_id=s.group_id, enrolment_id=s.enrolment_id,
                                       day=s.held_on)
    standing, depth = _standing(repo.attendance_rows(session, s.id))
    recorded_enrolments = {a.enrolment_id for a in standing.values()}
    companies = {e.enrolment_id: e for e in expected}
    companies.update({eid: e for eid, e in repo.companies_of(
        session, [eid for eid in recorded_enrolments if eid not in companies]).items()})
    by_company = {e.company_id: e for e in expected}
    people = {p.id: p for p in repo.people_of(session, [e.company_id for e in companies.values()])}
    rows: list[tuple[tuple[str, int, str, str], ParticipantRow]] = []
    for person in people.values():
        mark = standing.get(person.id)
        member = by_company.get(person.company_id)
        is_expected = member is not None and person.deleted_at is None
        if not is_expected and mark is None:
            continue
        if mark is not None:
            enrolment_id = mark.enrolment_id
        else:
            assert member is not None
            enrolment_id = member.enrolment_id
        company = companies.get(enrolment_id) or member
        if company is None:
            continue
        rows.append(((company.company_name.casefold(), ROLE_ORDER.get(person.role, 9),
                      person.last_name.casefold(), person.first_name.casefold()), ParticipantRow(
            person_id=person.id, enrolment_id=enrolment_id, company_name=company.company_name,
            full_name=person.full_name, full_name_ar=person.full_name_ar,
            role_label=label(ROLE_LABELS, person.role),
            status=str(mark.status) if mark is not None else None,
            arrived_at=mark.arrived_at if mark is not None else None,
            note=(mark.note or "") if mark is not None else "", corrections=depth.get(person.id, 0),
            expected=is_expected)))
    return [row for _, row in sorted(rows, key=lambda item: (item[0], item[1].person_id))]


def _editable(s: CoachingSession, today: dt.date) -> str:
    if s.held_on > today:
        return tr("La séance n'a pas encore eu lieu : l'émargement se saisit le jour de la séance "
                  "ou après.")
    return ""


def attendance_sheet(db: Database, session_id: str, *, today: dt.date | None = None) -> AttendanceSheet:
    today = today or dt.date.today()
    with db.sessions() as session:
        s = _require(session, session_id)
        ctx = context_in(session, group_id=s.group_id, enrolment_id=s.enrolment_id, day=s.held_on,
                         session_id=s.id)
        reason = _editable(s, today)
        return AttendanceSheet(session=_header(session, s), participants=_participants(session, s),
                               budgets=ctx.budgets, editable=not reason, reason=reason)


def _check(mark: MarkInput, who: ParticipantRow,
           s: CoachingSession) -> tuple[AttendanceStatus, dt.time | None]:
    name = who.full_name
    try:
        status = AttendanceStatus(mark.status)
    except ValueError:
        raise UserError(tr("{person} : choisissez présent(e), absent(e), excusé(e) ou en retard.")
                        .format(person=name)) from None
    if len(mark.note.strip()) > NOTE_MAX:
        raise UserError(tr("{person} : la remarque dépasse {max} caractères.").format(
            person=name, max=NOTE_MAX))
    if status is not AttendanceStatus.LATE:
        return status, None
    if mark.arrived_at is None:
        raise UserError(tr("{person} : indiquez l'heure d'arrivée.").format(person=name))
    if not s.starts_at < mark.arrived_at <= s.ends_at:
        raise UserError(tr("{person} : l'heure d'arrivée doit se situer après le début ({start}) et "
                           "au plus tard à la fin ({end}) de la séance.").format(
                               person=name, start=f"{s.starts_at:%H:%M}", end=f"{s.ends_at:%H:%M}"))
    return status, mark.arrived_at


def record_attendance(db: Database, session_id: str, marks: list[MarkInput], *,
                      today: dt.date | None = None) -> AttendanceResult:
    """Records the sheet in one transaction: a new row per person entered for the first time
    or whose entry changed (superseding the row that stood); nothing for the others."""
    today = today or dt.date.today()
    with db.unit_of_work() as session:
        s = _require(session, session_id)
        reason = _editable(s, today)
        if reason:
            raise UserError(reason)
        participants = {p.person_id: p for p in _participants(session, s)}
        standing, _ = _standing(repo.attendance_rows(session, s.id))
        seen: set[str] = set()
        recorded = corrected = 0
        for mark in marks:
            who = participants.get(mark.person_id)
            if who is None:
                raise UserError(tr("Une personne de la feuille n'est pas attendue à cette séance."))
            if mark.person_id in seen:
                raise UserError(tr("{person} figure deux fois sur la feuille.").format(person=who.full_name))
            seen.add(mark.person_id)
            status, arrived = _check(mark, who, s)
            note = mark.note.strip()
            before = standing.get(mark.person_id)
            if before is not None and (before.status, before.arrived_at, before.note or "") == (
                    status, arrived, note):
                continue
            row = Attendance(id=new_id(), session_id=s.id, person_id=mark.person_id,
                             enrolment_id=who.enrolment_id, status=status, arrived_at=arrived, note=note,
                             supersedes_id=before.id if before is not None else None)
            row.set_scope(region=s.scope_region, advisor=s.scope_advisor, group=s.scope_group)
            session.add(row)
            if before is None:
                recorded += 1
            else:
                corrected += 1
        session.flush()
        return AttendanceResult(recorded, corrected, _overruns(session, s))


def _overruns(session: Session, s: CoachingSession) -> list[str]:
    """Companies whose budget this session takes (or keeps) over."""
    ctx = context_in(session, group_id=s.group_id, enrolment_id=s.enrolment_id, day=s.held_on,
                     session_id=s.id)
    standing, _ = _standing(repo.attendance_rows(session, s.id))
    attended = {a.enrolment_id for a in standing.values() if a.status in budget.ATTENDED}
    warnings = []
    for line in ctx.budgets:
        message = line.warning(float(s.half_days or 0.0)) if line.enrolment_id in attended else None
        if message:
            warnings.append(tr("{company} : {message}").format(company=line.company_name,
                                                               message=message))
    return warnings
