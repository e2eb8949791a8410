"""The child pages as a practitioner uses them: search, record, forms, notes and guidance."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cairn.children.models import Child, ChildAlias, ChildIdentifier
from tests.factories import (
    CaseNoteFactory,
    ChildFactory,
    InvolvementFactory,
    PlacementFactory,
    UserFactory,
)


@pytest.fixture
def practitioner(db):
    return UserFactory(role="practitioner", username="pat")


@pytest.fixture
def child(practitioner):
    child = ChildFactory(
        agency=practitioner.agency,
        given_name="Jordan",
        family_name="Okafor",
        date_of_birth=date(2011, 4, 21),
        child_ref="C-000777",
    )
    InvolvementFactory(child=child, user=practitioner, agency=practitioner.agency)
    return child


def test_search_finds_a_child_by_name_alias_date_of_birth_and_reference(
    client, child, practitioner
):
    ChildAlias.objects.create(child=child, name="JJ Blaze")
    ChildIdentifier.objects.create(child=child, kind="police", value="PND-4471")
    ChildFactory(agency=practitioner.agency, given_name="Other", family_name="Person")
    client.force_login(practitioner)
    for query in [
        "okafor",
        "Jordan Okafor",
        "Blaze",
        "2011-04-21",
        "21/04/2011",
        "C-000777",
        "PND-4471",
    ]:
        page = client.get(reverse("children:list"), {"q": query}).content.decode()
        assert "C-000777" in page, query
        assert "Other Person" not in page, query


def test_search_offers_break_glass_for_an_exact_match_held_elsewhere(client, child):
    outsider = UserFactory(role="practitioner")
    client.force_login(outsider)
    page = client.get(reverse("children:list"), {"q": "C-000777"}).content.decode()
    assert "Okafor" not in page
    assert reverse("children:break_glass", args=[child.pk]) in page
    # A partial name match reveals nothing.
    page = client.get(reverse("children:list"), {"q": "Okafor"}).content.decode()
    assert reverse("children:break_glass", args=[child.pk]) not in page


def test_child_list_runs_a_fixed_number_of_queries(client, practitioner):
    for _ in range(30):
        c = ChildFactory(agency=practitioner.agency)
        InvolvementFactory(child=c, user=practitioner, agency=practitioner.agency)
    client.force_login(practitioner)
    client.get(reverse("children:list"))  # warm up session and caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("children:list"))
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 15


def test_child_record_runs_a_fixed_number_of_queries(client, practitioner, child):
    for _ in range(10):
        CaseNoteFactory(child=child, author=practitioner)
        PlacementFactory(child=child)
    client.force_login(practitioner)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("children:detail", args=[child.pk]))
    assert response.status_code == 200
    # The panels (risk, missing, plans, panel escalation) add a few each.
    assert len(ctx.captured_queries) <= 36


def test_the_record_shows_a_timeline_of_notes_placements_and_involvements(
    client, practitioner, child
):
    CaseNoteFactory(child=child, author=practitioner, subject="School meeting", text="Met Ms Hale.")
    PlacementFactory(child=child, provider_name="Elm Lodge", start_date=date(2024, 2, 1))
    client.force_login(practitioner)
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "School meeting" in page
    assert "Placement started: Children&#x27;s home" in page
    assert "began work with the child" in page
    assert page.index("School meeting") < page.index("Placement started")


def test_restricted_notes_reach_only_the_recording_agency_and_named_people(
    client, child, practitioner
):
    other_agency_worker = UserFactory(role="practitioner")
    InvolvementFactory(child=child, user=other_agency_worker, agency=other_agency_worker.agency)
    note = CaseNoteFactory(
        child=child, author=practitioner, handling="restricted", subject="Restricted intel"
    )
    client.force_login(other_agency_worker)
    url = reverse("children:detail", args=[child.pk])
    assert "Restricted intel" not in client.get(url).content.decode()
    note.recipients.add(other_agency_worker)
    assert "Restricted intel" in client.get(url).content.decode()


def test_create_form_reports_each_missing_field(client, practitioner):
    client.force_login(practitioner)
    response = client.post(reverse("children:create"), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_given_name"' in page
    assert 'href="#id_date_of_birth"' in page
    assert Child.objects.count() == 0


def test_create_form_rejects_a_future_date_of_birth(client, practitioner):
    client.force_login(practitioner)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        reverse("children:create"),
        {
            "given_name": "Sam",
            "family_name": "Reed",
            "date_of_birth": future,
            "sex": "male",
            "legal_status": "none",
            "immigration_status": "not_applicable",
        },
    )
    assert "Date of birth must be in the past" in response.content.decode()
    assert Child.objects.count() == 0


def test_creating_a_child_gives_a_reference_and_puts_them_on_the_creators_caseload(
    client, practitioner
):
    client.force_login(practitioner)
    response = client.post(
        reverse("children:create"),
        {
            "given_name": "Sam",
            "family_name": "Reed",
            "date_of_birth": "2012-06-01",
            "sex": "male",
            "legal_status": "looked_after",
            "immigration_status": "not_applicable",
            "postcode": " sy1 2ab ",
        },
    )
    child = Child.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("children:detail", args=[child.pk])
    assert child.child_ref.startswith("C-")
    assert child.postcode == "SY1 2AB"
    assert child.agency == practitioner.agency
    home = client.get(reverse("core:home")).content.decode()
    assert "Reed" in home


def test_editing_a_child_saves_the_changes(client, practitioner, child):
    client.force_login(practitioner)
    url = reverse("children:edit", args=[child.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {"given_name": "Jordan", "family_name": "Okafor-Smith", "date_of_birth": "2011-04-21"}
    )
    data["uasc"] = ""
    data.pop("uasc")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    child.refresh_from_db()
    assert child.family_name == "Okafor-Smith"


def test_a_note_with_blaming_language_is_saved_and_guidance_shown(client, practitioner, child):
    client.force_login(practitioner)
    response = client.post(
        reverse("children:note_create", args=[child.pk]),
        {
            "occurred_on": timezone.localdate().isoformat(),
            "subject": "Return from missing",
            "text": "He keeps going missing and is putting himself at risk.",
            "handling": "standard",
        },
        follow=True,
    )
    page = response.content.decode()
    assert child.notes.count() == 1
    assert "Language guidance" in page
    assert "keeps going missing" in page
    assert "putting himself at risk" in page
    # Guidance is shown once, not on every later visit.
    again = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Language guidance" not in again


def test_a_note_in_children_first_language_gets_no_guidance(client, practitioner, child):
    client.force_login(practitioner)
    response = client.post(
        reverse("children:note_create", args=[child.pk]),
        {
            "occurred_on": timezone.localdate().isoformat(),
            "subject": "Visit",
            "text": "She is at risk of exploitation; she agreed to a referral.",
            "handling": "standard",
        },
        follow=True,
    )
    assert "Language guidance" not in response.content.decode()
    assert "The note has been added" in response.content.decode()


def test_a_note_dated_in_the_future_is_refused_with_a_field_error(client, practitioner, child):
    client.force_login(practitioner)
    response = client.post(
        reverse("children:note_create", args=[child.pk]),
        {
            "occurred_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "subject": "Visit",
            "text": "Text",
            "handling": "standard",
        },
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert child.notes.count() == 0


def test_nhs_numbers_are_checked(client, practitioner, child):
    client.force_login(practitioner)
    url = reverse("children:identifier_create", args=[child.pk])
    bad = client.post(url, {"kind": "nhs_number", "value": "123 456 7890"})
    assert "valid 10-digit NHS number" in bad.content.decode()
    good = client.post(url, {"kind": "nhs_number", "value": "943 476 5919"})
    assert good.status_code == 302
    assert child.identifiers.get().value == "9434765919"


def test_break_glass_needs_a_reason_then_opens_the_record_read_only(client, child):
    outsider = UserFactory(role="practitioner")
    client.force_login(outsider)
    url = reverse("children:break_glass", args=[child.pk])
    response = client.post(url, {"reason": "short"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    response = client.post(url, {"reason": "Found by police at 2am; need her contacts now"})
    assert response.status_code == 302
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "emergency access" in page
    assert "Add a case note" not in page


def test_the_lead_professional_sees_who_broke_glass(client, child, practitioner):
    from cairn.children.services import break_glass_grant

    child.lead_professional = practitioner
    child.save()
    outsider = UserFactory(role="practitioner", first_name="Nia", last_name="Outsider")
    break_glass_grant(actor=outsider, child=child, reason="Found by police at 2am, urgent")
    client.force_login(practitioner)
    assert "Nia Outsider" in client.get(reverse("core:home")).content.decode()
    assert (
        "Nia Outsider" in client.get(reverse("children:detail", args=[child.pk])).content.decode()
    )


def test_managers_see_who_has_viewed_the_child(client, child, practitioner):
    manager = UserFactory(role="manager", agency=practitioner.agency)
    client.force_login(practitioner)
    client.get(reverse("children:detail", args=[child.pk]))
    client.force_login(manager)
    page = client.get(reverse("children:access_log", args=[child.pk])).content.decode()
    assert escape(practitioner.get_full_name()) in page
    assert "Viewed" in page


def test_managers_see_field_changes_with_sensitive_values_masked(client, child, practitioner):
    from cairn.children.services import child_update

    manager = UserFactory(role="manager", agency=practitioner.agency)
    child_update(actor=practitioner, child=child, postcode="SX9 9ZZ", ethnicity="Mixed")
    client.force_login(manager)
    page = client.get(reverse("children:access_log", args=[child.pk])).content.decode()
    assert "Changes to the record" in page
    assert "ethnicity" in page
    assert "Mixed" in page
    assert "SX9 9ZZ" not in page  # postcode is masked in the history


def test_ending_an_involvement_ends_that_persons_access(client, child, practitioner):
    colleague = UserFactory(role="panel_member", agency=practitioner.agency)
    involvement = InvolvementFactory(child=child, user=colleague, agency=colleague.agency)
    client.force_login(colleague)
    assert client.get(reverse("children:detail", args=[child.pk])).status_code == 200
    client.force_login(practitioner)
    url = reverse("children:involvement_end", args=[child.pk, involvement.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    involvement.refresh_from_db()
    assert involvement.ended_on == timezone.localdate()
    client.force_login(colleague)
    # Ended today still counts today; tomorrow it does not.
    from cairn.accounts.access import child_access

    assert child_access(colleague, child).view
    involvement.ended_on = timezone.localdate() - timedelta(days=1)
    involvement.save()
    assert client.get(reverse("children:detail", args=[child.pk])).status_code == 404


def test_read_only_users_cannot_end_an_involvement(client, child, practitioner):
    involvement = child.involvements.get()
    reader = UserFactory(role="practitioner", agency=practitioner.agency)  # same agency: read only
    client.force_login(reader)
    url = reverse("children:involvement_end", args=[child.pk, involvement.pk])
    assert client.post(url).status_code == 403
    involvement.refresh_from_db()
    assert involvement.ended_on is None


def test_error_summary_links_radio_errors_to_the_first_option(client, practitioner, child):
    client.force_login(practitioner)
    response = client.post(
        reverse("children:voice_create", args=[child.pk]),
        {"recorded_on": timezone.localdate().isoformat(), "text": "I want to stay at school."},
    )
    page = response.content.decode()
    assert 'href="#id_method-1"' in page
    assert 'id="id_method-1"' in page
