"""The enrolment pipeline: which stage moves are allowed, with the reason when not (in the
advisor's language, ``i18n.tr``)."""

from __future__ import annotations

from advisor_app.domain.enums import Stage
from advisor_app.i18n import tr

PIPELINE: tuple[Stage, ...] = (
    Stage.REGISTERED,
    Stage.DIAGNOSED,
    Stage.IN_GROUP,
    Stage.PLAN_VALIDATED,
    Stage.COACHING,
    Stage.COMPLETED,
)

# French source texts: shown through ``stage_label`` (or ``tr``), never as they are.
STAGE_LABELS_FR: dict[Stage, str] = {
    Stage.REGISTERED: "Inscrite",
    Stage.DIAGNOSED: "Diagnostiquée",
    Stage.IN_GROUP: "En groupe",
    Stage.PLAN_VALIDATED: "Plan d'action validé",
    Stage.COACHING: "En accompagnement",
    Stage.COMPLETED: "Terminée",
    Stage.DROPPED: "Abandonnée",
}

_LABELS_BY_VALUE = {stage.value: text for stage, text in STAGE_LABELS_FR.items()}


def stage_label(stage: object, *, none: str = "") -> str:
    """Label in the current language; ``none`` when there is no stage; a stage this version
    does not know (sent by a newer HQ) is shown as it is."""
    if stage is None or stage == "":
        return none
    text = _LABELS_BY_VALUE.get(str(stage))
    return str(stage) if text is None else tr(text)


FINAL_STAGES = frozenset({Stage.COMPLETED, Stage.DROPPED})


def transition_error(
    current: Stage, target: Stage, *, reason: str = "", previous: Stage | None = None
) -> str | None:
    """``None`` if ``current -> target`` is allowed, else the message to show.

    Forward moves may skip stages (a company can join a group before its diagnostic is
    typed in); going back is one step at a time, as a correction, with a reason; a dropped
    enrolment can only be reinstated to the stage it had (``previous``)."""
    if current == target:
        return tr("L'entreprise est déjà à l'étape « {stage} ».").format(stage=stage_label(target))
    if current is Stage.COMPLETED:
        return tr("Un accompagnement terminé ne change plus d'étape.")
    if target is Stage.DROPPED:
        return None if reason.strip() else tr("Indiquez le motif de l'abandon.")
    if current is Stage.DROPPED:
        if previous is None or target != previous:
            return tr("Un abandon ne peut être annulé que vers l'étape précédant l'abandon.")
        return None if reason.strip() else tr("Indiquez le motif de la réintégration.")
    here, there = PIPELINE.index(current), PIPELINE.index(target)
    if there > here:
        return None
    if there == here - 1:
        return None if reason.strip() else tr("Indiquez le motif du retour à l'étape précédente.")
    return tr("Le retour en arrière se fait d'une étape à la fois.")
