"""Risk selectors: a child's current level and history, explanations, the register, overdue
reviews and outcomes. Scoped by the access policy; lists cost a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent, Action
from cairn.children.models import BreakGlassGrant, Child
from cairn.risk.models import Intervention, OutcomeScore, RiskAssessment
from cairn.risk.scoring import review_due
from cairn.risk.selectors import (
    RegisterFilters,
    assessment_explanation,
    assessment_get,
    current_assessment,
    interventions_for,
    latest_catalogue_version,
    outcome_change,
    outcome_summary,
    overdue_reviews,
    register,
    register_counts,
    register_size,
    risk_history,
)
from tests.factories import (
    ChildFactory,
    InvolvementFactory,
    LocalityFactory,
    UserFactory,
    WardFactory,
)
from tests.risk.conftest import OLDER, WITHIN, submit, years_ago

TODAY = timezone.localdate
_refs = itertools.count(1)


def assess(child, level, days_ago=0, *, types=(), agency=None):  # type: ignore[no-untyped-def]
    """An assessment stored directly (the service is tested on its own)."""
    assessed_on = TODAY() - dt.timedelta(days=days_ago)
    return RiskAssessment.objects.create(
        assessment_ref=f"T-{next(_refs)}",
        child=child,
        agency=agency or child.agency,
        assessed_on=assessed_on,
        catalogue_version=latest_catalogue_version(),
        suggested_level=level,
        level=level,
        exploitation_types=list(types),
        next_review_due=review_due(level, assessed_on),
    )


# One child --------------------------------------------------------------------------------


def test_the_current_assessment_is_the_latest_by_date_then_by_recording(team) -> None:
    assert current_assessment(team.child) is None
    assess(team.child, "high", days_ago=10)
    later = assess(team.child, "low", days_ago=2)
    assert current_assessment(team.child) == later
    same_day = assess(team.child, "medium", days_ago=2)
    assert current_assessment(team.child) == same_day


def test_history_lists_levels_oldest_first_for_the_chart(team) -> None:
    assess(team.child, "low", days_ago=300)
    assess(team.child, "high", days_ago=100)
    assess(team.child, "none", days_ago=5)
    history = risk_history(user=team.lead, child=team.child)
    assert [(p.level, p.rank) for p in history] == [("low", 1), ("high", 3), ("none", 0)]
    assert history[1].level_label == "High (serious)"
    assert history[0].assessed_on == TODAY() - dt.timedelta(days=300)


def test_history_is_hidden_from_people_who_may_not_see_the_child(team) -> None:
    assess(team.child, "high")
    with pytest.raises(Http404):
        risk_history(user=team.stranger, child=team.child)
    scrutiny = UserFactory(role=Role.SCRUTINY, agency=team.agency, password=None)
    with pytest.raises(Http404):
        risk_history(user=scrutiny, child=team.child)


def test_opening_an_assessment_is_audited_and_scoped(team) -> None:
    assessment = assess(team.child, "medium")
    assert assessment_get(user=team.colleague, assessment_id=assessment.pk) == assessment
    event = AccessEvent.objects.get()
    assert (event.action, event.child, event.reason) == (Action.VIEW, team.child, "agency")
    with pytest.raises(Http404):
        assessment_get(user=team.stranger, assessment_id=assessment.pk)
    with pytest.raises(Http404):
        assessment_get(user=team.lead, assessment_id=assessment.pk + 1000)


def test_the_explanation_gives_the_indicators_the_rule_the_floor_and_the_rationale(
    team, catalogue
) -> None:
    team.child.learning_disability = True
    team.child.save()
    assessment = submit(
        team.lead,
        team.child,
        selections=[
            (catalogue["s-drug-debt"], OLDER),
            (catalogue["m-staying-out-late"], WITHIN),
            (catalogue["v-looked-after"], ""),
        ],
        level="high",
        rationale="Threatened with violence over a debt last week.",
    )
    explanation = assessment_explanation(assessment)
    assert [(line.code, line.points) for line in explanation.lines] == [
        ("v-looked-after", 1),
        ("m-staying-out-late", 1),
        ("s-drug-debt", 1),
    ]
    assert explanation.lines[2].reason == (
        "Significant indicator last seen 6 to 12 months ago: 1 point"
    )
    assert explanation.score == 3
    assert (explanation.suggested_level, explanation.level) == ("medium", "high")
    assert explanation.differs
    assert explanation.floor_applied
    assert explanation.rule == (
        "Score 3 (1 vulnerability, 1 moderate indicator in the last 6 months, 1 significant "
        "indicator: 1) suggests none: 0–5 is none. The child has a learning disability and "
        "shows a significant indicator, so the level cannot be below medium: medium is suggested."
    )
    assert explanation.rationale == "Threatened with violence over a debt last week."
    assert explanation.catalogue_version == 1
    assert [line.code for line in explanation.lines_in("moderate")] == ["m-staying-out-late"]


# The register -----------------------------------------------------------------------------


@pytest.fixture
def county(team):  # type: ignore[no-untyped-def]
    """Children of the team's agency in two localities, and one of another agency."""
    north = WardFactory(code="N1", locality=LocalityFactory(code="N", name="North"))
    south = WardFactory(code="S1", locality=LocalityFactory(code="S", name="South"))
    team.child.ward = north
    team.child.save()
    ours = team.agency
    kids = {
        "amara": team.child,  # 15, male, lead: team.lead
        "bea": ChildFactory(
            agency=ours, ward=south, sex="female", date_of_birth=years_ago(12),
            legal_status="looked_after",
        ),
        "cal": ChildFactory(agency=ours, ward=north, sex="male", date_of_birth=years_ago(17)),
        "dee": ChildFactory(agency=ours, ward=south, sex="female", date_of_birth=None),
        "eli": ChildFactory(agency=ours, ward=north, sex="female"),  # never assessed
        "fox": ChildFactory(agency=team.other, ward=north, sex="male"),  # another agency
    }  # fmt: skip
    assess(kids["amara"], "high", 20, types=["criminal", "county_lines"])
    assess(kids["bea"], "medium", 100, types=["sexual", "online"])  # review overdue (42 days)
    assess(kids["cal"], "high", 400, types=["sexual"])
    assess(kids["cal"], "low", 10, types=["criminal"])
    assess(kids["dee"], "high", 200, types=["criminal"])
    assess(kids["dee"], "none", 30)  # fell off the register
    assess(kids["fox"], "high", 5, types=["criminal"])
    return kids


