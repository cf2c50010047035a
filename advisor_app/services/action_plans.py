"""An enrolment's action plan: key problems (axis, item, root cause, objective, target
date) -> actions (owner among the company's people, dates, status, progress; "late" as
``company_detail.is_overdue``) and indicators (means or result, baseline, target, dated
readings). Removing something soft-deletes it (tombstones sync)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain.action_plans import Action, Indicator, IndicatorReading, KeyProblem
from advisor_app.domain.base import new_id, utcnow
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enrolments import Enrolment
from advisor_app.domain.enums import ActionStatus, IndicatorKind
from advisor_app.domain.labels import ACTION_STATUS_LABELS, label
from advisor_app.domain.reference import ProgrammeTrack
from advisor_app.i18n import tr
from advisor_app.services.company_detail import is_overdue
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError

INDICATOR_KIND_LABELS: dict[str, str] = {IndicatorKind.MEANS: "Moyen", IndicatorKind.RESULT: "Résultat"}


@dataclass(frozen=True)
class Reading:
    read_on: dt.date
    value: float
    note: str = ""


@dataclass(frozen=True)
class IndicatorView:
    id: str
    name: str
    unit: str
    kind: str
    kind_label: str
    baseline_value: float | None
    baseline_on: dt.date | None
    target_value: float | None
    target_on: dt.date | None
    readings: tuple[Reading, ...]  # oldest first

    @property
    def last(self) -> Reading | None:
        return self.readings[-1] if self.readings else None


@dataclass(frozen=True)
class ActionView:
    id: str
    title: str
    owner_id: str | None
    owner_name: str
    starts_on: dt.date | None
    due_on: dt.date | None
    status: str
    status_label: str
    progress: int
    done_on: dt.date | None
    late: bool
    days_late: int


@dataclass(frozen=True)
class ProblemView:
    id: str
    position: int
    axis_code: str
    item_code: str | None
    title: str
    root_cause: str
    objective: str
    target_on: dt.date | None
    diagnostic_id: str | None
    actions: tuple[ActionView, ...]
    indicators: tuple[IndicatorView, ...]


@dataclass(frozen=True)
class ActionPlan:
    enrolment_id: str
    company_name: str
    people: tuple[tuple[str, str], ...]  # (person id, full name): possible owners
    problems: tuple[ProblemView, ...]
    problems_min: int = 1  # what the track treats
    problems_max: int = 3

    @property
    def full(self) -> bool:
        """The track's number of key problems is reached: no new one."""
        return len(self.problems) >= self.problems_max

    @property
    def late_actions(self) -> int:
        return sum(a.late for p in self.problems for a in p.actions)


@dataclass(frozen=True)
class ProblemForm:
    enrolment_id: str
    axis_code: str
    title: str
    item_code: str | None = None
    root_cause: str = ""
    objective: str = ""
    target_on: dt.date | None = None
    diagnostic_id: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class ActionForm:
    key_problem_id: str
    title: str
    owner_id: str | None = None
    starts_on: dt.date | None = None
    due_on: dt.date | None = None
    status: str = ActionStatus.NOT_STARTED.value
    progress: int = 0
    id: str | None = None


@dataclass(frozen=True)
class IndicatorForm:
    key_problem_id: str
    name: str
    unit: str
    kind: str = IndicatorKind.RESULT.value
    baseline_value: float | None = None
    baseline_on: dt.date | None = None
    target_value: float | None = None
    target_on: dt.date | None = None
    readings: tuple[Reading, ...] = field(default_factory=tuple)
    id: str | None = None


