"""The risk API: the catalogue, a child's assessments and the register; who may do what, what is
recorded, and what comes back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent, Action
from cairn.children.models import Child
from cairn.risk.models import Indicator, RiskAssessment
from cairn.risk.services import risk_assessment_submit
from tests.conftest import RELATIONSHIPS, ROLES
from tests.factories import ChildFactory, InvolvementFactory, WardFactory

INDICATORS = "/api/risk/indicators"
REGISTER = "/api/risk/register"
COUNTS = "/api/risk/register/counts"
WITHIN = "within_6_months"
OLDER = "6_to_12_months"
VULNERABILITIES = [
    "v-emotional-neglect",
    "v-physical-abuse",
    "v-family-breakdown",
    "v-low-self-esteem",
    "v-isolated",
    "v-looked-after",
]


def assessments(child: Child) -> str:
    return f"/api/risk/children/{child.pk}/assessments"


def vulnerabilities(n: int) -> list[dict[str, Any]]:
    return [{"code": code} for code in VULNERABILITIES[:n]]


# Six vulnerabilities score 6: low is suggested.
SCREENING = {"indicators": vulnerabilities(6), "level": "low"}


def years_ago(years: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def record(actor, child, *, level="low", codes=(), recency_codes=(), **fields) -> RiskAssessment:  # type: ignore[no-untyped-def]
    """An assessment through the service (as the screening page records one)."""
    by_code = {i.code: i for i in Indicator.objects.all()}
    selections = [(by_code[c], "") for c in codes] + [(by_code[c], r) for c, r in recency_codes]
    assessment, _ = risk_assessment_submit(
        actor=actor,
        child=child,
        assessed_on=fields.pop("assessed_on", timezone.localdate()),
        selections=selections,
        level=level,
        **fields,
    )
    return assessment


def _last_seq() -> int:
    last = AccessEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def _events_after(seq: int) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(seq__gt=seq).order_by("seq"))


# --- who may do what -------------------------------------------------------------------------

# (read status, write status) for the world's child, as in the children API (DESIGN.md).
EXPECTED = {
    ("practitioner", "involved"): (200, 201),
    ("practitioner", "same_agency"): (200, 403),
    ("practitioner", "other_agency"): (404, 404),
    ("practitioner", "break_glass"): (200, 403),
    ("manager", "involved"): (200, 201),
    ("manager", "same_agency"): (200, 201),
    ("manager", "other_agency"): (404, 404),
    ("manager", "break_glass"): (200, 403),
    ("panel_member", "involved"): (200, 201),
    ("panel_member", "same_agency"): (404, 404),
    ("panel_member", "other_agency"): (404, 404),
    ("panel_member", "break_glass"): (200, 403),
    # On a published panel agenda: read-only, like break glass.
    ("practitioner", "panel_agenda"): (200, 403),
    ("manager", "panel_agenda"): (200, 403),
    ("panel_member", "panel_agenda"): (200, 403),
    **{
        (role, rel): (404, 404)
        for role in (Role.ANALYST, Role.SCRUTINY, Role.ADMINISTRATOR)
        for rel in RELATIONSHIPS
    },
}
NO_CASELOAD = (Role.ANALYST, Role.SCRUTINY, Role.ADMINISTRATOR)


def test_the_matrix_covers_every_role_and_relationship():
    assert set(EXPECTED) == {(role, rel) for role in ROLES for rel in RELATIONSHIPS}


@pytest.mark.parametrize(("role", "rel"), sorted(EXPECTED))
def test_access_matrix(world, as_user, role, rel):
    """Each operation for one role and relationship to the world's child, who is at low."""
    read, write = EXPECTED[(role, rel)]
    record(world.users["practitioner:involved"], world.child, codes=VULNERABILITIES)
    call = as_user(world.users[f"{role}:{rel}"])

    history = call("GET", assessments(world.child))
    register = call("GET", REGISTER)
    counts = call("GET", COUNTS)
    statuses = {
        "indicators": call("GET", INDICATORS).status_code,
        "history": history.status_code,
        "create": call("POST", assessments(world.child), SCREENING).status_code,
        "register": register.status_code,
        "counts": counts.status_code,
    }

    caseload = 403 if role in NO_CASELOAD else 200
    assert statuses == {
        "indicators": caseload,
        "history": read,
        "create": write,
        "register": caseload,
        "counts": caseload,
    }
    assert RiskAssessment.objects.filter(child=world.child).count() == (2 if write == 201 else 1)
    if read == 200:
        assert history.json()["count"] == 1
    if caseload == 200:
        # The register never lists a child seen only through break glass.
        listed = read == 200 and rel != "break_glass"
        assert [row["id"] for row in register.json()["items"]] == ([world.child.pk] * listed)
        assert counts.json() == {"low": int(listed), "medium": 0, "high": 0, "total": int(listed)}


