"""The children API: who may do what, what is recorded, and what comes back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent, Action
from cairn.children.models import CaseNote, Child, Handling
from tests.conftest import RELATIONSHIPS, ROLES
from tests.factories import (
    CaseNoteFactory,
    ChildFactory,
    InvolvementFactory,
    UserFactory,
    WardFactory,
)

LIST = "/api/children/"


def detail(child: Child) -> str:
    return f"/api/children/{child.pk}"


def notes(child: Child) -> str:
    return f"/api/children/{child.pk}/notes"


NOTE = {"subject": "Home visit", "text": "She talked about school and her friends."}

# (read status, write status) for the world's child, by role and relationship (DESIGN.md).
EXPECTED = {
    ("practitioner", "involved"): (200, 200),
    ("practitioner", "same_agency"): (200, 403),
    ("practitioner", "other_agency"): (404, 404),
    ("practitioner", "break_glass"): (200, 403),
    ("manager", "involved"): (200, 200),
    ("manager", "same_agency"): (200, 200),
    ("manager", "other_agency"): (404, 404),
    ("manager", "break_glass"): (200, 403),
    ("panel_member", "involved"): (200, 200),
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


def test_the_matrix_covers_every_role_and_relationship():
    assert set(EXPECTED) == {(role, rel) for role in ROLES for rel in RELATIONSHIPS}


NO_CASE_READING = (Role.ANALYST, Role.SCRUTINY, Role.ADMINISTRATOR)


@pytest.mark.parametrize(("role", "rel"), sorted(EXPECTED))
def test_access_matrix(world, as_user, role, rel):
    """Each operation on the world's child, for one role and relationship; and whether the
    child appears in their list (which also holds their own agency's caseload)."""
    read, write = EXPECTED[(role, rel)]
    user = world.users[f"{role}:{rel}"]
    call = as_user(user)
    child = world.child
    police_child = ChildFactory(agency=world.other, given_name="Unrelated")

    listed = call("GET", LIST)
    statuses = {
        "list": listed.status_code,
        "detail": call("GET", detail(child)).status_code,
        "notes": call("GET", notes(child)).status_code,
        "update": call("PATCH", detail(child), {"other_names": "Ama"}).status_code,
        "add note": call("POST", notes(child), NOTE).status_code,
    }

    assert statuses == {
        "list": 403 if role in NO_CASE_READING else 200,
        "detail": read,
        "notes": read,
        "update": write,
        "add note": 201 if write == 200 else write,
    }
    child.refresh_from_db()
    assert (child.other_names == "Ama") is (write == 200)
    if listed.status_code == 200:
        expected = {child.pk} if read == 200 else set()
        if role != Role.PANEL_MEMBER and user.agency == world.other:
            expected.add(police_child.pk)  # their own agency's caseload
        assert {item["id"] for item in listed.json()["items"]} == expected
        assert listed.json()["count"] == len(expected)


def test_list_of_a_same_agency_practitioner_holds_exactly_their_agency_caseload(world, as_user):
    ChildFactory(agency=world.other, given_name="Unrelated", family_name="Otherchild")
    mine = ChildFactory(agency=world.home, given_name="Second", family_name="Homechild")

    body = as_user(world.users["practitioner:same_agency"])("GET", LIST).json()

    assert {item["id"] for item in body["items"]} == {world.child.pk, mine.pk}
    assert body["count"] == 2


def test_search_and_pagination(world, as_user):
    for n in range(5):
        ChildFactory(agency=world.home, given_name=f"Sam{n}", family_name="Pagerson")
    call = as_user(world.users["manager:same_agency"])

    found = call("GET", LIST, q="Amara").json()
    assert [item["child_ref"] for item in found["items"]] == [world.child.child_ref]

    first = call("GET", LIST, q="Pagerson", limit=2).json()
    rest = call("GET", LIST, q="Pagerson", limit=2, offset=2).json()
    assert first["count"] == rest["count"] == 5
    assert len(first["items"]) == len(rest["items"]) == 2
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in rest["items"]}


