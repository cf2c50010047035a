"""Companies (TPE) and their people."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisor_app.domain.base import Base, SyncMixin
from advisor_app.domain.enums import LegalForm, PersonRole, Segment, TurnoverBand, str_enum


class Company(SyncMixin, Base):
    __tablename__ = "company"
    __identity_fields__ = ("name", "ice")

    name: Mapped[str] = mapped_column(String(200))
    legal_form: Mapped[LegalForm] = mapped_column(str_enum(LegalForm))
    segment: Mapped[Segment] = mapped_column(str_enum(Segment))
    sector_code: Mapped[str | None] = mapped_column(ForeignKey("sector.code"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    city: Mapped[str] = mapped_column(String(80), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    # Not unique in the database: two offline laptops may register the same company;
    # duplicates are detected by services and resolved by the advisor, never by a crash.
    ice: Mapped[str | None] = mapped_column(String(15), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    employees: Mapped[int | None] = mapped_column(Integer)
    turnover_band: Mapped[TurnoverBand | None] = mapped_column(str_enum(TurnoverBand))
    created_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    people: Mapped[list[Person]] = relationship(back_populates="company")


class Person(SyncMixin, Base):
    """The owner, one or two internal pilots, or another employee of a company."""

    __tablename__ = "person"

    company_id: Mapped[str] = mapped_column(ForeignKey("company.id"), index=True)
    role: Mapped[PersonRole] = mapped_column(str_enum(PersonRole))
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    first_name_ar: Mapped[str] = mapped_column(String(80), default="")
    last_name_ar: Mapped[str] = mapped_column(String(80), default="")
    gender: Mapped[str | None] = mapped_column(String(1))  # "F" / "M", for printed titles
    job_title: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))

    company: Mapped[Company] = relationship(back_populates="people")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def full_name_ar(self) -> str:
        return f"{self.first_name_ar} {self.last_name_ar}".strip()