def test_unknown_child_is_404_like_a_hidden_one(world, as_user):
    call = as_user(world.users["practitioner:involved"])
    assert call("GET", "/api/risk/children/999999/assessments").status_code == 404
    response = call("POST", "/api/risk/children/999999/assessments", SCREENING)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


# --- the catalogue ---------------------------------------------------------------------------


def test_indicators_are_the_current_catalogue_in_order(world, as_user):
    admin = world.users["administrator:same_agency"]
    from cairn.risk.services import catalogue_indicator_retire

    catalogue_indicator_retire(actor=admin, indicator=Indicator.objects.get(code="v-isolated"))
    call = as_user(world.users["practitioner:same_agency"])
    before = _last_seq()

    body = call("GET", INDICATORS).json()

    codes = [item["code"] for item in body]
    assert "v-isolated" not in codes
    assert len(codes) == Indicator.objects.filter(retired_in__isnull=True).count()
    categories = [item["category"] for item in body]
    assert categories == sorted(categories, key=["vulnerability", "moderate", "significant"].index)
    missing = next(item for item in body if item["code"] == "s-missing")
    assert missing["category"] == "significant"
    assert missing["recency_matters"] is True
    assert missing["wording"] == Indicator.objects.get(code="s-missing").wording
    assert _events_after(before) == []  # not about any child


# --- a child's assessments -------------------------------------------------------------------


def test_history_is_newest_first_with_the_reasons(world, as_user):
    lead = world.users["practitioner:involved"]
    today = timezone.localdate()
    older = record(
        lead, world.child, codes=VULNERABILITIES[:6], assessed_on=today - dt.timedelta(days=60)
    )
    newer = record(
        lead,
        world.child,
        level="high",
        codes=VULNERABILITIES[:1],
        recency_codes=[("s-missing", WITHIN), ("m-school-absence", OLDER)],
        exploitation_types=["criminal", "county_lines"],
        cin_factors=["10A", "24A"],
        rationale="Missing twice this month and found in another county.",
        assessed_on=today,
    )

    body = as_user(world.users["practitioner:same_agency"])("GET", assessments(world.child)).json()

    assert [item["id"] for item in body["items"]] == [newer.pk, older.pk]
    assert body["count"] == 2
    latest = body["items"][0]
    assert latest["level"] == "high"
    assert (latest["score"], latest["suggested_level"], latest["floor_applied"]) == (
        6,
        "low",
        False,
    )
    assert latest["exploitation_types"] == ["criminal", "county_lines"]
    assert latest["cin_factors"] == ["10A", "24A"]
    assert latest["indicators"] == [
        {"code": "v-emotional-neglect", "recency": "", "points": 1},
        {"code": "m-school-absence", "recency": OLDER, "points": 0},
        {"code": "s-missing", "recency": WITHIN, "points": 5},
    ]
    assert latest["rationale"].startswith("Missing twice")
    assert latest["next_review_due"] == (today + dt.timedelta(days=28)).isoformat()
    assert latest["assessed_on"] == today.isoformat()
    assert latest["assessor"] == lead.display_name
    assert latest["agency"] == "SCC"


