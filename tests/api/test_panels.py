"""The panels API: the meetings of the caller's panels, one meeting's agenda (children named only
where the caller may open their record), the caller's open actions and recording progress on an
action; who may do what, what is recorded, and what comes back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent
from cairn.audit.models import Action as AuditAction
from cairn.panels.models import Action, Meeting, Plan
from tests.conftest import RELATIONSHIPS, ROLES
from tests.panels.conftest import meeting, on_agenda

MEETINGS = "/api/panels/meetings"
MINE = "/api/panels/actions/mine"


def status_of(action: Action) -> str:
    return f"/api/panels/actions/{action.pk}/status"


def an_action(child, owner, *, due: dt.date | None = None, **fields) -> Action:  # type: ignore[no-untyped-def]
    plan = Plan.objects.filter(child=child).first() or Plan.objects.create(
        child=child, kind="safety"
    )
    values = {
        "plan": plan,
        "text": "Visit the hotel with licensing",
        "owner": owner,
        "owner_agency": owner.agency,
        "due_on": due or timezone.localdate() + dt.timedelta(days=7),
        "category": "protect",
    } | fields
    return Action.objects.create(**values)


def _last_seq() -> int:
    last = AccessEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def _events_after(seq: int) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(seq__gt=seq).order_by("seq"))


# --- who may do what -------------------------------------------------------------------------

NO_CASELOAD = (Role.ANALYST, Role.SCRUTINY, Role.ADMINISTRATOR)

# (meetings list, the world's meeting, its agenda shown, updating an action owned by
# practitioner:involved) for the world's child, on the published agenda of "World MACE", whose
# members are the users related by "panel_agenda". Managers see every panel's meetings, as on the
# panels pages, but not the agenda of a panel they do not sit on. Updating follows the plan rule:
# the owner, a manager of the owner's agency, the child's editors; 403 for readers.
EXPECTED = {
    ("practitioner", "involved"): (200, 404, None, 200),  # the owner
    ("practitioner", "same_agency"): (200, 404, None, 403),
    ("practitioner", "other_agency"): (200, 404, None, 404),
    ("practitioner", "break_glass"): (200, 404, None, 403),
    ("practitioner", "panel_agenda"): (200, 200, True, 403),
    ("manager", "involved"): (200, 200, False, 200),
    ("manager", "same_agency"): (200, 200, False, 200),  # the owner's agency
    ("manager", "other_agency"): (200, 200, False, 404),
    ("manager", "break_glass"): (200, 200, False, 403),
    ("manager", "panel_agenda"): (200, 200, True, 403),
    ("panel_member", "involved"): (200, 404, None, 200),  # may change the child's record
    ("panel_member", "same_agency"): (200, 404, None, 404),
    ("panel_member", "other_agency"): (200, 404, None, 404),
    ("panel_member", "break_glass"): (200, 404, None, 403),
    ("panel_member", "panel_agenda"): (200, 200, True, 403),
    **{(role, rel): (403, 404, None, 404) for role in NO_CASELOAD for rel in RELATIONSHIPS},
}


def test_the_matrix_covers_every_role_and_relationship():
    assert set(EXPECTED) == {(role, rel) for role in ROLES for rel in RELATIONSHIPS}


@pytest.mark.parametrize(("role", "rel"), sorted(EXPECTED))
def test_access_matrix(world, as_user, role, rel):
    listed, opened, agenda_shown, update = EXPECTED[(role, rel)]
    action = an_action(world.child, world.users["practitioner:involved"])
    world_meeting = Meeting.objects.get(meeting_ref="MT-WORLD")
    call = as_user(world.users[f"{role}:{rel}"])

    meetings = call("GET", MEETINGS)
    detail = call("GET", f"{MEETINGS}/{world_meeting.pk}")
    mine = call("GET", MINE)
    changed = call("POST", status_of(action), {"status": "in_progress"})

    statuses = (meetings.status_code, detail.status_code, changed.status_code)
    assert statuses == (listed, opened, update), (meetings.content, detail.content)
    if listed == 200:
        refs = [m["meeting_ref"] for m in meetings.json()["items"]]
        assert refs == (["MT-WORLD"] if opened == 200 else [])
    if opened == 200:
        body = detail.json()
        assert body["agenda_shown"] is agenda_shown
        if agenda_shown:
            # The published agenda opens the child's record to the panel's members: named.
            assert [c["child_id"] for c in body["agenda"]] == [world.child.pk]
            assert body["agenda"][0]["name"] == "Amara Testchild"
            assert body["agenda_others"] == 0
        else:
            assert (body["agenda"], body["agenda_others"]) == ([], 0)
    assert mine.status_code == 200
    owner = (role, rel) == ("practitioner", "involved")
    assert mine.json()["count"] == (1 if owner else 0)
    action.refresh_from_db()
    assert action.status == ("in_progress" if update == 200 else "open")


def test_an_unknown_meeting_or_action_is_404_like_a_hidden_one(world, as_user):
    call = as_user(world.users["manager:same_agency"])
    assert call("GET", f"{MEETINGS}/999999").status_code == 404
    response = call("POST", "/api/panels/actions/999999/status", {"status": "in_progress"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


# --- meetings --------------------------------------------------------------------------------


def test_meetings_are_the_callers_panels_newest_first_and_listed_once(panel_world, as_user):
    world = panel_world
    today = timezone.localdate()
    older = meeting(world.panel, today - dt.timedelta(days=60), status=Meeting.Status.HELD)
    newer = meeting(world.panel, today - dt.timedelta(days=30), status=Meeting.Status.SIGNED_OFF)
    from cairn.panels.models import Panel

    elsewhere = Panel.objects.create(name="Harbour MASE", panel_type="mase")
    meeting(elsewhere, today)
    call = as_user(world.nurse)  # making the token is recorded too
    before = _last_seq()

    body = call("GET", MEETINGS).json()

    assert [m["meeting_ref"] for m in body["items"]] == [
        world.meeting.meeting_ref,
        newer.meeting_ref,
        older.meeting_ref,
    ]
    first = body["items"][0]
    assert first["panel"] == "Synthetshire MACE" and first["panel_id"] == world.panel.pk
    assert (first["meeting_type"], first["status"], first["agenda_published_at"]) == (
        "mace",
        "planned",
        None,
    )
    assert first["held_on"] == (today + dt.timedelta(days=7)).isoformat()
    events = _events_after(before)
    assert [(e.action, e.object_type) for e in events] == [(AuditAction.LIST, "panels.meetings")]
    # The outsider sits on no panel; the manager (not on it) sees every panel's meetings.
    assert as_user(world.outsider)("GET", MEETINGS).json()["count"] == 0
    assert as_user(world.manager)("GET", MEETINGS).json()["count"] == 4


def test_the_meetings_list_is_paginated_in_a_fixed_number_of_queries(
    panel_world, as_user, django_assert_max_num_queries
):
    world = panel_world
    for days in range(1, 12):
        meeting(world.panel, timezone.localdate() - dt.timedelta(days=days * 14))
    call = as_user(world.nurse)
    with django_assert_max_num_queries(12):
        response = call("GET", MEETINGS, limit=5, offset=5)
    body = response.json()
    assert body["count"] == 12 and len(body["items"]) == 5


def test_the_agenda_names_only_children_the_caller_may_open(panel_world, as_user):
    world = panel_world
    today = timezone.localdate()
    past = meeting(world.panel, today - dt.timedelta(days=45), status=Meeting.Status.HELD)
    on_agenda(past, world.jordan)
    on_agenda(past, world.casey)
    nurse, social_worker = as_user(world.nurse), as_user(world.social_worker)
    before = _last_seq()

    # 45 days after the meeting, the agenda no longer opens either record to the nurse: counted.
    body = nurse("GET", f"{MEETINGS}/{past.pk}").json()
    assert (body["agenda_shown"], body["agenda"], body["agenda_others"]) == (True, [], 2)
    # The social worker is Jordan's lead professional.
    body = social_worker("GET", f"{MEETINGS}/{past.pk}").json()
    assert [(c["name"], c["reason"]) for c in body["agenda"]] == [("Jordan Ashdown", "new_risk")]
    assert body["agenda_others"] == 1
    events = _events_after(before)
    assert [(e.action, e.object_id, e.reason) for e in events] == [
        (AuditAction.LIST, str(past.pk), "panel: Synthetshire MACE"),
        (AuditAction.LIST, str(past.pk), "panel: Synthetshire MACE"),
    ]


def test_an_agenda_not_yet_published_is_for_its_chairs(panel_world, as_user):
    world = panel_world
    on_agenda(world.meeting, world.jordan, published=False)
    on_agenda(world.meeting, world.casey, published=False)

    member = as_user(world.nurse)("GET", f"{MEETINGS}/{world.meeting.pk}").json()
    assert (member["agenda_shown"], member["agenda"], member["agenda_others"]) == (False, [], 0)
    chair = as_user(world.chair)("GET", f"{MEETINGS}/{world.meeting.pk}").json()
    # The chair (police) builds it, but may not open either child's record: both counted.
    assert (chair["agenda_shown"], chair["agenda"], chair["agenda_others"]) == (True, [], 2)


def test_an_imported_meeting_shows_no_agenda_and_opens_nothing(panel_world, as_user):
    world = panel_world
    from cairn.panels.models import Discussion

    held = meeting(
        world.panel, timezone.localdate() - dt.timedelta(days=3), status=Meeting.Status.HELD
    )
    Discussion.objects.create(meeting=held, child=world.casey, outcome="Imported")
    body = as_user(world.nurse)("GET", f"{MEETINGS}/{held.pk}").json()
    assert (body["agenda_shown"], body["agenda"], body["agenda_others"]) == (False, [], 0)
    assert as_user(world.nurse)("GET", f"/api/children/{world.casey.pk}").status_code == 404


# --- actions ---------------------------------------------------------------------------------


def test_my_actions_are_the_open_ones_earliest_due_first(panel_world, as_user):
    world = panel_world
    today = timezone.localdate()
    later = an_action(world.jordan, world.nurse, due=today + dt.timedelta(days=20))
    overdue = an_action(
        world.casey, world.nurse, due=today - dt.timedelta(days=2), status="in_progress",
        category="pursue",
    )  # fmt: skip
    an_action(world.jordan, world.nurse, status="done", completed_on=today, evidence="Visited")
    an_action(world.jordan, world.nurse, status="cancelled", evidence="Moved away")
    an_action(world.jordan, world.social_worker)  # someone else's
    call = as_user(world.nurse)
    before = _last_seq()

    body = call("GET", MINE).json()

    assert [a["id"] for a in body["items"]] == [overdue.pk, later.pk]
    first = body["items"][0]
    assert (first["due_on"], first["status"], first["category"]) == (
        (today - dt.timedelta(days=2)).isoformat(),
        "in_progress",
        "pursue",
    )
    assert (first["plan_kind"], first["owner_agency"], first["completed_on"]) == (
        "safety",
        "NHS",
        None,
    )
    # The nurse cannot open either child's record (nothing is on a published agenda): neither is
    # named.
    assert {(a["child_id"], a["child_name"]) for a in body["items"]} == {(None, None)}
    assert [(e.action, e.object_type) for e in _events_after(before)] == [
        (AuditAction.LIST, "panels.my_actions")
    ]

    on_agenda(world.meeting, world.casey)
    body = call("GET", MINE).json()
    assert (body["items"][0]["child_id"], body["items"][0]["child_name"]) == (
        world.casey.pk,
        "Casey Millbrook",
    )


def test_my_actions_take_a_fixed_number_of_queries(
    panel_world, as_user, django_assert_max_num_queries
):
    world = panel_world
    for days in range(10):
        an_action(world.jordan, world.social_worker, due=timezone.localdate() + dt.timedelta(days))
    call = as_user(world.social_worker)
    with django_assert_max_num_queries(14):
        body = call("GET", MINE).json()
    assert body["count"] == 10
    assert {a["child_name"] for a in body["items"]} == {"Jordan Ashdown"}


def test_done_needs_evidence_and_a_date_not_in_the_future(panel_world, as_user):
    world = panel_world
    action = an_action(world.jordan, world.social_worker)
    call = as_user(world.social_worker)

    response = call("POST", status_of(action), {"status": "done"})
    assert response.status_code == 422
    assert [p["loc"] for p in response.json()["detail"]] == [["body", "evidence"]]
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = call(
        "POST", status_of(action), {"status": "done", "evidence": "Seen", "completed_on": tomorrow}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "completed_on"]
    response = call("POST", status_of(action), {"status": "finished", "evidence": "Seen"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "status"]
    response = call("POST", status_of(action), {"status": "done", "note": "x"})
    assert response.status_code == 422
    action.refresh_from_db()
    assert action.status == "open"

    before = _last_seq()
    response = call(
        "POST", status_of(action), {"status": "done", "evidence": "Licensing visit made."}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["completed_on"], body["evidence"]) == (
        "done",
        timezone.localdate().isoformat(),
        "Licensing visit made.",
    )
    assert body["child_name"] == "Jordan Ashdown" and body["guidance"] == []
    events = _events_after(before)
    assert [(e.action, e.child_id) for e in events] == [(AuditAction.UPDATE, world.jordan.pk)]

    # Done is final.
    response = call("POST", status_of(action), {"status": "in_progress"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "status"]


def test_a_cancelled_action_needs_a_reason(panel_world, as_user):
    world = panel_world
    action = an_action(world.jordan, world.social_worker)
    call = as_user(world.social_worker)
    response = call("POST", status_of(action), {"status": "cancelled"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "evidence"]
    response = call("POST", status_of(action), {"status": "cancelled", "evidence": "Moved away"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
