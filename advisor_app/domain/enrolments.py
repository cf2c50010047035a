"""Enrolments in a programme track, their stage history, coaching groups and memberships."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisor_app.domain.base import Base, SyncMixin, UTCDateTime
from advisor_app.domain.enums import Stage, str_enum


class Enrolment(SyncMixin, Base):
    """A company in a programme track; each keeps its own dates and half-day budget."""

    __tablename__ = "enrolment"

    company_id: Mapped[str] = mapped_column(ForeignKey("company.id"), index=True)
    track_code: Mapped[str] = mapped_column(ForeignKey("programme_track.code"))
    advisor_id: Mapped[str | None] = mapped_column(ForeignKey("advisor.id"), index=True)
    stage: Mapped[Stage] = mapped_column(str_enum(Stage), index=True)
    stage_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    enrolled_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    drop_reason: Mapped[str] = mapped_column(Text, default="")

    transitions: Mapped[list[StageTransition]] = relationship(
        back_populates="enrolment", order_by="StageTransition.at"
    )


class StageTransition(SyncMixin, Base):
    """Append-only history: one row per stage change, for lead times and flow diagrams."""

    __tablename__ = "stage_transition"

    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolment.id"), index=True)
    from_stage: Mapped[Stage | None] = mapped_column(str_enum(Stage))
    to_stage: Mapped[Stage] = mapped_column(str_enum(Stage))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")

    enrolment: Mapped[Enrolment] = relationship(back_populates="transitions")


class CoachingGroup(SyncMixin, Base):
    """4-10 companies of a sector and territory coached together."""

    __tablename__ = "coaching_group"

    name: Mapped[str] = mapped_column(String(120))
    track_code: Mapped[str] = mapped_column(ForeignKey("programme_track.code"))
    sector_code: Mapped[str | None] = mapped_column(ForeignKey("sector.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    territory: Mapped[str] = mapped_column(String(120), default="")
    advisor_id: Mapped[str | None] = mapped_column(ForeignKey("advisor.id"), index=True)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)

    memberships: Mapped[list[GroupMembership]] = relationship(back_populates="group")


class GroupMembership(SyncMixin, Base):
    """Permanent entry and exit: an enrolment joins and may leave a group at any date."""

    __tablename__ = "group_membership"

    group_id: Mapped[str] = mapped_column(ForeignKey("coaching_group.id"), index=True)
    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolment.id"), index=True)
    joined_on: Mapped[dt.date] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    leave_reason: Mapped[str] = mapped_column(Text, default="")

    group: Mapped[CoachingGroup] = relationship(back_populates="memberships")
