"""Filling in a self-diagnostic: the questionnaire, a diagnostic's answers, saving a draft,
validating, correcting.

Rules (DESIGN.md: diagnostic answers are append-only):

* a draft's answers may change until it is validated; a changed answer is a new row and
  the old one is soft-deleted (HQ refuses any other change to an answer);
* validating needs the advisor's score (0-4 or N/A) on every item; a validated diagnostic
  is frozen: a correction is a new diagnostic (``version + 1``, ``supersedes_id``) that
  replaces it everywhere once saved;
* one initial (T0) and one final diagnostic per enrolment; intermediate ones as needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from advisor_app import i18n
from advisor_app.domain.base import new_id, utcnow
from advisor_app.domain.diagnostics import Diagnostic, DiagnosticAnswer
from advisor_app.domain.enrolments import Enrolment
from advisor_app.domain.enums import DiagnosticKind, DiagnosticStatus, Stage
from advisor_app.domain.labels import DIAGNOSTIC_KIND_LABELS, DIAGNOSTIC_STATUS_LABELS, label
from advisor_app.domain.questionnaires import NOT_APPLICABLE, Questionnaire
from advisor_app.domain.scoring import IMPORTANCE_MAX, IMPORTANCE_MIN, is_valid_score
from advisor_app.i18n import tr
from advisor_app.services.database import Database
from advisor_app.services.enrolments import apply_move, current_advisor, known_advisor, moment_of
from advisor_app.services.errors import UserError
from advisor_app.storage.repositories import diagnostics as repo

UNIQUE_KINDS = frozenset({DiagnosticKind.INITIAL, DiagnosticKind.FINAL})


@dataclass(frozen=True)
class ScaleChoice:
    value: int  # 0-4, NOT_APPLICABLE
    label: str


@dataclass(frozen=True)
class ItemInfo:
    id: str
    code: str
    label: str


@dataclass(frozen=True)
class AxisInfo:
    code: str
    label: str
    label_ar: str
    items: tuple[ItemInfo, ...]


@dataclass(frozen=True)
class QuestionnaireInfo:
    id: str
    code: str
    version: int
    title: str
    scale: tuple[ScaleChoice, ...]
    axes: tuple[AxisInfo, ...]

    def item_count(self) -> int:
        return sum(len(a.items) for a in self.axes)


@dataclass(frozen=True)
class AnswerInput:
    entrepreneur_score: int | None = None  # 0-4, NOT_APPLICABLE, None: not answered yet
    advisor_score: int | None = None
    importance: int = 2
    evidence: str = ""


@dataclass(frozen=True)
class DiagnosticRecord:
    id: str
    enrolment_id: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    version: int
    conducted_on: dt.date
    notes: str
    superseded: bool  # a correction replaces it
    questionnaire: QuestionnaireInfo
    answers: dict[str, AnswerInput] = field(default_factory=dict)  # by item id

    @property
    def validated(self) -> bool:
        return self.status == DiagnosticStatus.VALIDATED


def _text(row: object, name: str) -> str:
    return str(getattr(row, f"{name}_{i18n.language()}", None) or getattr(row, f"{name}_fr"))


def questionnaire_info(q: Questionnaire) -> QuestionnaireInfo:
    scale = tuple(
        ScaleChoice(int(s["value"]), str(s.get(f"label_{i18n.language()}") or s["label_fr"])) for s in q.scale
    )
    return QuestionnaireInfo(
        id=q.id,
        code=q.code,
        version=q.version,
        title=_text(q, "title"),
        scale=scale,
        axes=tuple(
            AxisInfo(
                a.code,
                _text(a, "label"),
                a.label_ar,
                tuple(ItemInfo(i.id, i.code, _text(i, "label")) for i in a.items),
            )
            for a in q.axes
        ),
    )


def current_questionnaire(db: Database) -> QuestionnaireInfo:
    """The newest version of the self-diagnostic questionnaire (what a new diagnostic uses)."""
    with db.sessions() as session:
        q = repo.latest_questionnaire(session)
        if q is None:
            raise UserError(tr("Aucun questionnaire d'autodiagnostic n'est chargé."))
        return questionnaire_info(q)


def load_diagnostic(db: Database, diagnostic_id: str) -> DiagnosticRecord:
    with db.sessions() as session:
        d = session.get(Diagnostic, diagnostic_id)
        if d is None or d.deleted_at is not None:
            raise UserError(tr("Ce diagnostic n'existe pas ou a été supprimé."))
        q = repo.questionnaire(session, d.questionnaire_id)
        if q is None:
            raise UserError(tr("Le questionnaire de ce diagnostic est introuvable."))
        return DiagnosticRecord(
            id=d.id,
            enrolment_id=d.enrolment_id,
            kind=str(d.kind),
            kind_label=label(DIAGNOSTIC_KIND_LABELS, d.kind),
            status=str(d.status),
            status_label=label(DIAGNOSTIC_STATUS_LABELS, d.status),
            version=d.version,
            conducted_on=d.conducted_on,
            notes=d.notes or "",
            superseded=repo.is_superseded(session, d.id),
            questionnaire=questionnaire_info(q),
            answers={
                a.item_id: AnswerInput(a.entrepreneur_score, a.advisor_score, a.importance, a.evidence or "")
                for a in repo.answers(session, [d.id])
            },
        )


def _check(answers: Mapping[str, AnswerInput], q: QuestionnaireInfo, *, validate: bool) -> None:
    labels = {i.id: i.code for a in q.axes for i in a.items}
    unknown = set(answers) - set(labels)
    if unknown:
        raise UserError(tr("Réponse à un item qui n'est pas dans le questionnaire."))
    for item_id, code in labels.items():
        answer = answers.get(item_id, AnswerInput())
        if not (is_valid_score(answer.entrepreneur_score) and is_valid_score(answer.advisor_score)):
            raise UserError(
                tr("Item {item} : la note doit être comprise entre 0 et 4, ou « Non applicable ».").format(
                    item=code
                )
            )
        if not IMPORTANCE_MIN <= answer.importance <= IMPORTANCE_MAX:
            raise UserError(tr("Item {item} : l'importance doit être 1, 2 ou 3.").format(item=code))
        if validate and answer.advisor_score is None:
            raise UserError(
                tr(
                    "Item {item} : la note validée par le conseiller manque (0 à 4 ou "
                    "« Non applicable ») ; enregistrez un brouillon pour finir plus tard."
                ).format(item=code)
            )


def _status(answers: Mapping[str, AnswerInput], q: QuestionnaireInfo, validate: bool) -> DiagnosticStatus:
    if validate:
        return DiagnosticStatus.VALIDATED
    complete = all(
        answers.get(i.id, AnswerInput()).entrepreneur_score is not None for a in q.axes for i in a.items
    )
    return DiagnosticStatus.SUBMITTED if complete else DiagnosticStatus.DRAFT


def _enrolment(session: Session, enrolment_id: str) -> Enrolment:
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.deleted_at is not None:
        raise UserError(tr("Cet accompagnement n'existe pas ou a été supprimé."))
    return enrolment


def _check_kind(session: Session, enrolment_id: str, kind: str, keep: str | None) -> DiagnosticKind:
    try:
        value = DiagnosticKind(kind)
    except ValueError:
        raise UserError(tr("Type de diagnostic inconnu : {kind}.").format(kind=kind)) from None
    if value in UNIQUE_KINDS:
        for other in repo.standing(session, [enrolment_id]):
            if other.kind == value and other.id != keep:
                raise UserError(
                    tr(
                        "Cet accompagnement a déjà un « {kind} » (du {date}) : ouvrez-le "
                        "pour le compléter ou le corriger."
                    ).format(kind=label(DIAGNOSTIC_KIND_LABELS, value), date=f"{other.conducted_on:%d/%m/%Y}")
                )
    return value


def _write_answers(
    session: Session,
    d: Diagnostic,
    answers: Mapping[str, AnswerInput],
    existing: Mapping[str, DiagnosticAnswer],
) -> None:
    now = utcnow()
    for item_id, answer in answers.items():
        evidence = answer.evidence.strip()
        old = existing.get(item_id)
        if old is not None:
            if (old.entrepreneur_score, old.advisor_score, old.importance, old.evidence or "") == (
                answer.entrepreneur_score,
                answer.advisor_score,
                answer.importance,
                evidence,
            ):
                continue
            old.deleted_at = now  # answers are append-only: the change is a new row
        if old is None and answer == AnswerInput():
            continue  # nothing said about this item yet
        row = DiagnosticAnswer(
            id=new_id(),
            diagnostic_id=d.id,
            item_id=item_id,
            entrepreneur_score=answer.entrepreneur_score,
            advisor_score=answer.advisor_score,
            importance=answer.importance,
            evidence=evidence,
            is_priority=False,
        )
        row.set_scope(region=d.scope_region, advisor=d.scope_advisor, group=d.scope_group)
        session.add(row)


def _stamp(session: Session, d: Diagnostic, status: DiagnosticStatus) -> None:
    d.status = status
    if status == DiagnosticStatus.VALIDATED:
        d.validated_at = utcnow()
        d.validated_by = known_advisor(session, current_advisor(session))


def save_diagnostic(
    db: Database,
    *,
    enrolment_id: str,
    diagnostic_id: str | None,
    kind: str,
    conducted_on: dt.date,
    answers: Mapping[str, AnswerInput],
    notes: str = "",
    validate: bool = False,
) -> str:
    """Creates (``diagnostic_id`` None) or updates a diagnostic not yet validated; returns its id."""
    with db.unit_of_work() as session:
        enrolment = _enrolment(session, enrolment_id)
        if diagnostic_id is None:
            q_row = repo.latest_questionnaire(session)
            if q_row is None:
                raise UserError(tr("Aucun questionnaire d'autodiagnostic n'est chargé."))
            d = Diagnostic(
                id=new_id(),
                enrolment_id=enrolment.id,
                questionnaire_id=q_row.id,
                version=1,
                supersedes_id=None,
            )
            d.set_scope(
                region=enrolment.scope_region, advisor=enrolment.scope_advisor, group=enrolment.scope_group
            )
            existing: dict[str, DiagnosticAnswer] = {}
        else:
            found = session.get(Diagnostic, diagnostic_id)
            if found is None or found.deleted_at is not None or found.enrolment_id != enrolment_id:
                raise UserError(tr("Ce diagnostic n'existe pas ou a été supprimé."))
            if found.status == DiagnosticStatus.VALIDATED:
                raise UserError(
                    tr(
                        "Ce diagnostic est validé : il ne se modifie plus. Utilisez "
                        "« Corriger » pour en créer une nouvelle version."
                    )
                )
            d = found
            q_row = repo.questionnaire(session, d.questionnaire_id)
            assert q_row is not None
            existing = {a.item_id: a for a in repo.answers(session, [d.id])}
        q = questionnaire_info(q_row)
        _check(answers, q, validate=validate)
        d.kind = _check_kind(session, enrolment.id, kind, d.id)
        d.conducted_on = conducted_on
        d.notes = notes.strip()
        _stamp(session, d, _status(answers, q, validate))
        session.add(d)
        session.flush()
        _write_answers(session, d, answers, existing)
        if validate and d.kind == DiagnosticKind.INITIAL and enrolment.stage == Stage.REGISTERED:
            # the pipeline: a validated T0 makes a registered company "diagnosed"
            at = moment_of(conducted_on, not_before=enrolment.stage_changed_at)
            apply_move(session, enrolment, Stage.DIAGNOSED, at=at)
        return d.id


def correct_diagnostic(
    db: Database,
    *,
    diagnostic_id: str,
    conducted_on: dt.date,
    answers: Mapping[str, AnswerInput],
    notes: str = "",
    validate: bool = True,
) -> str:
    """A new version of a validated diagnostic, superseding it; returns the new id."""
    with db.unit_of_work() as session:
        old = session.get(Diagnostic, diagnostic_id)
        if old is None or old.deleted_at is not None:
            raise UserError(tr("Ce diagnostic n'existe pas ou a été supprimé."))
        if old.status != DiagnosticStatus.VALIDATED:
            raise UserError(tr("Seul un diagnostic validé se corrige ; un brouillon se modifie."))
        if repo.is_superseded(session, old.id):
            raise UserError(tr("Ce diagnostic a déjà été corrigé : ouvrez sa dernière version."))
        q_row = repo.questionnaire(session, old.questionnaire_id)
        assert q_row is not None
        q = questionnaire_info(q_row)
        _check(answers, q, validate=validate)
        d = Diagnostic(
            id=new_id(),
            enrolment_id=old.enrolment_id,
            questionnaire_id=old.questionnaire_id,
            kind=old.kind,
            version=old.version + 1,
            supersedes_id=old.id,
            conducted_on=conducted_on,
            notes=notes.strip(),
        )
        d.set_scope(region=old.scope_region, advisor=old.scope_advisor, group=old.scope_group)
        _stamp(session, d, _status(answers, q, validate))
        session.add(d)
        session.flush()
        _write_answers(session, d, answers, {})
        return d.id


def blank_answers(q: QuestionnaireInfo) -> dict[str, AnswerInput]:
    return {i.id: AnswerInput() for a in q.axes for i in a.items}


def is_not_applicable(score: int | None) -> bool:
    return score == NOT_APPLICABLE
