"""Action plans through the services: key problems within the track's limit, actions with
an owner of the company and a computed "late", indicators with dated readings, removal."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from advisor_app.domain.action_plans import Action, IndicatorReading, KeyProblem
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enums import LegalForm, PersonRole, Segment
from advisor_app.services.action_plans import (
    ActionForm,
    IndicatorForm,
    ProblemForm,
    Reading,
    action_plan,
    delete_key_problem,
    save_action,
    save_indicator,
    save_key_problem,
)
from advisor_app.services.actions_overview import LATE, list_actions
from advisor_app.services.company_detail import company_detail
from advisor_app.services.database import Database
from advisor_app.services.enrolments import enrol_company
from advisor_app.services.errors import UserError

D = dt.date
TODAY = D(2025, 6, 1)


def enrolled(db: Database, name: str, track: str) -> tuple[str, str, str]:
    """(company id, enrolment id, owner id)."""
    with db.unit_of_work() as session:
        row = Company(name=name, legal_form=LegalForm.SARL, segment=Segment.TPE, region_code="MA-06")
        row.people = [Person(role=PersonRole.OWNER, first_name="Fatima", last_name="Amal")]
        session.add(row)
        session.flush()
        company_id, owner = row.id, row.people[0].id
    return (
        company_id,
        enrol_company(db, company_id=company_id, track_code=track, enrolled_on=D(2025, 1, 2)),
        owner,
    )


def test_a_whole_plan(db: Database) -> None:
    company_id, enrolment, owner = enrolled(db, "Atelier Amal", "PERF-CIBLEE")
    problem = save_key_problem(
        db,
        ProblemForm(
            enrolment_id=enrolment,
            axis_code="FIN",
            item_code="FIN-2",
            title="Prix de vente sans calcul de coût",
            root_cause="Coût de revient inconnu",
            objective="Marge brute de 30 %",
            target_on=D(2025, 9, 30),
        ),
    )
    # Performance ciblée treats a single key problem
    with pytest.raises(UserError, match="au plus 1 problème"):
        save_key_problem(db, ProblemForm(enrolment_id=enrolment, axis_code="COMM", title="Prospection"))
    late = save_action(
        db,
        ActionForm(
            problem,
            "Calculer le coût de trois produits",
            owner,
            D(2025, 2, 1),
            D(2025, 4, 30),
            "in_progress",
            40,
        ),
        today=TODAY,
    )
    done = save_action(
        db,
        ActionForm(problem, "Nouvelle grille de prix", owner, D(2025, 3, 1), D(2025, 5, 1), "done", 10),
        today=TODAY,
    )
    save_action(db, ActionForm(problem, "Revue trimestrielle", None, None, D(2025, 7, 1)), today=TODAY)
    indicator = save_indicator(
        db,
        IndicatorForm(
            problem,
            "Marge brute",
            "%",
            "result",
            18.0,
            D(2025, 1, 15),
            30.0,
            D(2025, 9, 30),
            (Reading(D(2025, 3, 31), 21.5, "premier trimestre"), Reading(D(2025, 5, 31), 24.0)),
        ),
    )
    plan = action_plan(db, enrolment, today=TODAY)
    (view,) = plan.problems
    assert (view.title, view.axis_code, view.item_code, view.target_on) == (
        "Prix de vente sans calcul de coût",
        "FIN",
        "FIN-2",
        D(2025, 9, 30),
    )
    by_id = {a.id: a for a in view.actions}
    assert by_id[late].late and by_id[late].days_late == 32 and by_id[late].owner_name == "Fatima Amal"
    assert not by_id[done].late and by_id[done].progress == 100 and by_id[done].done_on == TODAY
    assert plan.late_actions == 1
    (ind,) = view.indicators
    assert (ind.baseline_value, ind.target_value, ind.last) == (18.0, 30.0, Reading(D(2025, 5, 31), 24.0, ""))
    # the company page and the portfolio agree on the late action
    assert company_detail(db, company_id, today=TODAY).totals.overdue_actions == 1
    assert [a.id for a in list_actions(db, scope=LATE, today=TODAY)] == [late]
    # readings: one removed, one changed, one added
    save_indicator(
        db,
        IndicatorForm(
            problem,
            "Marge brute",
            "%",
            "result",
            18.0,
            D(2025, 1, 15),
            32.0,
            D(2025, 9, 30),
            (Reading(D(2025, 5, 31), 25.0), Reading(D(2025, 6, 30), 27.0)),
            id=indicator,
        ),
    )
    (ind,) = action_plan(db, enrolment, today=TODAY).problems[0].indicators
    assert [(r.read_on, r.value) for r in ind.readings] == [(D(2025, 5, 31), 25.0), (D(2025, 6, 30), 27.0)]
    assert ind.target_value == 32.0
    delete_key_problem(db, problem)
    assert action_plan(db, enrolment, today=TODAY).problems == ()
    with db.sessions() as session:
        assert session.scalars(select(Action).where(Action.deleted_at.is_(None))).all() == []
        assert (
            session.scalars(select(IndicatorReading).where(IndicatorReading.deleted_at.is_(None))).all() == []
        )
        assert session.scalar(select(KeyProblem.deleted_at)) is not None  # a tombstone, synced


def test_bad_input_is_refused_and_nothing_written(db: Database) -> None:
    _, enrolment, owner = enrolled(db, "Atelier Amal", "PERF-APPROFONDIE")
    _, _, stranger = enrolled(db, "Boulangerie Nour", "PERF-CIBLEE")
    with pytest.raises(UserError, match="Indiquez l'intitulé du problème clé"):
        save_key_problem(db, ProblemForm(enrolment_id=enrolment, axis_code="FIN", title="  "))
    problem = save_key_problem(db, ProblemForm(enrolment_id=enrolment, axis_code="FIN", title="Trésorerie"))
    with pytest.raises(UserError, match="une personne de l'entreprise"):
        save_action(db, ActionForm(problem, "Plan de trésorerie", stranger))
    with pytest.raises(UserError, match="précède le début"):
        save_action(db, ActionForm(problem, "Plan de trésorerie", owner, D(2025, 3, 1), D(2025, 2, 1)))
    with pytest.raises(UserError, match="même date"):
        save_indicator(
            db,
            IndicatorForm(
                problem,
                "Jours de trésorerie",
                "jours",
                readings=(Reading(D(2025, 3, 1), 10), Reading(D(2025, 3, 1), 12)),
            ),
        )
    with pytest.raises(UserError, match="l'unité"):
        save_indicator(db, IndicatorForm(problem, "Jours de trésorerie", ""))
    assert action_plan(db, enrolment).problems[0].actions == ()
    assert action_plan(db, enrolment).problems[0].indicators == ()
