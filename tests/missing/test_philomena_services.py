"""Philomena profile services and selectors: who may make one and for which children, the
password check on social media usernames and phones, and when a review falls due (every six
months, and at once when the child moves placement)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from cairn.audit.models import AccessEvent, Action
from cairn.missing.models import PhilomenaProfile
from cairn.missing.philomena_selectors import (
    _last_review_before,
    add_months,
    children_in_care_without_profile,
    profiles_due,
    review_status,
)
from cairn.missing.philomena_services import (
    philomena_profile_create,
    philomena_profile_update,
    secret_problem,
)
from tests.factories import ChildFactory, PlacementFactory

TODAY = timezone.localdate


def make_profile(p: Any, **fields: Any) -> PhilomenaProfile:
    """A profile for the partnership's child, made by the lead professional."""
    values = {
        "height": "1.62 m",
        "hair": "Dark brown, shoulder length",
        "clothing_style": "Sports brands; usually a black puffer jacket",
        "social_media": "Snapchat: jordan_a\nInstagram: j.ashdown",
        "medical_needs": "Asthma: blue inhaler (salbutamol) when needed",
        "languages": "English",
    } | fields
    profile, _ = philomena_profile_create(actor=p.lead, child=p.child, **values)
    return profile


def errors_of(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


# Making and changing a profile -----------------------------------------------------------------


def test_the_lead_makes_a_profile_reviewed_today_at_the_current_placement(partnership) -> None:
    p = partnership
    profile = make_profile(p, height="  1.62 m  ")
    assert profile.child == p.child
    assert profile.height == "1.62 m"
    assert profile.reviewed_on == TODAY()
    assert profile.reviewed_by == p.lead
    assert profile.placement_at_review == p.home
    event = AccessEvent.objects.get(action=Action.CREATE, object_type="missing.philomenaprofile")
    assert event.child_id == p.child.pk and event.user == p.lead


def test_free_text_gets_language_guidance_and_is_saved_all_the_same(partnership) -> None:
    p = partnership
    profile, guidance = philomena_profile_create(
        actor=p.lead,
        child=p.child,
        vulnerabilities="Jordan keeps going missing and puts herself at risk",
    )
    assert profile.pk is not None
    assert {g["text"].lower() for g in guidance} >= {"keeps going missing"}


def test_a_care_leaver_cannot_have_a_profile(partnership) -> None:
    p = partnership
    p.child.legal_status = "care_leaver"
    p.child.save()
    with pytest.raises(ValidationError) as caught:
        make_profile(p)
    assert "children in care" in errors_of(caught)["__all__"][0]
    assert "Care leaver" in errors_of(caught)["__all__"][0]
    assert not PhilomenaProfile.objects.exists()


def test_a_child_has_one_profile(partnership) -> None:
    p = partnership
    make_profile(p)
    with pytest.raises(ValidationError) as caught:
        make_profile(p)
    assert errors_of(caught)["__all__"] == ["Jordan already has a Philomena profile"]


@pytest.mark.parametrize("who", ["colleague", "nurse", "officer", "police_manager"])
def test_only_those_who_may_change_the_record_make_a_profile(partnership, who) -> None:
    with pytest.raises(PermissionDenied):
        philomena_profile_create(actor=getattr(partnership, who), child=partnership.child)


def test_the_agency_manager_may_make_a_profile(partnership) -> None:
    profile, _ = philomena_profile_create(actor=partnership.manager, child=partnership.child)
    assert profile.reviewed_by == partnership.manager


def test_bad_review_dates_are_refused_naming_the_field(partnership) -> None:
    p = partnership
    with pytest.raises(ValidationError) as caught:
        make_profile(p, reviewed_on=TODAY() + dt.timedelta(days=1))
    assert errors_of(caught)["reviewed_on"] == ["The date of the review cannot be in the future"]
    with pytest.raises(ValidationError) as caught:
        make_profile(p, reviewed_on=p.child.date_of_birth - dt.timedelta(days=1))
    assert "before the child's date of birth" in errors_of(caught)["reviewed_on"][0]


def test_too_long_a_value_is_refused_naming_the_field(partnership) -> None:
    with pytest.raises(ValidationError) as caught:
        make_profile(partnership, height="x" * 51)
    assert "height" in errors_of(caught)


def test_unknown_fields_are_a_programming_error(partnership) -> None:
    with pytest.raises(TypeError):
        make_profile(partnership, password="nope")


def test_an_update_lists_the_fields_changed_not_their_values(partnership) -> None:
    p = partnership
    profile = make_profile(p, reviewed_on=TODAY() - dt.timedelta(days=100))
    updated, _ = philomena_profile_update(
        actor=p.manager, profile=profile, hair="Dyed red, short", height="1.62 m"
    )
    assert updated.hair == "Dyed red, short"
    assert updated.reviewed_on == TODAY() - dt.timedelta(days=100)  # not a review
    event = AccessEvent.objects.get(action=Action.UPDATE)
    assert event.detail == {"fields": ["hair"], "reviewed": False}
    assert "red" not in str(event.detail)


def test_an_update_marked_as_a_review_restarts_the_clock(partnership) -> None:
    p = partnership
    profile = make_profile(p, reviewed_on=TODAY() - dt.timedelta(days=200))
    updated, _ = philomena_profile_update(actor=p.manager, profile=profile, reviewed=True)
    assert updated.reviewed_on == TODAY()
    assert updated.reviewed_by == p.manager
    assert AccessEvent.objects.get(action=Action.UPDATE).detail == {
        "fields": [],
        "reviewed": True,
    }


def test_nothing_changed_writes_nothing(partnership) -> None:
    p = partnership
    profile = make_profile(p)
    philomena_profile_update(actor=p.lead, profile=profile, height="1.62 m")
    assert not AccessEvent.objects.filter(action=Action.UPDATE).exists()


def test_a_colleague_who_may_only_read_cannot_change_it(partnership) -> None:
    profile = make_profile(partnership)
    with pytest.raises(PermissionDenied):
        philomena_profile_update(actor=partnership.colleague, profile=profile, hair="Blonde")


def test_once_the_child_has_left_care_the_profile_is_kept_unchanged(partnership) -> None:
    p = partnership
    profile = make_profile(p)
    p.child.legal_status = "care_leaver"
    p.child.save()
    with pytest.raises(ValidationError) as caught:
        philomena_profile_update(actor=p.lead, profile=profile, hair="Blonde")
    assert "kept for the record" in errors_of(caught)["__all__"][0]
    profile.refresh_from_db()
    assert profile.hair != "Blonde"


# Usernames only, never passwords ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Snapchat: jordan_a password: sunshine1",
        "Instagram j.ashdown Password sunshine1",
        "TikTok: jordanash pwd: abc123",
        "tiktok jordanash / PWD sunshine",
        "insta: j.ashdown pw: x",
        "insta j.ashdown (pass: sunshine)",
        "snap jordan_a passwd=sunshine",
        "email jordan@example.test passcode 1234",
        "login: jordan_a / sunshine",
        "Snapchat: jordan_a\nmy pass word is sunshine",
    ],
)
def test_social_media_that_looks_like_a_password_is_refused_with_a_clear_error(
    partnership, text
) -> None:
    with pytest.raises(ValidationError) as caught:
        make_profile(partnership, social_media=text)
    (message,) = errors_of(caught)["social_media"]
    assert message.startswith("Enter usernames only")
    assert "Never record a child's passwords" in message
    assert not PhilomenaProfile.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "Snapchat: jordan_a",
        "Instagram: pin_master_99\nTikTok: compass.jordan",
        "Discord: bypass_king",
        "YouTube: @passenger_jordan",
        "X: @jordan_pinfold",
    ],
)
def test_ordinary_usernames_are_accepted(partnership, text) -> None:
    assert secret_problem("social_media", text) is None
    assert make_profile(partnership, social_media=text).social_media == text


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("07700 900123 (black iPhone 12, cracked case)", False),
        ("07700 900123, PIN 4821", True),
        ("iPhone passcode 482100", True),
        ("Samsung A14, pin: 1234", True),
        ("Pay-as-you-go 07700 900456, spinning top case", False),
    ],
)
def test_phone_pins_and_passcodes_are_refused_too(partnership, text, refused) -> None:
    problem = secret_problem("phones", text)
    assert (problem is not None) == refused
    if refused:
        assert "PIN" in problem


