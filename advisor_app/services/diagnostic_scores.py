"""What the Diagnostics tab, the radar chart and the diagnostic report show for one
enrolment: its diagnostics with their scores, T0 against the latest against the group's
average per axis, the highest-priority items and the axes proposed as key problems.

"Latest" is the newest validated diagnostic (the newest of any status when none is
validated yet); T0 is the initial one. The group average takes, for every company of the
enrolment's group (this one included), its newest validated diagnostic, each company
weighing the same (``domain.scoring.group_average``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from advisor_app.domain import scoring
from advisor_app.domain.companies import Company
from advisor_app.domain.diagnostics import Diagnostic, DiagnosticAnswer
from advisor_app.domain.enrolments import CoachingGroup, Enrolment
from advisor_app.domain.enums import DiagnosticKind, DiagnosticStatus
from advisor_app.domain.labels import DIAGNOSTIC_KIND_LABELS, DIAGNOSTIC_STATUS_LABELS, label
from advisor_app.domain.reference import ProgrammeTrack
from advisor_app.i18n import tr
from advisor_app.services import reference_names
from advisor_app.services.database import Database
from advisor_app.services.diagnostics import QuestionnaireInfo, questionnaire_info
from advisor_app.services.errors import UserError
from advisor_app.storage.repositories import diagnostics as repo

PRIORITY_LINES = 8


@dataclass(frozen=True)
class DiagnosticRow:
    id: str
    kind: str
    kind_label: str
    conducted_on: dt.date
    status: str
    status_label: str
    version: int
    percent: float | None  # overall score, % of 4
    answered: int
    items: int

    @property
    def validated(self) -> bool:
        return self.status == DiagnosticStatus.VALIDATED


@dataclass(frozen=True)
class AxisLine:
    code: str
    label: str
    t0: float | None  # % of 4
    latest: float | None
    group: float | None
    priority: float | None  # of the latest

    @property
    def change(self) -> float | None:
        """Points of percentage gained from T0 to the latest."""
        return scoring.change(self.t0, self.latest)


@dataclass(frozen=True)
class PriorityLine:
    axis_label: str
    item_code: str
    item_label: str
    score: int
    importance: int
    priority: int


@dataclass(frozen=True)
class Proposal:
    axis_code: str
    axis_label: str
    item_code: str | None
    item_label: str
    percent: float | None


@dataclass(frozen=True)
class DiagnosticsOverview:
    enrolment_id: str
    company_name: str
    track_name: str
    group_name: str  # "" outside any group
    group_size: int  # companies with a validated diagnostic in the average
    rows: tuple[DiagnosticRow, ...]  # newest first
    t0: DiagnosticRow | None
    latest: DiagnosticRow | None
    axes: tuple[AxisLine, ...]
    overall_t0: float | None
    overall_latest: float | None
    overall_group: float | None
    priorities: tuple[PriorityLine, ...]  # of the latest
    proposals: tuple[Proposal, ...]  # weakest axes of the latest
    problems_max: int


def item_answers(session: Session, diagnostics: Sequence[Diagnostic]) -> dict[str, list[scoring.ItemAnswer]]:
    """diagnostic id -> its live answers as scoring input."""
    answers = repo.answers(session, [d.id for d in diagnostics])
    codes = repo.item_axes(session, {a.item_id for a in answers})
    result: dict[str, list[scoring.ItemAnswer]] = defaultdict(list)
    for a in answers:
        axis, item = codes.get(a.item_id, ("", ""))
        result[a.diagnostic_id].append(_item(a, axis, item))
    return result


def _item(a: DiagnosticAnswer, axis: str, item: str) -> scoring.ItemAnswer:
    return scoring.ItemAnswer(axis, item, a.entrepreneur_score, a.advisor_score, a.importance)


def _pick_latest(rows: Sequence[Diagnostic]) -> Diagnostic | None:
    validated = [d for d in rows if d.status == DiagnosticStatus.VALIDATED]
    pool = validated or list(rows)
    return max(pool, key=lambda d: (d.conducted_on, d.version, d.id)) if pool else None


def diagnostics_overview(
    db: Database, enrolment_id: str, *, focus_id: str | None = None
) -> DiagnosticsOverview:
    """``focus_id``: the diagnostic shown as "latest" (a report of an older one)."""
    with db.sessions() as session:
        enrolment = session.get(Enrolment, enrolment_id)
        if enrolment is None or enrolment.deleted_at is not None:
            raise UserError(tr("Cet accompagnement n'existe pas ou a été supprimé."))
        return _overview(session, enrolment, focus_id)


def _overview(session: Session, enrolment: Enrolment, focus_id: str | None) -> DiagnosticsOverview:
    company = session.get(Company, enrolment.company_id)
    track = session.get(ProgrammeTrack, enrolment.track_code)
    own = repo.standing(session, [enrolment.id])
    by_id = {d.id: d for d in own}
    latest = by_id.get(focus_id or "") or _pick_latest(own)
    initials = [d for d in own if d.kind == DiagnosticKind.INITIAL]
    t0 = _pick_latest(initials)
    q_row = (
        repo.questionnaire(session, latest.questionnaire_id) if latest else repo.latest_questionnaire(session)
    )
    if q_row is None:
        raise UserError(tr("Aucun questionnaire d'autodiagnostic n'est chargé."))
    q = questionnaire_info(q_row)
    axis_items = {a.code: len(a.items) for a in q.axes}
    answers = item_answers(session, own)
    scores = {d.id: scoring.score_answers(answers.get(d.id, []), axis_items) for d in own}
    group_id = repo.group_of(session, enrolment.id)
    group = session.get(CoachingGroup, group_id) if group_id else None
    group_scores = _group_scores(session, group_id, axis_items) if group_id else []
    average = scoring.group_average(group_scores)
    t0_scores = scores.get(t0.id) if t0 else None
    latest_scores = scores.get(latest.id) if latest else None
    axes = tuple(_axis_line(a.code, a.label, t0_scores, latest_scores, average) for a in q.axes)
    rows = tuple(
        sorted(
            (_row(d, scores[d.id]) for d in own),
            key=lambda r: (r.conducted_on, r.version, r.id),
            reverse=True,
        )
    )
    row_of = {r.id: r for r in rows}
    problems_max = scoring.proposal_count(track.problems_min, track.problems_max) if track else 1
    return DiagnosticsOverview(
        enrolment_id=enrolment.id,
        company_name=company.name if company else "",
        track_name=reference_names.name_of(track) if track else enrolment.track_code,
        group_name=group.name if group else "",
        group_size=len(group_scores),
        rows=rows,
        t0=row_of.get(t0.id) if t0 else None,
        latest=row_of.get(latest.id) if latest else None,
        axes=axes,
        overall_t0=t0_scores.percent if t0_scores else None,
        overall_latest=latest_scores.percent if latest_scores else None,
        overall_group=(sum(average.values()) / len(average) / 4 * 100) if average else None,
        priorities=_priorities(q, answers.get(latest.id, []) if latest else []),
        proposals=_proposals(q, latest_scores, answers.get(latest.id, []) if latest else [], problems_max),
        problems_max=problems_max,
    )


def _row(d: Diagnostic, s: scoring.Scores) -> DiagnosticRow:
    return DiagnosticRow(
        id=d.id,
        kind=str(d.kind),
        kind_label=label(DIAGNOSTIC_KIND_LABELS, d.kind),
        conducted_on=d.conducted_on,
        status=str(d.status),
        status_label=label(DIAGNOSTIC_STATUS_LABELS, d.status),
        version=d.version,
        percent=s.percent,
        answered=s.answered,
        items=s.items,
    )


def _axis_line(
    code: str,
    axis_label: str,
    t0: scoring.Scores | None,
    latest: scoring.Scores | None,
    average: dict[str, float],
) -> AxisLine:
    t0_axis = t0.axis(code) if t0 else None
    latest_axis = latest.axis(code) if latest else None
    group = average.get(code)
    return AxisLine(
        code=code,
        label=axis_label,
        t0=t0_axis.percent if t0_axis else None,
        latest=latest_axis.percent if latest_axis else None,
        group=scoring.percent_of(group) if group is not None else None,
        priority=latest_axis.priority if latest_axis else None,
    )


def _group_scores(session: Session, group_id: str, axis_items: dict[str, int]) -> list[scoring.Scores]:
    members = repo.group_enrolments(session, group_id)
    standing = repo.standing(session, members, validated_only=True)
    newest: dict[str, Diagnostic] = {}
    for d in standing:
        best = newest.get(d.enrolment_id)
        if best is None or (d.conducted_on, d.version) >= (best.conducted_on, best.version):
            newest[d.enrolment_id] = d
    answers = item_answers(session, list(newest.values()))
    return [scoring.score_answers(answers.get(d.id, []), axis_items) for d in newest.values()]


def _labels(q: QuestionnaireInfo) -> tuple[dict[str, str], dict[str, str]]:
    axes = {a.code: a.label for a in q.axes}
    items = {i.code: i.label for a in q.axes for i in a.items}
    return axes, items


def _priorities(q: QuestionnaireInfo, answers: list[scoring.ItemAnswer]) -> tuple[PriorityLine, ...]:
    axes, items = _labels(q)
    order = {i.code: n for n, i in enumerate(i for a in q.axes for i in a.items)}
    ranked = scoring.ranked_items(sorted(answers, key=lambda a: order.get(a.item_code, 0)), PRIORITY_LINES)
    return tuple(
        PriorityLine(
            axes.get(a.axis_code, a.axis_code),
            a.item_code,
            items.get(a.item_code, ""),
            a.score if a.score is not None else 0,
            a.importance,
            p,
        )
        for a, p in ranked
        if p > 0
    )


def _proposals(
    q: QuestionnaireInfo, scores: scoring.Scores | None, answers: list[scoring.ItemAnswer], count: int
) -> tuple[Proposal, ...]:
    if scores is None:
        return ()
    axes, items = _labels(q)
    result = []
    for axis in scoring.weakest_axes(scores, count):
        item = scoring.weakest_item(answers, axis.code)
        result.append(
            Proposal(
                axis.code,
                axes.get(axis.code, axis.code),
                item.item_code if item else None,
                items.get(item.item_code, "") if item else "",
                axis.percent,
            )
        )
    return tuple(result)
