"""The company page query by correlated subqueries: too slow to sort or filter 100k rows
(the screen reads ``company_search`` instead), kept as the oracle the listing table is
tested against (tests/db/test_company_search.py) and as a bench baseline."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from advisor_app.domain.companies import Company
from advisor_app.domain.enrolments import CoachingGroup, Enrolment, GroupMembership
from advisor_app.domain.reference import Region, Sector


def count_companies(session: Session) -> int:
    stmt = select(func.count()).select_from(Company).where(Company.deleted_at.is_(None))
    return session.scalar(stmt) or 0


def company_page(session: Session, *, offset: int, limit: int) -> list[tuple[Any, ...]]:
    """(id, name, city, region, sector, stage, group) ordered by name."""
    latest = aliased(Enrolment)
    latest_enrolment = (
        select(latest.id)
        .where(latest.company_id == Company.id, latest.deleted_at.is_(None))
        .order_by(latest.enrolled_on.desc(), latest.id.desc())
        .limit(1)
        .correlate(Company)
        .scalar_subquery()
    )
    current = aliased(Enrolment)
    stage = (
        select(current.stage)
        .where(current.id == latest_enrolment)
        .correlate(Company)
        .scalar_subquery()
    )
    group_name = (
        select(CoachingGroup.name)
        .join(GroupMembership, GroupMembership.group_id == CoachingGroup.id)
        .where(
            GroupMembership.enrolment_id == latest_enrolment,
            GroupMembership.left_on.is_(None),
            GroupMembership.deleted_at.is_(None),
        )
        .limit(1)
        .correlate(Company)
        .scalar_subquery()
    )
    stmt = (
        select(
            Company.id,
            Company.name,
            Company.city,
            Region.name_fr,
            Sector.name_fr,
            stage.label("stage"),
            group_name.label("group_name"),
        )
        .join(Region, Region.code == Company.region_code)
        .outerjoin(Sector, Sector.code == Company.sector_code)
        .where(Company.deleted_at.is_(None))
        .order_by(Company.name, Company.id)
        .offset(offset)
        .limit(limit)
    )
    return [tuple(row) for row in session.execute(stmt)]
