"""Issued certificates: append-only. A reissue is a new row (new number) naming the old one.

``CertificateRevocation`` is HQ's: a certificate HQ revoked (with its reason), by number,
even one whose row has not reached HQ yet; the public verification page reads it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from advisor_app.domain.base import Base, SyncMixin, UTCDateTime, utcnow
from advisor_app.domain.enums import CertificateKind, str_enum


class Certificate(SyncMixin, Base):
    __tablename__ = "certificate"

    # Made on the laptop from the device key's fingerprint and a local counter, so two
    # offline laptops can never issue the same number (HQ keeps fingerprints unique).
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[CertificateKind] = mapped_column(str_enum(CertificateKind))
    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolment.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    issued_by: Mapped[str | None] = mapped_column(String(36))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)  # what was printed, frozen
    signature: Mapped[str] = mapped_column(Text, default="")  # the signed verification code
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("certificate.id"))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")


class CertificateRevocation(Base):
    """HQ only: a certificate number HQ revoked. Laptops leave the table empty."""

    __tablename__ = "hq_certificate_revocation"

    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    revoked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