def test_mine_lists_only_the_callers_own_caseload(world, as_user):
    involved = as_user(world.users["practitioner:involved"])
    colleague = as_user(world.users["practitioner:same_agency"])

    assert [i["id"] for i in involved("GET", LIST, scope="mine").json()["items"]] == [
        world.child.pk
    ]
    assert colleague("GET", LIST, scope="mine").json()["items"] == []
    assert colleague("GET", LIST).json()["count"] == 1


def test_page_size_is_at_most_100(world, as_user):
    response = as_user(world.users["manager:same_agency"])("GET", LIST, limit=101)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "limit"


def test_list_needs_a_fixed_number_of_queries(world, as_user, django_assert_max_num_queries):
    for _ in range(30):
        ChildFactory(agency=world.home, ward=WardFactory())
    call = as_user(world.users["manager:same_agency"])
    with django_assert_max_num_queries(12):
        response = call("GET", LIST, limit=100)
    assert len(response.json()["items"]) == 31


def test_detail_uses_exchange_names_and_says_what_the_caller_may_do(world, as_user):
    ward = WardFactory(code="E05000042")
    Child.objects.filter(pk=world.child.pk).update(ward=ward, postcode="AB1 2CD")

    editor = as_user(world.users["practitioner:involved"])("GET", detail(world.child)).json()
    reader = as_user(world.users["practitioner:break_glass"])("GET", detail(world.child)).json()

    assert editor["child_ref"] == world.child.child_ref
    assert editor["agency"] == "SCC"
    assert editor["ward_code"] == "E05000042"
    assert editor["sex"] == "female"
    assert editor["education_status"] is None
    assert (editor["can_edit"], editor["access_via"]) == (True, "involved")
    assert (reader["can_edit"], reader["access_via"]) == (False, "break_glass")


def test_unknown_child_is_404_like_a_hidden_one(world, as_user):
    response = as_user(world.users["practitioner:involved"])("GET", "/api/children/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


# --- access events ---------------------------------------------------------------------------


def _events_after(seq: int) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(seq__gt=seq))


def _last_seq() -> int:
    last = AccessEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


@pytest.mark.parametrize(
    ("method", "path", "body", "action"),
    [
        ("GET", "detail", None, Action.VIEW),
        ("GET", "notes", None, Action.VIEW),
        ("GET", "list", None, Action.LIST),
        ("PATCH", "detail", {"ethnicity": "White British"}, Action.UPDATE),
        ("PATCH", "detail", {}, Action.VIEW),
        ("POST", "notes", NOTE, Action.CREATE),
        ("POST", "list", {"given_name": "Kai", "family_name": "Newchild"}, Action.CREATE),
    ],
)
def test_every_call_writes_exactly_one_access_event(world, as_user, method, path, body, action):
    user = world.users["practitioner:involved"]
    call = as_user(user)
    url = {"detail": detail(world.child), "notes": notes(world.child), "list": LIST}[path]
    if body and "given_name" in body:
        body = {**body, "date_of_birth": "2011-05-01"}
    before = _last_seq()

    response = call(method, url, body)

    assert response.status_code in (200, 201), response.content
    events = _events_after(before)
    assert [(e.action, e.user_id) for e in events] == [(action, user.pk)]
    if action != Action.LIST:
        assert events[0].child_id == (world.child.pk if path != "list" else response.json()["id"])


def test_search_is_recorded_with_its_words(world, as_user):
    call = as_user(world.users["practitioner:involved"])
    before = _last_seq()
    call("GET", LIST, q="Amara")
    (event,) = _events_after(before)
    assert event.action == Action.SEARCH
    assert event.detail["query"] == "Amara"


def test_refused_calls_change_nothing(world, as_user):
    before_notes = CaseNote.objects.count()
    response = as_user(world.users["practitioner:same_agency"])("POST", notes(world.child), NOTE)
    assert response.status_code == 403
    assert CaseNote.objects.count() == before_notes


# --- create and update ------------------------------------------------------------------------


