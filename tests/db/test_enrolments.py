"""Enrolments: enrol, move through the pipeline with dated transitions, drop, reinstate."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from advisor_app.domain.base import new_id, utcnow
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enrolments import Enrolment, StageTransition
from advisor_app.domain.enums import LegalForm, OutboxOp, PersonRole, Segment, Stage
from advisor_app.domain.local import SyncOutbox
from advisor_app.domain.reference import Advisor
from advisor_app.domain.stages import STAGE_LABELS_FR
from advisor_app.services.database import Database
from advisor_app.services.enrolments import (
    drop_enrolment,
    enrol_company,
    enrolments_of_company,
    get_enrolment,
    move_stage,
    stage_history,
    tracks,
)
from advisor_app.services.errors import UserError

TODAY = dt.date.today()



def _refusal(call: Callable[..., object], *args: Any, **kwargs: Any) -> str:
    """The French message of the ``UserError`` that ``call(*args, **kwargs)`` raises."""
    with pytest.raises(UserError) as err:
        call(*args, **kwargs)
    return str(err.value)

def _advisor(db: Database, region: str = "MA-06") -> str:
    with db.unit_of_work() as session:
        advisor = Advisor(id=new_id(), name="Samira Alaoui", email="s.alaoui@mowakaba.ma",
                          region_code=region)
        session.add(advisor)
        return advisor.id


def _company(db: Database, name: str = "Menuiserie Atlas", region: str = "MA-06") -> str:
    with db.unit_of_work() as session:
        company = Company(name=name, legal_form=LegalForm.SARL, segment=Segment.TPE,
                          region_code=region, city="Settat")
        company.people.append(Person(role=PersonRole.OWNER, first_name="Khadija", last_name="Bennani"))
        session.add(company)
        session.flush()
        return company.id


def _outbox(db: Database, since: int = 0) -> Counter[tuple[str, OutboxOp]]:
    with db.sessions() as session:
        rows = session.execute(select(SyncOutbox.table_name, SyncOutbox.op).where(SyncOutbox.seq > since))
        return Counter((table, op) for table, op in rows)


def _outbox_seq(db: Database) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.max(SyncOutbox.seq))) or 0


def _transitions(db: Database, enrolment_id: str) -> list[tuple[Stage | None, Stage, str]]:
    with db.sessions() as session:
        rows = session.scalars(select(StageTransition).where(StageTransition.enrolment_id == enrolment_id)
                               .order_by(StageTransition.at, StageTransition.id))
        return [(t.from_stage, t.to_stage, t.reason) for t in rows]


def test_enrol_and_walk_through_every_stage(db: Database) -> None:
    advisor = _advisor(db)
    company = _company(db)
    before = _outbox_seq(db)
    eid = enrol_company(db, company_id=company, track_code="PERF-CIBLEE",
                        enrolled_on=TODAY - dt.timedelta(days=30), advisor_id=advisor)
    [row] = enrolments_of_company(db, company)
    assert (row.id, row.stage, row.stage_label, row.track_name) == (
        eid, "registered", "Inscrite", "Performance ciblée")
    assert row.enrolled_on == TODAY - dt.timedelta(days=30) and row.group_name == ""
    assert row.is_open and row.ended_on is None
    labels = []
    for stage in ("diagnosed", "in_group", "plan_validated", "coaching", "completed"):
        row = move_stage(db, enrolment_id=eid, target=stage)
        assert row.stage == stage
        labels.append(row.stage_label)
    assert labels == [STAGE_LABELS_FR[stage] for stage in list(Stage)[1:6]]
    assert labels[:3] == ["Diagnostiquée", "En groupe", "Plan d'action validé"]
    assert row.ended_on == dt.datetime.now().date() and not row.is_open
    assert _transitions(db, eid) == [
        (None, Stage.REGISTERED, ""), (Stage.REGISTERED, Stage.DIAGNOSED, ""),
        (Stage.DIAGNOSED, Stage.IN_GROUP, ""), (Stage.IN_GROUP, Stage.PLAN_VALIDATED, ""),
        (Stage.PLAN_VALIDATED, Stage.COACHING, ""), (Stage.COACHING, Stage.COMPLETED, ""),
    ]
    assert _outbox(db, before) == {
        ("enrolment", OutboxOp.INSERT): 1, ("enrolment", OutboxOp.UPDATE): 5,
        ("stage_transition", OutboxOp.INSERT): 6,
    }
    with db.sessions() as session:
        enrolment = session.get(Enrolment, eid)
        assert enrolment is not None
        last = max(enrolment.transitions, key=lambda t: (t.at, t.id))
        assert enrolment.stage_changed_at == last.at
        assert enrolment.advisor_id == advisor
        for synced in (enrolment, *enrolment.transitions):
            assert (synced.scope_region, synced.scope_advisor) == ("MA-06", advisor)
    assert [h[1] for h in stage_history(db, eid)][:2] == ["Inscrite", "Diagnostiquée"]
    assert _refusal(move_stage, db, enrolment_id=eid, target="coaching", reason="erreur") == (
        "Un accompagnement terminé ne change plus d'étape.")


def test_a_past_enrolment_is_dated_that_day_and_later_moves_cannot_precede_it(db: Database) -> None:
    eid = enrol_company(db, company_id=_company(db), track_code="PERF-APPROFONDIE",
                        enrolled_on=dt.date(2026, 1, 12))
    assert get_enrolment(db, eid).stage_changed_at == dt.datetime(2026, 1, 12, 12, tzinfo=dt.UTC)
    message = _refusal(move_stage, db, enrolment_id=eid, target="diagnosed",
                       at=dt.datetime(2026, 1, 11, 9, tzinfo=dt.UTC))
    assert message.startswith("La date précède la dernière étape enregistrée (« Inscrite », le 12/01/2026 à ")
    row = move_stage(db, enrolment_id=eid, target="diagnosed",
                     at=dt.datetime(2026, 1, 20, 15, tzinfo=dt.UTC))
    assert row.stage_changed_at == dt.datetime(2026, 1, 20, 15, tzinfo=dt.UTC)


def test_illegal_moves_are_refused_in_french_and_write_nothing(db: Database) -> None:
    eid = enrol_company(db, company_id=_company(db), track_code="PERF-CIBLEE",
                        enrolled_on=TODAY - dt.timedelta(days=10))
    move_stage(db, enrolment_id=eid, target="plan_validated")
    before = _outbox_seq(db)
    refused = [
        ("registered", "x", "Le retour en arrière se fait d'une étape à la fois."),
        ("in_group", "", "Indiquez le motif du retour à l'étape précédente."),
        ("plan_validated", "", "L'entreprise est déjà à l'étape « Plan d'action validé »."),
        ("dropped", " ", "Indiquez le motif de l'abandon."),
        ("paused", "", "Étape inconnue : « paused »."),
    ]
    for target, reason, message in refused:
        assert _refusal(move_stage, db, enrolment_id=eid, target=target, reason=reason) == message
    tomorrow = utcnow() + dt.timedelta(days=1)
    assert _refusal(move_stage, db, enrolment_id=eid, target="coaching", at=tomorrow) == (
        "La date d'un changement d'étape ne peut pas être dans le futur.")
    assert _refusal(move_stage, db, enrolment_id=new_id(), target="coaching").startswith(
        "Inscription introuvable")
    assert _outbox_seq(db) == before
    row = move_stage(db, enrolment_id=eid, target="in_group", reason="Plan à revoir avec le pilote")
    assert row.stage == "in_group"
    assert _transitions(db, eid)[-1] == (Stage.PLAN_VALIDATED, Stage.IN_GROUP, "Plan à revoir avec le pilote")


def test_drop_and_reinstate(db: Database) -> None:
    company = _company(db)
    eid = enrol_company(db, company_id=company, track_code="PERF-CIBLEE",
                        enrolled_on=TODAY - dt.timedelta(days=40))
    move_stage(db, enrolment_id=eid, target="diagnosed")
    reason, day = "Cessation d'activité", dt.timedelta(days=1)
    assert _refusal(drop_enrolment, db, enrolment_id=eid, reason="", on=TODAY) == (
        "Indiquez le motif de l'abandon.")
    assert _refusal(drop_enrolment, db, enrolment_id=eid, reason=reason, on=TODAY + day) == (
        "La date d'abandon ne peut pas être dans le futur.")
    assert _refusal(drop_enrolment, db, enrolment_id=eid, reason=reason, on=TODAY - 5 * day).startswith(
        "La date d'abandon précède la dernière étape enregistrée (« Diagnostiquée », le ")
    assert _refusal(drop_enrolment, db, enrolment_id=eid, reason=reason, on=TODAY - 50 * day).startswith(
        "La date d'abandon précède l'inscription (le ")
    row = drop_enrolment(db, enrolment_id=eid, reason="Cessation d'activité", on=TODAY)
    assert (row.stage, row.stage_label, row.drop_reason, row.ended_on) == (
        "dropped", STAGE_LABELS_FR[Stage.DROPPED], "Cessation d'activité", TODAY)
    assert _refusal(move_stage, db, enrolment_id=eid, target="in_group", reason="Reprise") == (
        "Un abandon ne peut être annulé que vers l'étape précédant l'abandon.")
    assert _refusal(move_stage, db, enrolment_id=eid, target="diagnosed") == (
        "Indiquez le motif de la réintégration.")
    row = move_stage(db, enrolment_id=eid, target="diagnosed", reason="Reprise d'activité")
    assert (row.stage, row.drop_reason, row.ended_on, row.is_open) == ("diagnosed", "", None, True)
    assert _transitions(db, eid) == [
        (None, Stage.REGISTERED, ""), (Stage.REGISTERED, Stage.DIAGNOSED, ""),
        (Stage.DIAGNOSED, Stage.DROPPED, "Cessation d'activité"),
        (Stage.DROPPED, Stage.DIAGNOSED, "Reprise d'activité"),
    ]


def test_one_open_enrolment_per_company(db: Database) -> None:
    company = _company(db, name="Savonnerie Doukkali")
    first = enrol_company(db, company_id=company, track_code="PERF-CIBLEE",
                          enrolled_on=TODAY - dt.timedelta(days=20))
    again = {"company_id": company, "track_code": "PERF-APPROFONDIE", "enrolled_on": TODAY}
    assert _refusal(enrol_company, db, **again) == (
        "« Savonnerie Doukkali » est déjà inscrite au parcours « Performance ciblée » (étape « Inscrite ») : "
        "terminez cet accompagnement ou déclarez l'abandon avant une nouvelle inscription.")
    drop_enrolment(db, enrolment_id=first, reason="Changement de parcours", on=TODAY)
    second = enrol_company(db, company_id=company, track_code="PERF-APPROFONDIE", enrolled_on=TODAY)
    assert [r.id for r in enrolments_of_company(db, company)] == [second, first]
    assert _refusal(move_stage, db, enrolment_id=first, target="registered", reason="Erreur").startswith(
        "Réintégration impossible : l'entreprise suit déjà un autre accompagnement (inscrite le ")


def test_enrol_refuses_bad_input(db: Database) -> None:
    company = _company(db)
    cases = [
        ({"company_id": new_id()}, "Entreprise introuvable"),
        ({"track_code": "PERF-X"}, "Parcours inconnu ou fermé aux inscriptions : « PERF-X »."),
        ({"enrolled_on": TODAY + dt.timedelta(days=2)}, "La date d'inscription ne peut pas être dans le"),
        ({"advisor_id": new_id()}, "Conseiller inconnu"),
    ]
    for change, message in cases:
        values = {"company_id": company, "track_code": "PERF-CIBLEE", "enrolled_on": TODAY, **change}
        assert _refusal(enrol_company, db, **values).startswith(message)
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Enrolment)) == 0


def test_tracks(db: Database) -> None:
    assert [(t.code, t.half_days, t.duration_months, t.problems_min, t.problems_max) for t in tracks(db)] == [
        ("PERF-CIBLEE", 8, 4, 1, 1), ("PERF-APPROFONDIE", 14, 12, 2, 3)]
