"""Self-diagnostic scores: pure arithmetic on answers, no database.

* an item counts with the advisor's validated score, else the entrepreneur's; N/A
  (``NOT_APPLICABLE``) and unanswered items are left out of every mean;
* an axis scores the mean of its counted items (0-4) and that mean as a percentage of 4;
* the overall score is the mean of every counted item (the company page's "Score");
* an item's priority is ``(4 - score) x importance`` (0 to 12); an axis's priority is the
  mean priority of its counted items;
* the weakest axes (lowest mean; the higher priority first on a tie, then the
  questionnaire's order) are proposed as key problems, as many as the track treats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from advisor_app.domain.questionnaires import NOT_APPLICABLE, SCORE_MAX, SCORE_MIN

IMPORTANCE_MIN, IMPORTANCE_MAX = 1, 3
MAX_PROPOSALS = 3


@dataclass(frozen=True)
class ItemAnswer:
    axis_code: str
    item_code: str
    entrepreneur_score: int | None  # 0-4, NOT_APPLICABLE, None: unanswered
    advisor_score: int | None = None
    importance: int = 2

    @property
    def score(self) -> int | None:
        """The score that counts: the advisor's if given, else the entrepreneur's."""
        return self.advisor_score if self.advisor_score is not None else self.entrepreneur_score

    @property
    def counted(self) -> bool:
        return self.score is not None and self.score != NOT_APPLICABLE


@dataclass(frozen=True)
class AxisScore:
    code: str
    items: int  # in the questionnaire
    answered: int  # counted in the mean (N/A and blanks left out)
    not_applicable: int
    mean: float | None  # 0-4; None when nothing counts
    priority: float | None  # mean of (4 - score) x importance

    @property
    def percent(self) -> float | None:
        return None if self.mean is None else percent_of(self.mean)


@dataclass(frozen=True)
class Scores:
    axes: tuple[AxisScore, ...]  # in the questionnaire's order
    mean: float | None  # every counted item
    answered: int
    items: int

    @property
    def percent(self) -> float | None:
        return None if self.mean is None else percent_of(self.mean)

    def axis(self, code: str) -> AxisScore | None:
        return next((a for a in self.axes if a.code == code), None)


def percent_of(mean: float) -> float:
    return mean / SCORE_MAX * 100


def is_valid_score(value: int | None) -> bool:
    return value is None or value == NOT_APPLICABLE or SCORE_MIN <= value <= SCORE_MAX


def item_priority(score: int, importance: int) -> int:
    """``(4 - score) x importance``: 0 for a mastered practice, 12 for a missing one that matters most."""
    return (SCORE_MAX - score) * importance


def score_answers(answers: Iterable[ItemAnswer], axis_items: Mapping[str, int]) -> Scores:
    """``axis_items``: axis code -> number of items, in the questionnaire's order."""
    by_axis: dict[str, list[ItemAnswer]] = {code: [] for code in axis_items}
    for answer in answers:
        by_axis.setdefault(answer.axis_code, []).append(answer)
    axes = []
    counted_all: list[int] = []
    for code, rows in by_axis.items():
        counted = [a for a in rows if a.counted]
        scores = [a.score for a in counted if a.score is not None]
        counted_all.extend(scores)
        priorities = [item_priority(s, a.importance) for s, a in zip(scores, counted, strict=True)]
        axes.append(
            AxisScore(
                code=code,
                items=axis_items.get(code, len(rows)),
                answered=len(scores),
                not_applicable=sum(1 for a in rows if a.score == NOT_APPLICABLE),
                mean=sum(scores) / len(scores) if scores else None,
                priority=sum(priorities) / len(priorities) if priorities else None,
            )
        )
    return Scores(
        axes=tuple(axes),
        mean=sum(counted_all) / len(counted_all) if counted_all else None,
        answered=len(counted_all),
        items=sum(axis_items.values()),
    )


def weakest_axes(scores: Scores, count: int) -> list[AxisScore]:
    """The ``count`` weakest scored axes (at most ``MAX_PROPOSALS``)."""
    order = {a.code: i for i, a in enumerate(scores.axes)}
    scored = [a for a in scores.axes if a.mean is not None]
    scored.sort(key=lambda a: (a.mean, -(a.priority or 0.0), order[a.code]))
    return scored[: max(0, min(count, MAX_PROPOSALS))]


def weakest_item(answers: Iterable[ItemAnswer], axis_code: str) -> ItemAnswer | None:
    """The axis's item of highest priority (the lower score on a tie, then the first)."""
    best: tuple[int, int] | None = None
    found = None
    for answer in answers:
        score = answer.score
        if answer.axis_code != axis_code or score is None or score == NOT_APPLICABLE:
            continue
        key = (item_priority(score, answer.importance), -score)
        if best is None or key > best:
            best, found = key, answer
    return found


def ranked_items(answers: Iterable[ItemAnswer], limit: int) -> list[tuple[ItemAnswer, int]]:
    """The ``limit`` counted items of highest priority, with it (stable on ties)."""
    rows = [(a, item_priority(a.score, a.importance)) for a in answers if a.counted and a.score is not None]
    rows.sort(key=lambda pair: -pair[1])
    return rows[:limit]


def proposal_count(problems_min: int, problems_max: int) -> int:
    """How many key problems a track's diagnostic proposes: as many as it may treat."""
    return max(1, min(max(problems_min, problems_max), MAX_PROPOSALS))


def group_average(members: Sequence[Scores]) -> dict[str, float]:
    """Axis code -> mean of the members' axis means (each company weighs the same);
    an axis no member scored is absent."""
    sums: dict[str, list[float]] = {}
    for scores in members:
        for axis in scores.axes:
            if axis.mean is not None:
                sums.setdefault(axis.code, []).append(axis.mean)
    return {code: sum(values) / len(values) for code, values in sums.items()}


def change(before: float | None, after: float | None) -> float | None:
    """``after - before`` (in the unit given), None when either is missing."""
    return None if before is None or after is None else after - before
