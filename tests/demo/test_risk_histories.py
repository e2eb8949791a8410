"""The synthetic county's exploitation risk histories: realistic, consistent with the scoring
rule, children-first, and the same for the same seed."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max
from django.test import override_settings

from cairn.children.models import Child
from cairn.demo.generator import county_generate, database_flush
from cairn.language.checker import check_text
from cairn.risk import scoring
from cairn.risk.models import (
    AssessmentIndicator,
    CinFactor,
    ExploitationType,
    Indicator,
    Intervention,
    OutcomeDomain,
    OutcomeScore,
    RiskAssessment,
)
from tests.demo.conftest import ANCHOR

COUNTY_ANCHOR = date(2024, 8, 31)
COUNTY_SIZE = 300
RANK = {level: rank for rank, level in enumerate(scoring.LEVELS)}
CRIMINAL = {"criminal", "county_lines"}


@dataclass
class County:
    """One 300-child county's risk histories, read once into plain Python for every test."""

    children: dict[int, dict]  # type: ignore[type-arg]
    assessments: list[dict]  # type: ignore[type-arg]
    indicators: dict[int, list[tuple[Indicator, str, int]]]
    first_involved: dict[int, date]
    interventions: list[dict]  # type: ignore[type-arg]
    scores: dict[int, list[tuple[str, str, int, date]]]

    def by_child(self) -> dict[int, list[dict]]:  # type: ignore[type-arg]
        histories: dict[int, list[dict]] = defaultdict(list)  # type: ignore[type-arg]
        for assessment in sorted(self.assessments, key=lambda a: (a["assessed_on"], a["id"])):
            histories[assessment["child_id"]].append(assessment)
        return histories

    def latest_levels(self) -> dict[int, str]:
        return {child: history[-1]["level"] for child, history in self.by_child().items()}


def _read_county() -> County:
    catalogue = {indicator.pk: indicator for indicator in Indicator.objects.all()}
    indicators: dict[int, list[tuple[Indicator, str, int]]] = defaultdict(list)
    for assessment_id, indicator_id, recency, points in AssessmentIndicator.objects.values_list(
        "assessment_id", "indicator_id", "recency", "points"
    ):
        indicators[assessment_id].append((catalogue[indicator_id], recency, points))
    first_involved: dict[int, date] = {}
    for child in Child.objects.prefetch_related("involvements"):
        first_involved[child.pk] = min(i.started_on for i in child.involvements.all())
    scores: dict[int, list[tuple[str, str, int, date]]] = defaultdict(list)
    for row in OutcomeScore.objects.values_list(
        "intervention_id", "stage", "domain", "score", "recorded_on"
    ):
        scores[row[0]].append(row[1:])
    return County(
        children={
            child["id"]: child
            for child in Child.objects.values(
                "id",
                "sex",
                "date_of_birth",
                "learning_disability",
                "lead_professional__agency_id",
            )
        },
        assessments=list(
            RiskAssessment.objects.values(
                "id",
                "assessment_ref",
                "child_id",
                "agency_id",
                "assessor__agency_id",
                "assessor__role",
                "assessed_on",
                "catalogue_version__number",
                "score",
                "suggested_level",
                "floor_applied",
                "level",
                "exploitation_types",
                "cin_factors",
                "rationale",
                "next_review_due",
                "is_current",
            )
        ),
        indicators=indicators,
        first_involved=first_involved,
        interventions=list(Intervention.objects.values()),
        scores=scores,
    )


