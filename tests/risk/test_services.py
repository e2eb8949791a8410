"""Risk services: screening submission, the catalogue, interventions and outcome scores."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent, Action
from cairn.children.models import BreakGlassGrant
from cairn.risk.models import (
    AssessmentIndicator,
    CatalogueVersion,
    Indicator,
    OutcomeScore,
    RiskAssessment,
)
from cairn.risk.selectors import catalogue_indicators
from cairn.risk.services import (
    catalogue_indicator_add,
    catalogue_indicator_retire,
    intervention_start,
    outcome_scores_record,
    risk_assessment_submit,
    screening_for,
)
from tests.factories import UserFactory
from tests.risk.conftest import OLDER, WITHIN, picks, submit, years_ago

TODAY = timezone.localdate


# Submitting a screening ---------------------------------------------------------------------


def test_submit_scores_the_screening_and_records_what_was_chosen(team, catalogue) -> None:
    selections = picks(catalogue, vulnerabilities=2, moderate=1, significant=2)
    assessment, guidance = risk_assessment_submit(
        actor=team.lead,
        child=team.child,
        assessed_on=TODAY(),
        selections=selections,
        level="medium",
        exploitation_types=["criminal", "county_lines"],
        cin_factors=["24A", "10A"],
        rationale="",
    )
    assert (assessment.score, assessment.suggested_level, assessment.level) == (
        13,
        "medium",
        "medium",
    )
    assert assessment.floor_applied is False
    assert assessment.agency == team.agency and assessment.assessor == team.lead
    assert assessment.catalogue_version.number == 1
    assert assessment.assessment_ref.startswith("RA-")
    assert assessment.exploitation_types == ["criminal", "county_lines"]
    assert assessment.cin_factors == ["24A", "10A"]
    assert assessment.next_review_due == TODAY() + dt.timedelta(days=42)
    stored = {
        (row.indicator.code, row.recency, row.points)
        for row in AssessmentIndicator.objects.filter(assessment=assessment).select_related(
            "indicator"
        )
    }
    assert stored == {
        ("v-emotional-neglect", "", 1),
        ("v-physical-abuse", "", 1),
        ("m-staying-out-late", WITHIN, 1),
        ("s-missing", WITHIN, 5),
        ("s-found-out-of-area", WITHIN, 5),
    }
    assert guidance == []
    event = AccessEvent.objects.get()
    assert (event.action, event.child, event.user) == (Action.CREATE, team.child, team.lead)
    assert event.object_type == "risk.riskassessment"


@pytest.mark.parametrize(
    ("level", "days"), [("none", None), ("low", 91), ("medium", 42), ("high", 28)]
)
def test_next_review_is_due_by_level(team, catalogue, level, days) -> None:
    assessed_on = TODAY() - dt.timedelta(days=3)
    assessment = submit(
        team.lead, team.child, assessed_on=assessed_on, level=level, rationale="Seen together."
    )
    expected = None if days is None else assessed_on + dt.timedelta(days=days)
    assert assessment.next_review_due == expected


def test_review_days_are_settings(team, settings) -> None:
    settings.CAIRN_RISK_REVIEW_DAYS = {"high": 7, "medium": 14, "low": 30}
    assessment = submit(team.lead, team.child, level="high", rationale="Arrested out of area.")
    assert assessment.next_review_due == TODAY() + dt.timedelta(days=7)


def test_rationale_goes_through_the_language_checker(team) -> None:
    _, guidance = risk_assessment_submit(
        actor=team.lead,
        child=team.child,
        assessed_on=TODAY(),
        selections=[],
        level="low",
        rationale="She is putting herself at risk by going out late.",
    )
    assert [item["rule"] for item in guidance] == ["putting-themselves-at-risk"]


def test_no_rationale_needed_when_the_level_is_the_floor_raised_suggestion(team, catalogue) -> None:
    team.child.date_of_birth = years_ago(11)
    team.child.save()
    assessment = submit(
        team.lead, team.child, selections=[(catalogue["s-missing"], OLDER)], level="medium"
    )
    assert (assessment.score, assessment.suggested_level) == (1, "medium")
    assert assessment.floor_applied is True


def _invalid(team, catalogue, **overrides):  # type: ignore[no-untyped-def]
    before = AccessEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        submit(team.lead, team.child, **overrides)
    assert RiskAssessment.objects.count() == 0
    assert AssessmentIndicator.objects.count() == 0
    assert AccessEvent.objects.count() == before
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("below the floor", "level", "Choose medium or high: the child has a learning disability"),
        ("differs without rationale", "rationale", "suggested level is low"),
        ("high without rationale", "rationale", "a rationale is required"),
        ("future date", "assessed_on", "cannot be in the future"),
        ("before birth", "assessed_on", "before the child's date of birth"),
        ("moderate without recency", "indicators", "Say when ‘Staying out late’ was last seen"),
        ("vulnerability with recency", "indicators", "is a vulnerability"),
        ("retired indicator", "indicators", "was retired"),
        ("repeated indicator", "indicators", "more than once"),
        ("unknown level", "level", "Choose a level"),
        ("unknown exploitation type", "exploitation_types", "Not a type of exploitation: drugs"),
        ("unknown CIN factor", "cin_factors", "census factor: 99Z"),
        ("duplicate reference", "assessment_ref", "already exists"),
        ("no date", "assessed_on", "Enter the date"),
    ],
)
def test_invalid_screenings_name_the_field_and_save_nothing(
    team, catalogue, case, field, message
) -> None:
    six = picks(catalogue, vulnerabilities=6)  # score 6: low
    cases = {
        "below the floor": {
            "selections": [(catalogue["s-missing"], OLDER)],
            "level": "low",
            "rationale": "Only seen once, last year.",
        },
        "differs without rationale": {"selections": six, "level": "none"},
        "high without rationale": {
            "selections": picks(catalogue, significant=4),
            "level": "high",
        },
        "future date": {"assessed_on": TODAY() + dt.timedelta(days=1)},
        "before birth": {"assessed_on": team.child.date_of_birth - dt.timedelta(days=1)},
        "moderate without recency": {"selections": [(catalogue["m-staying-out-late"], "")]},
        "vulnerability with recency": {"selections": [(catalogue["v-looked-after"], WITHIN)]},
        "retired indicator": {"selections": [(catalogue["v-isolated"], "")]},
        "repeated indicator": {
            "selections": [(catalogue["v-isolated"], ""), (catalogue["v-isolated"], "")]
        },
        "unknown level": {"level": "severe"},
        "unknown exploitation type": {"exploitation_types": ["criminal", "drugs"]},
        "unknown CIN factor": {"cin_factors": ["10A", "99Z"]},
        "duplicate reference": {"assessment_ref": "RA-1"},
        "no date": {"assessed_on": None},
    }
    if case == "below the floor":
        team.child.learning_disability = True
        team.child.save()
    if case == "retired indicator":
        catalogue["v-isolated"].retired_in = CatalogueVersion.objects.create(
            number=2, published_at=timezone.now()
        )
        catalogue["v-isolated"].save()
    if case == "duplicate reference":
        existing = submit(team.lead, team.child, assessment_ref="RA-1")
        with pytest.raises(ValidationError) as caught:
            submit(team.lead, team.child, assessment_ref="RA-1")
        assert list(RiskAssessment.objects.all()) == [existing]
        assert any(message in m for m in caught.value.message_dict[field])
        return
    errors = _invalid(team, catalogue, **cases[case])
    assert any(message in m for m in errors[field]), errors
    assert set(errors) == {field}, errors


def test_every_problem_is_reported_at_once(team, catalogue) -> None:
    errors = _invalid(
        team,
        catalogue,
        assessed_on=TODAY() + dt.timedelta(days=5),
        selections=[(catalogue["m-staying-out-late"], "")],
        level="extreme",
        cin_factors=["nope"],
    )
    assert set(errors) == {"assessed_on", "indicators", "level", "cin_factors"}


@pytest.mark.parametrize("who", ["colleague", "stranger", "break_glass", "scrutiny", "admin"])
def test_only_people_who_may_change_the_record_can_submit(team, who) -> None:
    users = {
        "colleague": team.colleague,  # same agency: may read, not change
        "stranger": team.stranger,
        "break_glass": team.stranger,
        "scrutiny": UserFactory(role=Role.SCRUTINY, agency=team.agency, password=None),
        "admin": UserFactory(role=Role.ADMINISTRATOR, agency=None, password=None),
    }
    if who == "break_glass":
        now = timezone.now()
        BreakGlassGrant.objects.create(
            child=team.child,
            user=team.stranger,
            reason="Found late at night",
            granted_at=now,
            expires_at=now + dt.timedelta(minutes=30),
        )
    with pytest.raises(PermissionDenied):
        submit(users[who], team.child)
    assert RiskAssessment.objects.count() == 0


def test_a_manager_of_the_agency_can_submit(team) -> None:
    assessment = submit(team.manager, team.child, level="low", rationale="Known to us.")
    assert assessment.assessor == team.manager


def test_screening_preview_scores_without_saving(team, catalogue) -> None:
    team.child.date_of_birth = years_ago(12)
    result = screening_for(
        child=team.child,
        assessed_on=TODAY(),
        selections=[(catalogue["s-missing"], WITHIN), (catalogue["v-looked-after"], None)],
    )
    assert (result.score, result.suggested_level, result.floor_level) == (6, "medium", "medium")
    with pytest.raises(ValidationError) as caught:
        screening_for(
            child=team.child, assessed_on=TODAY(), selections=[(catalogue["s-missing"], "")]
        )
    assert "indicators" in caught.value.message_dict
    assert RiskAssessment.objects.count() == 0


# The catalogue ------------------------------------------------------------------------------


@pytest.fixture
def admin_user(db):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.ADMINISTRATOR, agency=None, password=None)


def test_adding_and_retiring_publish_new_versions(team, admin_user, catalogue) -> None:
    added = catalogue_indicator_add(
        actor=admin_user,
        code="s-crypto-payments",
        category="significant",
        wording="Paid in cryptocurrency or gift cards",
        group="criminal",
        exploitation_types=["criminal"],
    )
    assert added.added_in.number == 2
    assert added.recency_matters is True
    assert added in catalogue_indicators()

    retired = catalogue_indicator_retire(actor=admin_user, indicator=catalogue["m-sti"])
    assert retired.retired_in.number == 3
    assert list(CatalogueVersion.objects.values_list("number", flat=True)) == [3, 2, 1]
    assert catalogue["m-sti"] not in catalogue_indicators()
    assert catalogue["m-sti"] in catalogue_indicators(include_retired=True)

    assessment = submit(
        team.lead,
        team.child,
        selections=[(added, WITHIN), (catalogue["v-looked-after"], "")],
        level="none",
        rationale="One incident; being reviewed with police.",
    )
    assert assessment.catalogue_version.number == 3
    assert assessment.score == 6
    events = AccessEvent.objects.filter(user=admin_user).values_list("action", "object_type")
    assert list(events) == [(Action.CREATE, "risk.indicator"), (Action.UPDATE, "risk.indicator")]


def test_an_assessment_keeps_a_retired_indicator(team, admin_user, catalogue) -> None:
    assessment = submit(
        team.lead, team.child, selections=[(catalogue["v-isolated"], "")], level="none"
    )
    catalogue_indicator_retire(actor=admin_user, indicator=catalogue["v-isolated"])
    assert [row.indicator.code for row in assessment.indicators.all()] == ["v-isolated"]
    assert assessment.catalogue_version.number == 1


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.MANAGER, Role.SCRUTINY, Role.ANALYST])
def test_only_administrators_change_the_catalogue(team, catalogue, role) -> None:
    user = UserFactory(role=role, agency=team.agency, password=None)
    with pytest.raises(PermissionDenied):
        catalogue_indicator_add(
            actor=user, code="v-new", category="vulnerability", wording="New vulnerability"
        )
    with pytest.raises(PermissionDenied):
        catalogue_indicator_retire(actor=user, indicator=catalogue["v-isolated"])
    assert CatalogueVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "v-isolated"}, "code"),  # codes are never reused
        ({"code": "not a slug!"}, "code"),
        ({"category": "severe"}, "category"),
        ({"wording": ""}, "wording"),
        ({"exploitation_types": ["drugs"]}, "exploitation_types"),
        ({"category": "moderate", "recency_matters": False}, "recency_matters"),
    ],
)
def test_invalid_indicators_are_refused_without_a_new_version(
    admin_user, catalogue, fields, field
) -> None:
    values = {"code": "v-new", "category": "vulnerability", "wording": "New vulnerability"}
    with pytest.raises(ValidationError) as caught:
        catalogue_indicator_add(actor=admin_user, **(values | fields))
    assert field in caught.value.message_dict
    assert CatalogueVersion.objects.count() == 1
    assert not Indicator.objects.filter(code="v-new").exists()


def test_retiring_twice_is_refused(admin_user, catalogue) -> None:
    catalogue_indicator_retire(actor=admin_user, indicator=catalogue["v-isolated"])
    with pytest.raises(ValidationError, match="already retired in version 2"):
        catalogue_indicator_retire(actor=admin_user, indicator=catalogue["v-isolated"])
    assert CatalogueVersion.objects.count() == 2


# Interventions and outcomes -----------------------------------------------------------------

ALL_THREES = {
    "safety": 3,
    "relationships": 3,
    "missing": 3,
    "education": 3,
    "health": 3,
    "substance_use": 3,
    "emotional_wellbeing": 3,
}


@pytest.fixture
def intervention(team):  # type: ignore[no-untyped-def]
    return intervention_start(
        actor=team.lead,
        child=team.child,
        name="Mentoring with Harbour Youth Project",
        started_on=TODAY() - dt.timedelta(days=60),
    )


def test_scores_are_recorded_stage_by_stage(team, intervention) -> None:
    start = TODAY() - dt.timedelta(days=60)
    outcome_scores_record(
        actor=team.lead, intervention=intervention, stage="start", recorded_on=start,
        scores=ALL_THREES,
    )  # fmt: skip
    outcome_scores_record(
        actor=team.lead,
        intervention=intervention,
        stage="six_weeks",
        recorded_on=start + dt.timedelta(days=42),
        scores=ALL_THREES | {"safety": 4},
    )
    outcome_scores_record(
        actor=team.lead,
        intervention=intervention,
        stage="end",
        recorded_on=TODAY(),
        scores=ALL_THREES | {"safety": 5, "missing": "4"},
    )
    rows = OutcomeScore.objects.filter(intervention=intervention)
    assert rows.count() == 21
    assert rows.get(stage="end", domain="missing").score == 4
    stages = AccessEvent.objects.filter(action=Action.CREATE, child=team.child)
    assert [e.detail.get("outcome_stage") for e in stages] == [None, "start", "six_weeks", "end"]


def test_six_weeks_may_be_skipped(team, intervention) -> None:
    day = TODAY() - dt.timedelta(days=60)
    outcome_scores_record(
        actor=team.lead, intervention=intervention, stage="start", recorded_on=day,
        scores=ALL_THREES,
    )  # fmt: skip
    outcome_scores_record(
        actor=team.lead, intervention=intervention, stage="end", recorded_on=TODAY(),
        scores=ALL_THREES,
    )  # fmt: skip
    assert OutcomeScore.objects.filter(stage="end").count() == 7


def _record_invalid(team, intervention, **fields):  # type: ignore[no-untyped-def]
    before = OutcomeScore.objects.count()
    values = {
        "stage": "start",
        "recorded_on": TODAY() - dt.timedelta(days=60),
        "scores": ALL_THREES,
    } | fields
    with pytest.raises(ValidationError) as caught:
        outcome_scores_record(actor=team.lead, intervention=intervention, **values)
    assert OutcomeScore.objects.count() == before
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"scores": {k: v for k, v in ALL_THREES.items() if k != "health"}}, "health",
         "Give a score from 1 to 5 for health"),
        ({"scores": ALL_THREES | {"safety": 0}}, "safety", "from 1 to 5"),
        ({"scores": ALL_THREES | {"safety": 6}}, "safety", "from 1 to 5"),
        ({"scores": ALL_THREES | {"safety": True}}, "safety", "from 1 to 5"),
        ({"scores": ALL_THREES | {"housing": 3}}, "scores", "Unknown domains: housing"),
        ({"stage": "six_weeks"}, "stage", "Record the start scores first"),
        ({"stage": "end"}, "stage", "Record the start scores first"),
        ({"stage": "midway"}, "stage", "Choose a stage"),
        ({"recorded_on": TODAY() - dt.timedelta(days=61)}, "recorded_on",
         "before the intervention started"),
        ({"recorded_on": TODAY() + dt.timedelta(days=1)}, "recorded_on", "future"),
    ],
)  # fmt: skip
def test_invalid_scores_name_the_field_and_save_nothing(
    team, intervention, fields, field, message
) -> None:
    errors = _record_invalid(team, intervention, **fields)
    assert any(message in m for m in errors[field]), errors


def test_stages_come_in_order_once_each(team, intervention) -> None:
    start = TODAY() - dt.timedelta(days=60)
    outcome_scores_record(
        actor=team.lead, intervention=intervention, stage="start", recorded_on=start,
        scores=ALL_THREES,
    )  # fmt: skip
    errors = _record_invalid(team, intervention, stage="start")
    assert errors["stage"] == ["The start scores are already recorded"]
    errors = _record_invalid(
        team, intervention, stage="six_weeks", recorded_on=start - dt.timedelta(days=1)
    )
    assert "recorded_on" in errors
    outcome_scores_record(
        actor=team.lead, intervention=intervention, stage="end", recorded_on=TODAY(),
        scores=ALL_THREES,
    )  # fmt: skip
    errors = _record_invalid(team, intervention, stage="six_weeks", recorded_on=TODAY())
    assert errors["stage"] == [
        "The end scores are already recorded: 6 weeks scores come before them"
    ]


def test_outcomes_need_edit_access(team, intervention) -> None:
    with pytest.raises(PermissionDenied):
        outcome_scores_record(
            actor=team.stranger, intervention=intervention, stage="start",
            recorded_on=TODAY(), scores=ALL_THREES,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        intervention_start(
            actor=team.colleague, child=team.child, name="Sessions", started_on=TODAY()
        )


def test_an_intervention_cannot_start_in_the_future_or_without_a_name(team) -> None:
    with pytest.raises(ValidationError) as caught:
        intervention_start(
            actor=team.lead, child=team.child, name=" ", started_on=TODAY() + dt.timedelta(days=1)
        )
    assert set(caught.value.message_dict) == {"name", "started_on"}


def test_the_floor_error_says_which_levels_may_be_chosen_and_why(team, catalogue) -> None:
    team.child.date_of_birth = years_ago(12)
    team.child.save()
    errors = _invalid(team, catalogue, selections=[(catalogue["s-hotspots"], OLDER)], level="none")
    assert errors == {
        "level": [
            "Choose medium or high: the child is under 13 on the assessment date and shows a "
            "significant indicator, so the level cannot be below medium."
        ]
    }
