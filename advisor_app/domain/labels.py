"""Labels of the closed vocabularies (enums.py), in one place for every screen, report and
message. The dicts hold the French source texts; ``label`` gives them in the advisor's
language (``i18n.tr``) at display time. Unknown values (sent by a newer HQ) are shown as
they are."""

from __future__ import annotations

from collections.abc import Mapping

from advisor_app.domain.enums import (
    ActionStatus,
    AttendanceStatus,
    CommitmentStatus,
    DiagnosticKind,
    DiagnosticStatus,
    LegalForm,
    PersonRole,
    Segment,
    SessionKind,
    TurnoverBand,
)
from advisor_app.i18n import tr

LEGAL_FORM_LABELS: dict[str, str] = {
    LegalForm.SARL: "SARL", LegalForm.SARL_AU: "SARL AU (associé unique)", LegalForm.SA: "SA",
    LegalForm.SNC: "SNC", LegalForm.SOLE_PROPRIETOR: "Personne physique",
    LegalForm.AUTO_ENTREPRENEUR: "Auto-entrepreneur", LegalForm.COOPERATIVE: "Coopérative",
    LegalForm.NONE: "Informel (pas encore immatriculée)",
}
SEGMENT_LABELS: dict[str, str] = {
    Segment.TPE: "TPE", Segment.AUTO_ENTREPRENEUR: "Auto-entrepreneur",
    Segment.PROJECT_HOLDER: "Porteur de projet", Segment.PME: "PME",
}
TURNOVER_LABELS: dict[str, str] = {
    TurnoverBand.UNDER_500K: "Moins de 500 000 MAD",
    TurnoverBand.FROM_500K_TO_3M: "500 000 à 3 millions MAD",
    TurnoverBand.FROM_3M_TO_10M: "3 à 10 millions MAD",
    TurnoverBand.FROM_10M_TO_50M: "10 à 50 millions MAD",
    TurnoverBand.OVER_50M: "Plus de 50 millions MAD",
}
ROLE_LABELS: dict[str, str] = {
    PersonRole.OWNER: "Dirigeant(e)", PersonRole.PILOT: "Pilote interne",
    PersonRole.EMPLOYEE: "Salarié(e)",
}
GENDER_LABELS: dict[str, str] = {"F": "Femme", "M": "Homme"}
DIAGNOSTIC_KIND_LABELS: dict[str, str] = {
    DiagnosticKind.INITIAL: "Diagnostic initial (T0)",
    DiagnosticKind.INTERMEDIATE: "Diagnostic intermédiaire",
    DiagnosticKind.FINAL: "Diagnostic final",
}
DIAGNOSTIC_STATUS_LABELS: dict[str, str] = {
    DiagnosticStatus.DRAFT: "Brouillon",
    DiagnosticStatus.SUBMITTED: "Rempli par l'entreprise",
    DiagnosticStatus.VALIDATED: "Validé par le conseiller",
}
ACTION_STATUS_LABELS: dict[str, str] = {
    ActionStatus.NOT_STARTED: "Non commencée", ActionStatus.IN_PROGRESS: "En cours",
    ActionStatus.BLOCKED: "Bloquée", ActionStatus.DONE: "Réalisée", ActionStatus.DROPPED: "Abandonnée",
}
SESSION_KIND_LABELS: dict[str, str] = {
    SessionKind.GROUP_WORKSHOP: "Atelier collectif", SessionKind.INDIVIDUAL_VISIT: "Visite individuelle",
    SessionKind.KICKOFF: "Séance de lancement", SessionKind.REVIEW: "Séance de revue",
    SessionKind.CLOSING: "Séance de clôture",
}
ATTENDANCE_LABELS: dict[str, str] = {
    AttendanceStatus.PRESENT: "Présent(e)", AttendanceStatus.ABSENT: "Absent(e)",
    AttendanceStatus.EXCUSED: "Excusé(e)", AttendanceStatus.LATE: "En retard",
}

COMMITMENT_STATUS_LABELS: dict[str, str] = {
    CommitmentStatus.OPEN: "Ouvert", CommitmentStatus.DONE: "Tenu", CommitmentStatus.DROPPED: "Abandonné",
}


def label(labels: Mapping[str, str], value: object) -> str:
    """The label of ``value`` in the current language; the raw text for a value this
    version does not know."""
    if value is None:
        return ""
    text = labels.get(str(value))
    return str(value) if text is None else tr(text)


def choices(labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """(value, label in the current language) pairs, in the dict's order (combo boxes)."""
    return [(str(value), tr(text)) for value, text in labels.items()]
