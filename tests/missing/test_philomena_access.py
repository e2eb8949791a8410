"""Who reaches the Philomena pages: the profile, changing it, adding and viewing photos, and the
police pack, for each user's relationship to the child, with and without an open missing
episode. Written out by hand from docs/access.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent, Action
from cairn.children.models import BreakGlassGrant
from cairn.missing.models import ProfilePhoto
from cairn.missing.philomena_services import profile_photo_add
from tests.factories import UserFactory
from tests.missing.conftest import episode
from tests.missing.test_philomena_photos import image_bytes, upload
from tests.missing.test_philomena_services import make_profile

# user -> (profile page, change page, add-photo page, photo, police pack)
WITHOUT_EPISODE: dict[str, tuple[int, int, int, int, int]] = {
    "lead": (200, 200, 200, 200, 200),
    "manager": (200, 200, 200, 200, 200),
    "colleague": (200, 403, 403, 200, 200),  # same agency, not involved: reads only
    "nurse": (404, 404, 404, 404, 404),  # another agency's practitioner
    "break_glass": (200, 403, 403, 200, 403),  # read-only, no pack
    "officer": (404, 404, 404, 404, 404),
    "police_manager": (404, 404, 404, 404, 404),
    "police_panel_member": (404, 404, 404, 404, 404),
    "administrator": (404, 404, 404, 404, 404),
    "analyst": (404, 404, 404, 404, 404),
    "scrutiny": (404, 404, 404, 404, 404),
}
WITH_OPEN_EPISODE = WITHOUT_EPISODE | {
    "officer": (200, 403, 403, 200, 200),
    "police_manager": (200, 403, 403, 200, 200),
}


@pytest.fixture
def private_media(tmp_path: Path) -> Iterator[Path]:
    with override_settings(CAIRN_PRIVATE_MEDIA_ROOT=tmp_path / "private"):
        yield tmp_path / "private"


@pytest.fixture
def people(partnership) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    p = partnership
    users = {
        name: getattr(p, name)
        for name in ("lead", "manager", "colleague", "nurse", "officer", "police_manager")
    }
    users["break_glass"] = UserFactory(username="edtriage", agency=p.health)
    now = timezone.now()
    BreakGlassGrant.objects.create(
        child=p.child,
        user=users["break_glass"],
        reason="Found at A&E at night; need medical needs",
        granted_at=now,
        expires_at=now + dt.timedelta(minutes=30),
    )
    users["police_panel_member"] = UserFactory(
        username="panel_pc", agency=p.police, role=Role.PANEL_MEMBER
    )
    for role in ("administrator", "analyst", "scrutiny"):
        users[role] = UserFactory(username=role, agency=p.police, role=role)
    return users


def statuses(client, p, user) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    client.force_login(user)
    child_id = p.child.pk
    photo = ProfilePhoto.objects.get(profile__child=p.child)
    return (
        client.get(reverse("philomena:profile", args=[child_id])).status_code,
        client.get(reverse("philomena:edit", args=[child_id])).status_code,
        client.get(reverse("philomena:photo_add", args=[child_id])).status_code,
        client.get(reverse("philomena:photo", args=[photo.pk])).status_code,
        client.post(reverse("philomena:police_pack", args=[child_id])).status_code,
    )


def with_profile_and_photo(p) -> None:  # type: ignore[no-untyped-def]
    profile = make_profile(p)
    profile_photo_add(
        actor=p.lead,
        profile=profile,
        photo=upload(image_bytes()),
        taken_on=timezone.localdate(),
    )


@pytest.mark.parametrize("who", sorted(WITHOUT_EPISODE))
def test_without_an_open_episode_only_the_childs_professionals_reach_the_profile(
    client, partnership, people, private_media, who
) -> None:
    with_profile_and_photo(partnership)
    assert statuses(client, partnership, people[who]) == WITHOUT_EPISODE[who]


@pytest.mark.parametrize("who", sorted(WITH_OPEN_EPISODE))
def test_during_an_open_episode_police_responders_read_it_and_take_the_pack(
    client, partnership, people, private_media, who
) -> None:
    with_profile_and_photo(partnership)
    episode(partnership.child, reported=_hours_ago(3), last_seen_place="Millbrook bus station")
    assert statuses(client, partnership, people[who]) == WITH_OPEN_EPISODE[who]


def _hours_ago(hours: int) -> str:
    return timezone.localtime(timezone.now() - dt.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")


def test_police_lose_access_when_the_child_returns(client, partnership, private_media) -> None:
    p = partnership
    with_profile_and_photo(p)
    open_one = episode(p.child, reported=_hours_ago(5))
    client.force_login(p.officer)
    url = reverse("philomena:profile", args=[p.child.pk])
    assert client.get(url).status_code == 200
    open_one.returned_at = timezone.now()
    open_one.save()
    assert client.get(url).status_code == 404


def test_a_police_officer_reads_the_profile_with_the_episode_as_the_reason(
    client, partnership, private_media
) -> None:
    p = partnership
    with_profile_and_photo(p)
    open_one = episode(p.child, reported=_hours_ago(2))
    client.force_login(p.officer)
    page = client.get(reverse("philomena:profile", args=[p.child.pk])).content.decode()
    assert f"because Jordan is missing (episode {open_one.episode_ref})" in page
    assert reverse("children:detail", args=[p.child.pk]) not in page  # no link to the record
    assert "Change or review the profile" not in page
    assert "Download the police pack (PDF)" in page
    event = AccessEvent.objects.filter(action=Action.VIEW, user=p.officer).get()
    assert event.reason == f"open missing episode {open_one.episode_ref}"
    assert event.object_type == "missing.philomenaprofile" and event.child_id == p.child.pk


def test_break_glass_reads_but_is_not_offered_the_pack(client, partnership, people) -> None:
    p = partnership
    make_profile(p)
    client.force_login(people["break_glass"])
    page = client.get(reverse("philomena:profile", args=[p.child.pk])).content.decode()
    assert "through emergency access" in page
    assert "Download the police pack" not in page
    assert "Change or review the profile" not in page


def test_an_open_episode_does_not_widen_access_for_other_agencies(client, partnership) -> None:
    p = partnership
    make_profile(p)
    episode(p.child, reported=_hours_ago(2))
    client.force_login(p.nurse)
    assert client.get(reverse("philomena:profile", args=[p.child.pk])).status_code == 404
