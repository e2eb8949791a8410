"""Screening arithmetic (DOMAIN.md "Exploitation risk", after Barnardo's SERAF). Pure: no database.

- A vulnerability scores 1 point.
- A moderate indicator scores 1 point if seen in the last 6 months, 0 if 6 to 12 months ago.
- A significant indicator scores 5 points if seen in the last 6 months, 1 if 6 to 12 months ago.
- The score suggests a level: 0–5 none, 6–10 low, 11–15 medium, 16 or more high.
- The floor: a child under `CAIRN_RISK_FLOOR_AGE` on the assessment date, or with a learning
  disability, who shows any significant indicator (however long ago) cannot be rated below
  `CAIRN_RISK_FLOOR_LEVEL`. Where the floor is above the score's level, the floor is suggested.

Every result carries the sentence that produced it, so a screen can always say why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from django.conf import settings

from cairn.risk.models import IndicatorCategory, Recency, RiskLevel

Category = IndicatorCategory
WITHIN = Recency.WITHIN_6_MONTHS.value
OLDER = Recency.SIX_TO_12_MONTHS.value

#: (lowest score, highest score or None, level), in rising order.
BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 5, RiskLevel.NONE.value),
    (6, 10, RiskLevel.LOW.value),
    (11, 15, RiskLevel.MEDIUM.value),
    (16, None, RiskLevel.HIGH.value),
)
LEVELS: tuple[str, ...] = tuple(level for _, _, level in BANDS)


class Selection(NamedTuple):
    """One ticked indicator: its category and when it was last seen ("" for a vulnerability).
    `code` and `wording` only label the explanation. A plain `(category, recency)` tuple works."""

    category: str
    recency: str = ""
    code: str = ""
    wording: str = ""


@dataclass(frozen=True)
class ScoreLine:
    """The points one indicator scored, and why."""

    category: str
    recency: str
    points: int
    code: str = ""
    wording: str = ""

    @property
    def reason(self) -> str:
        return line_reason(self.category, self.recency, self.points)


@dataclass(frozen=True)
class Screening:
    """The result of a screening: the score, the level it suggests, the floor, and the words.

    `score_level` is the level the score alone suggests; `suggested_level` is that level raised to
    the floor where the floor applies. `floor_level` is None when the floor does not apply.
    `rule` is the whole explanation: `score_rule`, then `floor_rule` when the floor applies."""

    score: int
    suggested_level: str
    floor_level: str | None
    rule: str
    lines: list[ScoreLine] = field(default_factory=list)
    score_level: str = RiskLevel.NONE.value
    score_rule: str = ""
    floor_rule: str = ""

    @property
    def floor_applied(self) -> bool:
        return self.floor_level is not None

    @property
    def minimum_level(self) -> str:
        """The lowest level the assessor may record."""
        return self.floor_level or RiskLevel.NONE.value

    def allows(self, level: str) -> bool:
        """Whether the assessor may record this level (it is not below the floor)."""
        return level_rank(level) >= level_rank(self.minimum_level)

    @property
    def suggested_label(self) -> str:
        return RiskLevel(self.suggested_level).label

    @property
    def score_label(self) -> str:
        return RiskLevel(self.score_level).label

    @property
    def floor_label(self) -> str:
        return RiskLevel(self.floor_level).label if self.floor_level else ""


def level_rank(level: str) -> int:
    """0 for none … 3 for high; raises ValueError for anything else."""
    try:
        return LEVELS.index(str(level))
    except ValueError:
        raise ValueError(f"unknown risk level {level!r}") from None


def higher_level(first: str, second: str) -> str:
    return first if level_rank(first) >= level_rank(second) else second


def indicator_points(category: str, recency: str = "") -> int:
    """Points for one indicator. Moderate and significant indicators need a recency."""
    if category == Category.VULNERABILITY:
        return 1
    if category not in (Category.MODERATE, Category.SIGNIFICANT):
        raise ValueError(f"unknown indicator category {category!r}")
    if recency not in (WITHIN, OLDER):
        raise ValueError(f"a {category} indicator needs to say when it was last seen")
    if category == Category.MODERATE:
        return 1 if recency == WITHIN else 0
    return 5 if recency == WITHIN else 1


def line_reason(category: str, recency: str, points: int) -> str:
    """Why one indicator scored what it did, in words."""
    unit = "point" if points == 1 else "points"
    if category == Category.VULNERABILITY:
        return f"Vulnerability: {points} {unit}"
    name = "Moderate indicator" if category == Category.MODERATE else "Significant indicator"
    when = "seen in the last 6 months" if recency == WITHIN else "last seen 6 to 12 months ago"
    note = " (only the last 6 months count)" if points == 0 else ""
    return f"{name} {when}: {points} {unit}{note}"


def level_for_score(score: int) -> str:
    for low, high, level in BANDS:
        if score >= low and (high is None or score <= high):
            return level
    raise ValueError(f"a score cannot be negative: {score}")


def band_text(level: str) -> str:
    """'11–15 is medium', '16 or more is high'."""
    for low, high, band_level in BANDS:
        if band_level == level:
            return f"{low}–{high} is {level}" if high is not None else f"{low} or more is {level}"
    raise ValueError(f"unknown risk level {level!r}")


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def score_rule(lines: Iterable[ScoreLine]) -> str:
    """'Score 12 (2 vulnerabilities, 1 moderate indicator in the last 6 months, 2 significant
    indicators: 5 + 5) suggests medium: 11–15 is medium.'"""
    lines = list(lines)
    score = sum(line.points for line in lines)
    level = level_for_score(score)
    vulnerabilities = [ln for ln in lines if ln.category == Category.VULNERABILITY]
    moderate_recent = [ln for ln in lines if ln.category == Category.MODERATE and ln.points]
    moderate_older = [ln for ln in lines if ln.category == Category.MODERATE and not ln.points]
    significant = sorted(
        (ln for ln in lines if ln.category == Category.SIGNIFICANT), key=lambda ln: -ln.points
    )
    parts = []
    if vulnerabilities:
        parts.append(_count(len(vulnerabilities), "vulnerability", "vulnerabilities"))
    if moderate_recent:
        parts.append(
            _count(len(moderate_recent), "moderate indicator", "moderate indicators")
            + " in the last 6 months"
        )
    if moderate_older:
        parts.append(
            _count(len(moderate_older), "moderate indicator", "moderate indicators")
            + " 6 to 12 months ago (0 points)"
        )
    if significant:
        parts.append(
            _count(len(significant), "significant indicator", "significant indicators")
            + ": "
            + " + ".join(str(ln.points) for ln in significant)
        )
    counted = ", ".join(parts) if parts else "no indicators"
    return f"Score {score} ({counted}) suggests {level}: {band_text(level)}."


