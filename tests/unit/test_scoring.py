"""Self-diagnostic scores against numbers worked out by hand."""

from __future__ import annotations

import pytest

from advisor_app.domain.questionnaires import NOT_APPLICABLE
from advisor_app.domain.scoring import (
    ItemAnswer,
    group_average,
    item_priority,
    proposal_count,
    ranked_items,
    score_answers,
    weakest_axes,
    weakest_item,
)

NA = NOT_APPLICABLE
AXES = {"STRAT": 4, "FIN": 4, "COM": 4}


def answers() -> list[ItemAnswer]:
    return [
        # STRAT: advisor scores 3, 2 (over the entrepreneur's 4), N/A, unanswered
        ItemAnswer("STRAT", "STRAT-1", 3, None, 2),
        ItemAnswer("STRAT", "STRAT-2", 4, 2, 3),
        ItemAnswer("STRAT", "STRAT-3", NA, None, 2),
        ItemAnswer("STRAT", "STRAT-4", None, None, 2),
        # FIN: 1, 0, 2, 1 -> mean 1.0
        ItemAnswer("FIN", "FIN-1", 1, None, 3),
        ItemAnswer("FIN", "FIN-2", 2, 0, 1),
        ItemAnswer("FIN", "FIN-3", 2, None, 2),
        ItemAnswer("FIN", "FIN-4", 1, None, 2),
        # COM: entrepreneur says 3, the advisor marks it N/A: left out
        ItemAnswer("COM", "COM-1", 3, NA, 2),
        ItemAnswer("COM", "COM-2", 1, None, 3),
    ]


def test_axis_means_percentages_and_priorities() -> None:
    scores = score_answers(answers(), AXES)
    strat, fin, com = scores.axes
    # STRAT: (3 + 2) / 2 = 2.5 -> 62.5 %; priorities (4-3)*2 = 2 and (4-2)*3 = 6 -> 4.0
    assert (strat.mean, strat.percent, strat.answered, strat.not_applicable) == (2.5, 62.5, 2, 1)
    assert strat.priority == 4.0
    # FIN: (1 + 0 + 2 + 1) / 4 = 1.0 -> 25 %; priorities 9, 4, 4, 6 -> 23 / 4 = 5.75
    assert (fin.mean, fin.percent, fin.answered) == (1.0, 25.0, 4)
    assert fin.priority == 5.75
    # COM: only COM-2 counts: 1 -> 25 %, priority (4-1)*3 = 9
    assert (com.mean, com.percent, com.answered, com.not_applicable) == (1.0, 25.0, 1, 1)
    assert com.priority == 9.0
    # overall: 7 counted items 3+2+1+0+2+1+1 = 10 -> 10/7
    assert scores.answered == 7 and scores.items == 12
    assert scores.mean == pytest.approx(10 / 7)
    assert scores.percent == pytest.approx(10 / 7 / 4 * 100)


def test_item_priority() -> None:
    assert item_priority(0, 3) == 12
    assert item_priority(4, 3) == 0
    assert item_priority(2, 2) == 4


def test_weakest_axes_tie_goes_to_the_higher_priority() -> None:
    scores = score_answers(answers(), AXES)
    # FIN and COM both 1.0; COM has priority 9 > 5.75
    assert [a.code for a in weakest_axes(scores, 3)] == ["COM", "FIN", "STRAT"]
    assert [a.code for a in weakest_axes(scores, 1)] == ["COM"]
    assert len(weakest_axes(scores, 7)) == 3  # never more than three


def test_axis_with_nothing_counted_is_not_proposed() -> None:
    scores = score_answers([ItemAnswer("STRAT", "STRAT-1", NA), ItemAnswer("FIN", "FIN-1", 2)], AXES)
    assert scores.axis("STRAT") is not None and scores.axis("STRAT").mean is None  # type: ignore[union-attr]
    assert [a.code for a in weakest_axes(scores, 3)] == ["FIN"]
    assert scores.axis("COM").answered == 0  # type: ignore[union-attr]


def test_weakest_item_and_ranking() -> None:
    rows = answers()
    item = weakest_item(rows, "FIN")
    assert item is not None and item.item_code == "FIN-1"  # priority 9 beats FIN-4's 6
    ranked = [(a.item_code, p) for a, p in ranked_items(rows, 3)]
    assert ranked == [("FIN-1", 9), ("COM-2", 9), ("STRAT-2", 6)]


def test_proposal_count_follows_the_track() -> None:
    assert proposal_count(1, 1) == 1  # Performance ciblée
    assert proposal_count(2, 3) == 3  # Performance approfondie
    assert proposal_count(2, 5) == 3


def test_group_average_weighs_each_company_the_same() -> None:
    a = score_answers([ItemAnswer("STRAT", "S1", 4), ItemAnswer("STRAT", "S2", 2)], AXES)  # 3.0
    b = score_answers([ItemAnswer("STRAT", "S1", 1), ItemAnswer("FIN", "F1", 2)], AXES)  # 1.0 / 2.0
    average = group_average([a, b])
    assert average == {"STRAT": 2.0, "FIN": 2.0}