def test_the_password_check_applies_on_update_too(partnership) -> None:
    profile = make_profile(partnership)
    with pytest.raises(ValidationError) as caught:
        philomena_profile_update(
            actor=partnership.lead, profile=profile, social_media="snap jordan_a pwd: x"
        )
    assert "social_media" in errors_of(caught)


# When a review falls due -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 1, 15), 6, dt.date(2025, 7, 15)),
        (dt.date(2025, 8, 31), 6, dt.date(2026, 2, 28)),
        (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_the_months_last_day(day, months, expected) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    "due_by", [dt.date(2026, 2, 28), dt.date(2024, 2, 29), dt.date(2025, 7, 1)]
)
def test_the_last_review_cut_off_matches_add_months_exactly(due_by) -> None:
    cutoff = _last_review_before(due_by)
    assert add_months(cutoff, 6) <= due_by
    assert add_months(cutoff + dt.timedelta(days=1), 6) > due_by


def test_a_review_is_due_six_months_after_the_last(partnership) -> None:
    p = partnership
    profile = make_profile(p, reviewed_on=TODAY() - dt.timedelta(days=30))
    status = review_status(profile, placement=p.home)
    assert status.due_on == add_months(profile.reviewed_on, 6)
    assert not status.due and not status.moved
    assert status.tag == "Up to date"
    assert status.why == "Profiles are reviewed every 6 months"


