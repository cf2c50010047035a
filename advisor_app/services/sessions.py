"""Coaching sessions: create and edit a group session (workshop, kick-off, review, closing)
or a company visit, with the commitments taken there and the review of earlier ones; delete
one that has no attendance sheet yet. One unit of work per save.

Rules chosen here:

* half-days come from the duration and the track's ``half_day_min_hours``
  (``domain.budget.half_days_for``); they are computed at every save, never typed;
* a group session falls within the group's dates, a visit within its enrolment's;
* two sessions of the same group (visits of the same company) may not overlap;
* commitments are reviewed (done / dropped, or reopened) at a session held today or
  earlier: ``closed_on`` is that session's date;
* once attendance is recorded, the session keeps its group or company and stays in the past.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from advisor_app.domain import budget
from advisor_app.domain.base import new_id, utcnow
from advisor_app.domain.enums import CommitmentStatus, SessionKind
from advisor_app.domain.sessions import CoachingSession, Commitment
from advisor_app.i18n import tr
from advisor_app.services import session_context as context
from advisor_app.services.database import Database
from advisor_app.services.enrolments import current_advisor, fmt_date, known_advisor
from advisor_app.services.errors import UserError
from advisor_app.storage.repositories import enrolments as enrolment_repo
from advisor_app.storage.repositories import groups as group_repo
from advisor_app.storage.repositories import sessions as repo

GROUP_ONLY = frozenset({SessionKind.GROUP_WORKSHOP})
COMPANY_ONLY = frozenset({SessionKind.INDIVIDUAL_VISIT})
DEFAULT_HOURS = (dt.time(9, 0), dt.time(12, 30))
LIMITS = {"title": 300, "place": 200, "facilitators": 300}
WHAT_MAX = 1000


@dataclass(frozen=True)
class CommitmentInput:
    """A commitment taken at this session: by a person of an expected company
    (``person_id``), or by the facilitator (``by_facilitator``)."""

    id: str | None
    person_id: str | None
    what: str
    due_on: dt.date | None = None
    by_facilitator: bool = False


@dataclass
class SessionForm:
    id: str | None
    kind: str = SessionKind.GROUP_WORKSHOP.value
    group_id: str | None = None
    enrolment_id: str | None = None  # the visited company's enrolment
    advisor_id: str | None = None
    held_on: dt.date | None = None
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    title: str = ""
    place: str = ""
    facilitators: str = ""
    topics: str = ""
    notes: str = ""
    decisions: str = ""
    commitments: list[CommitmentInput] = field(default_factory=list)
    # earlier commitment id -> status decided at this session (open, done, dropped)
    reviews: dict[str, str] = field(default_factory=dict)
    has_attendance: bool = False  # read only: the group or company can no longer change


class SessionValidationError(UserError):
    """``issues`` maps a ``SessionForm`` field name (or "commitments", "reviews") to its message."""

    def __init__(self, issues: dict[str, str]) -> None:
        self.issues = dict(issues)
        super().__init__(" ".join(self.issues.values()))


def is_group_kind(kind: str) -> bool | None:
    """True: group only; False: company only; None: either (kick-off, review, closing)."""
    if kind in GROUP_ONLY:
        return True
    if kind in COMPANY_ONLY:
        return False
    return None


# -- loading -----------------------------------------------------------------------------------
def empty_session_form(db: Database, *, group_id: str | None = None, enrolment_id: str | None = None,
                       today: dt.date | None = None) -> SessionForm:
    """A new session today: a workshop of ``group_id`` (or a visit of ``enrolment_id``), its
    advisor, and the place, hours and facilitators of the previous one."""
    today = today or dt.date.today()
    kind = SessionKind.INDIVIDUAL_VISIT if enrolment_id and not group_id else SessionKind.GROUP_WORKSHOP
    form = SessionForm(id=None, kind=kind.value, group_id=group_id,
                       enrolment_id=None if group_id else enrolment_id, held_on=today,
                       starts_at=DEFAULT_HOURS[0], ends_at=DEFAULT_HOURS[1])
    with db.sessions() as session:
        form.advisor_id = _default_advisor(session, form.group_id, form.enrolment_id)
        form.facilitators = repo.advisor_name(session, form.advisor_id)
        if form.group_id or form.enrolment_id:
            last = repo.last_session(session, group_id=form.group_id, enrolment_id=form.enrolment_id)
            if last is not None:
                form.place, form.facilitators = last.place or "", last.facilitators or form.facilitators
                form.starts_at, form.ends_at = last.starts_at, last.ends_at
    return form


def _default_advisor(session: Session, group_id: str | None, enrolment_id: str | None) -> str | None:
    owner: str | None = None
    if group_id:
        group = group_repo.get_group(session, group_id)
        owner = group.advisor_id if group is not None else None
    elif enrolment_id:
        enrolment = enrolment_repo.get_enrolment(session, enrolment_id)
        owner = enrolment.advisor_id if enrolment is not None else None
    return known_advisor(session, owner or current_advisor(session))


def load_session_form(db: Database, session_id: str) -> SessionForm:
    with db.sessions() as session:
        row = _require(session, session_id)
        return SessionForm(
            id=row.id, kind=str(row.kind), group_id=row.group_id, enrolment_id=row.enrolment_id,
            advisor_id=row.advisor_id, held_on=row.held_on, starts_at=row.starts_at,
            ends_at=row.ends_at, title=row.title or "", place=row.place or "",
            facilitators=row.facilitators or "", topics=row.topics or "", notes=row.notes or "",
            decisions=row.decisions or "",
            commitments=[CommitmentInput(c.id, c.person_id, c.what, c.due_on,
                                         by_facilitator=c.person_id is None)
                         for c in repo.commitments_taken(session, row.id)],
            reviews={c.id: str(c.status) for c in repo.closed_in(session, row.id)},
            has_attendance=repo.has_attendance(session, row.id))


def _require(session: Session, session_id: str) -> CoachingSession:
    row = repo.get_session(session, session_id)
    if row is None:
        raise UserError(tr("Séance introuvable : elle a peut-être été supprimée."))
    return row


# -- validation --------------------------------------------------------------------------------
def _check_target(session: Session, form: SessionForm, row: CoachingSession | None,
                  issues: dict[str, str]) -> tuple[str | None, str | None]:
    """(group id, enrolment id) the session is for, checking the kind, the target and its dates."""
    try:
        kind = SessionKind(form.kind)
    except ValueError:
        issues["kind"] = tr("Choisissez le type de séance.")
        return None, None
    wants_group = is_group_kind(kind)
    group_id = None if wants_group is False else (form.group_id or None)  # a visit is a company's
    enrolment_id = None if group_id else (form.enrolment_id or None)
    if wants_group is True and not group_id:
        issues["target"] = tr("Un atelier collectif se tient avec un groupe : choisissez-le.")
    elif wants_group is False and not enrolment_id:
        issues["target"] = tr("Une visite individuelle se fait dans une entreprise : choisissez-la.")
    elif not group_id and not enrolment_id:
        issues["target"] = tr("Choisissez le groupe ou l'entreprise de la séance.")
    if "target" in issues:
        return None, None
    if (row is not None and (row.group_id, row.enrolment_id) != (group_id, enrolment_id)
            and repo.has_attendance(session, row.id)):
        issues["target"] = tr("La feuille d'émargement est saisie : la séance garde son groupe "
                              "ou son entreprise.")
        return None, None
    day = form.held_on
    if group_id:
        group = group_repo.get_group(session, group_id)
        if group is None:
            issues["target"] = tr("Groupe introuvable : il a peut-être été supprimé.")
        elif day and group.starts_on and day < group.starts_on:
            issues["held_on"] = tr("La séance précède le démarrage du groupe (le {date}).").format(
                date=fmt_date(group.starts_on))
        elif day and group.ends_on and day > group.ends_on:
            issues["held_on"] = tr("La séance est postérieure à la fin du groupe (le {date}).").format(
                date=fmt_date(group.ends_on))
    else:
        assert enrolment_id is not None
        enrolment = enrolment_repo.get_enrolment(session, enrolment_id)
        if enrolment is None:
            issues["target"] = tr("Inscription introuvable : elle a peut-être été supprimée.")
        elif day and day < enrolment.enrolled_on:
            issues["held_on"] = tr("La visite précède l'inscription de l'entreprise (le {date}).").format(
                date=fmt_date(enrolment.enrolled_on))
        elif day and enrolment.ended_on and day > enrolment.ended_on:
            issues["held_on"] = tr("L'accompagnement de l'entreprise a pris fin le {date}.").format(
                date=fmt_date(enrolment.ended_on))
    return group_id, enrolment_id


def _check_fields(form: SessionForm, issues: dict[str, str]) -> None:
    if form.held_on is None:
        issues["held_on"] = tr("Indiquez la date de la séance.")
    if form.starts_at is None or form.ends_at is None:
        issues["times"] = tr("Indiquez les heures de début et de fin.")
    elif budget.duration_minutes(form.starts_at, form.ends_at) <= 0:
        issues["times"] = tr("L'heure de fin doit suivre l'heure de début.")
    for name, limit in LIMITS.items():
        if len(str(getattr(form, name)).strip()) > limit:
            issues[name] = tr("{max} caractères au plus.").format(max=limit)


def _check_commitments(form: SessionForm, ctx: context.SessionContext, taken: dict[str, Commitment],
                       issues: dict[str, str]) -> None:
    people = {p.id for p in ctx.people} | {c.person_id for c in taken.values() if c.person_id}
    for number, item in enumerate(form.commitments, start=1):
        problem = None
        if not item.person_id and not item.by_facilitator:
            problem = tr("indiquez qui s'engage.")
        elif not item.what.strip():
            problem = tr("indiquez ce qui est promis.")
        elif len(item.what.strip()) > WHAT_MAX:
            problem = tr("{max} caractères au plus.").format(max=WHAT_MAX)
        elif item.id is not None and item.id not in taken:
            problem = tr("introuvable : il a peut-être été supprimé.")
        elif item.person_id and item.person_id not in people:
            problem = tr("cette personne n'est pas attendue à la séance.")
        elif item.due_on and form.held_on and item.due_on < form.held_on:
            problem = tr("l'échéance précède la séance.")
        if problem:
            issues["commitments"] = tr("Engagement {n} : {problem}").format(n=number, problem=problem)
            return


def _check_reviews(form: SessionForm, ctx: context.SessionContext, today: dt.date,
                   issues: dict[str, str]) -> None:
    known = {r.id: r for r in ctx.reviews}
    for cid, status in form.reviews.items():
        review = known.get(cid)
        if review is None:
            issues["reviews"] = tr("Un engagement à revoir est introuvable ou a déjà été revu ailleurs.")
            return
        if status not in {s.value for s in CommitmentStatus}:
            issues["reviews"] = tr("Suite inconnue pour « {what} ».").format(what=review.what)
            return
        if status != review.status and form.held_on and form.held_on > today:
            issues["reviews"] = tr("Les engagements se revoient pendant la séance : celle-ci a lieu "
                                   "le {date}.").format(date=fmt_date(form.held_on))
            return


# -- saving ------------------------------------------------------------------------------------
def save_session(db: Database, form: SessionForm, *, today: dt.date | None = None) -> str:
    """Creates (``form.id is None``) or updates a session with its commitments and reviews;
    returns its id. Raises ``SessionValidationError`` (nothing written) when a field is wrong."""
    today = today or dt.date.today()
    with db.unit_of_work() as session:
        row = _require(session, form.id) if form.id else None
        issues: dict[str, str] = {}
        _check_fields(form, issues)
        group_id, enrolment_id = _check_target(session, form, row, issues)
        if row is not None and form.held_on and form.held_on > today and repo.has_attendance(session, row.id):
            issues["held_on"] = tr("La feuille d'émargement est saisie : la séance ne peut pas "
                                   "passer dans le futur.")
        if form.advisor_id and known_advisor(session, form.advisor_id) is None:
            issues["advisor_id"] = tr("Conseiller inconnu : synchronisez les données de référence.")
        if issues:
            raise SessionValidationError(issues)
        assert form.held_on and form.starts_at and form.ends_at
        other = repo.overlapping(session, group_id=group_id, enrolment_id=enrolment_id, day=form.held_on,
                                 starts_at=form.starts_at, ends_at=form.ends_at,
                                 exclude_id=row.id if row else None)
        if other is not None:
            raise SessionValidationError({"times": tr(
                "Une autre séance a lieu ce jour-là de {start} à {end}.").format(
                    start=f"{other.starts_at:%H:%M}", end=f"{other.ends_at:%H:%M}")})
        ctx = context.context_in(session, group_id=group_id, enrolment_id=enrolment_id,
                                 day=form.held_on, session_id=row.id if row else None)
        taken = {c.id: c for c in repo.commitments_taken(session, row.id)} if row else {}
        _check_commitments(form, ctx, taken, issues)
        _check_reviews(form, ctx, today, issues)
        if issues:
            raise SessionValidationError(issues)
        if row is None:
            row = CoachingSession(id=new_id())
            session.add(row)
        _write_session(session, row, form, group_id, enrolment_id, ctx.half_day_min_hours)
        _write_commitments(session, row, form, ctx, taken)
        _write_reviews(session, row, form, ctx)
        return row.id


def _assign(obj: Any, **values: Any) -> None:
    """Sets only what changed: an unchanged field sends nothing to HQ."""
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)


def _write_session(session: Session, row: CoachingSession, form: SessionForm, group_id: str | None,
                   enrolment_id: str | None, min_hours: float) -> None:
    assert form.held_on and form.starts_at and form.ends_at
    _assign(row, kind=SessionKind(form.kind), group_id=group_id, enrolment_id=enrolment_id,
            advisor_id=form.advisor_id or None, held_on=form.held_on, starts_at=form.starts_at,
            ends_at=form.ends_at, half_days=budget.half_days_for(form.starts_at, form.ends_at, min_hours),
            title=form.title.strip(), place=form.place.strip(), facilitators=form.facilitators.strip(),
            topics=form.topics.strip(), notes=form.notes.strip(), decisions=form.decisions.strip())
    region, group = None, group_id
    if group_id:
        owner = group_repo.get_group(session, group_id)
        assert owner is not None
        region = owner.region_code
        advisor = owner.advisor_id or owner.scope_advisor
    else:
        assert enrolment_id is not None
        visited = enrolment_repo.get_enrolment(session, enrolment_id)
        assert visited is not None
        region, advisor, group = visited.scope_region, visited.scope_advisor, visited.scope_group
    advisor = advisor or row.advisor_id or current_advisor(session)
    if (row.scope_region, row.scope_advisor, row.scope_group) != (region, advisor, group):
        row.set_scope(region=region, advisor=advisor, group=group)


def _write_commitments(session: Session, row: CoachingSession, form: SessionForm,
                       ctx: context.SessionContext, taken: dict[str, Commitment]) -> None:
    enrolment_of = {p.id: p.enrolment_id for p in ctx.people}
    kept = set()
    for item in form.commitments:
        commitment = taken.get(item.id or "")
        if commitment is None:
            commitment = Commitment(id=new_id(), session_id=row.id, status=CommitmentStatus.OPEN)
            session.add(commitment)
        kept.add(commitment.id)
        person = None if item.by_facilitator else item.person_id
        enrolment = row.enrolment_id or (enrolment_of.get(person) if person else None)
        if enrolment is None and person and commitment.person_id == person:
            enrolment = commitment.enrolment_id  # a person no longer expected keeps hers
        _assign(commitment, person_id=person, enrolment_id=enrolment, what=item.what.strip(),
                due_on=item.due_on)
        _scope_like(commitment, row)
    for cid, commitment in taken.items():
        if cid not in kept:
            commitment.deleted_at = utcnow()


def _write_reviews(session: Session, row: CoachingSession, form: SessionForm,
                   ctx: context.SessionContext) -> None:
    current = {r.id: r.status for r in ctx.reviews}
    for cid, status in form.reviews.items():
        if status == current.get(cid):
            continue
        commitment = session.get(Commitment, cid)
        assert commitment is not None
        if status == CommitmentStatus.OPEN:
            _assign(commitment, status=CommitmentStatus.OPEN, closed_in_session_id=None, closed_on=None)
        else:
            _assign(commitment, status=CommitmentStatus(status), closed_in_session_id=row.id,
                    closed_on=row.held_on)


def _scope_like(obj: Commitment, row: CoachingSession) -> None:
    if (obj.scope_region, obj.scope_advisor, obj.scope_group) != (
            row.scope_region, row.scope_advisor, row.scope_group):
        obj.set_scope(region=row.scope_region, advisor=row.scope_advisor, group=row.scope_group)


def delete_session(db: Database, session_id: str) -> None:
    """Soft-deletes a session without attendance, with the commitments taken there; those it
    had closed are open again."""
    with db.unit_of_work() as session:
        row = _require(session, session_id)
        if repo.has_attendance(session, row.id):
            raise UserError(tr("Cette séance a une feuille d'émargement : elle ne peut plus être "
                               "supprimée (corrigez plutôt l'émargement ou la séance)."))
        now = utcnow()
        for commitment in repo.closed_in(session, row.id):
            _assign(commitment, status=CommitmentStatus.OPEN, closed_in_session_id=None, closed_on=None)
        for commitment in repo.commitments_taken(session, row.id):
            commitment.deleted_at = now
        row.deleted_at = now
