"""Coaching sessions (group workshops and individual visits), attendance, commitments."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Float, ForeignKey, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisor_app.domain.base import Base, SyncMixin
from advisor_app.domain.enums import AttendanceStatus, CommitmentStatus, SessionKind, str_enum


class CoachingSession(SyncMixin, Base):
    """Either a group session (``group_id``) or an individual visit (``enrolment_id``)."""

    __tablename__ = "coaching_session"

    kind: Mapped[SessionKind] = mapped_column(str_enum(SessionKind))
    group_id: Mapped[str | None] = mapped_column(ForeignKey("coaching_group.id"), index=True)
    enrolment_id: Mapped[str | None] = mapped_column(ForeignKey("enrolment.id"), index=True)
    advisor_id: Mapped[str | None] = mapped_column(ForeignKey("advisor.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    starts_at: Mapped[dt.time] = mapped_column(Time)
    ends_at: Mapped[dt.time] = mapped_column(Time)
    half_days: Mapped[float] = mapped_column(Float)
    place: Mapped[str] = mapped_column(String(200), default="")
    facilitators: Mapped[str] = mapped_column(String(300), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    topics: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")

    attendance: Mapped[list[Attendance]] = relationship(back_populates="session")


class Attendance(SyncMixin, Base):
    """Append-only: a correction is a new row whose ``supersedes_id`` names the old one."""

    __tablename__ = "attendance"

    session_id: Mapped[str] = mapped_column(ForeignKey("coaching_session.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolment.id"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(str_enum(AttendanceStatus))
    arrived_at: Mapped[dt.time | None] = mapped_column(Time)
    note: Mapped[str] = mapped_column(Text, default="")
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("attendance.id"))

    session: Mapped[CoachingSession] = relationship(back_populates="attendance")


class Commitment(SyncMixin, Base):
    """Who / what / by when; reviewed (and closed) at a later session."""

    __tablename__ = "commitment"

    session_id: Mapped[str] = mapped_column(ForeignKey("coaching_session.id"), index=True)
    enrolment_id: Mapped[str | None] = mapped_column(ForeignKey("enrolment.id"), index=True)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"))
    what: Mapped[str] = mapped_column(Text)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[CommitmentStatus] = mapped_column(str_enum(CommitmentStatus))
    closed_in_session_id: Mapped[str | None] = mapped_column(ForeignKey("coaching_session.id"))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
