"""The diagnostic report and the action plan as PDF files, read back with pypdf: French
headings, the scores of every axis with their change, the priorities, the proposed key
problems, the plan's late action and its indicator readings, an Arabic company name."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enums import LegalForm, PersonRole, Segment
from advisor_app.services.action_plans import (
    ActionForm,
    IndicatorForm,
    ProblemForm,
    Reading,
    save_action,
    save_indicator,
    save_key_problem,
)
from advisor_app.services.database import Database
from advisor_app.services.diagnostics import AnswerInput, current_questionnaire, save_diagnostic
from advisor_app.services.enrolments import enrol_company
from advisor_app.services.errors import UserError
from advisor_app.services.plan_print import diagnostic_file_name, write_action_plan, write_diagnostic_report

D = dt.date
NAME = "Atelier Amal — مشغل أمل"


def _text(path: Path) -> str:
    """Every word of the PDF, Arabic presentation forms folded back to letters."""
    pages = PdfReader(path).pages
    return " ".join(unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in pages)).split())


@pytest.fixture
def enrolment(db: Database) -> str:
    with db.unit_of_work() as session:
        row = Company(name=NAME, legal_form=LegalForm.SARL, segment=Segment.TPE, region_code="MA-06")
        row.people = [Person(role=PersonRole.OWNER, first_name="Fatima", last_name="Amal")]
        session.add(row)
        session.flush()
        company_id = row.id
    return enrol_company(db, company_id=company_id, track_code="PERF-CIBLEE", enrolled_on=D(2025, 1, 2))


def _diagnose(db: Database, enrolment: str, kind: str, on: dt.date, scores: dict[str, int]) -> str:
    q = current_questionnaire(db)
    answers = {i.id: AnswerInput(scores[a.code], scores[a.code], 2, "") for a in q.axes for i in a.items}
    return save_diagnostic(
        db,
        enrolment_id=enrolment,
        diagnostic_id=None,
        kind=kind,
        conducted_on=on,
        answers=answers,
        notes="Entretien avec la dirigeante.",
        validate=True,
    )


def test_diagnostic_report(db: Database, enrolment: str, tmp_path: Path) -> None:
    codes = [a.code for a in current_questionnaire(db).axes]
    _diagnose(db, enrolment, "initial", D(2025, 1, 10), {c: 1 for c in codes})
    final = _diagnose(db, enrolment, "final", D(2025, 5, 10), {c: 3 for c in codes} | {codes[3]: 0})
    path = write_diagnostic_report(
        db, final, tmp_path / diagnostic_file_name(NAME, D(2025, 5, 10)), today=D(2025, 5, 12)
    )
    assert path.name == "diagnostic-2025-05-10-atelier-amal-مشغل-أمل.pdf"
    text = _text(path)
    for expected in (
        "Rapport d'autodiagnostic",
        "Diagnostic final — version 1",
        "10/05/2025",
        "Stratégie et pilotage",
        "Score global",
        "Problèmes clés proposés",
        "Items prioritaires",
        "Observations du conseiller",
        "Entretien avec la dirigeante.",
        "Imprimé le 12/05/2025",
    ):
        assert expected in text, expected
    # T0 25 % -> 75 %: +50 points on every axis but the fourth (25 % -> 0 %)
    assert text.count("+50 pts") == 7 and "\u221225 pts" in text
    assert "مشغل أمل" in text  # shaped and drawn right to left, read back as the name
    # Performance ciblée: one axis proposed, the one at 0 %
    fourth = current_questionnaire(db).axes[3].label
    assert f"1. {fourth} (0 %)" in text  # NFKC: the narrow space read as a space
    if os.environ.get("MOWAKABA_KEEP_PDF"):
        (Path(os.environ["MOWAKABA_KEEP_PDF"]) / "diagnostic.pdf").write_bytes(path.read_bytes())


def test_action_plan_report(db: Database, enrolment: str, tmp_path: Path) -> None:
    problem = save_key_problem(
        db,
        ProblemForm(
            enrolment_id=enrolment,
            axis_code="FIN",
            item_code="FIN-2",
            title="Prix sans calcul de coût",
            root_cause="Coût de revient inconnu",
            objective="Marge brute de 30 %",
            target_on=D(2025, 9, 30),
        ),
    )
    with db.sessions() as session:
        owner = session.query(Person.id).scalar()
    save_action(
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
    )
    save_action(db, ActionForm(problem, "Afficher les nouveaux prix", None, D(2025, 5, 1), D(2025, 12, 1)))
    save_indicator(
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
            (Reading(D(2025, 3, 31), 21.5, "T1"),),
        ),
    )
    path = write_action_plan(db, enrolment, tmp_path / "plan.pdf", today=D(2025, 6, 1))
    text = _text(path)
    for expected in (
        "Plan d'action",
        "Performance ciblée",
        "Problème clé 1 : Prix sans calcul de coût",
        "Coût de revient inconnu",
        "Marge brute de 30 %",
        "30/09/2025",
        "Fatima Amal",
        "En cours — en retard de 32 j",
        "Afficher les nouveaux prix",
        "Non commencée",
        "31/03/2025 : 21,5 %",
        "1 problème(s) clé(s), 2 action(s) dont 1 en retard au 01/06/2025",
    ):
        assert expected in text, expected
    if os.environ.get("MOWAKABA_KEEP_PDF"):
        (Path(os.environ["MOWAKABA_KEEP_PDF"]) / "plan.pdf").write_bytes(path.read_bytes())


def test_unwritable_file_is_a_clear_error(db: Database, enrolment: str, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Impossible d'écrire"):
        write_action_plan(db, enrolment, tmp_path / "missing-folder" / "plan.pdf")
