"""The Philomena pages: making and changing a profile, what the profile page shows (the child's
details, photos, review due, missing history), and the list of profiles to review."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cairn.audit.models import AccessEvent, Action
from cairn.children.models import ChildAlias
from cairn.missing.models import PhilomenaProfile
from cairn.missing.philomena_selectors import add_months
from cairn.missing.philomena_services import philomena_profile_create
from tests.factories import ChildFactory, PlacementFactory
from tests.missing.conftest import episode
from tests.missing.test_philomena_services import make_profile

FORM = {
    "height": "1.62 m",
    "build": "Slim",
    "hair": "Dark brown",
    "eyes": "Brown",
    "distinguishing_features": "Pierced left eyebrow",
    "clothing_style": "Black puffer jacket",
    "phones": "07700 900123 (black iPhone)",
    "social_media": "Snapchat: jordan_a",
    "associates": "",
    "places": "Hillcrest Retail Park",
    "risk_locations": "",
    "medical_needs": "Asthma",
    "vulnerabilities": "",
    "languages": "English",
}


def test_a_social_worker_makes_a_profile_and_sees_it(client, partnership) -> None:
    p = partnership
    client.force_login(p.lead)
    profile_url = reverse("philomena:profile", args=[p.child.pk])
    page = client.get(profile_url).content.decode()
    assert "Jordan has no Philomena profile" in page
    create_url = reverse("philomena:create", args=[p.child.pk])
    assert create_url in page
    assert client.get(create_url).status_code == 200
    response = client.post(create_url, FORM)
    assert response.status_code == 302 and response["Location"] == profile_url
    page = client.get(profile_url).content.decode()
    assert "Jordan&#x27;s Philomena profile has been saved." in page
    assert "Pierced left eyebrow" in page and "Snapchat: jordan_a" in page
    assert PhilomenaProfile.objects.get().reviewed_by == p.lead


def test_a_password_among_the_usernames_is_shown_as_an_error_and_nothing_is_saved(
    client, partnership
) -> None:
    p = partnership
    client.force_login(p.lead)
    response = client.post(
        reverse("philomena:create", args=[p.child.pk]),
        FORM | {"social_media": "Snapchat: jordan_a password: sunshine1"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_social_media"' in page
    assert "Enter usernames only" in page
    assert not PhilomenaProfile.objects.exists()


def test_language_guidance_is_shown_after_saving(client, partnership) -> None:
    p = partnership
    client.force_login(p.lead)
    client.post(
        reverse("philomena:create", args=[p.child.pk]),
        FORM | {"vulnerabilities": "She keeps going missing with older boys"},
    )
    page = client.get(reverse("philomena:profile", args=[p.child.pk])).content.decode()
    assert "Language guidance" in page and "keeps going missing" in page


def test_the_profile_page_shows_the_child_details_photos_review_and_history(
    client, partnership
) -> None:
    p = partnership
    p.child.ethnicity = "White: British"
    p.child.other_names = "Jo"
    p.child.save()
    ChildAlias.objects.create(child=p.child, name="JJ")
    make_profile(p, reviewed_on=add_months(timezone.localdate(), -7))
    episode(p.child, reported="2025-03-01 22:00", returned="2025-03-02 09:00", found_place="Park")
    episode(p.child, reported="2025-05-01 22:00", returned="2025-05-03 10:00", found_place="Flat")
    client.force_login(p.colleague)
    page = client.get(reverse("philomena:profile", args=[p.child.pk])).content.decode()
    assert "Jo, JJ" in page
    assert p.child.date_of_birth.strftime("%-d %B %Y") in page
    assert "White: British" in page
    assert "Review overdue" in page and "Profiles are reviewed every 6 months" in page
    assert "2 episodes, newest first" in page
    assert page.index("Flat") < page.index("Park")
    assert "Change or review the profile" not in page  # the colleague only reads


def test_a_move_of_placement_shows_the_review_as_due(client, partnership) -> None:
    p = partnership
    make_profile(p, reviewed_on=timezone.localdate() - dt.timedelta(days=20))
    p.home.end_date = timezone.localdate() - dt.timedelta(days=2)
    p.home.save()
    PlacementFactory(
        child=p.child,
        provider_name="Rowan Foster Care",
        placement_type="foster",
        start_date=timezone.localdate() - dt.timedelta(days=1),
    )
    client.force_login(p.lead)
    page = client.get(reverse("philomena:profile", args=[p.child.pk])).content.decode()
    assert "Review overdue" in page
    assert "Jordan moved to Rowan Foster Care" in page


def test_a_child_not_in_care_is_told_why_there_is_no_profile(client, partnership) -> None:
    p = partnership
    p.child.legal_status = "care_leaver"
    p.child.save()
    client.force_login(p.lead)
    page = client.get(reverse("philomena:profile", args=[p.child.pk])).content.decode()
    assert "kept for children in care" in page
    assert reverse("philomena:create", args=[p.child.pk]) not in page
    form = client.get(reverse("philomena:create", args=[p.child.pk])).content.decode()
    assert "Care leaver" in form and "<form" not in form.split("<main")[1]
    assert client.post(reverse("philomena:create", args=[p.child.pk]), FORM).status_code == 200
    assert not PhilomenaProfile.objects.exists()


def test_changing_as_a_review_restarts_the_clock(client, partnership) -> None:
    p = partnership
    profile = make_profile(p, reviewed_on=timezone.localdate() - dt.timedelta(days=200))
    client.force_login(p.lead)
    response = client.post(reverse("philomena:edit", args=[p.child.pk]), FORM | {"reviewed": "on"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.reviewed_on == timezone.localdate() and profile.build == "Slim"
    page = client.get(response["Location"]).content.decode()
    assert "has been reviewed" in page and "Up to date" in page


def test_create_and_edit_lead_to_each_other(client, partnership) -> None:
    p = partnership
    client.force_login(p.lead)
    edit = reverse("philomena:edit", args=[p.child.pk])
    create = reverse("philomena:create", args=[p.child.pk])
    assert client.get(edit)["Location"] == create
    make_profile(p)
    assert client.get(create)["Location"] == edit


def test_opening_the_profile_writes_one_view_event(client, partnership) -> None:
    p = partnership
    make_profile(p)
    client.force_login(p.manager)
    client.get(reverse("philomena:profile", args=[p.child.pk]))
    event = AccessEvent.objects.get(action=Action.VIEW)
    assert event.user == p.manager and event.child_id == p.child.pk and event.reason == "agency"


def test_reviews_due_lists_the_managers_profiles_in_a_fixed_number_of_queries(
    client, partnership
) -> None:
    p = partnership
    today = timezone.localdate()

    def overdue_child(n: int) -> None:
        child = ChildFactory(
            agency=p.scc,
            lead_professional=p.lead,
            legal_status="looked_after",
            given_name=f"Child{n}",
        )
        PlacementFactory(child=child, start_date=today - dt.timedelta(days=400))
        philomena_profile_create(actor=p.lead, child=child, reviewed_on=add_months(today, -7))

    client.force_login(p.manager)
    url = reverse("philomena:reviews_due")
    overdue_child(1)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    for n in range(2, 7):
        overdue_child(n)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    assert "6 profiles to review" in page
    assert "Jordan Ashdown" in page  # in care, no profile yet
    assert (
        AccessEvent.objects.filter(
            action=Action.LIST, object_type="missing.philomena_reviews_due"
        ).count()
        == 2
    )


def test_reviews_due_is_for_caseload_roles(client, partnership) -> None:
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="scrutiny", agency=partnership.scc))
    assert client.get(reverse("philomena:reviews_due")).status_code == 403
