"""Programme operations recorded on laptops and synced like the rest of a company's file:
complaints (réclamations) and their handling, the satisfaction survey at the end of a
track, and the payment of the company's contribution.

The price of a track, the company's share and the public subsidy are *not* stored: they
come from ``resources/programme_ops.toml`` (per track, editable by the programme), so a
change of tariff applies to every figure at once. Only what happens to one enrolment is
stored: the payment status of its contribution and the amount received.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from advisor_app.domain.base import Base, SyncMixin
from advisor_app.domain.enums import str_enum


class PaymentStatus(StrEnum):
    DUE = "due"  # nothing received yet
    PARTIAL = "partial"
    PAID = "paid"
    WAIVED = "waived"  # exempted by the programme


class ComplaintStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Complaint(SyncMixin, Base):
    """A complaint from a company: received on a day, handled, closed on a day."""

    __tablename__ = "complaint"

    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolment.id"), index=True)
    received_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(40))  # a ComplaintReason code (ops_rules)
    details: Mapped[str] = mapped_column(Text, default="")
    handling: Mapped[str] = mapped_column(Text, default="")  # what was done
    status: Mapped[ComplaintStatus] = mapped_column(str_enum(ComplaintStatus))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)


class SatisfactionSurvey(SyncMixin, Base):
    """The short survey at the end of a track: a 1-5 score and a comment (one per enrolment;
    a new answer replaces the previous one by editing the row)."""

    __tablename__ = "satisfaction_survey"

    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolment.id"), index=True)
    answered_on: Mapped[dt.date] = mapped_column(Date)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")


class ContributionPayment(SyncMixin, Base):
    """The payment status of the company's contribution (one row per enrolment)."""

    __tablename__ = "contribution_payment"

    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolment.id"), index=True)
    status: Mapped[PaymentStatus] = mapped_column(str_enum(PaymentStatus))
    amount_received: Mapped[float] = mapped_column(Float, default=0.0)
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