def action_plan(db: Database, enrolment_id: str, *, today: dt.date | None = None) -> ActionPlan:
    today = today or dt.date.today()
    with db.sessions() as session:
        enrolment = _enrolment(session, enrolment_id)
        company = session.get(Company, enrolment.company_id)
        track = session.get(ProgrammeTrack, enrolment.track_code)
        people = list(
            session.scalars(
                select(Person)
                .where(Person.company_id == enrolment.company_id, Person.deleted_at.is_(None))
                .order_by(Person.last_name, Person.first_name, Person.id)
            )
        )
        names = {p.id: p.full_name for p in people}
        problems = list(
            session.scalars(
                select(KeyProblem)
                .where(KeyProblem.enrolment_id == enrolment_id, KeyProblem.deleted_at.is_(None))
                .order_by(KeyProblem.position, KeyProblem.id)
            )
        )
        ids = [p.id for p in problems]
        actions: dict[str, list[Action]] = defaultdict(list)
        for a in session.scalars(
            select(Action)
            .where(Action.key_problem_id.in_(ids), Action.deleted_at.is_(None))
            .order_by(Action.due_on.is_(None), Action.due_on, Action.id)
        ):
            actions[a.key_problem_id].append(a)
        indicators: dict[str, list[Indicator]] = defaultdict(list)
        for i in session.scalars(
            select(Indicator)
            .where(Indicator.key_problem_id.in_(ids), Indicator.deleted_at.is_(None))
            .order_by(Indicator.id)
        ):
            indicators[i.key_problem_id].append(i)
        readings: dict[str, list[Reading]] = defaultdict(list)
        for r in session.scalars(
            select(IndicatorReading)
            .where(
                IndicatorReading.indicator_id.in_([i.id for rows in indicators.values() for i in rows]),
                IndicatorReading.deleted_at.is_(None),
            )
            .order_by(IndicatorReading.read_on, IndicatorReading.id)
        ):
            readings[r.indicator_id].append(Reading(r.read_on, r.value, r.note or ""))
        return ActionPlan(
            enrolment_id=enrolment_id,
            company_name=company.name if company else "",
            people=tuple((p.id, p.full_name) for p in people),
            problems_min=track.problems_min if track else 1,
            problems_max=track.problems_max if track else 3,
            problems=tuple(
                ProblemView(
                    id=p.id,
                    position=p.position,
                    axis_code=p.axis_code,
                    item_code=p.item_code,
                    title=p.title,
                    root_cause=p.root_cause or "",
                    objective=p.objective or "",
                    target_on=p.target_on,
                    diagnostic_id=p.diagnostic_id,
                    actions=tuple(_action_view(a, enrolment, names, today) for a in actions[p.id]),
                    indicators=tuple(
                        IndicatorView(
                            id=i.id,
                            name=i.name,
                            unit=i.unit,
                            kind=str(i.kind),
                            kind_label=label(INDICATOR_KIND_LABELS, i.kind),
                            baseline_value=i.baseline_value,
                            baseline_on=i.baseline_on,
                            target_value=i.target_value,
                            target_on=i.target_on,
                            readings=tuple(readings[i.id]),
                        )
                        for i in indicators[p.id]
                    ),
                )
                for p in problems
            ),
        )


def _action_view(a: Action, enrolment: Enrolment, names: dict[str, str], today: dt.date) -> ActionView:
    late = is_overdue(a, enrolment, today)
    return ActionView(
        id=a.id,
        title=a.title,
        owner_id=a.owner_person_id,
        owner_name=names.get(a.owner_person_id or "", ""),
        starts_on=a.starts_on,
        due_on=a.due_on,
        status=str(a.status),
        status_label=label(ACTION_STATUS_LABELS, a.status),
        progress=a.progress or 0,
        done_on=a.done_on,
        late=late,
        days_late=(today - a.due_on).days if late and a.due_on else 0,
    )


def _enrolment(session: Session, enrolment_id: str) -> Enrolment:
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.deleted_at is not None:
        raise UserError(tr("Cet accompagnement n'existe pas ou a été supprimé."))
    return enrolment


def _problem(session: Session, problem_id: str) -> KeyProblem:
    problem = session.get(KeyProblem, problem_id)
    if problem is None or problem.deleted_at is not None:
        raise UserError(tr("Ce problème clé n'existe pas ou a été supprimé."))
    return problem