@override_settings(CAIRN_PHILOMENA_REVIEW_MONTHS=3)
def test_the_review_interval_is_a_setting(partnership) -> None:
    profile = make_profile(partnership, reviewed_on=TODAY() - dt.timedelta(days=100))
    status = review_status(profile, placement=partnership.home)
    assert status.overdue
    assert status.tag == "Overdue"


def test_a_move_after_the_last_review_makes_the_review_due_at_once(partnership) -> None:
    p = partnership
    profile = make_profile(p, reviewed_on=TODAY() - dt.timedelta(days=30))
    p.home.end_date = TODAY() - dt.timedelta(days=3)
    p.home.save()
    foster = PlacementFactory(
        child=p.child,
        provider_name="The Brambles (foster carers)",
        placement_type="foster",
        start_date=TODAY() - dt.timedelta(days=2),
    )
    status = review_status(profile, placement=foster)
    assert status.moved and status.due and status.overdue
    assert status.due_on == foster.start_date
    assert "Jordan moved to The Brambles (foster carers)" in status.why
    assert status.why.endswith("after the last review")


def test_a_placement_recorded_late_still_counts_as_a_move(partnership) -> None:
    """The current placement started before the review but was not the placement of the
    review: it was recorded afterwards, so the review did not see it."""
    p = partnership
    profile = make_profile(p, reviewed_on=TODAY() - dt.timedelta(days=30))
    other = PlacementFactory(
        child=p.child, provider_name="Elm Lodge", start_date=TODAY() - dt.timedelta(days=60)
    )
    status = review_status(profile, placement=other)
    assert status.moved and status.due
    assert "now Elm Lodge" in status.why


def test_the_placement_of_the_review_ending_makes_it_due(partnership) -> None:
    p = partnership
    profile = make_profile(p, reviewed_on=TODAY() - dt.timedelta(days=30))
    p.home.end_date = TODAY() - dt.timedelta(days=5)
    p.home.save()
    profile.refresh_from_db()
    status = review_status(profile, placement=None)
    assert status.moved and status.due_on == p.home.end_date


def test_reviewing_after_a_move_clears_it(partnership) -> None:
    p = partnership
    profile = make_profile(p, reviewed_on=TODAY() - dt.timedelta(days=30))
    foster = PlacementFactory(child=p.child, start_date=TODAY() - dt.timedelta(days=2))
    profile, _ = philomena_profile_update(actor=p.lead, profile=profile, reviewed=True)
    assert profile.placement_at_review == foster
    assert not review_status(profile, placement=foster).due


def test_reviews_due_lists_overdue_moved_and_soon_due_soonest_first(partnership) -> None:
    p = partnership
    today = TODAY()
    # Jordan: reviewed 7 months ago, overdue.
    make_profile(p, reviewed_on=add_months(today, -7))
    # Casey: reviewed last month, but moved last week.
    casey = ChildFactory(agency=p.scc, lead_professional=p.lead, legal_status="looked_after")
    old = PlacementFactory(child=casey, start_date=today - dt.timedelta(days=300))
    philomena_profile_create(actor=p.lead, child=casey, reviewed_on=today - dt.timedelta(days=30))
    old.end_date = today - dt.timedelta(days=8)
    old.save()
    PlacementFactory(child=casey, start_date=today - dt.timedelta(days=7))
    # Robin: due in 10 days. Sam: due in 3 months (not listed).
    robin = ChildFactory(agency=p.scc, lead_professional=p.lead, legal_status="looked_after")
    philomena_profile_create(
        actor=p.lead, child=robin, reviewed_on=add_months(today + dt.timedelta(days=10), -6)
    )
    sam = ChildFactory(agency=p.scc, lead_professional=p.lead, legal_status="looked_after")
    philomena_profile_create(actor=p.lead, child=sam, reviewed_on=add_months(today, -3))
    # Alex: in care, no profile yet. Another lead's child: only the manager sees it.
    alex = ChildFactory(agency=p.scc, lead_professional=p.lead, legal_status="looked_after")
    theirs = ChildFactory(agency=p.scc, lead_professional=p.colleague, legal_status="looked_after")
    philomena_profile_create(actor=p.manager, child=theirs, reviewed_on=add_months(today, -8))

    rows = profiles_due(user=p.lead)
    assert [row.child for row in rows] == [p.child, casey, robin]
    assert [row.status.tag for row in rows] == ["Overdue", "Overdue", "Due soon"]
    assert rows[1].status.moved
    assert list(children_in_care_without_profile(user=p.lead)) == [alex]

    managed = [row.child for row in profiles_due(user=p.manager)]
    assert managed == [theirs, p.child, casey, robin]
    assert profiles_due(user=p.officer) == []
    assert profiles_due(user=p.nurse) == []
