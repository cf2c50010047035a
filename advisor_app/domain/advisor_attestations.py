"""HQ only: the attestations HQ issues to advisors who completed a training (e.g. the
group-coaching training). Numbered ``ATT-HQ-<counter>`` (laptop prefixes are 8 base32
characters: the two number spaces never meet), signed with HQ's own Ed25519 key (kept in
``hq_secret``), verified by the same page and command as the companies' certificates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from advisor_app.domain.base import Base, UTCDateTime, utcnow


class HqAdvisorAttestation(Base):
    __tablename__ = "hq_advisor_attestation"

    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    counter: Mapped[int] = mapped_column(Integer, unique=True)
    advisor_id: Mapped[str] = mapped_column(ForeignKey("advisor.id"), index=True)
    training: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)  # what was printed, frozen
    code: Mapped[str] = mapped_column(Text)  # the signed verification code