def _title(text: str, what: str, limit: int) -> str:
    value = text.strip()
    if not value:
        raise UserError(tr("Indiquez {what}.").format(what=what))
    if len(value) > limit:
        raise UserError(tr("{what} : {limit} caractères au plus.").format(what=what, limit=limit))
    return value


def _scope(
    row: KeyProblem | Action | Indicator | IndicatorReading, parent: Enrolment | KeyProblem | Indicator
) -> None:
    row.set_scope(region=parent.scope_region, advisor=parent.scope_advisor, group=parent.scope_group)


def save_key_problem(db: Database, form: ProblemForm) -> str:
    with db.unit_of_work() as session:
        enrolment = _enrolment(session, form.enrolment_id)
        title = _title(form.title, tr("l'intitulé du problème clé"), 300)
        if not form.axis_code:
            raise UserError(tr("Choisissez l'axe du diagnostic auquel le problème se rattache."))
        if form.id is None:
            live = list(
                session.scalars(
                    select(KeyProblem).where(
                        KeyProblem.enrolment_id == enrolment.id, KeyProblem.deleted_at.is_(None)
                    )
                )
            )
            track = session.get(ProgrammeTrack, enrolment.track_code)
            if track is not None and len(live) >= track.problems_max:
                raise UserError(
                    tr(
                        "Ce parcours traite au plus {n} problème(s) clé(s) : modifiez ou "
                        "retirez un problème existant."
                    ).format(n=track.problems_max)
                )
            problem = KeyProblem(
                id=new_id(),
                enrolment_id=enrolment.id,
                position=max((p.position for p in live), default=0) + 1,
            )
            _scope(problem, enrolment)
            session.add(problem)
        else:
            problem = _problem(session, form.id)
        problem.title = title
        problem.axis_code = form.axis_code
        problem.item_code = form.item_code or None
        problem.root_cause = form.root_cause.strip()
        problem.objective = form.objective.strip()
        problem.target_on = form.target_on
        problem.diagnostic_id = form.diagnostic_id or problem.diagnostic_id
        session.flush()
        return problem.id


def delete_key_problem(db: Database, problem_id: str) -> None:
    """The problem, its actions, indicators and their readings go together."""
    with db.unit_of_work() as session:
        problem = _problem(session, problem_id)
        now = utcnow()
        problem.deleted_at = now
        for action in session.scalars(
            select(Action).where(Action.key_problem_id == problem.id, Action.deleted_at.is_(None))
        ):
            action.deleted_at = now
        for indicator in session.scalars(
            select(Indicator).where(Indicator.key_problem_id == problem.id, Indicator.deleted_at.is_(None))
        ):
            _delete_indicator(session, indicator, now)


