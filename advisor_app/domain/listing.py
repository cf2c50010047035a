"""The companies list as one local, non-synced table (``company_listing``).

One row per live company with everything the list shows, filters on and sorts by: the
company's own fields, region and sector names, the stage of its latest enrolment and the
group that enrolment is a member of (a membership without ``left_on``). On SQLite,
triggers of revision 0003 keep it in step with ``company``, ``person``, ``enrolment``,
``group_membership``, ``coaching_group``, ``region`` and ``sector`` (bulk SQL included),
and feed the full-text index ``company_fts_listing`` (whose rowid is ``id``). The table
exists on PostgreSQL too, so that models and migrations agree on both backends, but HQ
leaves it empty.

Never written by the application: only the triggers write it, and nothing syncs it.
``*_key`` columns are sort keys: lower case, French accents removed (``Étoile`` sorts with
``etoile``, not after ``z``).
"""

from __future__ import annotations

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from advisor_app.domain.base import Base


class CompanyListing(Base):
    __tablename__ = "company_listing"
    # Few indexes on purpose: each costs every insert (demo data, sync pulls). The default
    # sort (name) and the group filter walk an index; any other sort of 100 000 rows is one
    # SQLite sort pass (~20 ms), well within the list's budget.
    __table_args__ = (
        Index("ix_company_listing_by_name", "name_key", "company_id"),
        Index("ix_company_listing_in_group", "group_id", "name_key", "company_id"),
    )

    # An explicit INTEGER PRIMARY KEY: the full-text rowid, stable across VACUUM.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    company_id: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(80))
    city_key: Mapped[str] = mapped_column(String(80))
    segment: Mapped[str] = mapped_column(String(24))
    region_code: Mapped[str] = mapped_column(String(8))
    region_name: Mapped[str] = mapped_column(String(120))
    region_key: Mapped[str] = mapped_column(String(120))
    sector_code: Mapped[str | None] = mapped_column(String(16))
    sector_name: Mapped[str] = mapped_column(String(120))
    sector_key: Mapped[str] = mapped_column(String(120))
    # Searched only (full-text columns): ICE, the phone in its usual written forms, e-mail,
    # and the Latin and Arabic names of the company's live people (Arabic folded).
    ice: Mapped[str] = mapped_column(String(15))
    phones: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(254))
    people: Mapped[str] = mapped_column(String(4000))
    enrolment_id: Mapped[str | None] = mapped_column(String(36))
    stage: Mapped[str | None] = mapped_column(String(24))
    stage_rank: Mapped[int] = mapped_column(Integer)  # 0 not enrolled, pipeline order, dropped last
    group_id: Mapped[str | None] = mapped_column(String(36))
    group_name: Mapped[str] = mapped_column(String(120))
    group_key: Mapped[str] = mapped_column(String(120))
