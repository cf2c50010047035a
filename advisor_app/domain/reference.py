"""HQ-owned reference data: regions, agencies, advisors, sectors, programme tracks."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisor_app.domain.base import Base, ReferenceMixin, new_id


class Region(ReferenceMixin, Base):
    """One of the 12 regions of the 2015 division; ``code`` is e.g. ``MA-06``."""

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))
    capital: Mapped[str] = mapped_column(String(80))

    aliases: Mapped[list[RegionAlias]] = relationship(
        back_populates="region", cascade="all, delete-orphan"
    )


class RegionAlias(ReferenceMixin, Base):
    """Another name for a region: an old (1997-2015) region or a spelling variant.

    ``key`` is the normalised form (see ``domain.regions.normalise_region_name``)."""

    __tablename__ = "region_alias"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)

    region: Mapped[Region] = relationship(back_populates="aliases")


class Agency(ReferenceMixin, Base):
    __tablename__ = "agency"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(80))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)


class Advisor(ReferenceMixin, Base):
    __tablename__ = "advisor"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    agency_id: Mapped[str | None] = mapped_column(ForeignKey("agency.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Sector(ReferenceMixin, Base):
    __tablename__ = "sector"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))


class ProgrammeTrack(ReferenceMixin, Base):
    """E.g. Performance ciblée (4 months, 8 half-days, 1 problem). Editable in resources/."""

    __tablename__ = "programme_track"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))
    description_fr: Mapped[str] = mapped_column(Text, default="")
    duration_months: Mapped[int] = mapped_column(Integer)
    half_days: Mapped[int] = mapped_column(Integer)
    problems_min: Mapped[int] = mapped_column(Integer)
    problems_max: Mapped[int] = mapped_column(Integer)
    half_day_min_hours: Mapped[float] = mapped_column(Float, default=3.0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
