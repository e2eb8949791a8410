"""The missing API: record an episode, its return and the return home interview; the open and
due lists; who may do what, and how date-times are read (no offset = London time)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cairn.audit.models import AccessEvent, Action
from cairn.missing.models import MissingEpisode
from tests.missing.conftest import episode


def episodes_of(child) -> str:  # type: ignore[no-untyped-def]
    return f"/api/missing/children/{child.pk}/episodes"


def test_an_episode_return_and_interview_through_the_api(as_user, partnership) -> None:
    p = partnership
    call = as_user(p.lead)
    # A summer date without an offset is London time (BST, UTC+1).
    response = call(
        "POST",
        episodes_of(p.child),
        {
            "last_seen_at": "2025-07-01T23:30",
            "reported_at": "2025-07-02T00:30",
            "police_risk": "high",
            "concerns": ["criminal"],
            "clothing_worn": "Blue tracksuit",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reported_at"] == "2025-07-02T00:30:00+01:00"
    assert body["returned_at"] is None and body["interview"] is None
    saved = MissingEpisode.objects.get()
    assert saved.reported_at == dt.datetime(2025, 7, 1, 23, 30, tzinfo=dt.UTC)

    response = call(
        "POST", f"/api/missing/episodes/{saved.pk}/return", {"returned_at": "2025-07-03T10:00Z"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["interview_due_at"] == "2025-07-06T11:00:00+01:00"

    response = call(
        "PUT",
        f"/api/missing/episodes/{saved.pk}/interview",
        {
            "outcome": "completed",
            "offered_at": "2025-07-03T12:00",
            "happened_at": "2025-07-05T16:00",
            "summary": "Jordan talked about being given cannabis by older boys.",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["completed_at"] == "2025-07-05T16:00:00+01:00"
    assert AccessEvent.objects.filter(action=Action.CREATE, child=p.child).count() == 2


def test_bad_times_are_422_naming_the_field(as_user, partnership) -> None:
    call = as_user(partnership.lead)
    response = call(
        "POST",
        episodes_of(partnership.child),
        {"last_seen_at": "yesterday", "reported_at": "2025-07-02T00:30", "police_risk": "low"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "last_seen_at"]
    response = call(
        "POST",
        episodes_of(partnership.child),
        {
            "last_seen_at": "2025-07-02T00:30",
            "reported_at": "2025-07-01T00:30",
            "police_risk": "low",
        },
    )
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["body", "reported_at"]
    assert problem["msg"].startswith("The time reported must be after the time last seen")
    assert not MissingEpisode.objects.exists()


def test_who_may_see_and_change_episodes(as_user, partnership) -> None:
    p = partnership
    now = timezone.localtime()
    saved = episode(p.child, reported=(now - dt.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M"))
    detail = f"/api/missing/episodes/{saved.pk}"
    assert as_user(p.colleague)("GET", detail).status_code == 200  # agency caseload: read
    assert (
        as_user(p.colleague)("POST", f"{detail}/return", {"returned_at": now.isoformat()})
    ).status_code == 403
    assert as_user(p.officer)("GET", detail).status_code == 404
    assert as_user(p.nurse)("GET", episodes_of(p.child)).status_code == 404
    assert [
        e["episode_ref"]
        for e in as_user(p.lead)("GET", "/api/missing/episodes/open").json()["items"]
    ] == [saved.episode_ref]
    assert as_user(p.officer)("GET", "/api/missing/episodes/open").json()["count"] == 0


@pytest.mark.parametrize("role", ["analyst", "scrutiny", "administrator"])
def test_roles_without_a_caseload_get_403_on_lists(as_user, world, role) -> None:
    call = as_user(world.users[f"{role}:involved"])
    for path in ("/api/missing/episodes/open", "/api/missing/interviews/due"):
        assert call("GET", path).status_code == 403, path