def test_history_needs_a_fixed_number_of_queries(world, as_user, django_assert_max_num_queries):
    lead = world.users["practitioner:involved"]
    for days in range(12):
        record(
            lead,
            world.child,
            codes=VULNERABILITIES,
            assessed_on=timezone.localdate() - dt.timedelta(days=days),
        )
    call = as_user(lead)
    with django_assert_max_num_queries(16):
        response = call("GET", assessments(world.child), limit=100)
    assert len(response.json()["items"]) == 12


def test_recording_an_override_returns_the_screening_and_guidance(world, as_user):
    user = world.users["practitioner:involved"]
    body = {
        "assessed_on": timezone.localdate().isoformat(),
        "indicators": [
            {"code": "v-family-breakdown"},
            {"code": "m-staying-out-late", "recency": WITHIN},
            {"code": "s-missing", "recency": WITHIN},
            {"code": "s-multiple-phones", "recency": WITHIN},
        ],
        "level": "high",
        "exploitation_types": ["criminal"],
        "cin_factors": ["24A"],
        "rationale": "She keeps putting herself at risk; seen with older men in a car.",
    }

    response = as_user(user)("POST", assessments(world.child), body)

    assert response.status_code == 201, response.content
    created = response.json()
    assessment = RiskAssessment.objects.get(pk=created["id"])
    assert (assessment.level, assessment.suggested_level, assessment.score) == (
        "high",
        "medium",
        12,
    )
    assert (assessment.assessor, assessment.agency) == (user, world.home)
    assert created["screening"]["score"] == 12
    assert created["screening"]["suggested_level"] == "medium"
    assert "suggests medium" in created["screening"]["rule"]
    assert created["level"] == "high"
    assert [i["code"] for i in created["indicators"]] == [
        "v-family-breakdown",
        "m-staying-out-late",
        "s-missing",
        "s-multiple-phones",
    ]
    assert [g["text"] for g in created["guidance"]] == ["putting herself at risk"]


def test_the_floor_is_applied_and_explained(world, as_user):
    Child.objects.filter(pk=world.child.pk).update(date_of_birth=years_ago(11))
    body = {"indicators": [{"code": "s-missing", "recency": OLDER}], "level": "medium"}

    response = as_user(world.users["practitioner:involved"])("POST", assessments(world.child), body)

    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["score"], created["floor_applied"], created["suggested_level"]) == (
        1,
        True,
        "medium",
    )
    assert "under 13" in created["screening"]["rule"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"level": "critical"}, "level"),
        ({"level": None}, "level"),
        ({"level": "high"}, "rationale"),  # high always needs a rationale
        ({"level": "medium"}, "rationale"),  # differs from the suggestion (low)
        ({"assessed_on": "2999-01-01"}, "assessed_on"),
        ({"assessed_on": "01/02/2024"}, "assessed_on"),
        ({"assessed_on": "1990-01-01"}, "assessed_on"),  # before the child was born
        ({"indicators": [{"code": "no-such-indicator"}]}, "indicators"),
        ({"indicators": [{"code": "s-missing"}]}, "indicators"),  # when was it last seen?
        ({"indicators": [{"code": "v-isolated", "recency": WITHIN}]}, "indicators"),
        ({"indicators": [{"code": "v-isolated"}, {"code": "v-isolated"}]}, "indicators"),
        ({"indicators": [{"code": "s-missing", "recency": "last week"}]}, "recency"),
        ({"exploitation_types": ["piracy"]}, "exploitation_types"),
        ({"cin_factors": ["99Z"]}, "cin_factors"),
        ({"rationale": "Nul\u0000l"}, "rationale"),
        ({"score": 30}, "score"),  # computed, never taken from the caller
    ],
)
def test_a_bad_screening_names_the_field_and_saves_nothing(world, as_user, change, field):
    response = as_user(world.users["practitioner:involved"])(
        "POST", assessments(world.child), {**SCREENING, **change}
    )

    assert response.status_code == 422, response.content
    locations = [error["loc"] for error in response.json()["detail"]]
    assert any(loc[0] == "body" and field in loc for loc in locations), locations
    assert not RiskAssessment.objects.filter(child=world.child).exists()