def test_create_records_the_child_for_the_callers_agency(world, as_user):
    lead = world.users["manager:same_agency"]
    ward = WardFactory(code="E05000077")
    user = world.users["practitioner:same_agency"]

    response = as_user(user)(
        "POST",
        LIST,
        {
            "given_name": " Kai ",
            "family_name": "Newchild",
            "date_of_birth": "2010-02-03",
            "sex": "male",
            "postcode": "ab1 2cd",
            "ward_code": "E05000077",
            "legal_status": "looked_after",
            "uasc": True,
            "immigration_status": "claim_pending",
            "education_status": "missing_education",
            "learning_disability": True,
            "lead_professional_id": lead.pk,
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    child = Child.objects.get(pk=body["id"])
    assert (child.given_name, child.agency, child.ward, child.lead_professional) == (
        "Kai",
        world.home,
        ward,
        lead,
    )
    assert child.postcode == body["postcode"] == "AB1 2CD"
    assert body["child_ref"].startswith("C-")
    assert body["agency"] == "SCC"
    assert child.involvements.filter(user=user).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sex": "boy"}, "sex"),
        ({"legal_status": "in_care"}, "legal_status"),
        ({"education_status": "expelled"}, "education_status"),
        ({"given_name": ""}, "given_name"),
        ({"given_name": "   "}, "given_name"),
        ({"given_name": None}, "given_name"),
        ({"date_of_birth": "not a date"}, "date_of_birth"),
        ({"date_of_birth": "1990-01-01"}, "date_of_birth"),
        ({"ward_code": "E05999999"}, "ward_code"),
        ({"lead_professional_id": 999999}, "lead_professional_id"),
        ({"postcode": "A" * 11}, "postcode"),
        ({"family_name": "Nul\u0000l"}, "family_name"),
    ],
)
def test_create_names_the_field_that_is_wrong(world, as_user, change, field):
    body = {"given_name": "Kai", "family_name": "Newchild", "date_of_birth": "2010-02-03"}
    response = as_user(world.users["practitioner:involved"])("POST", LIST, {**body, **change})

    assert response.status_code == 422, response.content
    assert field in [error["loc"][-1] for error in response.json()["detail"]]
    assert not Child.objects.filter(family_name__startswith="Newchild").exists()


