"""Programme operations rows added to ``dashboard_scenario`` (figures counted by hand):

* Atlas (MA-01, Performance ciblée) paid its whole share (2,440) and has an open complaint
  received 6 days ago;
* Badr (MA-01, completed) paid nothing, complained 12 days ago, closed 4 days later, and
  answered the survey with 5;
* Cèdre (MA-06) paid nothing, waits for a group since 5 days;
* Hamid (MA-01) led 20 half-days this month (16 available: over capacity); Salma none
  (under capacity).

Financing MA-01: 2 x 6,440 = 12,880 price, 8,000 subsidy, 4,880 expected, 2,440 received,
2,440 outstanding. Complaints: 2 for 3 enrolments = 66.67 per 100 (target 5 / 5 = 1)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from advisor_app.domain.companies import Company
from advisor_app.domain.enrolments import Enrolment
from advisor_app.domain.enums import SessionKind
from advisor_app.domain.programme_ops import (
    Complaint,
    ComplaintStatus,
    ContributionPayment,
    PaymentStatus,
    SatisfactionSurvey,
)
from advisor_app.domain.reference import Advisor
from advisor_app.domain.sessions import CoachingSession
from advisor_app.hq.db import HqDatabase
from tests.hq.dashboard_scenario import TODAY, Scenario


def build(db: HqDatabase, scenario: Scenario) -> None:
    with db.write() as session:
        def enrolment(company_id: str) -> Enrolment:
            return session.scalars(select(Enrolment).where(Enrolment.company_id == company_id)).one()

        atlas, badr = enrolment(scenario.atlas), enrolment(scenario.badr)
        region = session.get(Company, scenario.atlas)
        assert region is not None
        session.add(ContributionPayment(enrolment_id=atlas.id, status=PaymentStatus.PAID,
                                        amount_received=2440.0, received_on=TODAY, note=""))
        session.add(Complaint(enrolment_id=atlas.id, received_on=TODAY - dt.timedelta(days=6),
                              reason="delay", details="Retard", handling="",
                              status=ComplaintStatus.OPEN, closed_on=None))
        session.add(Complaint(enrolment_id=badr.id, received_on=TODAY - dt.timedelta(days=12),
                              reason="content", details="Contenu", handling="Rappel",
                              status=ComplaintStatus.CLOSED, closed_on=TODAY - dt.timedelta(days=8)))
        session.add(SatisfactionSurvey(enrolment_id=badr.id, answered_on=TODAY, score=5, comment="Merci"))
        hamid = session.scalars(select(Advisor).where(Advisor.email == "hamid@example.ma")).one()
        session.add(CoachingSession(kind=SessionKind.INDIVIDUAL_VISIT, enrolment_id=atlas.id,
                                    advisor_id=hamid.id, held_on=TODAY, starts_at=dt.time(8),
                                    ends_at=dt.time(18), half_days=20.0))