def names(children) -> list[str]:  # type: ignore[no-untyped-def]
    return [child.given_name for child in children]


def keys(county, children) -> set[str]:  # type: ignore[no-untyped-def]
    by_pk = {child.pk: name for name, child in county.items()}
    return {by_pk[child.pk] for child in children}


def test_the_register_lists_children_whose_latest_level_is_low_or_above(team, county) -> None:
    children = list(register(user=team.lead))
    assert keys(county, children) == {"amara", "bea", "cal"}
    first = children[0]
    assert (first.risk_level, first.risk_rank) == ("high", 3)
    assert first.risk_types == ["criminal", "county_lines"]
    assert first.risk_assessed_on == TODAY() - dt.timedelta(days=20)
    assert first.risk_next_review == TODAY() + dt.timedelta(days=8)
    event = AccessEvent.objects.get()
    assert (event.action, event.object_type) == (Action.LIST, "risk.register")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"levels": ["high"]}, {"amara"}),
        ({"level": "low"}, {"cal"}),
        ({"levels": ["medium", "low"]}, {"bea", "cal"}),
        ({"level": "none"}, set()),
        ({"exploitation_type": "sexual"}, {"bea"}),  # cal's sexual exploitation was earlier
        ({"exploitation_type": "criminal"}, {"amara", "cal"}),
        ({"exploitation_type": "lines"}, set()),  # whole values only
        ({"sex": "female"}, {"bea"}),
        ({"legal_status": "looked_after"}, {"bea"}),
        ({"age_band": "under_13"}, {"bea"}),
        ({"age_band": "13_15"}, {"amara"}),
        ({"age_band": "16_17"}, {"cal"}),
        ({"age_band": "18_plus"}, set()),
        ({"overdue": True}, {"bea"}),
    ],
)
def test_register_filters(team, county, filters, expected) -> None:
    listed = register(user=team.lead, filters=filters)
    assert keys(county, listed) == expected
    # The register page takes the list's size from the counts by level.
    chosen = RegisterFilters.from_mapping(filters)
    counts = register_counts(user=team.lead, filters=chosen)
    assert register_size(counts, chosen) == listed.count() == len(expected)


