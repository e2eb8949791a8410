"""Exploitation risk histories for the synthetic county: assessments, their indicators, and
pieces of work with outcome scores.

Each child gets an *arc*: never assessed (most children), screened and found at no apparent risk,
at risk once and since closed, or at risk at the anchor date. At-risk children are first
identified on a date drawn so that, year on year, children are identified younger; their levels
then walk up and down (rising and falling over the years), reviewed every 28/42/91 days at
high/medium/low (`CAIRN_RISK_REVIEW_DAYS`), with some reviews late and some overdue at the anchor.
Levels at the anchor split like a real partnership's count ("102 at some level; 14 significant,
24 serious"). Boys are more often exploited criminally, girls sexually; online for both.

Every assessment is consistent with its indicators under the rule in `cairn.risk.scoring`: the
indicators' points add up to the score, the score suggests the level (raised to the under-13 /
learning-disability floor where that applies), and the assessor's level is the suggestion or,
with a rationale, one level above it. Exploitation types and CIN census factors follow from the
child's exploitation profile and the indicators seen.

`--assessments-per-child N` (benchmarks) gives every child exactly N assessments spread over
time, keeping the same arcs and levels.

Everything is drawn from the "risk" random streams, never from the streams that shape the
children's names or stories, so adding risk histories changed nothing else in the county.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from cairn.children.models import EducationStatus, LegalStatus, Sex
from cairn.demo import risk_wording as w
from cairn.demo.plans import IN_CARE, MAX_YEARS_KNOWN, ChildPlan, Weighted
from cairn.demo.rows import IdBlock, RowTable, json_text
from cairn.risk import scoring
from cairn.risk.catalogue import MODERATE, SIGNIFICANT, VULNERABILITIES
from cairn.risk.models import (
    AssessmentIndicator,
    CatalogueVersion,
    CinFactor,
    ExploitationType,
    Indicator,
    IndicatorCategory,
    Intervention,
    OutcomeDomain,
    OutcomeScore,
    OutcomeStage,
    Recency,
    RiskAssessment,
    RiskLevel,
)
from cairn.risk.services import catalogue_ensure_v1

if TYPE_CHECKING:
    from cairn.accounts.models import User
    from cairn.children.models import Child

NONE, LOW, MEDIUM, HIGH = (level.value for level in RiskLevel)
LEVELS = (NONE, LOW, MEDIUM, HIGH)
WITHIN, OLDER = Recency.WITHIN_6_MONTHS.value, Recency.SIX_TO_12_MONTHS.value

# Who is assessed. The weights give about a fifth of the county at low or above at the anchor.
NEVER, SCREENED, CLOSED, OPEN = "never", "screened", "closed", "open"
LEVEL_AT_ANCHOR = Weighted([(LOW, 64), (MEDIUM, 14), (HIGH, 24)])
# The level at the assessment before, given this one (the walk runs back from the anchor).
LEVEL_BEFORE = {
    HIGH: Weighted([(HIGH, 78), (MEDIUM, 17), (LOW, 5)]),
    MEDIUM: Weighted([(MEDIUM, 62), (HIGH, 20), (LOW, 18)]),
    LOW: Weighted([(LOW, 70), (MEDIUM, 20), (HIGH, 5), (NONE, 5)]),  # none: closed, then again
    NONE: Weighted([(LOW, 70), (MEDIUM, 30)]),
}
OVERDUE_AT_ANCHOR = 0.12
LATE_REVIEW = 0.1
OVERRIDE = 0.12  # the assessor rates one level above the suggestion, with a rationale
FLOOR_BELOW_SCORE = 0.4  # of floor children at medium: the score alone would say low

# When children are first identified: the age they are identified at falls by AGE_TREND years
# for every year closer to the anchor (to IDENTIFIED_AGE_NOW), and identifications are more
# frequent in recent years.
IDENTIFIED_AGE_NOW = 13.0
AGE_TREND = 0.9
AGE_SPREAD = 1.1
YOUNGEST_IDENTIFIED = 9
RECENCY_YEARS = 10.0

# What a child is exploited for, by sex; UASC children are more often trafficked.
PROFILES: dict[str, Weighted] = {
    Sex.MALE: Weighted(
        [("criminal", 36), ("county_lines", 34), ("sexual", 12), ("online", 12), ("trafficking", 6)]
    ),
    Sex.FEMALE: Weighted(
        [("sexual", 58), ("online", 18), ("criminal", 12), ("county_lines", 8), ("trafficking", 4)]
    ),
}
OTHER_PROFILES = Weighted([("sexual", 35), ("online", 30), ("criminal", 25), ("county_lines", 10)])
UASC_PROFILES = Weighted(
    [("trafficking", 45), ("county_lines", 30), ("criminal", 15), ("sexual", 10)]
)
NOT_IN_EDUCATION = {
    EducationStatus.PERMANENTLY_EXCLUDED,
    EducationStatus.ALTERNATIVE_PROVISION,
    EducationStatus.MISSING_EDUCATION,
}

# Outcomes: how the child's scores move over a piece of work.
OUTCOME_TREND = Weighted([("improved", 65), ("stayed", 22), ("worsened", 13)])
PRONOUNS: dict[str, tuple[str, str]] = {Sex.FEMALE: ("her", "her"), Sex.MALE: ("him", "his")}


@dataclass(slots=True)
class RiskPlan:
    """Drawn before the child's story, which it shapes: services knew a child identified at
    risk at the latest shortly before the first identification."""

    arc: str
    identified: date | None  # first assessed at low or above (open and closed arcs)


@dataclass(slots=True)
class RiskSubject:
    """What a child's risk history depends on, from the story already written for them."""

    child: Child
    plan: ChildPlan
    known_since: date
    lead: User
    lead_start: date
    previous: User | None  # the social worker before `lead_start`, if there was one
    partners: list[tuple[User, date]]  # other agencies' practitioners and when they started
    risk: RiskPlan


