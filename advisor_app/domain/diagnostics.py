"""Self-diagnostics and their answers. Validated diagnostics and answers are append-only:
a correction is a new diagnostic whose ``supersedes_id`` points at the old one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisor_app.domain.base import Base, SyncMixin, UTCDateTime
from advisor_app.domain.enums import DiagnosticKind, DiagnosticStatus, str_enum


class Diagnostic(SyncMixin, Base):
    __tablename__ = "diagnostic"

    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolment.id"), index=True)
    questionnaire_id: Mapped[str] = mapped_column(ForeignKey("questionnaire.id"))
    kind: Mapped[DiagnosticKind] = mapped_column(str_enum(DiagnosticKind))
    status: Mapped[DiagnosticStatus] = mapped_column(str_enum(DiagnosticStatus))
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("diagnostic.id"))
    conducted_on: Mapped[dt.date] = mapped_column(Date)
    validated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    validated_by: Mapped[str | None] = mapped_column(String(36))
    notes: Mapped[str] = mapped_column(Text, default="")

    answers: Mapped[list[DiagnosticAnswer]] = relationship(back_populates="diagnostic")


class DiagnosticAnswer(SyncMixin, Base):
    """Scores are 0-4, ``-1`` for N/A (``questionnaires.NOT_APPLICABLE``), NULL if unanswered."""

    __tablename__ = "diagnostic_answer"

    diagnostic_id: Mapped[str] = mapped_column(ForeignKey("diagnostic.id"), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("questionnaire_item.id"))
    entrepreneur_score: Mapped[int | None] = mapped_column(SmallInteger)
    advisor_score: Mapped[int | None] = mapped_column(SmallInteger)
    importance: Mapped[int] = mapped_column(SmallInteger, default=2)  # 1-3
    evidence: Mapped[str] = mapped_column(Text, default="")
    is_priority: Mapped[bool] = mapped_column(Boolean, default=False)

    diagnostic: Mapped[Diagnostic] = relationship(back_populates="answers")