def test_create_refuses_a_future_date_of_birth(world, as_user):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    body = {"given_name": "Kai", "family_name": "Newchild", "date_of_birth": tomorrow}
    response = as_user(world.users["practitioner:involved"])("POST", LIST, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "date_of_birth"


def test_create_refuses_a_reference_already_in_use(world, as_user):
    body = {
        "child_ref": world.child.child_ref,
        "given_name": "Kai",
        "family_name": "Newchild",
        "date_of_birth": "2010-02-03",
    }
    response = as_user(world.users["practitioner:involved"])("POST", LIST, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "child_ref"]


@pytest.mark.parametrize("role", [Role.PANEL_MEMBER, Role.ANALYST, Role.ADMINISTRATOR])
def test_only_practitioners_and_managers_create_children(world, as_user, role):
    body = {"given_name": "Kai", "family_name": "Newchild", "date_of_birth": "2010-02-03"}
    response = as_user(world.users[f"{role}:involved"])("POST", LIST, body)
    assert response.status_code == 403
    assert not Child.objects.filter(family_name="Newchild").exists()


def test_update_changes_only_the_fields_sent(world, as_user):
    ward = WardFactory(code="E05000088")
    call = as_user(world.users["practitioner:involved"])
    before = _last_seq()

    response = call(
        "PATCH", detail(world.child), {"ward_code": "E05000088", "education_status": "on_roll"}
    )

    assert response.status_code == 200, response.content
    child = Child.objects.get(pk=world.child.pk)
    assert (child.ward, child.education_status, child.given_name) == (ward, "on_roll", "Amara")
    (event,) = _events_after(before)
    assert sorted(event.detail["fields"]) == ["education_status", "ward"]


def test_update_can_clear_optional_values_but_not_required_ones(world, as_user):
    Child.objects.filter(pk=world.child.pk).update(education_status="on_roll")
    call = as_user(world.users["practitioner:involved"])

    cleared = call("PATCH", detail(world.child), {"education_status": None, "ward_code": None})
    refused = call("PATCH", detail(world.child), {"date_of_birth": None})

    assert cleared.status_code == 200
    assert Child.objects.get(pk=world.child.pk).education_status == ""
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "date_of_birth"


def test_update_by_token_names_the_caller_in_the_change_history(world, as_user):
    from auditlog.models import LogEntry

    user = world.users["practitioner:involved"]
    as_user(user)("PATCH", detail(world.child), {"ethnicity": "Mixed"})

    entry = LogEntry.objects.get_for_object(world.child).order_by("-timestamp").first()
    assert entry.actor == user


# --- notes ------------------------------------------------------------------------------------


def test_notes_are_only_those_the_caller_may_read(world):
    from tests.api.conftest import ApiCaller

    author = world.users["practitioner:involved"]
    panel = world.users["panel_member:involved"]
    outsider = UserFactory(role=Role.PRACTITIONER, agency=world.other)
    InvolvementFactory(child=world.child, user=outsider, agency=world.other)
    standard = CaseNoteFactory(child=world.child, author=author, handling=Handling.STANDARD)
    sensitive = CaseNoteFactory(child=world.child, author=author, handling=Handling.SENSITIVE)
    restricted = CaseNoteFactory(child=world.child, author=author, handling=Handling.RESTRICTED)

    def seen(user):
        body = ApiCaller(user)("GET", notes(world.child)).json()
        return {item["id"] for item in body["items"]}

    assert seen(author) == {standard.pk, sensitive.pk, restricted.pk}
    assert seen(panel) == {standard.pk, restricted.pk}  # restricted: the recording agency's
    assert seen(outsider) == {standard.pk, sensitive.pk}


def test_adding_a_note_returns_it_with_language_guidance(world, as_user):
    user = world.users["practitioner:involved"]
    response = as_user(user)(
        "POST",
        notes(world.child),
        {
            "subject": "Missing again",
            "text": "She keeps putting herself at risk.",
            "handling": "sensitive",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    note = CaseNote.objects.get(pk=body["id"])
    assert (note.author, note.agency, note.handling) == (user, world.home, "sensitive")
    assert body["occurred_on"] == timezone.localdate().isoformat()
    assert body["author_name"] == user.display_name
    assert [g["text"] for g in body["guidance"]] == ["putting herself at risk"]
    assert body["guidance"][0]["suggestions"]


def test_a_note_in_the_future_is_refused_naming_the_field(world, as_user):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = as_user(world.users["practitioner:involved"])(
        "POST", notes(world.child), {**NOTE, "occurred_on": tomorrow}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "occurred_on"],
            "msg": "The date of the note cannot be in the future",
            "type": "invalid",
        }
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"agency": "POL"}, "agency"),
        ({"child_ref": "NEW-REF"}, "child_ref"),
        ({"given_nmae": "Typo"}, "given_nmae"),
    ],
)
def test_update_refuses_fields_it_cannot_change(world, as_user, body, field):
    response = as_user(world.users["practitioner:involved"])("PATCH", detail(world.child), body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert Child.objects.get(pk=world.child.pk).agency == world.home


@pytest.mark.parametrize("body", [[None, None], "text", 42])
def test_a_body_that_is_not_an_object_is_refused(world, as_user, body):
    before = Child.objects.get(pk=world.child.pk).updated_at
    response = as_user(world.users["practitioner:involved"])("PATCH", detail(world.child), body)
    assert response.status_code == 422
    assert Child.objects.get(pk=world.child.pk).updated_at == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"uasc": "yes"}, "uasc"),
        ({"learning_disability": 1}, "learning_disability"),
        ({"lead_professional_id": "12"}, "lead_professional_id"),
        ({"date_of_birth": 1262304000}, "date_of_birth"),
        ({"date_of_birth": "03/02/2010"}, "date_of_birth"),
    ],
)
def test_values_must_have_their_documented_json_types(world, as_user, change, field):
    response = as_user(world.users["practitioner:involved"])("PATCH", detail(world.child), change)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]