@dataclass(slots=True)
class Profile:
    types: list[str]
    vulnerabilities: list[str]
    moderate: list[str]
    significant: list[str]


@dataclass(slots=True)
class Step:
    day: date
    level: str
    after_closure: bool = False


@dataclass(slots=True)
class RiskHistory:
    """What a child's risk history was, for the records that follow from it (missing episodes):
    the assessments' dates and levels, and what the child was exploited for."""

    steps: list[Step]
    types: list[str]  # exploitation types while at risk (empty if never at risk)


@dataclass
class RiskRows:
    """Rows for `Batch`, in the order they are written."""

    assessments: list[list[Any]] = field(default_factory=list)
    indicators: list[tuple[int, int, str, int]] = field(default_factory=list)
    interventions: list[list[Any]] = field(default_factory=list)
    scores: list[tuple[int, str, str, int, date, int | None]] = field(default_factory=list)

    def write(self) -> None:
        ASSESSMENTS.insert(self.assessments)
        INDICATORS.insert(self.indicators)
        INTERVENTIONS.insert(self.interventions)
        SCORES.insert(self.scores)


ASSESSMENTS = RowTable(
    RiskAssessment,
    (
        "id",
        "assessment_ref",
        "child",
        "agency",
        "assessor",
        "assessed_on",
        "catalogue_version",
        "score",
        "suggested_level",
        "floor_applied",
        "level",
        "exploitation_types",
        "cin_factors",
        "rationale",
        "next_review_due",
        "is_current",
        "created_at",
    ),
    instance_fields=("child",),
    date_fields=("assessed_on", "next_review_due"),
)
INDICATORS = RowTable(AssessmentIndicator, ("assessment", "indicator", "recency", "points"))
INTERVENTIONS = RowTable(
    Intervention,
    ("id", "child", "agency", "name", "started_on", "ended_on"),
    instance_fields=("child",),
    date_fields=("started_on", "ended_on"),
)
SCORES = RowTable(
    OutcomeScore,
    ("intervention", "stage", "domain", "score", "recorded_on", "recorded_by"),
    date_fields=("recorded_on",),
)