def test_register_filters_by_place_agency_and_lead(team, county) -> None:
    north = county["amara"].ward
    assert keys(county, register(user=team.lead, filters={"ward": north})) == {"amara", "cal"}
    by_locality = register(user=team.lead, filters={"locality": north.locality_id})
    assert keys(county, by_locality) == {"amara", "cal"}
    assert keys(county, register(user=team.lead, filters={"agency": team.other})) == set()
    assert keys(county, register(user=team.lead, filters={"agency": team.agency.pk})) == {
        "amara", "bea", "cal",
    }  # fmt: skip
    mine = register(user=team.lead, filters=RegisterFilters(lead_professional=team.lead))
    assert keys(county, mine) == {"amara"}


def test_age_bands_turn_on_the_birthday(team) -> None:
    twelve = ChildFactory(agency=team.agency, date_of_birth=years_ago(13, days=-1))
    thirteen = ChildFactory(agency=team.agency, date_of_birth=years_ago(13))
    assess(twelve, "low")
    assess(thirteen, "low")
    under = register(user=team.lead, filters={"age_band": "under_13"}, audit=False)
    assert list(under) == [twelve]
    middle = register(user=team.lead, filters={"age_band": "13_15"}, audit=False)
    assert list(middle) == [thirteen]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("level", ["amara", "bea", "cal"]),  # high, medium, low
        ("-level", ["cal", "bea", "amara"]),
        ("assessed", ["cal", "amara", "bea"]),  # newest first
        ("review", ["bea", "amara", "cal"]),  # soonest (most overdue) first
        ("age", ["bea", "amara", "cal"]),  # youngest first
    ],
)
def test_register_sorts(team, county, sort, expected) -> None:
    by_pk = {child.pk: name for name, child in county.items()}
    children = register(user=team.lead, filters={"sort": sort}, audit=False)
    assert [by_pk[c.pk] for c in children] == expected


def test_register_sorts_by_name(team, county) -> None:
    children = list(register(user=team.lead, filters={"sort": "name"}, audit=False))
    assert [(c.family_name, c.given_name) for c in children] == sorted(
        (c.family_name, c.given_name) for c in children
    )


@pytest.mark.parametrize(
    "who", ["stranger", "scrutiny", "analyst", "administrator", "break_glass", "panel_member"]
)
def test_the_register_shows_no_child_to_people_outside_the_agency(team, county, who) -> None:
    users = {
        "stranger": team.stranger,
        "break_glass": team.stranger,
        "scrutiny": UserFactory(role=Role.SCRUTINY, agency=team.agency, password=None),
        "analyst": UserFactory(role=Role.ANALYST, agency=team.agency, password=None),
        "administrator": UserFactory(role=Role.ADMINISTRATOR, agency=None, password=None),
        "panel_member": UserFactory(role=Role.PANEL_MEMBER, agency=team.agency, password=None),
    }
    if who == "break_glass":
        now = timezone.now()
        BreakGlassGrant.objects.create(
            child=team.child, user=team.stranger, reason="Found at night",
            granted_at=now, expires_at=now + dt.timedelta(minutes=30),
        )  # fmt: skip
    seen = keys(county, register(user=users[who]))
    assert seen & {"amara", "bea", "cal", "dee", "eli"} == set()
    counts = register_counts(user=users[who])
    assert counts["total"] == (1 if who in ("stranger", "break_glass") else 0)


