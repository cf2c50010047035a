"""Programme operations services on a real database: complaints, the satisfaction survey,
the contribution payment, and the figures the dashboards read (hand-checked)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from advisor_app.domain.base import new_id
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.enrolments import CoachingGroup, GroupMembership
from advisor_app.domain.enums import LegalForm, PersonRole, Segment, SessionKind
from advisor_app.domain.local import SyncOutbox
from advisor_app.domain.programme_ops import Complaint, ContributionPayment, PaymentStatus
from advisor_app.domain.reference import Advisor
from advisor_app.domain.sessions import CoachingSession
from advisor_app.services import ops_config
from advisor_app.services import programme_ops as ops
from advisor_app.services.database import Database
from advisor_app.services.enrolments import enrol_company, move_stage
from advisor_app.services.errors import UserError
from advisor_app.services.indicator_facts import load_facts
from advisor_app.services.ops_facts import operations

TODAY = dt.date.today()
AGO = TODAY - dt.timedelta(days=20)


def _advisor(db: Database, email: str = "s.alaoui@mowakaba.ma") -> str:
    with db.unit_of_work() as session:
        advisor = Advisor(id=new_id(), name="Samira Alaoui", email=email, region_code="MA-06")
        session.add(advisor)
        return advisor.id


def _enrolment(db: Database, name: str, track: str = "PERF-CIBLEE", advisor: str | None = None,
               on: dt.date = AGO) -> str:
    with db.unit_of_work() as session:
        company = Company(name=name, legal_form=LegalForm.SARL, segment=Segment.TPE,
                          region_code="MA-06", city="Settat")
        company.people.append(Person(role=PersonRole.OWNER, first_name="Khadija", last_name="Bennani"))
        company.set_scope(region="MA-06", advisor=advisor)
        session.add(company)
        session.flush()
        company_id = company.id
    return enrol_company(db, company_id=company_id, track_code=track, enrolled_on=on, advisor_id=advisor)


def _refusal(call: Callable[..., object], db: Database, **kwargs: object) -> str:
    with pytest.raises(UserError) as err:
        call(db, **kwargs)
    return str(err.value)


def test_complaint_recorded_handled_and_closed_with_outbox(db: Database) -> None:
    eid = _enrolment(db, "Menuiserie Atlas")
    cid = ops.record_complaint(db, enrolment_id=eid, received_on=AGO, reason="delay",
                               details="  Séance reportée deux fois  ")
    row = ops.handle_complaint(db, complaint_id=cid, handling="Appel du dirigeant, séance replanifiée",
                               closed_on=AGO + dt.timedelta(days=3))
    assert not row.is_open and row.reason_label == "Délais de l'accompagnement"
    with db.sessions() as session:
        complaint = session.get(Complaint, cid)
        assert complaint is not None
        assert (complaint.details, complaint.status, complaint.scope_region) == (
            "Séance reportée deux fois", "closed", "MA-06")
        outbox = session.scalars(select(SyncOutbox.table_name).where(SyncOutbox.row_id == cid)).all()
        assert outbox and set(outbox) == {"complaint"}
    company = _company_of(db, eid)
    assert [c.id for c in ops.complaints_of_company(db, company)] == [cid]


def _company_of(db: Database, enrolment_id: str) -> str:
    from advisor_app.domain.enrolments import Enrolment

    with db.sessions() as session:
        enrolment = session.get(Enrolment, enrolment_id)
        assert enrolment is not None
        return enrolment.company_id


def test_complaint_bad_input_is_refused_in_french(db: Database) -> None:
    eid = _enrolment(db, "Atlas")
    assert "motif" in _refusal(ops.record_complaint, db, enrolment_id=eid, received_on=AGO,
                               reason="nope", details="x")
    assert "futur" in _refusal(ops.record_complaint, db, enrolment_id=eid, reason="other", details="x",
                               received_on=TODAY + dt.timedelta(days=1))
    assert "précéder l'inscription" in _refusal(ops.record_complaint, db, enrolment_id=eid, reason="other",
                                                details="x", received_on=AGO - dt.timedelta(days=1))
    cid = ops.record_complaint(db, enrolment_id=eid, received_on=AGO, reason="other", details="x")
    assert "traitement" in _refusal(ops.handle_complaint, db, complaint_id=cid, handling=" ", closed_on=TODAY)
    assert "précède la réception" in _refusal(ops.handle_complaint, db, complaint_id=cid, handling="ok",
                                              closed_on=AGO - dt.timedelta(days=1))


def test_survey_only_at_the_end_and_a_second_answer_replaces_the_first(db: Database) -> None:
    eid = _enrolment(db, "Atlas")
    assert "pas terminé" in _refusal(ops.record_survey, db, enrolment_id=eid, score=4, comment="",
                                     answered_on=TODAY)
    move_stage(db, enrolment_id=eid, target="completed")
    assert "1 à 5" in _refusal(ops.record_survey, db, enrolment_id=eid, score=6, comment="",
                               answered_on=TODAY)
    first = ops.record_survey(db, enrolment_id=eid, score=3, comment="Bien", answered_on=TODAY)
    second = ops.record_survey(db, enrolment_id=eid, score=5, comment="Très utile", answered_on=TODAY)
    assert first == second
    survey = ops.survey_of_enrolment(db, eid)
    assert survey is not None and (survey.score, survey.comment) == (5, "Très utile")


def test_payment_status_follows_the_amount_received(db: Database) -> None:
    eid = _enrolment(db, "Atlas")
    before = ops.financing_of(db, eid)
    assert (before.price, before.company_share, before.subsidy, before.status) == (
        6440, 2440, 4000, PaymentStatus.DUE)
    partial = ops.record_payment(db, enrolment_id=eid, amount_received=1000, received_on=AGO)
    paid = ops.record_payment(db, enrolment_id=eid, amount_received=2440, received_on=TODAY)
    assert (partial, paid) == (PaymentStatus.PARTIAL, PaymentStatus.PAID)
    assert "dépasse" in _refusal(ops.record_payment, db, enrolment_id=eid, amount_received=3000,
                                 received_on=TODAY)
    assert "date" in _refusal(ops.record_payment, db, enrolment_id=eid, amount_received=10, received_on=None)
    with db.sessions() as session:
        rows = session.scalars(select(ContributionPayment)).all()
        assert len(rows) == 1 and rows[0].amount_received == 2440 and rows[0].received_on == TODAY
    after = ops.financing_of(db, eid)
    assert after.status is PaymentStatus.PAID and after.currency == "MAD"


def test_operations_figures_of_a_portfolio(db: Database) -> None:
    advisor = _advisor(db)
    e1 = _enrolment(db, "Atlas", advisor=advisor)
    e2 = _enrolment(db, "Bennani", advisor=advisor)
    _enrolment(db, "Chraibi", "PERF-APPROFONDIE", advisor=advisor, on=TODAY - dt.timedelta(days=4))
    e4 = _enrolment(db, "Doukkali", advisor=advisor)
    month_start = TODAY.replace(day=1)
    with db.unit_of_work() as session:
        group = CoachingGroup(id=new_id(), name="Groupe Settat", track_code="PERF-CIBLEE",
                              region_code="MA-06", advisor_id=advisor)
        session.add(group)
        session.flush()
        for eid in (e1, e2):
            session.add(GroupMembership(id=new_id(), group_id=group.id, enrolment_id=eid, joined_on=AGO))
        session.add(CoachingSession(id=new_id(), kind=SessionKind.GROUP_WORKSHOP, group_id=group.id,
                                    advisor_id=None, held_on=month_start, starts_at=dt.time(9),
                                    ends_at=dt.time(12), half_days=6.0))
    move_stage(db, enrolment_id=e2, target="completed")
    ops.record_payment(db, enrolment_id=e1, amount_received=2440, received_on=TODAY)
    ops.record_payment(db, enrolment_id=e2, amount_received=1000, received_on=TODAY)
    ops.record_survey(db, enrolment_id=e2, score=4, comment="", answered_on=TODAY)
    c1 = ops.record_complaint(db, enrolment_id=e1, received_on=AGO, reason="delay", details="x")
    ops.handle_complaint(db, complaint_id=c1, handling="fait", closed_on=AGO + dt.timedelta(days=6))
    ops.record_complaint(db, enrolment_id=e4, received_on=AGO, reason="other", details="y")
    config = ops_config.load_config()
    with db.sessions() as session:
        facts = load_facts(session, today=TODAY)
        o = operations(session, facts, today=TODAY, config=config, targets=ops_config.load_targets(),
                       regions=["MA-06"], names={"MA-06": "Casablanca-Settat"})
    # 3 x Performance ciblée (6440, share 2440, subsidy 4000) + 1 x approfondie (12540, 4540, 8000)
    assert (o.financing.price, o.financing.subsidy, o.financing.company_share) == (31860, 20000, 11860)
    assert (o.financing.received, o.financing.outstanding, o.financing.paid) == (3440, 8420, 1)
    assert [(n.name, n.totals.price, n.totals.received) for n in o.by_group] == [
        ("Groupe Settat", 12880, 3440)]
    assert [(n.name, n.totals.enrolments) for n in o.by_advisor] == [("Samira Alaoui", 4)]
    assert [(n.name, n.totals.subsidy) for n in o.by_region] == [("Casablanca-Settat", 20000)]
    assert o.complaints.rate_per_100 == 50  # 2 complaints / 4 enrolments
    assert (o.complaints.handling_median, o.complaints.open) == (6, 1)
    assert (o.satisfaction.mean, o.satisfaction.response_rate) == (4, 1.0)
    # waiting for a group: e3 (4 days) and e4 (20 days) -> median 12
    assert (o.queue.waiting, o.queue.median_days, o.queue.oldest_days) == (2, 12, 20)
    [line] = o.capacity
    # the group session has no advisor of its own: it counts for the group's advisor
    assert (line.name, line.line.available, line.line.used + line.line.planned) == ("Samira Alaoui", 16, 6)
    assert line.line.status == "under"  # 6 < 0.5 x 16


def test_dashboard_export_has_financing_and_complaint_sheets(db: Database, tmp_path: Path) -> None:
    import openpyxl

    from advisor_app.services.export_sheets import export_dashboard

    advisor = _advisor(db)
    e1 = _enrolment(db, "Atlas", advisor=advisor)
    _enrolment(db, "Bennani", "PERF-APPROFONDIE", advisor=advisor)
    ops.record_payment(db, enrolment_id=e1, amount_received=1000, received_on=TODAY)
    cid = ops.record_complaint(db, enrolment_id=e1, received_on=AGO, reason="billing", details="Facture")
    ops.handle_complaint(db, complaint_id=cid, handling="Avoir émis", closed_on=AGO + dt.timedelta(days=5))
    path = tmp_path / "tableau.xlsx"
    export_dashboard(db, path, today=TODAY)
    book = openpyxl.load_workbook(path, read_only=True)
    money = [list(r) for r in book["Financement"].iter_rows(values_only=True)]
    assert money[0][:3] == ["Entreprise", "Parcours", "Groupe"]
    assert money[1][0] == "Atlas" and money[1][5:11] == [6440, 2440, 4000, 1000, 1440, "Payée en partie"]
    assert money[2][0] == "Bennani" and money[2][5:11] == [12540, 4540, 8000, 0, 4540, "À payer"]
    totals = {r[1]: r for r in book["Financement (totaux)"].iter_rows(min_row=2, values_only=True)}
    assert totals["Tout le portefeuille"][2:] == (2, 18980, 12000, 6980, 1000, 5980)
    assert totals["Samira Alaoui"][0] == "Conseiller"
    complaints = [list(r) for r in book["Réclamations"].iter_rows(min_row=2, values_only=True)]
    assert [(c[0], c[2], c[6], c[7]) for c in complaints] == [
        ("Atlas", "Facturation et participation", 5, "Clôturée")]
