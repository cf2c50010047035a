"""Coaching groups: create and edit them, permanent entry and exit of companies, and each
member's half-day budget (rules in ``domain.budget``). One unit of work per change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists
from sqlalchemy.orm import Session

from advisor_app.domain import budget
from advisor_app.domain.base import new_id
from advisor_app.domain.companies import Company
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership
from advisor_app.domain.enums import Stage
from advisor_app.domain.reference import Advisor, Agency, ProgrammeTrack, Region, Sector
from advisor_app.domain.stages import FINAL_STAGES, stage_label
from advisor_app.i18n import tr
from advisor_app.services import reference_names
from advisor_app.services.database import Database
from advisor_app.services.enrolments import (
    EnrolmentRow,
    apply_move,
    current_advisor,
    fmt_date,
    known_advisor,
    moment_of,
    require_enrolment,
    row_from,
)
from advisor_app.services.errors import UserError
from advisor_app.storage.repositories import enrolments as enrolment_repo
from advisor_app.storage.repositories import groups as repo

NAME_MAX = 120


@dataclass(frozen=True)
class GroupRow:
    """Names, labels and warnings in the current language."""

    id: str
    name: str
    track_code: str
    track_name: str
    sector_name: str
    region_name: str
    territory: str
    advisor_name: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    active_members: int
    size_warning: str | None  # when active members < 4 or > 10


@dataclass
class GroupForm:
    id: str | None
    name: str = ""
    track_code: str = ""
    sector_code: str | None = None
    region_code: str = ""
    territory: str = ""
    advisor_id: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None  # empty: the start plus the track's duration


class GroupValidationError(UserError):
    """``issues`` maps a ``GroupForm`` field name to the message to show beside it."""

    def __init__(self, issues: dict[str, str]) -> None:
        self.issues = dict(issues)
        super().__init__(" ".join(self.issues.values()))


@dataclass(frozen=True)
class MemberRow:
    membership_id: str
    enrolment_id: str
    company_id: str
    company_name: str
    joined_on: dt.date
    left_on: dt.date | None
    leave_reason: str
    active: bool
    half_days_budget: float  # the track's half-days
    half_days_used: float  # collective_used + individual_used
    half_days_remaining: float  # budget - used; negative when overrun
    collective_used: float
    individual_used: float
    attendance_rate: float | None  # 0..1, None before any attendance row
    budget_warning: str | None = None  # when the budget is overrun
    stage: str = ""
    stage_label: str = ""


@dataclass(frozen=True)
class GroupDetail:
    group: GroupRow
    members: list[MemberRow] = field(default_factory=list)  # active first, then those who left
    size_warning: str | None = None


def _group_row(session: Session, values: tuple[Any, ...]) -> GroupRow:
    active = int(values[10] or 0)
    return GroupRow(
        id=values[0], name=values[1], track_code=values[2],
        track_name=reference_names.localize_code(session, "track", values[2], values[3]),
        sector_name=reference_names.localize(session, "sector", values[4] or ""),
        region_name=reference_names.localize(session, "region", values[5] or ""),
        territory=values[6] or "",
        advisor_name=values[7] or "", starts_on=values[8], ends_on=values[9],
        active_members=active, size_warning=budget.group_size_warning(active))


def _require_group(session: Session, group_id: str) -> CoachingGroup:
    group = repo.get_group(session, group_id)
    if group is None:
        raise UserError(tr("Groupe introuvable : il a peut-être été supprimé."))
    return group


def _track_name(session: Session, code: str) -> str:
    track = session.get(ProgrammeTrack, code)
    return reference_names.name_of(track) if track is not None else code


def _load_group_row(session: Session, group_id: str, today: dt.date) -> GroupRow:
    session.flush()
    return _group_row(session, repo.group_rows(session, CoachingGroup.id == group_id, today=today)[0])


# -- groups ------------------------------------------------------------------------------------
def list_groups(db: Database, *, include_finished: bool = True,
                today: dt.date | None = None) -> list[GroupRow]:
    """Groups, the latest start first; ``include_finished=False`` hides those already ended."""
    today = today or dt.date.today()
    where = () if include_finished else (repo.not_finished(today),)
    with db.sessions() as session:
        return [_group_row(session, r) for r in repo.group_rows(session, *where, today=today)]


def empty_group_form(db: Database) -> GroupForm:
    """A new group for this laptop's advisor: his region, his agency's city, the first track."""
    with db.sessions() as session:
        tracks = enrolment_repo.active_tracks(session)
        form = GroupForm(id=None, track_code=tracks[0].code if tracks else "")
        advisor_id = known_advisor(session, current_advisor(session))
        advisor = session.get(Advisor, advisor_id) if advisor_id else None
        if advisor is not None:
            form.advisor_id, form.region_code = advisor.id, advisor.region_code
            agency = session.get(Agency, advisor.agency_id) if advisor.agency_id else None
            form.territory = agency.city if agency is not None else ""
        return form


def load_group_form(db: Database, group_id: str) -> GroupForm:
    with db.sessions() as session:
        g = _require_group(session, group_id)
        return GroupForm(id=g.id, name=g.name, track_code=g.track_code, sector_code=g.sector_code,
                         region_code=g.region_code, territory=g.territory, advisor_id=g.advisor_id,
                         starts_on=g.starts_on, ends_on=g.ends_on)


def _validate(session: Session, form: GroupForm,
              group: CoachingGroup | None) -> tuple[dict[str, str], dt.date | None]:
    """(issues, end date to store)."""
    issues: dict[str, str] = {}
    name = form.name.strip()
    if not name:
        issues["name"] = tr("Indiquez le nom du groupe.")
    elif len(name) > NAME_MAX:
        issues["name"] = tr("Le nom ne doit pas dépasser {max} caractères.").format(max=NAME_MAX)
    elif repo.group_name_taken(session, name, group.id if group else None):
        issues["name"] = tr("Un autre groupe porte déjà ce nom.")
    track = session.get(ProgrammeTrack, form.track_code) if form.track_code else None
    if track is None or track.deleted_at is not None:
        issues["track_code"] = tr("Choisissez le parcours du groupe.")
    elif not track.active and (group is None or group.track_code != track.code):
        issues["track_code"] = tr("Ce parcours n'est plus proposé.")
    region = session.get(Region, form.region_code) if form.region_code else None
    if region is None or region.deleted_at is not None:
        issues["region_code"] = tr("Choisissez la région du groupe.")
    if form.sector_code and session.get(Sector, form.sector_code) is None:
        issues["sector_code"] = tr("Secteur inconnu.")
    if len(form.territory.strip()) > NAME_MAX:
        issues["territory"] = tr("Le territoire ne doit pas dépasser {max} caractères.").format(
            max=NAME_MAX)
    if form.advisor_id and known_advisor(session, form.advisor_id) is None:
        issues["advisor_id"] = tr("Conseiller inconnu : synchronisez les données de référence.")
    ends_on = form.ends_on
    if form.starts_on is None:
        issues["starts_on"] = tr("Indiquez la date de démarrage du groupe.")
    elif ends_on is None and track is not None:
        ends_on = budget.default_end(form.starts_on, track.duration_months)
    if form.starts_on and ends_on and ends_on < form.starts_on:
        issues["ends_on"] = tr("La date de fin précède la date de démarrage.")
    if group is not None:
        first, last, count = repo.membership_span(session, group.id)
        if count and form.track_code != group.track_code and "track_code" not in issues:
            issues["track_code"] = tr("Le parcours ne peut plus changer : le groupe a des membres.")
        if count and form.region_code != group.region_code and "region_code" not in issues:
            issues["region_code"] = tr("La région ne peut plus changer : le groupe a des membres.")
        if first and form.starts_on and form.starts_on > first and "starts_on" not in issues:
            issues["starts_on"] = tr("Une entreprise est entrée dans le groupe le {date} : "
                                     "le démarrage ne peut pas être plus tardif.").format(
                                         date=fmt_date(first))
        if last and ends_on and ends_on < last and "ends_on" not in issues:
            issues["ends_on"] = tr("Le groupe a une entrée ou une sortie le {date} : "
                                   "la fin ne peut pas être plus tôt.").format(date=fmt_date(last))
    return issues, ends_on


def save_group(db: Database, form: GroupForm) -> str:
    """Creates (``form.id is None``) or updates a group; returns its id.

    Raises ``GroupValidationError`` (nothing written) when a field is wrong."""
    with db.unit_of_work() as session:
        group = _require_group(session, form.id) if form.id else None
        issues, ends_on = _validate(session, form, group)
        if issues:
            raise GroupValidationError(issues)
        if group is None:
            group = CoachingGroup(id=new_id())
            session.add(group)
        group.name, group.track_code = form.name.strip(), form.track_code
        group.sector_code = form.sector_code or None
        group.region_code, group.territory = form.region_code, form.territory.strip()
        group.advisor_id = form.advisor_id or None
        group.starts_on, group.ends_on = form.starts_on, ends_on
        advisor = group.advisor_id or group.scope_advisor or current_advisor(session)
        if (group.scope_region, group.scope_advisor, group.scope_group) != (
                group.region_code, advisor, group.id):
            group.set_scope(region=group.region_code, advisor=advisor, group=group.id)
        return group.id


# -- members -----------------------------------------------------------------------------------
def _members(session: Session, group_id: str, today: dt.date,
             membership_id: str | None = None, *, without_session: str | None = None) -> list[MemberRow]:
    session.flush()
    rows = repo.member_rows(session, group_id, membership_id)
    inputs = repo.budget_inputs(session, {r[1] for r in rows})
    members = []
    for mid, eid, cid, company, joined, left, reason, half_days, stage in rows:
        item = inputs[eid]
        charges = [s for s in item.sessions if s.id != without_session]
        used = budget.usage(half_days, charges, item.windows, item.marks)
        members.append(MemberRow(
            membership_id=mid, enrolment_id=eid, company_id=cid, company_name=company,
            joined_on=joined, left_on=left, leave_reason=reason or "",
            active=left is None or left > today, half_days_budget=used.budget,
            half_days_used=used.used, half_days_remaining=used.remaining,
            collective_used=used.collective, individual_used=used.individual,
            attendance_rate=used.attendance_rate, budget_warning=used.warning,
            stage=Stage(stage).value, stage_label=stage_label(Stage(stage))))
    members.sort(key=_member_order)
    return members


def _member_order(m: MemberRow) -> tuple[int, int, str]:
    if m.active:
        return (0, 0, m.company_name.casefold())
    return (1, -(m.left_on or dt.date.max).toordinal(), m.company_name.casefold())


def group_detail(db: Database, group_id: str, *, today: dt.date | None = None) -> GroupDetail:
    """A group, its members (active first, then those who left, latest exit first) and
    each member's half-day budget."""
    today = today or dt.date.today()
    with db.sessions() as session:
        _require_group(session, group_id)
        row = _load_group_row(session, group_id, today)
        return GroupDetail(group=row, members=_members(session, group_id, today),
                           size_warning=row.size_warning)