def test_a_level_below_the_floor_is_refused_naming_the_level(world, as_user):
    Child.objects.filter(pk=world.child.pk).update(date_of_birth=years_ago(11))
    body = {
        "indicators": [{"code": "s-missing", "recency": OLDER}],
        "level": "low",
        "rationale": "Only one old episode.",
    }

    response = as_user(world.users["practitioner:involved"])("POST", assessments(world.child), body)

    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "level"]
    assert error["msg"].startswith("Choose medium or high")
    assert not RiskAssessment.objects.exists()


def test_a_retired_indicator_is_refused_by_name(world, as_user):
    from cairn.risk.services import catalogue_indicator_retire

    indicator = Indicator.objects.get(code="v-isolated")
    catalogue_indicator_retire(actor=world.users["administrator:same_agency"], indicator=indicator)

    response = as_user(world.users["practitioner:involved"])(
        "POST", assessments(world.child), {"indicators": [{"code": "v-isolated"}], "level": "none"}
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "indicators"]
    assert "retired" in response.json()["detail"][0]["msg"]


# --- the register ----------------------------------------------------------------------------


@pytest.fixture
def register_world(world):  # type: ignore[no-untyped-def]
    """Three more children of the home agency on the register, and one off it."""
    lead = world.users["practitioner:involved"]
    north = WardFactory(code="E05000101")
    Child.objects.filter(pk=world.child.pk).update(ward=north, sex="female")
    world.child.refresh_from_db()
    record(lead, world.child, codes=VULNERABILITIES)  # low
    boy = ChildFactory(agency=world.home, sex="male", given_name="Kai")
    InvolvementFactory(child=boy, user=lead, agency=world.home)
    record(
        lead,
        boy,
        level="high",
        recency_codes=[
            ("s-missing", WITHIN),
            ("s-drug-debt", WITHIN),
            ("s-multiple-phones", WITHIN),
        ],
        exploitation_types=["criminal", "county_lines"],
        rationale="Carrying drugs for others.",
    )
    overdue = ChildFactory(agency=world.home, given_name="Ola")
    InvolvementFactory(child=overdue, user=lead, agency=world.home)
    record(
        lead,
        overdue,
        level="medium",
        recency_codes=[("s-missing", WITHIN), ("s-found-out-of-area", WITHIN)],
        exploitation_types=["sexual"],
        assessed_on=timezone.localdate() - dt.timedelta(days=100),
        rationale="Seen with older men.",
    )
    off = ChildFactory(agency=world.home, given_name="Noor")
    InvolvementFactory(child=off, user=lead, agency=world.home)
    record(lead, off, level="none")
    return world, {"low": world.child, "high": boy, "medium": overdue, "none": off}


def _ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def test_register_lists_children_at_low_and_above_highest_first(register_world, as_user):
    world, children = register_world
    call = as_user(world.users["manager:same_agency"])

    body = call("GET", REGISTER).json()

    assert [row["id"] for row in body["items"]] == [
        children["high"].pk,
        children["medium"].pk,
        children["low"].pk,
    ]
    assert body["count"] == 3
    boy = body["items"][0]
    assert boy["child_ref"] == children["high"].child_ref
    assert boy["name"] == children["high"].full_name
    assert boy["level"] == "high"
    assert boy["assessed_on"] == timezone.localdate().isoformat()
    assert boy["next_review_due"] == (timezone.localdate() + dt.timedelta(days=28)).isoformat()
    assert boy["exploitation_types"] == ["criminal", "county_lines"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "high"}, ["high"]),
        ({"level": ["low", "medium"]}, ["medium", "low"]),
        ({"exploitation_type": "sexual"}, ["medium"]),
        ({"sex": "male"}, ["high"]),
        ({"ward": "E05000101"}, ["low"]),
        ({"locality": "N"}, ["low"]),
        ({"agency": "POL"}, []),
        ({"overdue": "true"}, ["medium"]),
        ({"age_band": "16_17"}, []),
        ({"sort": "-level"}, ["low", "medium", "high"]),
    ],
)
def test_register_filters(register_world, as_user, params, expected):
    world, children = register_world
    response = as_user(world.users["manager:same_agency"])("GET", REGISTER, **params)
    assert _ids(response) == [children[level].pk for level in expected]