def save_action(db: Database, form: ActionForm, *, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    with db.unit_of_work() as session:
        problem = _problem(session, form.key_problem_id)
        enrolment = _enrolment(session, problem.enrolment_id)
        title = _title(form.title, tr("l'intitulé de l'action"), 300)
        try:
            status = ActionStatus(form.status)
        except ValueError:
            raise UserError(tr("Statut d'action inconnu : {status}.").format(status=form.status)) from None
        if form.owner_id:
            owner = session.get(Person, form.owner_id)
            if owner is None or owner.deleted_at is not None or owner.company_id != enrolment.company_id:
                raise UserError(tr("Le responsable doit être une personne de l'entreprise."))
        if form.starts_on and form.due_on and form.due_on < form.starts_on:
            raise UserError(
                tr("L'échéance ({due}) précède le début ({start}).").format(
                    due=f"{form.due_on:%d/%m/%Y}", start=f"{form.starts_on:%d/%m/%Y}"
                )
            )
        if not 0 <= form.progress <= 100:
            raise UserError(tr("L'avancement est un pourcentage entre 0 et 100."))
        if form.id is None:
            action = Action(id=new_id(), key_problem_id=problem.id)
            _scope(action, problem)
            session.add(action)
        else:
            found = session.get(Action, form.id)
            if found is None or found.deleted_at is not None:
                raise UserError(tr("Cette action n'existe pas ou a été supprimée."))
            action = found
        action.title = title
        action.owner_person_id = form.owner_id or None
        action.starts_on, action.due_on = form.starts_on, form.due_on
        action.progress = 100 if status == ActionStatus.DONE else form.progress
        if status == ActionStatus.DONE and action.done_on is None:
            action.done_on = today
        elif status != ActionStatus.DONE:
            action.done_on = None
        action.status = status
        session.flush()
        return action.id


def delete_action(db: Database, action_id: str) -> None:
    with db.unit_of_work() as session:
        action = session.get(Action, action_id)
        if action is None or action.deleted_at is not None:
            raise UserError(tr("Cette action n'existe pas ou a été supprimée."))
        action.deleted_at = utcnow()


def save_indicator(db: Database, form: IndicatorForm) -> str:
    """The indicator and its readings as given: readings no longer listed are removed, new
    ones added, one per date."""
    with db.unit_of_work() as session:
        problem = _problem(session, form.key_problem_id)
        name = _title(form.name, tr("le nom de l'indicateur"), 200)
        unit = _title(form.unit, tr("l'unité de l'indicateur (%, MAD, jours, nombre...)"), 30)
        try:
            kind = IndicatorKind(form.kind)
        except ValueError:
            raise UserError(tr("Type d'indicateur inconnu : {kind}.").format(kind=form.kind)) from None
        dates = [r.read_on for r in form.readings]
        if len(set(dates)) != len(dates):
            raise UserError(tr("Deux mesures portent la même date : gardez-en une par date."))
        if form.id is None:
            indicator = Indicator(id=new_id(), key_problem_id=problem.id)
            _scope(indicator, problem)
            session.add(indicator)
            existing: list[IndicatorReading] = []
        else:
            found = session.get(Indicator, form.id)
            if found is None or found.deleted_at is not None:
                raise UserError(tr("Cet indicateur n'existe pas ou a été supprimé."))
            indicator = found
            existing = list(
                session.scalars(
                    select(IndicatorReading).where(
                        IndicatorReading.indicator_id == indicator.id, IndicatorReading.deleted_at.is_(None)
                    )
                )
            )
        indicator.name, indicator.unit, indicator.kind = name, unit, kind
        indicator.baseline_value, indicator.baseline_on = form.baseline_value, form.baseline_on
        indicator.target_value, indicator.target_on = form.target_value, form.target_on
        session.flush()
        by_date = {r.read_on: r for r in existing}
        wanted = {r.read_on: r for r in form.readings}
        now = utcnow()
        for day, old in by_date.items():
            if day not in wanted:
                old.deleted_at = now
        for day, reading in wanted.items():
            row = by_date.get(day)
            if row is None:
                row = IndicatorReading(id=new_id(), indicator_id=indicator.id, read_on=day)
                _scope(row, indicator)
                session.add(row)
            if (row.value, row.note) != (reading.value, reading.note.strip()):
                row.value, row.note = reading.value, reading.note.strip()
        return indicator.id


def _delete_indicator(session: Session, indicator: Indicator, now: dt.datetime) -> None:
    indicator.deleted_at = now
    for reading in session.scalars(
        select(IndicatorReading).where(
            IndicatorReading.indicator_id == indicator.id, IndicatorReading.deleted_at.is_(None)
        )
    ):
        reading.deleted_at = now


def delete_indicator(db: Database, indicator_id: str) -> None:
    with db.unit_of_work() as session:
        indicator = session.get(Indicator, indicator_id)
        if indicator is None or indicator.deleted_at is not None:
            raise UserError(tr("Cet indicateur n'existe pas ou a été supprimé."))
        _delete_indicator(session, indicator, utcnow())
