"""Closed vocabularies. Stored as their string value, without a DB CHECK, and read back
tolerantly: a value added by a newer HQ must not break an older laptop's queries (it comes
back as a plain string, which services show as it is); services validate what users type."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import String, TypeDecorator
from sqlalchemy.engine import Dialect


class TolerantEnum(TypeDecorator[str]):
    impl = String
    cache_ok = True

    def __init__(self, enum_cls: type[StrEnum], length: int = 24) -> None:
        super().__init__(length=length)
        self.enum_cls = enum_cls

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        try:
            return self.enum_cls(value)
        except ValueError:
            return value


def str_enum(enum_cls: type[StrEnum], length: int = 24) -> TolerantEnum:
    return TolerantEnum(enum_cls, length)


class Segment(StrEnum):
    TPE = "tpe"
    AUTO_ENTREPRENEUR = "auto_entrepreneur"
    PROJECT_HOLDER = "project_holder"
    PME = "pme"


class LegalForm(StrEnum):
    SARL = "sarl"
    SARL_AU = "sarl_au"
    SA = "sa"
    SNC = "snc"
    SOLE_PROPRIETOR = "personne_physique"
    AUTO_ENTREPRENEUR = "auto_entrepreneur"
    COOPERATIVE = "cooperative"
    NONE = "informel"


class TurnoverBand(StrEnum):
    """Annual turnover in MAD."""

    UNDER_500K = "lt_500k"
    FROM_500K_TO_3M = "500k_3m"
    FROM_3M_TO_10M = "3m_10m"
    FROM_10M_TO_50M = "10m_50m"
    OVER_50M = "gt_50m"


class PersonRole(StrEnum):
    OWNER = "owner"
    PILOT = "pilot"
    EMPLOYEE = "employee"


class Stage(StrEnum):
    REGISTERED = "registered"
    DIAGNOSED = "diagnosed"
    IN_GROUP = "in_group"
    PLAN_VALIDATED = "plan_validated"
    COACHING = "coaching"
    COMPLETED = "completed"
    DROPPED = "dropped"


class DiagnosticKind(StrEnum):
    INITIAL = "initial"
    INTERMEDIATE = "intermediate"
    FINAL = "final"


class DiagnosticStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # scored by the entrepreneur
    VALIDATED = "validated"  # reviewed by the advisor; frozen from now on


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"
    DROPPED = "dropped"


class IndicatorKind(StrEnum):
    MEANS = "means"
    RESULT = "result"


class SessionKind(StrEnum):
    GROUP_WORKSHOP = "group_workshop"
    INDIVIDUAL_VISIT = "individual_visit"
    KICKOFF = "kickoff"
    REVIEW = "review"
    CLOSING = "closing"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"
    LATE = "late"


class CommitmentStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class CertificateKind(StrEnum):
    PARTICIPATION = "participation"


class OutboxOp(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"  # soft delete: deleted_at set
    RESTORE = "restore"  # deleted_at cleared