def members_on(session: Session, group_id: str, day: dt.date, *,
               without_session: str | None = None) -> list[MemberRow]:
    """Members of the group on ``day`` (entry and exit days included, as the budget counts)
    with their budget, leaving session ``without_session`` out of the half-days used (the
    session being edited). For the sessions service, inside its unit of work."""
    return [m for m in _members(session, group_id, day, without_session=without_session)
            if m.joined_on <= day and (m.left_on is None or day <= m.left_on)]


def candidates_for_group(db: Database, group_id: str) -> list[EnrolmentRow]:
    """Open enrolments in the group's track, of companies of its region, in no group now."""
    today = dt.date.today()
    with db.sessions() as session:
        group = _require_group(session, group_id)
        in_a_group = exists().where(GroupMembership.enrolment_id == Enrolment.id,
                                    enrolment_repo.live_membership(today))
        rows = enrolment_repo.enrolment_rows(
            session, Enrolment.track_code == group.track_code, enrolment_repo.is_open(),
            Company.region_code == group.region_code, ~in_a_group, today=today)
        return sorted((row_from(session, r) for r in rows),
                      key=lambda r: (r.company_name.casefold(), r.id))


def add_member(db: Database, *, group_id: str, enrolment_id: str, joined_on: dt.date) -> MemberRow:
    """Permanent entry of an enrolment into a group on ``joined_on``. A registered or
    diagnosed enrolment moves to "in group". The size rule only warns (see ``GroupRow``)."""
    with db.unit_of_work() as session:
        group = _require_group(session, group_id)
        enrolment = require_enrolment(session, enrolment_id)
        if enrolment.stage in FINAL_STAGES:
            raise UserError(tr("L'accompagnement de cette entreprise est clos (« {stage} ») : "
                               "elle ne peut plus entrer dans un groupe.").format(
                                   stage=stage_label(enrolment.stage)))
        if enrolment.track_code != group.track_code:
            raise UserError(tr("Le groupe suit le parcours « {group_track} » ; l'entreprise est "
                               "inscrite au parcours « {track} ».").format(
                                   group_track=_track_name(session, group.track_code),
                                   track=_track_name(session, enrolment.track_code)))
        if group.starts_on and joined_on < group.starts_on:
            raise UserError(tr("La date d'entrée précède le démarrage du groupe (le {date}).")
                            .format(date=fmt_date(group.starts_on)))
        if group.ends_on and joined_on > group.ends_on:
            raise UserError(tr("La date d'entrée est postérieure à la fin du groupe (le {date}).")
                            .format(date=fmt_date(group.ends_on)))
        if joined_on < enrolment.enrolled_on:
            raise UserError(tr("La date d'entrée précède l'inscription de l'entreprise (le {date}).")
                            .format(date=fmt_date(enrolment.enrolled_on)))
        overlap = repo.overlapping_membership(session, enrolment.id, joined_on)
        if overlap is not None:
            other, other_name = overlap
            since = fmt_date(other.joined_on)
            if other.group_id == group.id:
                raise UserError(tr("L'entreprise est déjà membre de ce groupe (depuis le {date}) : "
                                   "enregistrez d'abord sa sortie.").format(date=since))
            raise UserError(tr("L'entreprise est déjà membre du groupe « {group} » (depuis le "
                               "{date}) : enregistrez d'abord sa sortie.").format(
                                   group=other_name, date=since))
        membership = GroupMembership(id=new_id(), group_id=group.id, enrolment_id=enrolment.id,
                                     joined_on=joined_on, left_on=None, leave_reason="")
        membership.set_scope(region=group.region_code,
                             advisor=group.scope_advisor or enrolment.scope_advisor, group=group.id)
        session.add(membership)
        if enrolment.scope_group != group.id:
            enrolment.scope_group = group.id
        if enrolment.stage in (Stage.REGISTERED, Stage.DIAGNOSED):
            last = enrolment_repo.last_transition(session, enrolment.id)
            at = moment_of(joined_on, not_before=last.at if last else None)
            apply_move(session, enrolment, Stage.IN_GROUP, at=at)
        return _members(session, group.id, dt.date.today(), membership.id)[0]


def remove_member(db: Database, *, membership_id: str, left_on: dt.date, reason: str) -> MemberRow:
    """Permanent exit on ``left_on`` (sessions of that day still count); the enrolment keeps
    its stage: the company may join another group, or be dropped separately."""
    with db.unit_of_work() as session:
        membership = repo.get_membership(session, membership_id)
        if membership is None:
            raise UserError(tr("Membre introuvable : l'entrée a peut-être été supprimée."))
        if not reason.strip():
            raise UserError(tr("Indiquez le motif de la sortie du groupe."))
        if membership.left_on is not None:
            raise UserError(tr("Cette entreprise a déjà quitté le groupe le {date}.").format(
                date=fmt_date(membership.left_on)))
        if left_on < membership.joined_on:
            raise UserError(tr("La date de sortie précède la date d'entrée (le {date}).").format(
                date=fmt_date(membership.joined_on)))
        group = _require_group(session, membership.group_id)
        if group.ends_on and left_on > group.ends_on:
            raise UserError(tr("La date de sortie est postérieure à la fin du groupe (le {date}).")
                            .format(date=fmt_date(group.ends_on)))
        membership.left_on, membership.leave_reason = left_on, reason.strip()
        return _members(session, group.id, dt.date.today(), membership.id)[0]
