"""Versioned questionnaires (reference data): never edited in place, a change is a new version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisor_app.domain.base import Base, ReferenceMixin, new_id

NOT_APPLICABLE = -1
"""Score value meaning "N/A": the item does not apply to this company."""

SCORE_MIN, SCORE_MAX = 0, 4


class Questionnaire(ReferenceMixin, Base):
    __tablename__ = "questionnaire"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    title_ar: Mapped[str] = mapped_column(String(200))
    # [{"value": 0, "label_fr": ..., "label_en": ..., "label_ar": ...}, ...]; N/A has value -1
    scale: Mapped[list[dict[str, Any]]] = mapped_column(JSON)

    axes: Mapped[list[QuestionnaireAxis]] = relationship(
        back_populates="questionnaire",
        order_by="QuestionnaireAxis.position",
        cascade="all, delete-orphan",
    )


class QuestionnaireAxis(ReferenceMixin, Base):
    __tablename__ = "questionnaire_axis"
    __table_args__ = (UniqueConstraint("questionnaire_id", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    questionnaire_id: Mapped[str] = mapped_column(ForeignKey("questionnaire.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    label_ar: Mapped[str] = mapped_column(String(200))

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="axes")
    items: Mapped[list[QuestionnaireItem]] = relationship(
        back_populates="axis", order_by="QuestionnaireItem.position", cascade="all, delete-orphan"
    )


class QuestionnaireItem(ReferenceMixin, Base):
    __tablename__ = "questionnaire_item"
    __table_args__ = (UniqueConstraint("axis_id", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    axis_id: Mapped[str] = mapped_column(ForeignKey("questionnaire_axis.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    label_fr: Mapped[str] = mapped_column(String(400))
    label_en: Mapped[str] = mapped_column(String(400))
    label_ar: Mapped[str] = mapped_column(String(400))

    axis: Mapped[QuestionnaireAxis] = relationship(back_populates="items")
