"""Queries of the self-diagnostics: questionnaires, diagnostics that stand (no live
correction supersedes them), their live answers. Never commits."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, selectinload

from advisor_app.domain.diagnostics import Diagnostic, DiagnosticAnswer
from advisor_app.domain.enrolments import GroupMembership
from advisor_app.domain.enums import DiagnosticStatus
from advisor_app.domain.questionnaires import Questionnaire, QuestionnaireAxis, QuestionnaireItem

QUESTIONNAIRE_CODE = "AUTODIAG"


def latest_questionnaire(session: Session, code: str = QUESTIONNAIRE_CODE) -> Questionnaire | None:
    stmt = (
        select(Questionnaire)
        .where(Questionnaire.code == code, Questionnaire.deleted_at.is_(None))
        .options(selectinload(Questionnaire.axes).selectinload(QuestionnaireAxis.items))
        .order_by(Questionnaire.version.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def questionnaire(session: Session, questionnaire_id: str) -> Questionnaire | None:
    stmt = (
        select(Questionnaire)
        .where(Questionnaire.id == questionnaire_id)
        .options(selectinload(Questionnaire.axes).selectinload(QuestionnaireAxis.items))
    )
    return session.scalar(stmt)


def item_axes(session: Session, item_ids: Collection[str]) -> dict[str, tuple[str, str]]:
    """item id -> (axis code, item code)."""
    stmt = (
        select(QuestionnaireItem.id, QuestionnaireAxis.code, QuestionnaireItem.code)
        .join(QuestionnaireAxis, QuestionnaireAxis.id == QuestionnaireItem.axis_id)
        .where(QuestionnaireItem.id.in_(list(item_ids)))
    )
    return {item_id: (axis, code) for item_id, axis, code in session.execute(stmt)}


def standing(
    session: Session, enrolment_ids: Collection[str], *, validated_only: bool = False
) -> list[Diagnostic]:
    """Diagnostics of the enrolments that no live correction supersedes, oldest first."""
    newer = aliased(Diagnostic)
    superseded = select(newer.id).where(newer.supersedes_id == Diagnostic.id, newer.deleted_at.is_(None))
    stmt = (
        select(Diagnostic)
        .where(
            Diagnostic.enrolment_id.in_(list(enrolment_ids)),
            Diagnostic.deleted_at.is_(None),
            ~superseded.exists(),
        )
        .order_by(Diagnostic.enrolment_id, Diagnostic.conducted_on, Diagnostic.version, Diagnostic.id)
    )
    if validated_only:
        stmt = stmt.where(Diagnostic.status == DiagnosticStatus.VALIDATED)
    return list(session.scalars(stmt))


def is_superseded(session: Session, diagnostic_id: str) -> bool:
    stmt = (
        select(Diagnostic.id)
        .where(Diagnostic.supersedes_id == diagnostic_id, Diagnostic.deleted_at.is_(None))
        .limit(1)
    )
    return session.scalar(stmt) is not None


def answers(session: Session, diagnostic_ids: Collection[str]) -> list[DiagnosticAnswer]:
    """Live answers (a changed draft answer is a new row; the old one is soft-deleted)."""
    stmt = (
        select(DiagnosticAnswer)
        .where(
            DiagnosticAnswer.diagnostic_id.in_(list(diagnostic_ids)), DiagnosticAnswer.deleted_at.is_(None)
        )
        .order_by(DiagnosticAnswer.diagnostic_id, DiagnosticAnswer.id)
    )
    return list(session.scalars(stmt))


def group_of(session: Session, enrolment_id: str) -> str | None:
    """The group the enrolment is in (the latest membership; a current one first)."""
    stmt = (
        select(GroupMembership.group_id)
        .where(GroupMembership.enrolment_id == enrolment_id, GroupMembership.deleted_at.is_(None))
        .order_by(GroupMembership.left_on.is_not(None), GroupMembership.joined_on.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def group_enrolments(session: Session, group_id: str) -> list[str]:
    stmt = (
        select(GroupMembership.enrolment_id)
        .where(GroupMembership.group_id == group_id, GroupMembership.deleted_at.is_(None))
        .distinct()
    )
    return list(session.scalars(stmt))