def test_a_panel_member_sees_the_children_they_are_involved_with(team, county) -> None:
    member = UserFactory(role=Role.PANEL_MEMBER, agency=team.agency, password=None)
    InvolvementFactory(child=county["bea"], user=member, agency=team.agency)
    assert keys(county, register(user=member)) == {"bea"}


def test_the_register_costs_the_same_queries_for_more_children(team, county) -> None:
    def cost() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            rows = [
                (c.ward.locality.name, str(c.lead_professional)) for c in register(user=team.lead)
            ]
        return len(queries), len(rows)

    register(user=team.lead)  # the first access event also creates the chain head
    small = cost()
    for _ in range(5):
        assess(ChildFactory(agency=team.agency, ward=county["amara"].ward), "medium")
    large = cost()
    assert (small[1], large[1]) == (3, 8)
    assert small[0] == large[0]
    with CaptureQueriesContext(connection) as queries:
        list(register(user=team.lead, audit=False))
    assert len(queries) == 1


def test_register_counts_by_level_ignore_the_level_filter(team, county, django_assert_num_queries):  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1):
        counts = register_counts(user=team.lead, filters={"level": "high"})
    assert counts == {"low": 1, "medium": 1, "high": 1, "total": 3}
    assert register_counts(user=team.lead, filters={"exploitation_type": "criminal"}) == {
        "low": 1, "medium": 0, "high": 1, "total": 2,
    }  # fmt: skip
    assert register_counts(user=team.stranger)["high"] == 1  # their own agency's child


# Overdue reviews --------------------------------------------------------------------------


def test_overdue_reviews_for_the_lead_professional_and_their_manager(team) -> None:
    overdue = team.child  # lead: team.lead
    assess(overdue, "high", days_ago=29)  # due yesterday
    due_today = ChildFactory(agency=team.agency, lead_professional=team.lead)
    assess(due_today, "high", days_ago=28)
    reviewed = ChildFactory(agency=team.agency, lead_professional=team.lead)
    assess(reviewed, "medium", days_ago=100)
    assess(reviewed, "medium", days_ago=3)  # the latest is not overdue
    off_register = ChildFactory(agency=team.agency, lead_professional=team.lead)
    assess(off_register, "low", days_ago=200)
    assess(off_register, "none", days_ago=150)
    colleagues = ChildFactory(agency=team.agency, lead_professional=team.colleague)
    assess(colleagues, "low", days_ago=100)
    elsewhere = ChildFactory(agency=team.other, lead_professional=team.stranger)
    assess(elsewhere, "high", days_ago=60)

    mine = list(overdue_reviews(user=team.lead))
    assert mine == [overdue]
    assert mine[0].risk_next_review == TODAY() - dt.timedelta(days=1)
    assert list(overdue_reviews(user=team.manager)) == [colleagues, overdue]  # most overdue first
    assert list(overdue_reviews(user=team.stranger)) == [elsewhere]
    assert list(overdue_reviews(user=team.colleague)) == [colleagues]
    scrutiny = UserFactory(role=Role.SCRUTINY, agency=team.agency, password=None)
    assert list(overdue_reviews(user=scrutiny)) == []


def test_a_manager_of_another_agency_sees_no_overdue_review_of_ours(team) -> None:
    assess(team.child, "high", days_ago=60)
    manager = UserFactory(role=Role.MANAGER, agency=team.other, password=None)
    assert list(overdue_reviews(user=manager)) == []


# Outcomes ---------------------------------------------------------------------------------

