"""The synthetic county generator: deterministic, valid, plausible and children-first."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from cairn.accounts import access
from cairn.accounts.models import Role, User
from cairn.audit.models import AccessEvent, Action
from cairn.audit.services import audit_chain_verify
from cairn.children.models import (
    CaseNote,
    Child,
    ChildIdentifier,
    ChildVoice,
    Involvement,
    LegalStatus,
    Placement,
)
from cairn.core.models import LocalAuthority, Ward
from cairn.demo.content import DEMO_LOGINS
from cairn.demo.generator import CountyNotEmpty, county_generate, database_flush
from cairn.demo.geography import county_map
from cairn.demo.identifiers import nhs_number_is_valid, upn_is_valid
from cairn.language.checker import check_text
from tests.demo.conftest import ANCHOR


def _snapshot() -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    """Everything a person would see, without database ids or timestamps."""
    return {
        "children": list(
            Child.objects.order_by("child_ref").values_list(
                "child_ref",
                "given_name",
                "family_name",
                "other_names",
                "date_of_birth",
                "sex",
                "ethnicity",
                "postcode",
                "ward__code",
                "legal_status",
                "school_urn",
                "lead_professional__username",
            )
        ),
        "users": list(
            User.objects.order_by("username").values_list(
                "username", "first_name", "last_name", "role", "agency__code", "team__name"
            )
        ),
        "identifiers": list(
            ChildIdentifier.objects.order_by("kind", "value").values_list(
                "child__child_ref", "kind", "value"
            )
        ),
        "placements": list(
            Placement.objects.order_by("placement_ref").values_list(
                "placement_ref", "child__child_ref", "placement_type", "provider_name", "start_date"
            )
        ),
        "notes": sorted(
            CaseNote.objects.values_list(
                "child__child_ref", "author__username", "occurred_on", "subject", "text"
            )
        ),
    }


@pytest.mark.django_db
def test_the_same_seed_and_anchor_give_the_same_county_whatever_the_batch_size():
    county_generate(seed=11, children=30, anchor=ANCHOR)
    first = _snapshot()
    database_flush()
    county_generate(seed=11, children=30, anchor=ANCHOR, batch_size=7)
    assert _snapshot() == first
    assert len(first["children"]) == 30


@pytest.mark.django_db
def test_a_different_seed_gives_different_children():
    county_generate(seed=11, children=30, anchor=ANCHOR)
    first = _snapshot()
    database_flush()
    county_generate(seed=12, children=30, anchor=ANCHOR)
    second = _snapshot()
    names = lambda snap: [(c[1], c[2], c[4]) for c in snap["children"]]  # noqa: E731
    assert len(set(names(first)) & set(names(second))) < 3
    assert first["users"] != second["users"]


def test_the_county_is_the_size_asked_for(county):
    assert county.counts["children"] == Child.objects.count() == 60
    assert county.counts["wards"] == 40
    assert county.counts["divisions"] == 12
    assert county.counts["schools"] == 30
    assert county.counts["agencies"] == 6
    assert Placement.objects.count() >= 60
    assert LocalAuthority.objects.get().name == "Synthetshire County Council"


def test_every_role_has_a_user(county):
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for login in DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        assert user.role == login.role
        assert (user.agency.code if user.agency else None) == login.agency


def test_the_demo_practitioner_has_a_caseload_and_leads_some_of_it(county):
    practitioner = User.objects.get(username="practitioner")
    caseload = access.involved_children(practitioner)
    assert 10 <= caseload.count() <= 30
    assert Child.objects.filter(lead_professional=practitioner).exists()
    for login in DEMO_LOGINS:
        if login.caseload:
            user = User.objects.get(username=login.username)
            assert access.involved_children(user).exists(), login.username


def test_every_child_has_a_lead_social_worker_and_partners_from_other_agencies(county):
    for child in Child.objects.select_related("lead_professional__agency"):
        assert child.lead_professional.agency.code == "SYCS"
        current = Involvement.objects.filter(child=child, ended_on__isnull=True)
        assert current.filter(reason="lead", user=child.lead_professional).count() == 1
        partners = current.exclude(agency__code="SYCS").values_list("agency__code", flat=True)
        assert 1 <= len(partners) <= 3
        assert len(set(partners)) == len(partners), "at most one current partner per agency"


def test_every_child_lives_in_a_ward_of_the_county(county):
    county_codes = {w.code for w in county_map().wards}
    assert set(Ward.objects.values_list("code", flat=True)) == county_codes
    assert not Child.objects.filter(ward__isnull=True).exists()
    assert set(Child.objects.values_list("ward__code", flat=True)) <= county_codes
    for ward in Ward.objects.all():
        assert ward.shape["type"] == "Polygon"
        assert ward.division.shape["type"] == "Polygon"


def test_nhs_numbers_pass_the_modulus_11_check_and_upns_their_check_letter(county):
    nhs = ChildIdentifier.objects.filter(kind="nhs_number").values_list("value", flat=True)
    assert len(nhs) > 50
    assert all(nhs_number_is_valid(v) and v.startswith("999") for v in nhs)
    upns = ChildIdentifier.objects.filter(kind="school_upn").values_list("value", flat=True)
    assert upns and all(upn_is_valid(v) for v in upns)


def test_no_note_or_view_blames_a_child(county):
    texts = [
        text
        for subject, body in CaseNote.objects.values_list("subject", "text")
        for text in (subject, body)
    ] + list(ChildVoice.objects.values_list("text", flat=True))
    assert len(texts) > 300
    flagged = {text: check_text(text) for text in texts if check_text(text)}
    assert flagged == {}


def test_ages_dates_and_placements_hang_together(county):
    for child in Child.objects.prefetch_related("placements", "notes", "voices", "involvements"):
        assert 8 <= child.age_on(ANCHOR) <= 17
        placements = sorted(child.placements.all(), key=lambda p: p.start_date)
        assert [p.end_date for p in placements].count(None) == 1
        assert placements[-1].end_date is None, "the latest placement is the current one"
        for earlier, later in zip(placements, placements[1:], strict=False):
            assert earlier.end_date is not None and earlier.end_date < later.start_date
        if child.legal_status not in (LegalStatus.LOOKED_AFTER, LegalStatus.CARE_LEAVER):
            assert len(placements) == 1
        days = [p.start_date for p in placements]
        days += [n.occurred_on for n in child.notes.all()]
        days += [v.recorded_on for v in child.voices.all()]
        days += [i.started_on for i in child.involvements.all()]
        assert all(child.date_of_birth < day <= ANCHOR for day in days)
        assert 2 <= child.notes.count() <= 6


def test_generated_records_pass_model_validation(county):
    for child in Child.objects.order_by("id")[:15]:
        child.full_clean()
        for related in (
            child.placements.all(),
            child.involvements.all(),
            child.identifiers.all(),
            child.aliases.all(),
            child.notes.all(),
            child.voices.all(),
        ):
            for record in related:
                record.full_clean()


def test_generation_records_one_import_event_and_no_event_per_record(county):
    event = AccessEvent.objects.get()
    assert event.action == Action.IMPORT
    assert event.user is None
    assert event.detail == {
        "generator": "cairn.demo",
        "version": 4,
        "seed": 7,
        "children": 60,
        "anchor": "2025-03-31",
        "assessments_per_child": None,
        "episodes_per_child": None,
    }
    assert audit_chain_verify() is None


def test_generating_into_a_database_with_children_is_refused(county):
    with pytest.raises(CountyNotEmpty, match="already holds children"):
        county_generate(seed=8, children=5, anchor=ANCHOR)
    assert Child.objects.count() == 60


@pytest.mark.django_db
def test_a_larger_county_has_a_plausible_mix_of_children():
    county_generate(seed=3, children=300, anchor=date(2024, 8, 31))
    children = list(Child.objects.all())
    statuses = Counter(child.legal_status for child in children)
    assert 0.18 <= statuses[LegalStatus.LOOKED_AFTER] / 300 <= 0.36
    assert statuses[LegalStatus.CARE_LEAVER] >= 1
    assert {LegalStatus.CHILD_IN_NEED, LegalStatus.CHILD_PROTECTION} <= set(statuses)
    teenagers = sum(13 <= child.age_on(date(2024, 8, 31)) <= 17 for child in children)
    assert teenagers / 300 >= 0.7
    sexes = Counter(child.sex for child in children)
    assert sexes["female"] > 100 and sexes["male"] > 100
    uasc = [child for child in children if child.uasc]
    assert uasc and all(child.immigration_status != "not_applicable" for child in uasc)
    assert Placement.objects.filter(out_of_area=True).exists()
    assert Child.objects.filter(aliases__isnull=False).exists()
    assert ChildIdentifier.objects.filter(kind="police").exists()
    # Every practitioner's caseload is a workable size.
    for user in User.objects.filter(role=Role.PRACTITIONER):
        assert 1 <= access.involved_children(user).count() <= 35, user.username