@pytest.fixture(scope="module")
def risk_county(django_db_setup, django_db_blocker) -> County:  # type: ignore[no-untyped-def]
    """Generated once for the module, read into memory, and rolled back."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        county_generate(seed=3, children=COUNTY_SIZE, anchor=COUNTY_ANCHOR)
        data = _read_county()
        transaction.set_rollback(True)
    return data


def _age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _snapshot() -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    """The risk records as a person would see them, without database ids."""
    return {
        "assessments": list(
            RiskAssessment.objects.order_by("assessment_ref").values_list(
                "assessment_ref",
                "child__child_ref",
                "agency__code",
                "assessor__username",
                "assessed_on",
                "score",
                "suggested_level",
                "floor_applied",
                "level",
                "exploitation_types",
                "cin_factors",
                "rationale",
                "next_review_due",
            )
        ),
        "indicators": sorted(
            AssessmentIndicator.objects.values_list(
                "assessment__assessment_ref", "indicator__code", "recency", "points"
            )
        ),
        "scores": sorted(
            OutcomeScore.objects.values_list(
                "intervention__child__child_ref",
                "intervention__name",
                "intervention__started_on",
                "stage",
                "domain",
                "score",
                "recorded_by__username",
            )
        ),
    }


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_risk_histories_whatever_the_batch_size():
    county_generate(seed=11, children=60, anchor=ANCHOR)
    first = _snapshot()
    database_flush()  # also empties the indicator catalogue: the generator loads it again
    county_generate(seed=11, children=60, anchor=ANCHOR, batch_size=7)
    assert _snapshot() == first
    assert first["assessments"] and first["indicators"] and first["scores"]
    database_flush()
    county_generate(seed=12, children=60, anchor=ANCHOR)
    assert _snapshot()["assessments"] != first["assessments"]


def test_about_a_fifth_of_the_county_is_at_low_or_above_at_the_anchor(risk_county):
    latest = risk_county.latest_levels()
    levels = Counter(latest.values())
    at_risk = levels["low"] + levels["medium"] + levels["high"]
    assert 0.12 <= at_risk / COUNTY_SIZE <= 0.28
    # Split like "102 at some level; 14 medium (significant), 24 high (serious)".
    assert levels["low"] > levels["high"] > 0 and levels["medium"] > 0
    assert 0.45 <= levels["low"] / at_risk <= 0.8
    assert 0.05 <= levels["medium"] / at_risk <= 0.3
    assert 0.1 <= levels["high"] / at_risk <= 0.4
    # Most children were never assessed above none; some were screened and found at none.
    ever = {a["child_id"] for a in risk_county.assessments if a["level"] != "none"}
    assert len(ever) / COUNTY_SIZE < 0.4
    assert any(level == "none" for level in latest.values())


def test_each_assessed_child_has_one_current_assessment_their_latest(risk_county):
    by_child: dict[int, list[dict]] = defaultdict(list)  # type: ignore[type-arg]
    for a in risk_county.assessments:
        by_child[a["child_id"]].append(a)
    assert by_child
    for history in by_child.values():
        latest = max(history, key=lambda a: (a["assessed_on"], a["id"]))
        assert [a["id"] for a in history if a["is_current"]] == [latest["id"]]


def test_risk_rises_and_falls_over_the_years(risk_county):
    histories = risk_county.by_child().values()
    rises = falls = closed = 0
    for history in histories:
        ranks = [RANK[a["level"]] for a in history]
        pairs = list(zip(ranks, ranks[1:], strict=False))
        rises += any(later > earlier for earlier, later in pairs)
        falls += any(0 < later < earlier for earlier, later in pairs)
        closed += history[-1]["level"] == "none" and max(ranks) > 0
    assert rises >= 10 and falls >= 10 and closed >= 5
    spans = [(h[-1]["assessed_on"] - h[0]["assessed_on"]).days for h in histories if len(h) > 1]
    assert max(spans) > 2 * 365, "some children have histories over years"
    at_risk = [h for h in histories if any(a["level"] != "none" for a in h)]
    assert 5 <= sum(len(h) for h in at_risk) / len(at_risk) <= 14


def test_boys_are_more_often_exploited_criminally_girls_sexually_and_both_online(risk_county):
    types = Counter()
    for child_id, history in risk_county.by_child().items():
        sex = risk_county.children[child_id]["sex"]
        for kind in {t for a in history for t in a["exploitation_types"]}:
            types[kind, sex] += 1
    assert types["criminal", "male"] > 1.5 * types["criminal", "female"]
    assert types["sexual", "female"] > 1.5 * types["sexual", "male"]
    assert types["online", "female"] >= 3 and types["online", "male"] >= 3
    used = {t for a in risk_county.assessments for t in a["exploitation_types"]}
    assert used <= set(ExploitationType.values) and "county_lines" in used


def test_children_are_first_identified_younger_in_recent_years(risk_county):
    recent, before = [], []
    for child_id, history in risk_county.by_child().items():
        first = next((a for a in history if a["level"] != "none"), None)
        if first is None:
            continue
        dob = risk_county.children[child_id]["date_of_birth"]
        age = (first["assessed_on"] - dob).days / 365.25
        back = (COUNTY_ANCHOR - first["assessed_on"]).days
        if back < 365:
            recent.append(age)
        elif back < 3 * 365:
            before.append(age)
    assert len(recent) >= 10 and len(before) >= 10
    assert sum(recent) / len(recent) < sum(before) / len(before) - 0.4


def test_every_score_is_the_sum_of_its_indicators_and_suggests_the_stored_level(risk_county):
    overrides = floors = 0
    for a in risk_county.assessments:
        child = risk_county.children[a["child_id"]]
        selected = risk_county.indicators[a["id"]]
        assert sum(points for _, _, points in selected) == a["score"]
        screening = scoring.screen(
            [(indicator.category, recency) for indicator, recency, _ in selected],
            age=_age_on(child["date_of_birth"], a["assessed_on"]),
            learning_disability=child["learning_disability"],
        )
        assert [points for _, _, points in selected] == [line.points for line in screening.lines]
        assert (screening.score, screening.suggested_level, screening.floor_applied) == (
            a["score"],
            a["suggested_level"],
            a["floor_applied"],
        ), a["assessment_ref"]
        # The final level is the suggestion or, with a rationale, one level above it.
        step = RANK[a["level"]] - RANK[a["suggested_level"]]
        assert step in (0, 1), a["assessment_ref"]
        if step:
            overrides += 1
            assert a["rationale"]
        if a["level"] == "high":
            assert a["rationale"]
        floors += a["floor_applied"]
    assert overrides >= 5 and floors >= 5
    assert overrides < 0.25 * len(risk_county.assessments)


def test_a_significant_indicator_puts_under_13s_and_disabled_children_at_medium_or_above(
    risk_county,
):
    """The floor: under 13 on the day, or a learning disability, with any significant
    indicator."""
    floor_cases = 0
    for a in risk_county.assessments:
        child = risk_county.children[a["child_id"]]
        selected = risk_county.indicators[a["id"]]
        significant = any(indicator.category == "significant" for indicator, _, _ in selected)
        young = _age_on(child["date_of_birth"], a["assessed_on"]) < 13
        if significant and (young or child["learning_disability"]):
            floor_cases += 1
            assert RANK[a["level"]] >= RANK["medium"], a["assessment_ref"]
            assert a["floor_applied"]
    assert floor_cases >= 5


def test_the_next_review_falls_due_by_level_and_some_are_overdue_at_the_anchor(risk_county):
    days = {"high": 28, "medium": 42, "low": 91}
    for a in risk_county.assessments:
        if a["level"] == "none":
            assert a["next_review_due"] is None
        else:
            assert a["next_review_due"] == a["assessed_on"] + timedelta(days=days[a["level"]])
    latest = [h[-1] for h in risk_county.by_child().values() if h[-1]["level"] != "none"]
    overdue = [a for a in latest if a["next_review_due"] < COUNTY_ANCHOR]
    assert 1 <= len(overdue) < len(latest) / 3


def test_reviews_follow_the_review_clock_while_a_child_is_at_risk(risk_county):
    gaps = Counter()
    for history in risk_county.by_child().values():
        for earlier, later in zip(history, history[1:], strict=False):
            if earlier["level"] != "none" and later["level"] != "none":
                due = earlier["next_review_due"]
                gaps["on time" if abs((later["assessed_on"] - due).days) <= 7 else "late"] += 1
    assert gaps["on time"] > 4 * gaps["late"] > 0


def test_rationales_are_written_in_children_first_language(risk_county):
    rationales = {a["rationale"] for a in risk_county.assessments if a["rationale"]}
    assert len(rationales) > 100
    assert {text: check_text(text) for text in rationales if check_text(text)} == {}


def test_census_factors_follow_the_exploitation_types_and_indicators(risk_county):
    for a in risk_county.assessments:
        types, factors = set(a["exploitation_types"]), set(a["cin_factors"])
        codes = {indicator.code for indicator, _, _ in risk_county.indicators[a["id"]]}
        assert factors <= set(CinFactor.values)
        assert ("11A" in factors) == ("sexual" in types)
        assert ("24A" in factors) == bool(types & CRIMINAL)
        assert ("12A" in factors) == ("trafficking" in types)
        assert ("10A" in factors) == ("s-missing" in codes)
        assert ("13A" in factors) == ("s-gang-association" in codes)
        if a["level"] == "none":
            assert not types and not factors
        else:
            assert types
        for indicator, _, _ in risk_county.indicators[a["id"]]:
            if indicator.category == "significant":
                assert types & set(indicator.exploitation_types), a["assessment_ref"]


def test_assessments_are_referenced_dated_and_signed_by_the_lead_agency(risk_county):
    refs = [a["assessment_ref"] for a in risk_county.assessments]
    assert len(set(refs)) == len(refs)
    assert all(ref.startswith("RA-") for ref in refs)
    for a in risk_county.assessments:
        child = risk_county.children[a["child_id"]]
        assert a["catalogue_version__number"] == 1
        assert a["assessor__agency_id"] == a["agency_id"] == child["lead_professional__agency_id"]
        assert a["assessor__role"] == "practitioner"
        assert risk_county.first_involved[a["child_id"]] <= a["assessed_on"] <= COUNTY_ANCHOR


def test_pieces_of_work_are_scored_at_the_start_six_weeks_and_end(risk_county):
    assert len(risk_county.interventions) >= 10
    trends = Counter()
    for intervention in risk_county.interventions:
        scores = risk_county.scores[intervention["id"]]
        assert all(1 <= score <= 5 for _, _, score, _ in scores)
        by_stage: dict[str, dict[str, int]] = defaultdict(dict)
        for stage, domain, score, recorded_on in scores:
            by_stage[stage][domain] = score
            assert intervention["started_on"] <= recorded_on <= COUNTY_ANCHOR
        assert all(set(domains) == set(OutcomeDomain.values) for domains in by_stage.values())
        assert "start" in by_stage
        assert ("end" in by_stage) == (intervention["ended_on"] is not None)
        if "end" in by_stage:
            assert "six_weeks" in by_stage
            change = sum(by_stage["end"].values()) - sum(by_stage["start"].values())
            trends["improved" if change > 0 else "worsened" if change < 0 else "stayed"] += 1
    assert trends["improved"] > trends["stayed"] + trends["worsened"]
    assert trends["stayed"] + trends["worsened"] >= 1


@pytest.mark.django_db
def test_generate_can_give_every_child_exactly_n_assessments_for_benchmarks():
    out = StringIO()
    call_command(
        "generate",
        "--children",
        "40",
        "--anchor",
        "2025-03-31",
        "--assessments-per-child",
        "3",
        stdout=out,
        stderr=StringIO(),
    )
    counts = Child.objects.annotate(n=Count("risk_assessments")).values_list("n", flat=True)
    assert sorted(set(counts)) == [3]
    assert "risk assessments" in out.getvalue()
    for child in Child.objects.prefetch_related("risk_assessments", "involvements"):
        first = min(i.started_on for i in child.involvements.all())
        assert all(first <= a.assessed_on <= ANCHOR for a in child.risk_assessments.all())
    assert RiskAssessment.objects.exclude(level="none").exists()


def test_records_added_after_generation_get_ids_of_their_own(county):
    """Assessments and interventions are written with ids chosen by the generator: the database
    must hand out the next ones after them."""
    child = Child.objects.filter(risk_assessments__isnull=False).first()
    latest = child.risk_assessments.first()
    later = RiskAssessment.objects.create(
        assessment_ref="RA-T-1",
        child=child,
        agency=latest.agency,
        assessed_on=ANCHOR,
        catalogue_version=latest.catalogue_version,
        suggested_level="none",
        level="none",
    )
    work = Intervention.objects.create(
        child=child, agency=latest.agency, name="Mentoring", started_on=ANCHOR
    )
    for record in (later, work):
        others = type(record).objects.exclude(pk=record.pk)
        assert others.exists()
        assert record.pk > others.aggregate(largest=Max("pk"))["largest"]
