"""A small HQ database for the dashboard tests, with figures counted by hand.

* Hamid (agency of Tanger, region MA-01) follows Atlas: registered 30 days ago, diagnosed
  20 days ago, in a group since 10 days ago (work in progress, 10.5 days in its stage at
  the end of today);
* Hamid also follows Badr: registered 30 days ago, completed 3 days ago;
* Salma (no agency, region MA-06) follows Cèdre: registered 5 days ago.

Lead time of "registered": Atlas 10 days, Badr 27 days -> median 18.5, 85th percentile
10 + 0.85 x 17 = 24.45. Total lead time: Badr 27 days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from advisor_app.domain.companies import Company
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership, StageTransition
from advisor_app.domain.enums import LegalForm, Segment, Stage
from advisor_app.domain.reference import Advisor, Agency
from advisor_app.hq import admin
from advisor_app.hq.db import HqDatabase

TODAY = dt.date.today()


def noon(days_ago: int) -> dt.datetime:
    return dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(12), tzinfo=dt.UTC)


@dataclass(frozen=True)
class Scenario:
    agency_id: str
    atlas: str  # company ids
    badr: str
    cedre: str


def build(db: HqDatabase) -> Scenario:
    with db.write() as session:
        hamid = admin.add_advisor(session, name="Hamid Tazi", email="hamid@example.ma", region="MA-01")
        salma = admin.add_advisor(session, name="Salma Idrissi", email="salma@example.ma", region="MA-06")
        agency = session.scalars(select(Agency).where(Agency.code == "TNG-01")).one()
        advisor = session.get(Advisor, hamid.advisor_id)
        assert advisor is not None
        advisor.agency_id = agency.id
        ids = []
        for name, region, who, history in (
            ("Atlas Conserves", "MA-01", hamid.advisor_id,
             [(Stage.REGISTERED, 30), (Stage.DIAGNOSED, 20), (Stage.IN_GROUP, 10)]),
            ("Badr Textile", "MA-01", hamid.advisor_id, [(Stage.REGISTERED, 30), (Stage.COMPLETED, 3)]),
            ("Cèdre <Bois>", "MA-06", salma.advisor_id, [(Stage.REGISTERED, 5)]),
        ):
            company = Company(name=name, legal_form=LegalForm.SARL, segment=Segment.TPE, region_code=region)
            session.add(company)
            session.flush()
            enrolment = Enrolment(company_id=company.id, track_code="PERF-CIBLEE", advisor_id=who,
                                  stage=history[-1][0], stage_changed_at=noon(history[-1][1]),
                                  enrolled_on=(TODAY - dt.timedelta(days=history[0][1])))
            session.add(enrolment)
            session.flush()
            previous = None
            for stage, days_ago in history:
                session.add(StageTransition(enrolment_id=enrolment.id, from_stage=previous, to_stage=stage,
                                            at=noon(days_ago)))
                previous = stage
            if history[-1][0] == Stage.IN_GROUP:
                group = CoachingGroup(name="Groupe Tanger agro", track_code="PERF-CIBLEE",
                                      region_code=region, advisor_id=who)
                session.add(group)
                session.flush()
                session.add(GroupMembership(group_id=group.id, enrolment_id=enrolment.id,
                                            joined_on=TODAY - dt.timedelta(days=10)))
            ids.append(company.id)
        return Scenario(agency.id, *ids)
