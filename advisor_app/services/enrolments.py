"""Enrolments in a programme track and their stage history (one unit of work per change).

Every stage change appends a ``StageTransition`` (append-only history for lead times); a
move dated by a day (an enrolment, a drop, an entry into a group) is recorded at the
current time when the day is today, else at noon UTC of that day, and never before the
last recorded transition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from advisor_app.domain.base import new_id, utcnow
from advisor_app.domain.enrolments import Enrolment, StageTransition
from advisor_app.domain.enums import Stage
from advisor_app.domain.reference import Advisor, ProgrammeTrack
from advisor_app.domain.stages import FINAL_STAGES, stage_label, transition_error
from advisor_app.i18n import tr
from advisor_app.services import reference_names
from advisor_app.services.database import ADVISOR_KEY, Database, get_setting
from advisor_app.services.errors import UserError
from advisor_app.storage.repositories import enrolments as repo
from advisor_app.sync.capture import ADVISOR_ID

FUTURE_TOLERANCE = dt.timedelta(minutes=5)  # clocks of two machines, a slow dialog


@dataclass(frozen=True)
class EnrolmentRow:
    id: str
    company_id: str
    company_name: str
    track_code: str
    track_name: str  # in the current language, as the labels
    stage: str  # Stage value, e.g. "in_group"
    stage_label: str  # e.g. "En groupe"
    stage_changed_at: dt.datetime  # aware, UTC
    enrolled_on: dt.date
    ended_on: dt.date | None
    drop_reason: str
    group_name: str  # current group, "" when none

    @property
    def is_open(self) -> bool:
        return Stage(self.stage) not in FINAL_STAGES


@dataclass(frozen=True)
class TrackChoice:
    code: str
    name: str  # in the current language
    name_fr: str
    half_days: int
    duration_months: int
    problems_min: int
    problems_max: int


# -- helpers shared with services.groups -------------------------------------------------------
def fmt_date(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def fmt_moment(at: dt.datetime) -> str:
    local = at.astimezone()
    return tr("{date} à {time}").format(date=f"{local:%d/%m/%Y}", time=f"{local:%H:%M}")


def local_date(at: dt.datetime) -> dt.date:
    return at.astimezone().date()


def current_advisor(session: Session) -> str | None:
    """The advisor this laptop belongs to (``None`` before the first sync)."""
    value = session.info.get(ADVISOR_ID) or get_setting(session, ADVISOR_KEY)
    return str(value) if value else None


def known_advisor(session: Session, advisor_id: str | None) -> str | None:
    """``advisor_id`` if the advisor table holds it (foreign keys are enforced)."""
    if not advisor_id:
        return None
    advisor = session.get(Advisor, advisor_id)
    return advisor_id if advisor is not None and advisor.deleted_at is None else None


def moment_of(day: dt.date, *, not_before: dt.datetime | None = None) -> dt.datetime:
    """The instant recorded for a move dated ``day`` (see the module docstring)."""
    now = utcnow()
    at = now if day >= dt.date.today() else dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    if not_before is not None and at < not_before:
        at = not_before
    return at


def row_from(session: Session, values: tuple[Any, ...]) -> EnrolmentRow:
    """A row of ``repo.enrolment_rows``, names and labels in the current language."""
    stage = Stage(values[5])
    return EnrolmentRow(
        id=values[0], company_id=values[1], company_name=values[2], track_code=values[3],
        track_name=reference_names.localize_code(session, "track", values[3], values[4]),
        stage=stage.value, stage_label=stage_label(stage),
        stage_changed_at=values[6], enrolled_on=values[7], ended_on=values[8],
        drop_reason=values[9] or "", group_name=values[10] or "")


def load_row(session: Session, enrolment_id: str, today: dt.date | None = None) -> EnrolmentRow:
    session.flush()
    rows = repo.enrolment_rows(session, Enrolment.id == enrolment_id, today=today or dt.date.today())
    return row_from(session, rows[0])


def require_enrolment(session: Session, enrolment_id: str) -> Enrolment:
    enrolment = repo.get_enrolment(session, enrolment_id)
    if enrolment is None:
        raise UserError(tr("Inscription introuvable : elle a peut-être été supprimée."))
    return enrolment


def _parse_stage(target: str) -> Stage:
    try:
        return Stage(target)
    except ValueError:
        raise UserError(tr("Étape inconnue : « {stage} ».").format(stage=target)) from None


def apply_move(session: Session, enrolment: Enrolment, target: Stage, *, at: dt.datetime,
               reason: str = "", day: dt.date | None = None) -> StageTransition:
    """Checks and records ``enrolment -> target`` at ``at`` (inside the caller's transaction);
    ``day`` (default: the local date of ``at``) is the end date a completion or drop sets."""
    current = enrolment.stage
    previous = repo.stage_before_drop(session, enrolment.id) if current is Stage.DROPPED else None
    error = transition_error(current, target, reason=reason, previous=previous)
    if error is not None:
        raise UserError(error)
    if at.tzinfo is None:
        at = at.astimezone()  # a naive time is the laptop's local time
    at = at.astimezone(dt.UTC)
    if at > utcnow() + FUTURE_TOLERANCE:
        raise UserError(tr("La date d'un changement d'étape ne peut pas être dans le futur."))
    last = repo.last_transition(session, enrolment.id)
    if last is not None and at < last.at:
        raise UserError(tr("La date précède la dernière étape enregistrée (« {stage} », le {when}).")
                        .format(stage=stage_label(last.to_stage), when=fmt_moment(last.at)))
    if current is Stage.DROPPED:
        other = repo.open_enrolment_of_company(session, enrolment.company_id, exclude_id=enrolment.id)
        if other is not None:
            raise UserError(tr("Réintégration impossible : l'entreprise suit déjà un autre "
                               "accompagnement (inscrite le {date}).").format(
                                   date=fmt_date(other.enrolled_on)))
    transition = StageTransition(id=new_id(), enrolment_id=enrolment.id, from_stage=current,
                                 to_stage=target, at=at, reason=reason.strip())
    transition.set_scope(region=enrolment.scope_region, advisor=enrolment.scope_advisor,
                         group=enrolment.scope_group)
    session.add(transition)
    enrolment.stage, enrolment.stage_changed_at = target, at
    day = day or local_date(at)
    if target is Stage.COMPLETED:
        enrolment.ended_on = day
    elif target is Stage.DROPPED:
        enrolment.ended_on, enrolment.drop_reason = day, reason.strip()
        _close_memberships(session, enrolment, day, reason.strip())
    elif current is Stage.DROPPED:  # reinstated: open again (the history keeps the drop)
        enrolment.ended_on, enrolment.drop_reason = None, ""
    return transition


def _close_memberships(session: Session, enrolment: Enrolment, on: dt.date, reason: str) -> None:
    for membership in repo.live_memberships(session, enrolment.id, on):
        membership.left_on = max(on, membership.joined_on)
        membership.leave_reason = reason


# -- use cases ------------------------------------------------------------------------------
def enrol_company(db: Database, *, company_id: str, track_code: str, enrolled_on: dt.date,
                  advisor_id: str | None = None) -> str:
    """Enrols a company in a track at the "registered" stage; returns the enrolment id."""
    with db.unit_of_work() as session:
        company = repo.get_company(session, company_id)
        if company is None:
            raise UserError(tr("Entreprise introuvable : elle a peut-être été supprimée."))
        track = session.get(ProgrammeTrack, track_code) if track_code else None
        if track is None or track.deleted_at is not None or not track.active:
            raise UserError(tr("Parcours inconnu ou fermé aux inscriptions : « {track} ».").format(
                track=track_code))
        if enrolled_on > dt.date.today():
            raise UserError(tr("La date d'inscription ne peut pas être dans le futur."))
        if advisor_id and known_advisor(session, advisor_id) is None:
            raise UserError(tr("Conseiller inconnu : synchronisez les données de référence."))
        existing = repo.open_enrolment_of_company(session, company_id)
        if existing is not None:
            current = reference_names.names(session, "track").of(existing.track_code,
                                                                  existing.track_code)
            raise UserError(tr(
                "« {company} » est déjà inscrite au parcours « {track} » (étape « {stage} ») : "
                "terminez cet accompagnement ou déclarez l'abandon avant une nouvelle "
                "inscription.").format(company=company.name, track=current,
                                       stage=stage_label(existing.stage)))
        advisor = advisor_id or current_advisor(session)
        at = moment_of(enrolled_on)
        enrolment = Enrolment(
            id=new_id(), company_id=company.id, track_code=track.code,
            advisor_id=known_advisor(session, advisor), stage=Stage.REGISTERED,
            stage_changed_at=at, enrolled_on=enrolled_on, ended_on=None, drop_reason="")
        enrolment.set_scope(region=company.region_code, advisor=advisor or company.scope_advisor)
        session.add(enrolment)
        first = StageTransition(id=new_id(), enrolment_id=enrolment.id, from_stage=None,
                                to_stage=Stage.REGISTERED, at=at, reason="")
        first.set_scope(region=enrolment.scope_region, advisor=enrolment.scope_advisor)
        session.add(first)
        return enrolment.id


def move_stage(db: Database, *, enrolment_id: str, target: str, at: dt.datetime | None = None,
               reason: str = "") -> EnrolmentRow:
    """Moves an enrolment to ``target`` (see ``domain.stages.transition_error``); dropping
    also closes its group membership, reinstating reopens the enrolment (not the membership)."""
    stage = _parse_stage(target)
    with db.unit_of_work() as session:
        enrolment = require_enrolment(session, enrolment_id)
        apply_move(session, enrolment, stage, at=at or utcnow(), reason=reason)
        return load_row(session, enrolment_id)


def drop_enrolment(db: Database, *, enrolment_id: str, reason: str, on: dt.date) -> EnrolmentRow:
    """Records a drop on ``on``; an active group membership ends that day with the same reason."""
    with db.unit_of_work() as session:
        enrolment = require_enrolment(session, enrolment_id)
        error = transition_error(enrolment.stage, Stage.DROPPED, reason=reason)
        if error is not None:
            raise UserError(error)
        if on > dt.date.today():
            raise UserError(tr("La date d'abandon ne peut pas être dans le futur."))
        if on < enrolment.enrolled_on:
            raise UserError(tr("La date d'abandon précède l'inscription (le {date}).").format(
                date=fmt_date(enrolment.enrolled_on)))
        last = repo.last_transition(session, enrolment.id)
        if last is not None and on < local_date(last.at):
            raise UserError(tr("La date d'abandon précède la dernière étape enregistrée "
                               "(« {stage} », le {date}).").format(
                                   stage=stage_label(last.to_stage),
                                   date=fmt_date(local_date(last.at))))
        at = moment_of(on, not_before=last.at if last is not None else None)
        apply_move(session, enrolment, Stage.DROPPED, at=at, reason=reason, day=on)
        return load_row(session, enrolment_id)


def enrolments_of_company(db: Database, company_id: str) -> list[EnrolmentRow]:
    """Every enrolment of a company, the latest first."""
    with db.sessions() as session:
        rows = repo.enrolment_rows(session, Enrolment.company_id == company_id, today=dt.date.today())
        return [row_from(session, r) for r in rows]


def get_enrolment(db: Database, enrolment_id: str) -> EnrolmentRow:
    with db.sessions() as session:
        require_enrolment(session, enrolment_id)
        return load_row(session, enrolment_id)


def stage_history(db: Database, enrolment_id: str) -> list[tuple[str, str, dt.datetime, str]]:
    """(from label or "", to label, at, reason) of an enrolment, oldest first."""
    with db.sessions() as session:
        enrolment = require_enrolment(session, enrolment_id)
        return [
            (stage_label(t.from_stage), stage_label(t.to_stage), t.at, t.reason)
            for t in sorted(enrolment.transitions, key=lambda t: (t.at, t.id))
            if t.deleted_at is None
        ]


def tracks(db: Database) -> list[TrackChoice]:
    """Tracks open to enrolment, the shortest first."""
    with db.sessions() as session:
        return [
            TrackChoice(code=t.code, name=reference_names.name_of(t),
                        name_fr=t.name_fr, half_days=t.half_days,
                        duration_months=t.duration_months, problems_min=t.problems_min,
                        problems_max=t.problems_max)
            for t in repo.active_tracks(session)
        ]
