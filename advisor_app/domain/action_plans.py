"""Action plans: key problems -> objective -> actions, indicators with dated readings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Float, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisor_app.domain.base import Base, SyncMixin, UTCDateTime
from advisor_app.domain.enums import ActionStatus, IndicatorKind, str_enum


class KeyProblem(SyncMixin, Base):
    __tablename__ = "key_problem"

    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolment.id"), index=True)
    diagnostic_id: Mapped[str | None] = mapped_column(ForeignKey("diagnostic.id"))
    axis_code: Mapped[str] = mapped_column(String(16))
    item_code: Mapped[str | None] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(300))
    root_cause: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[str] = mapped_column(Text, default="")
    target_on: Mapped[dt.date | None] = mapped_column(Date)
    validated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    actions: Mapped[list[Action]] = relationship(back_populates="key_problem")
    indicators: Mapped[list[Indicator]] = relationship(back_populates="key_problem")


class Action(SyncMixin, Base):
    __tablename__ = "action"

    key_problem_id: Mapped[str] = mapped_column(ForeignKey("key_problem.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_person_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"))
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[ActionStatus] = mapped_column(str_enum(ActionStatus))
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)  # percent
    done_on: Mapped[dt.date | None] = mapped_column(Date)

    key_problem: Mapped[KeyProblem] = relationship(back_populates="actions")


class Indicator(SyncMixin, Base):
    __tablename__ = "indicator"

    key_problem_id: Mapped[str] = mapped_column(ForeignKey("key_problem.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(30))
    kind: Mapped[IndicatorKind] = mapped_column(str_enum(IndicatorKind))
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_on: Mapped[dt.date | None] = mapped_column(Date)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_on: Mapped[dt.date | None] = mapped_column(Date)

    key_problem: Mapped[KeyProblem] = relationship(back_populates="indicators")
    readings: Mapped[list[IndicatorReading]] = relationship(
        back_populates="indicator", order_by="IndicatorReading.read_on"
    )


class IndicatorReading(SyncMixin, Base):
    __tablename__ = "indicator_reading"

    indicator_id: Mapped[str] = mapped_column(ForeignKey("indicator.id"), index=True)
    read_on: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")

    indicator: Mapped[Indicator] = relationship(back_populates="readings")
