"""Validating an action plan: the advisor and the entrepreneur agree on it. Its key problems
are stamped (``KeyProblem.validated_at``, which the completion rules read) and the
enrolment moves to "plan validated" when it was before that stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from advisor_app.domain.action_plans import Action, KeyProblem
from advisor_app.domain.base import utcnow
from advisor_app.domain.enums import Stage
from advisor_app.domain.reference import ProgrammeTrack
from advisor_app.i18n import tr
from advisor_app.services.database import Database
from advisor_app.services.enrolments import apply_move, moment_of, require_enrolment
from advisor_app.services.errors import UserError

# Stages a validated plan moves forward (later ones already imply a plan).
BEFORE_PLAN = (Stage.REGISTERED, Stage.DIAGNOSED, Stage.IN_GROUP)


@dataclass(frozen=True)
class PlanValidation:
    validated: int  # key problems stamped now
    stage_moved: bool


def plan_validated_on(db: Database, enrolment_id: str) -> dt.date | None:
    """When the plan was validated (its key problems all are), else None."""
    with db.sessions() as session:
        stamps = list(session.execute(select(KeyProblem.validated_at).where(
            KeyProblem.enrolment_id == enrolment_id, KeyProblem.deleted_at.is_(None))).scalars())
    if not stamps or any(stamp is None for stamp in stamps):
        return None
    return max(stamp for stamp in stamps if stamp is not None).astimezone().date()


def validate_plan(db: Database, enrolment_id: str, *, on: dt.date | None = None) -> PlanValidation:
    """Refused, with the reason, when the track's minimum number of key problems is not
    reached, or when a key problem has no objective or no action yet."""
    on = on or dt.date.today()
    with db.unit_of_work() as session:
        enrolment = require_enrolment(session, enrolment_id)
        problems = list(session.scalars(select(KeyProblem).where(
            KeyProblem.enrolment_id == enrolment_id, KeyProblem.deleted_at.is_(None))
            .order_by(KeyProblem.position, KeyProblem.id)))
        track = session.get(ProgrammeTrack, enrolment.track_code)
        wanted = track.problems_min if track is not None else 1
        if len(problems) < wanted:
            raise UserError(tr("Ce parcours demande au moins {n} problème(s) clé(s) avant de valider "
                               "le plan (il y en a {count}).").format(n=wanted, count=len(problems)))
        for problem in problems:
            if not (problem.objective or "").strip():
                raise UserError(tr("Le problème clé « {title} » n'a pas encore d'objectif.")
                                .format(title=problem.title))
            actions = session.scalar(select(func.count(Action.id)).where(
                Action.key_problem_id == problem.id, Action.deleted_at.is_(None))) or 0
            if not actions:
                raise UserError(tr("Le problème clé « {title} » n'a pas encore d'action.")
                                .format(title=problem.title))
        now = utcnow()
        fresh = [problem for problem in problems if problem.validated_at is None]
        for problem in fresh:
            problem.validated_at = now
        moved = enrolment.stage in BEFORE_PLAN
        if moved:
            # dated the day given, never before the stage it leaves
            at = moment_of(on, not_before=enrolment.stage_changed_at)
            apply_move(session, enrolment, Stage.PLAN_VALIDATED, at=at)
        return PlanValidation(validated=len(fresh), stage_moved=moved)