def age_on(date_of_birth: date | None, day: date) -> int | None:
    """Age in whole years on a day (None when the date of birth is not known)."""
    if date_of_birth is None:
        return None
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def floor_reasons(
    *, age: int | None, learning_disability: bool, floor_age: int | None = None
) -> list[str]:
    """Why the floor could apply to this child: 'is under 13 on the assessment date', 'has a
    learning disability' (empty when neither holds)."""
    floor_age = settings.CAIRN_RISK_FLOOR_AGE if floor_age is None else floor_age
    reasons = []
    if age is not None and age < floor_age:
        reasons.append(f"is under {floor_age} on the assessment date")
    if learning_disability:
        reasons.append("has a learning disability")
    return reasons


def floor_rule(reasons: list[str], floor_level: str, score_level: str) -> str:
    """'The child is under 13 on the assessment date and shows a significant indicator, so the
    level cannot be below medium.' (plus what is suggested when the score is lower)."""
    if not reasons:
        who = "The child"
    else:
        who = "The child " + (reasons[0] if len(reasons) == 1 else f"{reasons[0]}, {reasons[1]}")
    joiner = " and" if reasons else ""
    text = (
        f"{who}{joiner} shows a significant indicator, so the level cannot be below {floor_level}."
    )
    if level_rank(score_level) < level_rank(floor_level):
        text = text[:-1] + f": {floor_level} is suggested."
    return text


def screen(
    selections: Iterable[Selection | tuple[str, str]],
    *,
    age: int | None = None,
    learning_disability: bool = False,
    floor_age: int | None = None,
    floor_level: str | None = None,
) -> Screening:
    """Score the selections for a child of this age (on the assessment date; None if unknown)."""
    floor_level = settings.CAIRN_RISK_FLOOR_LEVEL if floor_level is None else floor_level
    level_rank(floor_level)  # a misconfigured floor fails loudly
    lines = []
    for item in selections:
        chosen = item if isinstance(item, Selection) else Selection(*item)
        lines.append(
            ScoreLine(
                category=chosen.category,
                recency=chosen.recency or "",
                points=indicator_points(chosen.category, chosen.recency or ""),
                code=chosen.code,
                wording=chosen.wording,
            )
        )
    score = sum(line.points for line in lines)
    score_level = level_for_score(score)
    reasons = floor_reasons(age=age, learning_disability=learning_disability, floor_age=floor_age)
    has_significant = any(line.category == Category.SIGNIFICANT for line in lines)
    applies = bool(reasons) and has_significant
    text = score_rule(lines)
    floor_text = floor_rule(reasons, floor_level, score_level) if applies else ""
    return Screening(
        score=score,
        suggested_level=higher_level(score_level, floor_level) if applies else score_level,
        floor_level=floor_level if applies else None,
        rule=f"{text} {floor_text}" if floor_text else text,
        lines=lines,
        score_level=score_level,
        score_rule=text,
        floor_rule=floor_text,
    )


def review_due(level: str, assessed_on: date) -> date | None:
    """When the next review is due: `CAIRN_RISK_REVIEW_DAYS[level]` days after the assessment;
    None for level none (no review clock)."""
    level_rank(level)
    days = settings.CAIRN_RISK_REVIEW_DAYS.get(str(level))
    return None if days is None else assessed_on + timedelta(days=days)
