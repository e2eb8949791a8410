"""Missing pages: record an episode and the return, see the interview on the due list with its
clock, record it; the board, alerts and placements lists; who may open what."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.audit.models import AccessEvent, Action
from cairn.missing.models import MissingEpisode, RepeatMissingAlert, ReturnInterview
from tests.factories import InvolvementFactory
from tests.missing.conftest import episode


def moment(prefix: str, when: dt.datetime) -> dict[str, str]:
    local = timezone.localtime(when)
    return {
        f"{prefix}_on_day": str(local.day),
        f"{prefix}_on_month": str(local.month),
        f"{prefix}_on_year": str(local.year),
        f"{prefix}_time": local.strftime("%H:%M"),
    }


def text(response) -> str:  # type: ignore[no-untyped-def]
    plain = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(plain))


def test_record_return_and_interview_through_the_pages(client, partnership) -> None:
    p = partnership
    client.force_login(p.lead)
    now = timezone.now().replace(second=0, microsecond=0)
    last_seen = now - dt.timedelta(hours=30)
    response = client.post(
        reverse("missing:episode_new", args=[p.child.pk]),
        moment("last_seen_at", last_seen)
        | moment("reported_at", last_seen + dt.timedelta(hours=2))
        | {
            "last_seen_place": "Oakfield House",
            "clothing_worn": "Red hoodie",
            "police_risk": "high",
            "concerns": ["criminal"],
        },
    )
    saved = MissingEpisode.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("missing:episode", args=[saved.pk])
    assert saved.last_seen_at == last_seen and saved.placement == p.home

    board = text(client.get(reverse("missing:board")))
    assert "Jordan Ashdown" in board and "High" in board and "1 child missing now" in board

    returned = now - dt.timedelta(hours=1)
    response = client.post(
        reverse("missing:return", args=[saved.pk]),
        moment("returned_at", returned) | {"found_place": "Coach station"},
    )
    assert response.status_code == 302
    assert "0 children missing now" in text(client.get(reverse("missing:board")))

    due = text(client.get(reverse("missing:due")))
    assert "1 interview to hold" in due
    assert "2 days 22 hours left" in due or "2 days 23 hours left" in due  # 71 hours to go
    response = client.post(
        reverse("missing:interview", args=[saved.pk]),
        {
            "outcome": "completed",
            **moment("offered_at", returned),
            **moment("happened_at", now),
            "summary": "Jordan talked about a friend's flat in the city.",
        },
    )
    assert response.status_code == 302
    assert ReturnInterview.objects.get().completed_at == now
    assert "0 interviews to hold" in text(client.get(reverse("missing:due")))
    page = text(client.get(reverse("missing:episode", args=[saved.pk])))
    assert "Held" in page and "a friend's flat" in page


def test_a_date_without_a_time_is_an_error_naming_the_field(client, partnership) -> None:
    client.force_login(partnership.lead)
    day = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        reverse("missing:episode_new", args=[partnership.child.pk]),
        {
            "last_seen_at_on_day": day.day,
            "last_seen_at_on_month": day.month,
            "last_seen_at_on_year": day.year,
            "police_risk": "low",
        },
    )
    assert response.status_code == 200
    body = text(response)
    assert "Enter time last seen" in body
    assert "Enter date reported missing" in body
    assert not MissingEpisode.objects.exists()


def test_the_due_list_shows_overdue_interviews_first(client, partnership) -> None:
    p = partnership
    now = timezone.localtime()
    late = episode(
        p.child,
        reported=(now - dt.timedelta(days=6)).strftime("%Y-%m-%d %H:%M"),
        returned=(now - dt.timedelta(days=4)).strftime("%Y-%m-%d %H:%M"),
    )
    episode(
        p.child,
        reported=(now - dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        returned=(now - dt.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M"),
    )
    client.force_login(p.lead)
    body = text(client.get(reverse("missing:due")))
    assert "2 interviews to hold" in body
    assert "overdue by 1 day" in body  # returned 4 days ago: due 3 days after
    assert body.index("overdue by 1 day") < body.index("hours left")  # overdue first
    assert late.episode_ref in body


def test_lists_show_only_children_the_user_may_see(client, partnership) -> None:
    p = partnership
    episode(
        p.child, reported=(timezone.localtime() - dt.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    )
    for user, sees in ((p.lead, True), (p.manager, True), (p.officer, False), (p.nurse, False)):
        client.force_login(user)
        assert ("Jordan Ashdown" in text(client.get(reverse("missing:board")))) is sees, user
    InvolvementFactory(child=p.child, user=p.officer, agency=p.police)
    client.force_login(p.officer)
    assert "Jordan Ashdown" in text(client.get(reverse("missing:board")))
    assert AccessEvent.objects.filter(
        action=Action.LIST, object_type="missing.currently_missing"
    ).exists()


@pytest.mark.parametrize("role", ["analyst", "scrutiny", "administrator"])
def test_roles_without_a_caseload_get_counts_not_lists(client, world, role) -> None:
    client.force_login(world.users[f"{role}:involved"])
    for name in ("missing:board", "missing:due", "missing:alerts", "missing:placements"):
        assert client.get(reverse(name)).status_code == 403, name


# role, relationship -> (episode page, return and interview pages)
EXPECTED = {
    ("practitioner", "involved"): (200, 200),
    ("practitioner", "same_agency"): (200, 403),
    ("practitioner", "other_agency"): (404, 404),
    ("practitioner", "break_glass"): (200, 403),
    ("manager", "involved"): (200, 200),
    ("manager", "same_agency"): (200, 200),
    ("manager", "other_agency"): (404, 404),
    ("manager", "break_glass"): (200, 403),
    ("panel_member", "same_agency"): (404, 404),
}
for _role in ("analyst", "scrutiny", "administrator"):
    EXPECTED[(_role, "involved")] = (404, 404)


@pytest.mark.parametrize(("role", "rel"), sorted(EXPECTED))
def test_episode_pages_follow_the_access_policy(client, world, role, rel) -> None:
    now = timezone.localtime()
    saved = episode(
        world.child,
        reported=(now - dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M"),
        returned=(now - dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
    )
    client.force_login(world.users[f"{role}:{rel}"])
    read, edit = EXPECTED[(role, rel)]
    assert client.get(reverse("missing:episode", args=[saved.pk])).status_code == read
    for name in ("missing:return", "missing:interview"):
        assert client.get(reverse(name, args=[saved.pk])).status_code == edit, name
    views = AccessEvent.objects.filter(action=Action.VIEW, object_id=str(saved.pk))
    assert views.count() == (1 if read == 200 else 0)


def test_alerts_are_listed_for_the_lead_and_acknowledged_with_a_note(client, partnership) -> None:
    p = partnership
    now = timezone.localtime()
    for days in (50, 20, 1):
        episode(p.child, reported=(now - dt.timedelta(days=days)).strftime("%Y-%m-%d %H:%M"))
    from cairn.missing.services import repeat_missing_alerts_refresh

    (alert,) = repeat_missing_alerts_refresh([p.child.pk])
    client.force_login(p.lead)
    assert "3 in 90 days" in text(client.get(reverse("missing:alerts")))
    url = reverse("missing:acknowledge", args=[alert.pk])
    assert "Enter what was agreed" in text(client.post(url, {"note": ""}))
    response = client.post(url, {"note": "Strategy discussion held; risk review booked"})
    assert response.status_code == 302
    assert RepeatMissingAlert.objects.get().acknowledged_by == p.lead
    assert "No open alerts" in text(client.get(reverse("missing:alerts")))
    client.force_login(p.colleague)
    assert client.get(url).status_code == 403


def test_the_placement_view_shows_13_episodes_are_one_child(client, partnership) -> None:
    p = partnership
    now = timezone.localtime()
    for n in range(13):
        episode(
            p.child,
            reported=(now - dt.timedelta(days=10 + n)).strftime("%Y-%m-%d %H:%M"),
            placement=p.home,
        )
    client.force_login(p.manager)
    body = text(client.get(reverse("missing:placements")))
    assert re.search(r"Oakfield House Children.s home 13 1 13\.0", body), body[:2000]


def test_the_child_record_shows_the_open_episode(client, partnership) -> None:
    p = partnership
    saved = episode(
        p.child, reported=(timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    )
    client.force_login(p.lead)
    body = text(client.get(reverse("children:detail", args=[p.child.pk])))
    assert "Jordan is missing now" in body and saved.episode_ref in body
    assert "1 missing episode recorded; 1 in the last 90 days" in body


def test_the_record_and_the_open_episode_offer_the_profile_and_the_police_pack(
    client, partnership
) -> None:
    from tests.missing.test_philomena_services import make_profile

    p = partnership
    client.force_login(p.lead)
    record = reverse("children:detail", args=[p.child.pk])
    body = text(client.get(record))
    assert "Philomena Protocol profile (none yet)" in body
    assert "Download the police pack" not in body

    make_profile(p)
    body = text(client.get(record))
    assert "Philomena Protocol profile (none yet)" not in body
    assert "Download the police pack" not in body  # not missing: nothing to hand to police

    saved = episode(
        p.child, reported=(timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    )
    assert "Download the police pack" in text(client.get(record))
    page = text(client.get(reverse("missing:episode", args=[saved.pk])))
    assert "Jordan's Philomena Protocol profile" in page
    assert "Download the police pack" in page

    saved.returned_at = timezone.now()
    saved.save()
    page = text(client.get(reverse("missing:episode", args=[saved.pk])))
    assert "Download the police pack" not in page


def test_a_child_not_in_care_has_no_philomena_link(client, partnership) -> None:
    p = partnership
    p.child.legal_status = "child_in_need"
    p.child.save()
    client.force_login(p.lead)
    assert "Philomena" not in text(client.get(reverse("children:detail", args=[p.child.pk])))


def test_police_see_other_missing_childrens_profiles_on_the_board(client, partnership) -> None:
    from tests.missing.test_philomena_services import make_profile

    p = partnership
    reported = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    saved = episode(p.child, reported=reported)
    client.force_login(p.officer)
    board = reverse("missing:board")
    assert "Other children missing now" not in text(client.get(board))  # no profile yet

    make_profile(p)
    before = AccessEvent.objects.filter(action=Action.LIST).count()
    body = client.get(board).content.decode()
    assert reverse("philomena:profile", args=[p.child.pk]) in body
    assert reverse("missing:episode", args=[saved.pk]) not in body  # the profile only
    assert AccessEvent.objects.filter(action=Action.LIST).count() == before + 2
    assert client.get(reverse("philomena:profile", args=[p.child.pk])).status_code == 200

    client.force_login(p.nurse)  # not police: nothing beyond their own caseload
    assert "Other children missing now" not in text(client.get(board))

    saved.returned_at = timezone.now()
    saved.save()
    client.force_login(p.officer)
    assert "Other children missing now" not in text(client.get(board))