DOMAINS = [
    "safety", "relationships", "missing", "education", "health", "substance_use",
    "emotional_wellbeing",
]  # fmt: skip


def scored(child, stages: dict[str, list[int]], started_days_ago: int = 100) -> Intervention:  # type: ignore[no-untyped-def]
    intervention = Intervention.objects.create(
        child=child,
        agency=child.agency,
        name="Sessions",
        started_on=TODAY() - dt.timedelta(days=started_days_ago),
    )
    OutcomeScore.objects.bulk_create(
        OutcomeScore(
            intervention=intervention, stage=stage, domain=domain, score=score,
            recorded_on=TODAY(),
        )
        for stage, scores in stages.items()
        for domain, score in zip(DOMAINS, scores, strict=True)
    )  # fmt: skip
    return intervention


def test_outcome_change_per_domain_and_overall(team) -> None:
    intervention = scored(
        team.child,
        {
            "start": [1, 2, 3, 4, 5, 2, 2],  # 19
            "six_weeks": [2, 2, 3, 4, 5, 2, 2],  # 20
            "end": [4, 3, 2, 4, 5, 1, 3],  # 22
        },
    )
    change = outcome_change(intervention)
    assert change.latest_stage == "end"
    assert [(d.domain, d.start, d.latest, d.change) for d in change.domains] == [
        ("safety", 1, 4, 3),
        ("relationships", 2, 3, 1),
        ("missing", 3, 2, -1),
        ("education", 4, 4, 0),
        ("health", 5, 5, 0),
        ("substance_use", 2, 1, -1),
        ("emotional_wellbeing", 2, 3, 1),
    ]
    assert (change.start_total, change.latest_total, change.change) == (19, 22, 3)
    assert change.direction == "improved"


def test_outcome_change_uses_six_weeks_until_the_end_and_nothing_before(team) -> None:
    only_start = outcome_change(scored(team.child, {"start": [3] * 7}))
    assert (only_start.latest_stage, only_start.change, only_start.direction) == (None, None, None)
    midway = outcome_change(scored(team.child, {"start": [3] * 7, "six_weeks": [2] * 7}))
    assert (midway.latest_stage, midway.change, midway.direction) == ("six_weeks", -7, "worsened")


def test_interventions_for_a_child_in_two_queries(team, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    scored(team.child, {"start": [3] * 7, "end": [3] * 7}, started_days_ago=200)
    scored(team.child, {"start": [2] * 7, "six_weeks": [3] * 7}, started_days_ago=50)
    with django_assert_num_queries(2):
        changes = interventions_for(user=team.lead, child=team.child)
    assert [c.direction for c in changes] == ["improved", "stayed"]  # newest first
    with pytest.raises(Http404):
        interventions_for(user=team.stranger, child=team.child)


def test_outcome_summary_counts_children_by_their_latest_intervention(
    team, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    agency = team.agency
    better, same, worse, unscored = (ChildFactory(agency=agency) for _ in range(4))
    # An older intervention went badly; the latest one counts.
    scored(better, {"start": [3] * 7, "end": [2] * 7}, started_days_ago=300)
    scored(better, {"start": [2] * 7, "six_weeks": [3] * 7}, started_days_ago=60)
    scored(same, {"start": [3] * 7, "end": [2, 4, 3, 3, 3, 3, 3]})
    scored(worse, {"start": [4] * 7, "six_weeks": [4] * 7, "end": [3] * 7})
    # A newer intervention without a later stage does not hide the earlier result.
    scored(worse, {"start": [1] * 7}, started_days_ago=10)
    scored(unscored, {"start": [3] * 7})
    with django_assert_num_queries(1):
        summary = outcome_summary(Child.objects.all())
    assert summary == {"improved": 1, "stayed": 1, "worsened": 1, "children": 3}
    assert outcome_summary([same, worse]) == {
        "improved": 0, "stayed": 1, "worsened": 1, "children": 2,
    }  # fmt: skip
