"""The access matrix: every role × relationship to a child × every child page → expected status.

The expectations are written out by hand from DESIGN.md's access policy, not derived from the code.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cairn.audit.models import AccessEvent

# Pages about one child. "read" pages need view access; "edit" pages need change access.
READ_PAGES = ["children:detail", "missing:child"]
EDIT_PAGES = [
    "children:edit",
    "children:note_create",
    "children:voice_create",
    "children:involvement_create",
    "children:placement_create",
    "children:identifier_create",
    "children:alias_create",
    "risk:screening",
    "missing:episode_new",
]

# (role, relationship) -> (read, edit, access log, break-glass form)
V, E, LOG, BG = range(4)
EXPECTED: dict[tuple[str, str], tuple[int, int, int, int]] = {
    ("practitioner", "involved"): (200, 200, 403, 302),
    ("practitioner", "same_agency"): (200, 403, 403, 302),
    ("practitioner", "other_agency"): (404, 404, 404, 200),
    ("practitioner", "break_glass"): (200, 403, 403, 302),
    ("manager", "involved"): (200, 200, 200, 302),
    ("manager", "same_agency"): (200, 200, 200, 302),
    ("manager", "other_agency"): (404, 404, 404, 200),
    ("manager", "break_glass"): (200, 403, 403, 302),
    ("panel_member", "involved"): (200, 200, 403, 302),
    ("panel_member", "same_agency"): (404, 404, 404, 200),
    ("panel_member", "other_agency"): (404, 404, 404, 200),
    ("panel_member", "break_glass"): (200, 403, 403, 302),
    # On the published agenda of a panel the user sits on: read-only, until 30 days after.
    ("practitioner", "panel_agenda"): (200, 403, 403, 302),
    ("manager", "panel_agenda"): (200, 403, 403, 302),
    ("panel_member", "panel_agenda"): (200, 403, 403, 302),
}
for role in ("analyst", "scrutiny", "administrator"):
    for rel in ("involved", "same_agency", "other_agency", "break_glass", "panel_agenda"):
        EXPECTED[(role, rel)] = (404, 404, 404, 404)

CASES = sorted(EXPECTED)


@pytest.mark.parametrize(("role", "rel"), CASES)
def test_child_pages_answer_each_role_and_relationship_as_the_policy_says(client, world, role, rel):
    user = world.users[f"{role}:{rel}"]
    client.force_login(user)
    expected = EXPECTED[(role, rel)]
    child_id = world.child.pk

    for name in READ_PAGES:
        response = client.get(reverse(name, args=[child_id]))
        assert response.status_code == expected[V], name
    for name in EDIT_PAGES:
        response = client.get(reverse(name, args=[child_id]))
        assert response.status_code == expected[E], name
    response = client.get(reverse("children:access_log", args=[child_id]))
    assert response.status_code == expected[LOG]
    response = client.get(reverse("children:break_glass", args=[child_id]))
    assert response.status_code == expected[BG]


@pytest.mark.parametrize(("role", "rel"), CASES)
def test_child_list_shows_the_child_only_to_those_who_may_open_it(client, world, role, rel):
    user = world.users[f"{role}:{rel}"]
    client.force_login(user)
    response = client.get(reverse("children:list"), {"q": "Testchild"})
    if role in ("analyst", "scrutiny", "administrator"):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    listed = world.child.child_ref in response.content.decode()
    assert listed == (EXPECTED[(role, rel)][V] == 200)


@pytest.mark.parametrize(("role", "rel"), CASES)
def test_posting_a_change_is_refused_unless_the_user_may_edit(client, world, role, rel):
    user = world.users[f"{role}:{rel}"]
    client.force_login(user)
    before = world.child.notes.count()
    response = client.post(
        reverse("children:note_create", args=[world.child.pk]),
        {
            "occurred_on": "2026-01-05",
            "subject": "Visit",
            "text": "Talked about football.",
            "handling": "standard",
        },
    )
    expected = EXPECTED[(role, rel)][E]
    if expected == 200:
        assert response.status_code == 302
        assert world.child.notes.count() == before + 1
    else:
        assert response.status_code == expected
        assert world.child.notes.count() == before


@pytest.mark.parametrize("role", ["practitioner", "manager"])
def test_child_create_is_for_practitioners_and_managers(client, world, role):
    client.force_login(world.users[f"{role}:other_agency"])
    assert client.get(reverse("children:create")).status_code == 200


@pytest.mark.parametrize("role", ["panel_member", "analyst", "scrutiny", "administrator"])
def test_child_create_is_refused_to_other_roles(client, world, role):
    client.force_login(world.users[f"{role}:involved"])
    assert client.get(reverse("children:create")).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client, world):
    for name in [*READ_PAGES, *EDIT_PAGES, "children:access_log", "children:break_glass"]:
        response = client.get(reverse(name, args=[world.child.pk]))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_refused_reads_write_no_view_event(client, world):
    client.force_login(world.users["practitioner:other_agency"])
    client.get(reverse("children:detail", args=[world.child.pk]))
    assert not AccessEvent.objects.filter(child=world.child, action="view").exists()


def test_expired_break_glass_no_longer_opens_the_record(client, world):
    from datetime import timedelta

    from django.utils import timezone

    user = world.users["practitioner:break_glass"]
    user.break_glass_grants.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(user)
    assert client.get(reverse("children:detail", args=[world.child.pk])).status_code == 404


def test_ended_involvement_no_longer_opens_the_record(client, world):
    from datetime import timedelta

    from django.utils import timezone

    user = world.users["panel_member:involved"]
    user.involvements.update(ended_on=timezone.localdate() - timedelta(days=1))
    client.force_login(user)
    assert client.get(reverse("children:detail", args=[world.child.pk])).status_code == 404


def test_team_involvement_opens_the_record_for_team_members(client, world):
    from tests.factories import InvolvementFactory, TeamFactory, UserFactory

    team = TeamFactory(agency=world.other)
    member = UserFactory(role="panel_member", agency=world.other, team=team)
    client.force_login(member)
    assert client.get(reverse("children:detail", args=[world.child.pk])).status_code == 404
    InvolvementFactory(child=world.child, user=None, team=team, agency=world.other)
    assert client.get(reverse("children:detail", args=[world.child.pk])).status_code == 200
