"""Every mapped class, imported once so that ``Base.metadata`` is complete."""

from advisor_app.domain.action_plans import Action, Indicator, IndicatorReading, KeyProblem
from advisor_app.domain.advisor_attestations import HqAdvisorAttestation
from advisor_app.domain.base import Base, ReferenceMixin, SyncMixin
from advisor_app.domain.certificates import Certificate
from advisor_app.domain.companies import Company, Person
from advisor_app.domain.diagnostics import Diagnostic, DiagnosticAnswer
from advisor_app.domain.enrolments import (
    CoachingGroup,
    Enrolment,
    GroupMembership,
    StageTransition,
)
from advisor_app.domain.hq_records import (
    HqCounter,
    HqDevice,
    HqEnrolmentCode,
    HqFieldStamp,
    HqMutation,
)
from advisor_app.domain.listing import CompanyListing
from advisor_app.domain.local import AuditEntry, LocalSetting, SyncConflict, SyncOutbox
from advisor_app.domain.programme_ops import Complaint, ContributionPayment, SatisfactionSurvey
from advisor_app.domain.questionnaires import Questionnaire, QuestionnaireAxis, QuestionnaireItem
from advisor_app.domain.reference import (
    Advisor,
    Agency,
    ProgrammeTrack,
    Region,
    RegionAlias,
    Sector,
)
from advisor_app.domain.sessions import Attendance, CoachingSession, Commitment

__all__ = [
    "Action",
    "Advisor",
    "Agency",
    "Attendance",
    "AuditEntry",
    "Base",
    "Certificate",
    "CoachingGroup",
    "CoachingSession",
    "Commitment",
    "Company",
    "CompanyListing",
    "Complaint",
    "ContributionPayment",
    "Diagnostic",
    "DiagnosticAnswer",
    "Enrolment",
    "GroupMembership",
    "HqAdvisorAttestation",
    "HqCounter",
    "HqDevice",
    "HqEnrolmentCode",
    "HqFieldStamp",
    "HqMutation",
    "Indicator",
    "IndicatorReading",
    "KeyProblem",
    "LocalSetting",
    "Person",
    "ProgrammeTrack",
    "Questionnaire",
    "QuestionnaireAxis",
    "QuestionnaireItem",
    "ReferenceMixin",
    "Region",
    "RegionAlias",
    "SatisfactionSurvey",
    "Sector",
    "StageTransition",
    "SyncConflict",
    "SyncMixin",
    "SyncOutbox",
]


def synced_classes() -> list[type[SyncMixin]]:
    return [m.class_ for m in Base.registry.mappers if issubclass(m.class_, SyncMixin)]