def test_register_pages(register_world, as_user):
    world, children = register_world
    call = as_user(world.users["manager:same_agency"])

    first = call("GET", REGISTER, limit=2).json()
    rest = call("GET", REGISTER, limit=2, offset=2).json()

    assert first["count"] == rest["count"] == 3
    assert [r["id"] for r in first["items"] + rest["items"]] == [
        children["high"].pk,
        children["medium"].pk,
        children["low"].pk,
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"ward": "E05999999"}, "ward"),
        ({"locality": "ZZ"}, "locality"),
        ({"agency": "NOPE"}, "agency"),
        ({"level": "none"}, "level"),
        ({"age_band": "teen"}, "age_band"),
        ({"limit": 101}, "limit"),
    ],
)
def test_register_refuses_unknown_filters_naming_them(register_world, as_user, params, field):
    world, _ = register_world
    response = as_user(world.users["manager:same_agency"])("GET", REGISTER, **params)
    assert response.status_code == 422
    assert field in [error["loc"][1] for error in response.json()["detail"]], response.json()


def test_counts_apply_every_filter_but_the_level(register_world, as_user):
    world, _ = register_world
    call = as_user(world.users["manager:same_agency"])

    assert call("GET", COUNTS).json() == {"low": 1, "medium": 1, "high": 1, "total": 3}
    assert call("GET", COUNTS, level="high").json()["total"] == 3
    assert call("GET", COUNTS, sex="female").json() == {
        "low": 1,
        "medium": 1,
        "high": 0,
        "total": 2,
    }


# --- access events ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "action"),
    [
        ("GET", "assessments", Action.VIEW),
        ("POST", "assessments", Action.CREATE),
        ("GET", REGISTER, Action.LIST),
        ("GET", COUNTS, Action.LIST),
    ],
)
def test_every_call_writes_exactly_one_access_event(world, as_user, method, path, action):
    user = world.users["practitioner:involved"]
    record(user, world.child, codes=VULNERABILITIES)
    url = assessments(world.child) if path == "assessments" else path
    call = as_user(user)
    before = _last_seq()

    response = call(method, url, SCREENING if method == "POST" else None)

    assert response.status_code in (200, 201), response.content
    events = _events_after(before)
    assert [(e.action, e.user_id) for e in events] == [(action, user.pk)]
    if path == "assessments":
        assert events[0].child_id == world.child.pk


def test_register_event_records_the_filters(world, as_user):
    call = as_user(world.users["manager:same_agency"])
    before = _last_seq()
    call("GET", REGISTER, level="high", sex="male")
    (event,) = _events_after(before)
    assert event.object_type == "risk.register"
    assert event.detail["levels"] == ["high"]
    assert event.detail["sex"] == "male"


def test_refused_and_invalid_calls_record_no_change(world, as_user):
    reader = as_user(world.users["practitioner:same_agency"])
    editor = as_user(world.users["practitioner:involved"])
    before = _last_seq()
    refused = reader("POST", assessments(world.child), SCREENING)
    invalid = editor("POST", assessments(world.child), {**SCREENING, "level": "high"})
    assert (refused.status_code, invalid.status_code) == (403, 422)
    assert not RiskAssessment.objects.exists()
    assert [e.action for e in _events_after(before)] == []