def catalogue_v1() -> CatalogueVersion:
    """Version 1 of the indicator catalogue, loading it again if the database was flushed."""
    return catalogue_ensure_v1()


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class RiskHistories:
    """Draws each child's risk history and appends its rows to a batch."""

    def __init__(
        self,
        *,
        seed: int,
        anchor: date,
        agency_codes: dict[int, str],
        assessments_per_child: int | None = None,
    ) -> None:
        self.anchor = anchor
        self.agency_codes = agency_codes
        self.per_child = assessments_per_child
        self.rng = random.Random(f"cairn-demo:{seed}:risk")
        self.text_rng = random.Random(f"cairn-demo:{seed}:risk-text")
        self.outcome_rng = random.Random(f"cairn-demo:{seed}:outcomes")
        self.review_days: dict[str, int] = dict(settings.CAIRN_RISK_REVIEW_DAYS)
        self.floor_age: int = settings.CAIRN_RISK_FLOOR_AGE
        self.floor_level: str = settings.CAIRN_RISK_FLOOR_LEVEL
        version = catalogue_v1()
        self.version_id = version.pk
        self.indicator_ids = dict(
            Indicator.objects.filter(added_in=version).values_list("code", "id")
        )
        self.wording = {code: wording for code, wording, *_ in VULNERABILITIES + MODERATE}
        self.wording.update({code: wording for code, wording, _, _ in SIGNIFICANT})
        self.sig_types = {code: set(types) for code, _, _, types in SIGNIFICANT}
        self.moderate_types = {code: set(types) for code, _, types in MODERATE}
        self.points = {
            (category, recency): scoring.indicator_points(category, recency)
            for category, recency in (
                (IndicatorCategory.VULNERABILITY, ""),
                (IndicatorCategory.MODERATE, WITHIN),
                (IndicatorCategory.SIGNIFICANT, WITHIN),
                (IndicatorCategory.SIGNIFICANT, OLDER),
            )
        }
        self.assessment_ids = IdBlock(RiskAssessment)
        self.intervention_ids = IdBlock(Intervention)
        self.created_at = connection.ops.adapt_datetimefield_value(timezone.now())
        self.json: dict[tuple[str, ...], str] = {}

    # --- the arc and its dates --------------------------------------------------------------

    def _arc(self, plan: ChildPlan) -> str:
        chance = 0.04 + (0.32 if plan.concern else 0.0) + (0.12 if plan.missing else 0.0)
        chance += 0.05 if plan.legal_status in IN_CARE else 0.0
        chance += 0.1 if plan.uasc else 0.0
        chance *= 0.3 if plan.age <= 10 else 0.65 if plan.age <= 12 else 1.0
        roll = self.rng.random()
        if roll < chance * 0.72:
            return OPEN
        if roll < chance:
            return CLOSED
        return SCREENED if roll < chance + 0.1 else NEVER

    def plan(self, plan: ChildPlan, dob: date) -> RiskPlan:
        """The child's arc, and for children identified at risk, when that first happened."""
        arc = self._arc(plan)
        identified = None
        if arc in (OPEN, CLOSED):
            identified = self._first_identified(dob)
            if identified is None:
                arc = SCREENED
            elif arc == CLOSED and (self.anchor - identified).days < 91:
                arc = OPEN
        return RiskPlan(arc, identified)

    def known_by(self, risk: RiskPlan, known_since: date) -> date:
        """When services first knew the child, given when they were first identified at risk."""
        if risk.identified is None:
            return known_since
        return min(known_since, risk.identified - timedelta(days=self.rng.randint(0, 60)))

    def _first_identified(self, dob: date) -> date | None:
        """When the child was first assessed at low or above: recent years are likelier, and
        the age at identification falls towards IDENTIFIED_AGE_NOW year on year."""
        anchor = self.anchor
        latest = anchor - timedelta(days=1)
        earliest = max(
            _years_after(dob, YOUNGEST_IDENTIFIED),
            anchor - timedelta(days=MAX_YEARS_KNOWN * 365 - 61),
        )
        span = (latest - earliest).days
        if span < 0:
            return None
        steps = max(1, span // 30)
        days = [earliest + timedelta(days=span * i // steps) for i in range(steps + 1)]
        weights = []
        for day in days:
            back = (anchor - day).days / 365.25
            gap = (day - dob).days / 365.25 - (IDENTIFIED_AGE_NOW + AGE_TREND * back)
            weights.append(math.exp(-back / RECENCY_YEARS - gap * gap / (2 * AGE_SPREAD**2)))
        day = self.rng.choices(days, weights=[wt + 1e-12 for wt in weights])[0]
        return day + timedelta(days=self.rng.randint(0, min(29, (latest - day).days)))

    def _gap(self, level: str) -> int:
        """Days from an assessment at `level` to the next (its review, a little early or late)."""
        rng, days = self.rng, self.review_days[level]
        if rng.random() < LATE_REVIEW:
            return days + rng.randint(1, 28)
        return days - rng.randint(0, min(7, days - 1))

    def _walk_back(self, last: Step, first_allowed: date | None, count: int | None) -> list[Step]:
        """Assessments from `last` back in time: until `first_allowed`, or `count` of them."""
        rng = self.rng
        steps = [last]
        while count is None or len(steps) < count:
            current = steps[-1]
            before = LEVEL_BEFORE[current.level].pick(rng)
            # Closed, then identified again months later; otherwise the review clock.
            gap = rng.randint(60, 400) if before == NONE else self._gap(before)
            day = current.day - timedelta(days=gap)
            if first_allowed is not None and day < first_allowed:
                break
            steps.append(Step(day, before))
        steps.reverse()
        closed = False
        for step in steps:
            step.after_closure = closed
            closed = closed or (step.level == NONE and step is not steps[0])
        return steps

    def _spread(self, steps: list[Step], earliest: date) -> list[Step]:
        """Squeeze a history that starts before `earliest` into [earliest, its last day]."""
        first, last = steps[0].day, steps[-1].day
        if first >= earliest or last <= earliest:
            for step in steps:
                step.day = max(step.day, min(earliest, last))
            return steps
        scale = (last - earliest).days / (last - first).days
        for step in steps:
            step.day = last - timedelta(days=int((last - step.day).days * scale))
        return steps

    def _timeline(self, s: RiskSubject) -> list[Step]:
        rng, anchor, per_child = self.rng, self.anchor, self.per_child
        arc, t0 = s.risk.arc, s.risk.identified
        if arc in (NEVER, SCREENED):
            count = per_child if per_child is not None else (0 if arc == NEVER else 1)
            if count and per_child is None and rng.random() < 0.2:
                count = 2
            span = (anchor - s.known_since).days
            return [
                Step(s.known_since + timedelta(days=int(span * (i + rng.random()) / count)), NONE)
                for i in range(count)
            ]
        assert t0 is not None
        if arc == CLOSED:
            closing = t0 + timedelta(days=rng.randint(90, (anchor - t0).days))
            last = Step(closing, NONE)
        else:
            level = LEVEL_AT_ANCHOR.pick(rng)
            days = self.review_days[level]
            late = rng.random() < OVERDUE_AT_ANCHOR
            since = days + rng.randint(1, 40) if late else rng.randint(0, days - 1)
            last = Step(max(t0, anchor - timedelta(days=since)), level)
        if per_child is not None:
            steps = self._walk_back(last, None, per_child) if per_child else []
            return self._spread(steps, s.known_since) if steps else steps
        steps = self._walk_back(last, t0, None)
        while steps[0].level == NONE and len(steps) > 1:
            steps.pop(0)  # a history starts with the first identification
        steps[0].after_closure = False
        first = steps[0].day
        if rng.random() < 0.15 and (first - s.known_since).days > 30:
            screened = first - timedelta(days=rng.randint(30, (first - s.known_since).days))
            steps.insert(0, Step(screened, NONE))
        return steps

    # --- who the child is to an assessor ------------------------------------------------------

    def _profile(self, s: RiskSubject) -> Profile:
        rng, plan, child = self.rng, s.plan, s.child
        if plan.uasc:
            primary = UASC_PROFILES.pick(rng)
        else:
            primary = PROFILES.get(plan.sex, OTHER_PROFILES).pick(rng)
        types = {
            "sexual": ["sexual"] + (["online"] if rng.random() < 0.35 else []),
            "criminal": ["criminal"] + (["online"] if rng.random() < 0.15 else []),
            "county_lines": ["criminal", "county_lines"],
            "online": ["online"] + (["sexual"] if rng.random() < 0.6 else []),
            "trafficking": ["trafficking", rng.choice(("labour", "criminal", "sexual"))],
        }[primary]
        assert set(types) <= set(ExploitationType.values)
        facts = []
        if plan.legal_status in IN_CARE:
            facts.append("v-looked-after")
        if child.learning_disability:
            facts.append("v-send")
        if child.education_status in NOT_IN_EDUCATION:
            facts.append("v-not-in-education")
        if plan.legal_status == LegalStatus.CHILD_PROTECTION:
            facts.append(rng.choice(("v-emotional-neglect", "v-physical-abuse", "v-toxic-trio")))
        fixed = {"v-looked-after", "v-send", "v-not-in-education", "v-previous-victim"}
        others = [code for code, *_ in VULNERABILITIES if code not in fixed | set(facts)]
        rng.shuffle(others)
        vulnerabilities = (facts + others)[: max(len(facts), rng.randint(4, 9))]
        wanted = set(types)
        moderate = [
            code
            for code, types_ in self.moderate_types.items()
            if not types_ or types_ & wanted or code == "m-phone-internet"
        ]
        rng.shuffle(moderate)
        significant = [
            code
            for code, types_ in self.sig_types.items()
            if types_ & wanted and (code != "s-missing" or plan.missing)
        ]
        rng.shuffle(significant)
        if "s-missing" in significant and rng.random() < 0.7:
            significant.remove("s-missing")
            significant.insert(0, "s-missing")
        return Profile(types, vulnerabilities, moderate, significant)

    def _screening_profile(self, s: RiskSubject) -> Profile:
        rng = self.rng
        codes = [code for code, *_ in VULNERABILITIES if code != "v-previous-victim"]
        rng.shuffle(codes)
        if s.plan.legal_status in IN_CARE:
            codes.remove("v-looked-after")
            codes.insert(0, "v-looked-after")
        moderate = [code for code, _, types in MODERATE if not types]
        rng.shuffle(moderate)
        return Profile([], codes[: rng.randint(1, 5)], moderate, [])

    # --- one assessment -----------------------------------------------------------------------

    def _recipe(self, level: str, floor_child: bool) -> tuple[int, int, int]:
        """(recent significant, older significant, other points) for a score suggesting
        `level`; a floor child at low shows no significant indicator (that would mean medium)."""
        rng = self.rng
        if level == NONE:
            return 0, 0, rng.randint(0, 5)
        if level == LOW:
            older = 0 if floor_child or rng.random() >= 0.25 else 1
            return 0, older, rng.randint(6, 10) - older
        if level == MEDIUM:
            if rng.random() < 0.15:
                return 2, 0, rng.randint(1, 5)
            older = 1 if rng.random() < 0.3 else 0
            return 1, older, rng.randint(6, 10) - older
        if rng.random() < 0.35:
            return 3, 0, rng.randint(1, 8)
        older = 1 if rng.random() < 0.3 else 0
        return 2, older, rng.randint(6, 12) - older

    def _assessment(
        self,
        rows: RiskRows,
        s: RiskSubject,
        profile: Profile,
        step: Step,
        closing: bool,
        *,
        current: bool,
    ) -> None:
        rng, child = self.rng, s.child
        dob = child.date_of_birth
        assert dob is not None
        level, day = step.level, step.day
        age = _age_on(dob, day)
        floor_child = age < self.floor_age or child.learning_disability
        rank = LEVELS.index(level)
        override = level != NONE and rng.random() < OVERRIDE
        scored = LEVELS[rank - 1] if override else level  # the level the score is built for
        if override:
            recipe = self._recipe(scored, floor_child)
        elif floor_child and level == MEDIUM and rng.random() < FLOOR_BELOW_SCORE:
            recipe = (1, 0, rng.randint(1, 5)) if rng.random() < 0.6 else (0, 1, rng.randint(5, 9))
        else:
            recipe = self._recipe(level, floor_child)
        recent, older, rest = recipe
        vulnerabilities = profile.vulnerabilities
        if step.after_closure:
            vulnerabilities = ["v-previous-victim", *vulnerabilities]
        # Split the other points between vulnerabilities and recent moderate indicators.
        most = max(5, rest - len(vulnerabilities)) if scored != NONE else 1
        cap = min(len(profile.moderate), most)
        fewest = max(min(1, rest) if scored != NONE else 0, rest - len(vulnerabilities))
        moderate = min(cap, rng.randint(fewest, max(fewest, min(cap, rest))))
        vulnerable = min(len(vulnerabilities), rest - moderate)
        significant = profile.significant
        selections = (
            [(code, IndicatorCategory.SIGNIFICANT, WITHIN) for code in significant[:recent]]
            + [
                (code, IndicatorCategory.SIGNIFICANT, OLDER)
                for code in significant[recent : recent + older]
            ]
            + [(code, IndicatorCategory.MODERATE, WITHIN) for code in profile.moderate[:moderate]]
            + [(code, IndicatorCategory.VULNERABILITY, "") for code in vulnerabilities[:vulnerable]]
        )

        assessment_id = self.assessment_ids.take()
        score = 0
        ids = self.indicator_ids
        for code, category, recency in selections:
            points = self.points[(category, recency)]
            score += points
            rows.indicators.append((assessment_id, ids[code], recency, points))
        score_level = scoring.level_for_score(score)
        floor_applied = floor_child and bool(recent or older)
        suggested = score_level
        if floor_applied and LEVELS.index(score_level) < LEVELS.index(self.floor_level):
            suggested = self.floor_level
        assert suggested == level or (override and LEVELS.index(suggested) == rank - 1), (
            suggested,
            level,
            recipe,
        )

        shown = [code for code, *_ in selections[:3]] if level != NONE else []
        rationale = self._rationale(
            s, level, suggested, score_level, floor_applied, shown, closing, day
        )
        types = profile.types if level != NONE else []
        seen = {code for code, *_ in selections}
        factors = []
        if "sexual" in types:
            factors.append(CinFactor.CSE.value)
        if "criminal" in types or "county_lines" in types:
            factors.append(CinFactor.CCE.value)
        if "trafficking" in types:
            factors.append(CinFactor.TRAFFICKING.value)
        if "s-missing" in seen:
            factors.append(CinFactor.MISSING.value)
        if "s-gang-association" in seen:
            factors.append(CinFactor.GANGS.value)
        assessor = s.previous if s.previous is not None and day < s.lead_start else s.lead
        review = self.review_days.get(level)
        rows.assessments.append(
            [
                assessment_id,
                f"RA-{assessment_id:06d}",
                child,
                assessor.agency_id,
                assessor.id,
                day,
                self.version_id,
                score,
                suggested,
                floor_applied,
                level,
                self._json(types),
                self._json(factors),
                rationale,
                day + timedelta(days=review) if review else None,
                current,
                self.created_at,
            ]
        )

    def _json(self, values: list[str]) -> str:
        key = tuple(values)
        if key not in self.json:
            self.json[key] = json_text(values)
        return self.json[key]

    def _rationale(
        self,
        s: RiskSubject,
        level: str,
        suggested: str,
        score_level: str,
        floor_applied: bool,
        shown: list[str],
        closing: bool,
        day: date,
    ) -> str:
        rng = self.text_rng
        them, their = PRONOUNS.get(s.plan.sex, ("them", "their"))
        values = {
            "name": s.child.given_name,
            "them": them,
            "their": their,
            "level": level,
            "suggested": suggested,
            "floor_age": self.floor_age,
            "reasons": _joined([_lower_first(self.wording[code]) for code in shown])
            if shown
            else "",
            "reason": _lower_first(self.wording[shown[0]]) if shown else "",
        }
        parts = []
        if level == NONE:
            if closing:
                parts.append(rng.choice(w.RATIONALE_CLOSED))
            elif rng.random() < 0.4:
                parts.append(rng.choice(w.RATIONALE_SCREENED))
            return " ".join(parts).format_map(values)
        if level != suggested:
            parts.append(rng.choice(w.RATIONALE_OVERRIDE))
        elif floor_applied and score_level != suggested:
            dob = s.child.date_of_birth
            assert dob is not None
            under_age = _age_on(dob, day) < self.floor_age
            parts.append(
                rng.choice(w.RATIONALE_FLOOR_AGE if under_age else w.RATIONALE_FLOOR_DISABILITY)
            )
        if level == HIGH or rng.random() < 0.5:
            templates = {HIGH: w.RATIONALE_HIGH, MEDIUM: w.RATIONALE_MEDIUM, LOW: w.RATIONALE_LOW}
            parts.insert(0, rng.choice(templates[level]))
        return " ".join(parts).format_map(values)

    # --- outcomes -----------------------------------------------------------------------------

    def _intervention(self, rows: RiskRows, s: RiskSubject, steps: list[Step]) -> None:
        rng, anchor = self.outcome_rng, self.anchor
        peak = max(LEVELS.index(step.level) for step in steps)
        if peak == 0 or rng.random() >= (0.6 if peak >= 2 else 0.25):
            return
        first_peak = next(step for step in steps if LEVELS.index(step.level) == peak)
        start = first_peak.day + timedelta(days=rng.randint(0, 21))
        if start > anchor:
            return
        workers = [(user, since) for user, since in s.partners if since <= start]
        codes = {user.agency_id: user for user, _ in workers}
        choices = [user for user in codes.values() if self._agency_code(user) in w.INTERVENTIONS]
        worker = rng.choice(choices) if choices and rng.random() < 0.7 else s.lead
        code = self._agency_code(worker)
        end = start + timedelta(days=rng.randint(84, 182))
        intervention_id = self.intervention_ids.take()
        rows.interventions.append(
            [
                intervention_id,
                s.child,
                worker.agency_id,
                rng.choice(w.INTERVENTIONS[code]),
                start,
                end if end <= anchor else None,
            ]
        )
        trend = OUTCOME_TREND.pick(rng)
        stages = [(OutcomeStage.START.value, start)]
        if start + timedelta(days=42) <= anchor:
            stages.append((OutcomeStage.SIX_WEEKS.value, start + timedelta(days=42)))
        if end <= anchor:
            stages.append((OutcomeStage.END.value, end))
        moved = rng.sample(list(OutcomeDomain.values), rng.randint(2, 5))
        for domain in OutcomeDomain.values:
            first = rng.choice((1, 2, 2, 3, 3)) if trend != "worsened" else rng.randint(2, 4)
            change = 0
            if domain in moved:
                change = {"improved": rng.randint(1, 2), "stayed": 0, "worsened": -1}[trend]
            final = min(5, max(1, first + change))
            middle = first + (final - first + (1 if final > first else 0)) // 2
            for stage, day in stages:
                score = {"start": first, "six_weeks": middle, "end": final}[stage]
                rows.scores.append((intervention_id, stage, domain, score, day, worker.id))

    def _agency_code(self, user: User) -> str:
        assert user.agency_id is not None
        return self.agency_codes[user.agency_id]

    # --- the child ----------------------------------------------------------------------------

    def child_add(self, s: RiskSubject, rows: RiskRows) -> RiskHistory:
        """Append the child's assessments, indicators and any piece of work to `rows`, and
        return the history they record."""
        steps = self._timeline(s)
        if not steps:
            return RiskHistory([], [])
        at_risk = any(step.level != NONE for step in steps)
        profile = self._profile(s) if at_risk else self._screening_profile(s)
        # The latest assessment (by date, then by id, which follows the order written) is current.
        latest = max(range(len(steps)), key=lambda index: (steps[index].day, index))
        for index, step in enumerate(steps):
            closing = step.level == NONE and index > 0 and steps[index - 1].level != NONE
            self._assessment(rows, s, profile, step, closing, current=index == latest)
        if at_risk:
            self._intervention(rows, s, steps)
        return RiskHistory(steps, profile.types if at_risk else [])
