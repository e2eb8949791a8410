"""Screening arithmetic (cairn.risk.scoring): hand-checked examples at every boundary."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.risk.scoring import (
    Selection,
    age_on,
    indicator_points,
    level_for_score,
    review_due,
    screen,
)

V = ("vulnerability", "")
M6 = ("moderate", "within_6_months")
M12 = ("moderate", "6_to_12_months")
S6 = ("significant", "within_6_months")
S12 = ("significant", "6_to_12_months")


@pytest.mark.parametrize(
    ("category", "recency", "points"),
    [
        ("vulnerability", "", 1),
        ("moderate", "within_6_months", 1),
        ("moderate", "6_to_12_months", 0),
        ("significant", "within_6_months", 5),
        ("significant", "6_to_12_months", 1),
    ],
)
def test_points_per_indicator_follow_the_recency(category, recency, points) -> None:
    assert indicator_points(category, recency) == points


@pytest.mark.parametrize("category", ["moderate", "significant"])
def test_a_moderate_or_significant_indicator_needs_a_recency(category) -> None:
    with pytest.raises(ValueError, match="last seen"):
        indicator_points(category, "")


@pytest.mark.parametrize(
    ("selections", "score", "level"),
    [
        ([], 0, "none"),
        ([V] * 5, 5, "none"),
        ([V] * 6, 6, "low"),
        ([V] * 5 + [S6], 10, "low"),
        ([V] * 5 + [S6, M6], 11, "medium"),
        ([S6] * 3, 15, "medium"),
        ([S6] * 3 + [V], 16, "high"),
        # Older indicators count less: 5 vulnerabilities + 1 old significant + 3 old moderate.
        ([V] * 5 + [S12] + [M12] * 3, 6, "low"),
        ([V] * 5 + [M12] * 4, 5, "none"),
    ],
)
def test_score_and_suggested_level_at_every_boundary(selections, score, level) -> None:
    result = screen(selections, age=15)
    assert (result.score, result.suggested_level, result.score_level) == (score, level, level)
    assert result.floor_level is None


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, "none"), (5, "none"), (6, "low"), (10, "low"), (11, "medium"), (15, "medium"),
     (16, "high"), (40, "high")],
)  # fmt: skip
def test_bands(score, level) -> None:
    assert level_for_score(score) == level


def test_the_rule_explains_the_score_in_words() -> None:
    result = screen([V, V, M6, S6, S6], age=15)
    assert result.score == 13
    assert result.rule == (
        "Score 13 (2 vulnerabilities, 1 moderate indicator in the last 6 months, "
        "2 significant indicators: 5 + 5) suggests medium: 11–15 is medium."
    )


def test_the_rule_names_older_indicators_and_what_they_scored() -> None:
    result = screen([V, M12, S12, S6], age=15)
    assert result.rule == (
        "Score 7 (1 vulnerability, 1 moderate indicator 6 to 12 months ago (0 points), "
        "2 significant indicators: 5 + 1) suggests low: 6–10 is low."
    )
    assert [line.reason for line in result.lines] == [
        "Vulnerability: 1 point",
        "Moderate indicator last seen 6 to 12 months ago: 0 points (only the last 6 months count)",
        "Significant indicator last seen 6 to 12 months ago: 1 point",
        "Significant indicator seen in the last 6 months: 5 points",
    ]


def test_no_indicators_explains_a_zero_score() -> None:
    assert screen([]).rule == "Score 0 (no indicators) suggests none: 0–5 is none."


def test_high_band_reads_or_more() -> None:
    assert screen([S6] * 4).rule.endswith("suggests high: 16 or more is high.")


def test_floor_for_a_child_under_13_with_an_old_significant_indicator() -> None:
    result = screen([S12], age=12)
    assert result.score == 1
    assert result.score_level == "none"
    assert result.floor_level == "medium"
    assert result.suggested_level == "medium"
    assert result.floor_rule == (
        "The child is under 13 on the assessment date and shows a significant indicator, so "
        "the level cannot be below medium: medium is suggested."
    )
    assert result.rule.startswith("Score 1 (1 significant indicator: 1) suggests none")
    assert result.rule.endswith(result.floor_rule)
    assert not result.allows("low")
    assert result.allows("medium") and result.allows("high")


def test_floor_does_not_lower_a_higher_suggestion() -> None:
    result = screen([S6] * 4, age=10)
    assert (result.suggested_level, result.floor_level) == ("high", "medium")
    assert result.floor_rule.endswith("so the level cannot be below medium.")


def test_floor_for_a_learning_disability_at_any_age() -> None:
    result = screen([S6], age=16, learning_disability=True)
    assert result.floor_level == "medium"
    assert "has a learning disability and shows a significant indicator" in result.rule


def test_floor_names_both_reasons() -> None:
    result = screen([S6], age=11, learning_disability=True)
    assert result.floor_rule.startswith(
        "The child is under 13 on the assessment date, has a learning disability and shows"
    )


@pytest.mark.parametrize(
    ("selections", "age", "disability"),
    [
        ([M6] * 10 + [V] * 6, 12, False),  # no significant indicator: no floor
        ([S6], 13, False),  # 13 is not under 13
        ([S6], None, False),  # age not known
        ([V] * 3, 15, True),  # learning disability but nothing significant
    ],
)
def test_floor_not_applied(selections, age, disability) -> None:
    result = screen(selections, age=age, learning_disability=disability)
    assert result.floor_level is None
    assert result.floor_rule == ""
    assert result.allows("none")


def test_floor_age_and_level_are_settings(settings) -> None:
    settings.CAIRN_RISK_FLOOR_AGE = 16
    settings.CAIRN_RISK_FLOOR_LEVEL = "high"
    result = screen([S12], age=15)
    assert (result.floor_level, result.suggested_level) == ("high", "high")
    assert "under 16" in result.rule


def test_age_on_counts_whole_years() -> None:
    born = date(2012, 3, 1)
    assert age_on(born, date(2025, 2, 28)) == 12
    assert age_on(born, date(2025, 3, 1)) == 13
    assert age_on(None, date(2025, 3, 1)) is None


@pytest.mark.parametrize(
    ("level", "due"),
    [("none", None), ("low", date(2025, 4, 2)), ("medium", date(2025, 2, 12)),
     ("high", date(2025, 1, 29))],
)  # fmt: skip
def test_next_review_by_level(level, due) -> None:
    assert review_due(level, date(2025, 1, 1)) == due  # 91, 42 and 28 days


categories = st.sampled_from([V, M6, M12, S6, S12])


@given(st.lists(categories, max_size=40), st.integers(min_value=5, max_value=17), st.booleans())
def test_score_is_the_sum_of_hand_counted_points(selections, age, disability) -> None:
    result = screen([Selection(*s) for s in selections], age=age, learning_disability=disability)
    expected = (
        selections.count(V)
        + selections.count(M6)
        + 5 * selections.count(S6)
        + selections.count(S12)
    )
    assert result.score == expected == sum(line.points for line in result.lines)
    assert f"Score {expected} " in result.rule
    significant = S6 in selections or S12 in selections
    assert result.floor_applied == (significant and (age < 13 or disability))
    order = ["none", "low", "medium", "high"]
    assert order.index(result.suggested_level) >= order.index(level_for_score(expected))
