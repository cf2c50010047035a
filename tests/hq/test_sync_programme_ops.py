"""Complaints, satisfaction surveys and contribution payments sync like the rest of a
company's file: made on one laptop, pushed to HQ (SQLite and PostgreSQL), pulled by the
other laptop of the region, edits (closing a complaint) follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from advisor_app.domain.programme_ops import Complaint, ComplaintStatus, PaymentStatus
from advisor_app.hq.admin import NewAdvisor
from advisor_app.services import enrolments
from advisor_app.services import programme_ops as ops
from tests.hq.harness import Laptop, LiveHq


def test_operations_rows_travel_between_laptops_through_hq(
        hq: LiveHq, samira: NewAdvisor, karim: NewAdvisor, laptops: Callable[..., Laptop]) -> None:
    a, b = laptops("a", samira), laptops("b", karim)
    company = a.add_company("Atelier Amal")
    today = dt.date.today()
    eid = enrolments.enrol_company(a.db, company_id=company, track_code="PERF-CIBLEE", enrolled_on=today)
    complaint = ops.record_complaint(a.db, enrolment_id=eid, received_on=today, reason="delay",
                                     details="Séance reportée")
    ops.record_payment(a.db, enrolment_id=eid, amount_received=2440, received_on=today)
    enrolments.move_stage(a.db, enrolment_id=eid, target="completed")
    ops.record_survey(a.db, enrolment_id=eid, score=5, comment="Merci", answered_on=today)
    report = a.sync()
    assert report.by_status == {"applied": report.pushed}
    assert hq.rows("complaint")[complaint].details == "Séance reportée"
    assert [s.score for s in hq.rows("satisfaction_survey").values()] == [5]
    [payment] = hq.rows("contribution_payment").values()
    assert (payment.status, payment.amount_received, payment.scope_region) == (
        PaymentStatus.PAID, 2440, "MA-06")

    assert b.sync().changed_tables >= {"complaint", "satisfaction_survey", "contribution_payment"}
    assert ops.financing_of(b.db, eid).status is PaymentStatus.PAID
    ops.handle_complaint(b.db, complaint_id=complaint, handling="Rappel", closed_on=today)
    b.sync()
    a.sync()
    closed = a.get(Complaint, complaint)
    assert (closed.status, closed.handling, closed.closed_on) == (ComplaintStatus.CLOSED, "Rappel", today)
