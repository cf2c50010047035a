"""The enrolment pipeline: which stage moves are allowed, with French reasons when not."""

from __future__ import annotations

from advisor_app.domain.enums import Stage

PIPELINE: tuple[Stage, ...] = (
    Stage.REGISTERED,
    Stage.DIAGNOSED,
    Stage.IN_GROUP,
    Stage.PLAN_VALIDATED,
    Stage.COACHING,
    Stage.COMPLETED,
)

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
    """French label; ``none`` when there is no stage; a stage this version does not know
    (sent by a newer HQ) is shown as it is."""
    if stage is None or stage == "":
        return none
    return _LABELS_BY_VALUE.get(str(stage), str(stage))


FINAL_STAGES = frozenset({Stage.COMPLETED, Stage.DROPPED})


def transition_error(
    current: Stage, target: Stage, *, reason: str = "", previous: Stage | None = None
) -> str | None:
    """``None`` if ``current -> target`` is allowed, else the message to show.

    Forward moves may skip stages (a company can join a group before its diagnostic is
    typed in); going back is one step at a time, as a correction, with a reason; a dropped
    enrolment can only be reinstated to the stage it had (``previous``)."""
    if current == target:
        return f"L'entreprise est déjà à l'étape « {STAGE_LABELS_FR[target]} »."
    if current is Stage.COMPLETED:
        return "Un accompagnement terminé ne change plus d'étape."
    if target is Stage.DROPPED:
        return None if reason.strip() else "Indiquez le motif de l'abandon."
    if current is Stage.DROPPED:
        if previous is None or target != previous:
            return "Un abandon ne peut être annulé que vers l'étape précédant l'abandon."
        return None if reason.strip() else "Indiquez le motif de la réintégration."
    here, there = PIPELINE.index(current), PIPELINE.index(target)
    if there > here:
        return None
    if there == here - 1:
        return None if reason.strip() else "Indiquez le motif du retour à l'étape précédente."
    return "Le retour en arrière se fait d'une étape à la fois."
