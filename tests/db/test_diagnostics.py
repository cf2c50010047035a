"""Self-diagnostics through the services: a draft whose answers change (new rows, the old
ones soft-deleted), validation, a correction as a new version, scores and the group's
average as the Diagnostics tab shows them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from advisor_app.domain.companies import Company, Person
from advisor_app.domain.diagnostics import Diagnostic, DiagnosticAnswer
from advisor_app.domain.enrolments import Enrolment
from advisor_app.domain.enums import LegalForm, PersonRole, Segment
from advisor_app.domain.questionnaires import NOT_APPLICABLE
from advisor_app.services.database import Database
from advisor_app.services.diagnostic_scores import diagnostics_overview
from advisor_app.services.diagnostics import (
    AnswerInput,
    QuestionnaireInfo,
    correct_diagnostic,
    current_questionnaire,
    load_diagnostic,
    save_diagnostic,
)
from advisor_app.services.enrolments import enrol_company
from advisor_app.services.errors import UserError
from advisor_app.services.groups import GroupForm, add_member, save_group

D = dt.date


def company(db: Database, name: str, track: str = "PERF-APPROFONDIE") -> str:
    with db.unit_of_work() as session:
        row = Company(
            name=name, legal_form=LegalForm.SARL, segment=Segment.TPE, region_code="MA-06", city="Settat"
        )
        row.people = [Person(role=PersonRole.OWNER, first_name="Fatima", last_name="Amal")]
        session.add(row)
        session.flush()
        company_id = row.id
    return enrol_company(db, company_id=company_id, track_code=track, enrolled_on=D(2025, 1, 2))


def uniform(q: QuestionnaireInfo, per_axis: dict[str, int], *, importance: int = 2) -> dict[str, AnswerInput]:
    """Every item of an axis scored the same by the entrepreneur and the advisor."""
    return {
        i.id: AnswerInput(per_axis[a.code], per_axis[a.code], importance, "") for a in q.axes for i in a.items
    }


@pytest.fixture
def q(db: Database) -> QuestionnaireInfo:
    return current_questionnaire(db)


def test_questionnaire_has_eight_axes_of_four_items(q: QuestionnaireInfo) -> None:
    assert len(q.axes) == 8 and all(len(a.items) == 4 for a in q.axes)
    assert [s.value for s in q.scale] == [0, 1, 2, 3, 4, NOT_APPLICABLE]


def test_draft_then_validated_then_corrected(db: Database, q: QuestionnaireInfo) -> None:
    enrolment = company(db, "Atelier Amal")
    first, second = q.axes[0].items[0], q.axes[0].items[1]
    draft = save_diagnostic(
        db,
        enrolment_id=enrolment,
        diagnostic_id=None,
        kind="initial",
        conducted_on=D(2025, 1, 10),
        answers={first.id: AnswerInput(2, None, 3, "devis")},
    )
    record = load_diagnostic(db, draft)
    assert record.status == "draft" and record.answers[first.id] == AnswerInput(2, None, 3, "devis")
    # the draft changes: the changed answer is a new row, the old one soft-deleted
    answers = {first.id: AnswerInput(3, None, 3, "devis"), second.id: AnswerInput(1)}
    assert (
        save_diagnostic(
            db,
            enrolment_id=enrolment,
            diagnostic_id=draft,
            kind="initial",
            conducted_on=D(2025, 1, 10),
            answers=answers,
        )
        == draft
    )
    with db.sessions() as session:
        rows = session.scalars(select(DiagnosticAnswer).where(DiagnosticAnswer.item_id == first.id)).all()
        assert sorted((r.entrepreneur_score, r.deleted_at is None) for r in rows) == [(2, False), (3, True)]
    # validation needs the advisor's score on every item
    with pytest.raises(UserError, match="note validée par le conseiller manque"):
        save_diagnostic(
            db,
            enrolment_id=enrolment,
            diagnostic_id=draft,
            kind="initial",
            conducted_on=D(2025, 1, 10),
            answers=answers,
            validate=True,
        )
    full = uniform(q, {a.code: 2 for a in q.axes})
    save_diagnostic(
        db,
        enrolment_id=enrolment,
        diagnostic_id=draft,
        kind="initial",
        conducted_on=D(2025, 1, 10),
        answers=full,
        validate=True,
    )
    assert load_diagnostic(db, draft).status == "validated"
    with db.sessions() as session:  # the pipeline moved on
        assert session.get(Enrolment, enrolment).stage == "diagnosed"  # type: ignore[union-attr]
    with pytest.raises(UserError, match="Corriger"):
        save_diagnostic(
            db,
            enrolment_id=enrolment,
            diagnostic_id=draft,
            kind="initial",
            conducted_on=D(2025, 1, 10),
            answers=full,
        )
    # a second T0 is refused
    with pytest.raises(UserError, match="déjà un « Diagnostic initial"):
        save_diagnostic(
            db,
            enrolment_id=enrolment,
            diagnostic_id=None,
            kind="initial",
            conducted_on=D(2025, 1, 11),
            answers={},
        )
    corrected = {**full, first.id: AnswerInput(2, 4, 1, "vu les factures")}
    new = correct_diagnostic(db, diagnostic_id=draft, conducted_on=D(2025, 1, 10), answers=corrected)
    with db.sessions() as session:
        old_row, new_row = session.get(Diagnostic, draft), session.get(Diagnostic, new)
        assert old_row is not None and new_row is not None
        assert (new_row.version, new_row.supersedes_id, new_row.status) == (2, draft, "validated")
        assert old_row.status == "validated"  # untouched
        assert (
            len(
                session.scalars(
                    select(DiagnosticAnswer).where(
                        DiagnosticAnswer.diagnostic_id == draft, DiagnosticAnswer.deleted_at.is_(None)
                    )
                ).all()
            )
            == 32
        )
    assert load_diagnostic(db, draft).superseded
    with pytest.raises(UserError, match="déjà été corrigé"):
        correct_diagnostic(db, diagnostic_id=draft, conducted_on=D(2025, 1, 10), answers=corrected)
    view = diagnostics_overview(db, enrolment)
    assert [r.id for r in view.rows] == [new]  # the superseded version is gone from the list
    # STRAT: 4, 2, 2, 2 -> 2.5 -> 62.5 %; overall (2*31 + 4) / 32 = 2.0625 -> 51.5625 %
    assert view.axes[0].latest == pytest.approx(62.5)
    assert view.overall_latest == pytest.approx(2.0625 / 4 * 100)


def test_bad_scores_are_refused_naming_the_item(db: Database, q: QuestionnaireInfo) -> None:
    enrolment = company(db, "Atelier Amal")
    item = q.axes[1].items[2]
    with pytest.raises(UserError, match=f"Item {item.code} : la note doit être comprise entre 0 et 4"):
        save_diagnostic(
            db,
            enrolment_id=enrolment,
            diagnostic_id=None,
            kind="initial",
            conducted_on=D(2025, 1, 10),
            answers={item.id: AnswerInput(5)},
        )
    with pytest.raises(UserError, match="l'importance doit être 1, 2 ou 3"):
        save_diagnostic(
            db,
            enrolment_id=enrolment,
            diagnostic_id=None,
            kind="initial",
            conducted_on=D(2025, 1, 10),
            answers={item.id: AnswerInput(2, None, 4)},
        )
    with db.sessions() as session:
        assert session.scalar(select(Diagnostic.id)) is None  # nothing half-written


def test_t0_latest_group_average_and_proposals(db: Database, q: QuestionnaireInfo) -> None:
    group = save_group(
        db,
        GroupForm(
            id=None,
            name="Settat G1",
            track_code="PERF-APPROFONDIE",
            sector_code="AGRO",
            region_code="MA-06",
            starts_on=D(2025, 1, 6),
        ),
    )
    mine, other = company(db, "Atelier Amal"), company(db, "Boulangerie Nour")
    for enrolment in (mine, other):
        add_member(db, group_id=group, enrolment_id=enrolment, joined_on=D(2025, 1, 6))
    codes = [a.code for a in q.axes]
    t0 = {code: 1 for code in codes} | {codes[0]: 3, codes[5]: 0}
    final = {code: 3 for code in codes} | {codes[5]: 2, codes[6]: 1}
    save_diagnostic(
        db,
        enrolment_id=mine,
        diagnostic_id=None,
        kind="initial",
        conducted_on=D(2025, 1, 10),
        answers=uniform(q, t0),
        validate=True,
    )
    last = save_diagnostic(
        db,
        enrolment_id=mine,
        diagnostic_id=None,
        kind="final",
        conducted_on=D(2025, 12, 1),
        answers=uniform(q, final),
        validate=True,
    )
    save_diagnostic(
        db,
        enrolment_id=other,
        diagnostic_id=None,
        kind="initial",
        conducted_on=D(2025, 1, 12),
        answers=uniform(q, {code: 2 for code in codes}, importance=3),
        validate=True,
    )
    view = diagnostics_overview(db, mine)
    assert view.latest is not None and view.latest.id == last
    assert view.group_name == "Settat G1" and view.group_size == 2
    first, sixth = view.axes[0], view.axes[5]
    assert (first.t0, first.latest, first.change) == (75.0, 75.0, 0.0)
    assert (sixth.t0, sixth.latest, sixth.change) == (0.0, 50.0, 50.0)
    # group: this company's final (3 -> 75 %) and the other's T0 (2 -> 50 %): 62.5 %
    assert first.group == pytest.approx(62.5)
    assert sixth.group == pytest.approx((50 + 50) / 2)
    # Performance approfondie proposes three axes: the weakest of the final diagnostic
    assert [p.axis_code for p in view.proposals] == [
        codes[6],
        codes[5],
        codes[0],
    ]  # then the first of the ties
    assert view.priorities[0].priority == (4 - 1) * 2
