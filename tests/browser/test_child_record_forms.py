"""Every "add to this child" page in a real browser: a practitioner involved with a child opens
each one from the record's links, sees errors where the form is wrong, saves, and finds the new
item on the record; and ends an involvement from the record."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cairn.accounts.models import Agency, Role
from cairn.children.models import Child, ChildIdentifier, Involvement, Placement
from tests.browser.helpers import expect, sign_in, visit_and_check
from tests.factories import (
    AgencyFactory,
    ChildFactory,
    InvolvementFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

VIEWS = "I like my new school and I want to see my brother at weekends."


def test_practitioner_adds_each_kind_of_record_from_the_child_page(page, live_server):
    agency = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    police = AgencyFactory(code="POL", name="Synthetshire Police", kind=Agency.Kind.POLICE)
    practitioner = UserFactory(
        first_name="Priya", last_name="Fernhollow", role=Role.PRACTITIONER, agency=agency
    )
    UserFactory(first_name="Omar", last_name="Testwell", role=Role.PRACTITIONER, agency=police)
    TeamFactory(agency=police, name="Child Exploitation Unit")
    child = ChildFactory(agency=agency, given_name="Kezia", family_name="Synthfield")
    InvolvementFactory(child=child, user=practitioner)

    sign_in(page, practitioner.username)
    page.get_by_test_id("child-table").get_by_role("link", name="Kezia Synthfield").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Kezia Synthfield")
    record_url = page.url
    timeline = page.get_by_test_id("timeline")
    summary = page.locator(".govuk-summary-list")
    working_with = page.get_by_role("heading", name="Working with Kezia").locator(
        "xpath=following-sibling::ul[1]"
    )
    success = page.get_by_role("alert")

    def open_form(link: str, title: str, step: str) -> None:
        """From the record (where each save lands), follow one of its links to a form."""
        page.get_by_role("link", name=link).click()
        expect(heading).to_have_text(title)
        expect(page.get_by_role("link", name="Back to Kezia Synthfield")).to_be_visible()
        visit_and_check(page, step)

    def save() -> None:
        page.get_by_role("button", name="Save").click()

    def saved(message: str, step: str) -> None:
        expect(heading).to_have_text("Kezia Synthfield")
        assert page.url == record_url
        expect(success).to_contain_text(message)
        visit_and_check(page, step)

    # The child's views, in their own words.
    open_form("Record the child's views", "Record the child's views", "views-form")
    page.get_by_label("Through an advocate").check()
    page.get_by_label("What the child said or showed").fill(VIEWS)
    save()
    saved("The child's views have been recorded.", "record-with-views")
    entry = timeline.get_by_role("listitem").filter(has_text="The child's views")
    expect(entry).to_contain_text("The child's views (through an advocate)")
    expect(entry).to_contain_text(VIEWS)
    expect(entry).to_contain_text("Priya Fernhollow")

    # A professional from another agency: first without choosing anyone.
    open_form(
        "Add a professional or team",
        "Add a professional or team working with the child",
        "involvement-form",
    )
    page.get_by_label("Reason").select_option(label="Investigation")
    save()
    expect(page).to_have_title("Error: Add a professional or team working with the child – Cairn")
    errors = page.locator(".govuk-error-summary")
    expect(errors).to_contain_text("Choose a professional or a team")
    expect(errors).to_be_focused()
    visit_and_check(page, "involvement-errors")
    page.get_by_label("Professional").select_option(label="Omar Testwell (POL)")
    page.get_by_label("Why").fill("Missing episode investigation")
    save()
    saved("The involvement has been added.", "record-with-involvement")
    expect(
        working_with.get_by_role("listitem").filter(has_text="Omar Testwell (POL)")
    ).to_contain_text("Investigation since")
    expect(
        timeline.get_by_role("listitem").filter(
            has_text="Omar Testwell began work with the child (investigation)"
        )
    ).to_contain_text("Missing episode investigation")

    # A team, as well as a person, can work with the child.
    open_form(
        "Add a professional or team",
        "Add a professional or team working with the child",
        "involvement-form-team",
    )
    page.get_by_label("Team").select_option(label="Child Exploitation Unit (POL)")
    page.get_by_label("Reason").select_option(label="Support or intervention")
    save()
    saved("The involvement has been added.", "record-with-team")
    expect(working_with).to_contain_text("Child Exploitation Unit (POL)")

    # Ending the team's involvement (a button on the record) leaves the others working.
    end_team = working_with.get_by_role(
        "button", name="End Child Exploitation Unit (POL)'s involvement"
    )
    end_team.click()
    saved(
        "Child Exploitation Unit (POL) is no longer recorded as working with Kezia.",
        "record-after-ending-team",
    )
    expect(end_team).to_have_count(0)
    expect(
        working_with.get_by_role("button", name="End Omar Testwell (POL)'s involvement")
    ).to_be_visible()

    # A placement.
    open_form("Add a placement", "Add a placement", "placement-form")
    page.get_by_label("Placement type").select_option(label="Foster care")
    page.get_by_label("Provider name").fill("Synthvale Fostering")
    page.get_by_label("Out of area").check()
    start = page.get_by_role("group", name="Start date")
    start.get_by_label("Day").fill("2")
    start.get_by_label("Month").fill("9")
    start.get_by_label("Year").fill("2024")
    save()
    saved("The placement has been added.", "record-with-placement")
    current = summary.locator(".govuk-summary-list__row").filter(has_text="Current placement")
    expect(current).to_contain_text(
        "Foster care: Synthvale Fostering (out of area), since 2 Sep 2024"
    )
    expect(
        timeline.get_by_role("listitem").filter(has_text="Placement started: Foster care")
    ).to_contain_text("Synthvale Fostering")

    # An identifier: a mistyped NHS number is refused, with the error linked to the field.
    open_form("Add an identifier", "Add an identifier", "identifier-form")
    page.get_by_label("Type of identifier").select_option(label="NHS number")
    page.get_by_label("Identifier", exact=True).fill("943 476 5910")
    save()
    expect(page).to_have_title("Error: Add an identifier – Cairn")
    expect(errors.get_by_role("link", name="Enter a valid 10-digit NHS number")).to_have_attribute(
        "href", "#id_value"
    )
    expect(page.locator("#id_value-error")).to_contain_text("Enter a valid 10-digit NHS number")
    visit_and_check(page, "identifier-errors")
    page.get_by_label("Identifier", exact=True).fill("943 476 5919")
    save()
    saved("The identifier has been added.", "record-with-identifier")
    identifiers = summary.locator(".govuk-summary-list__row").filter(has_text="Identifiers")
    expect(identifiers).to_contain_text("NHS number: 9434765919")

    # An alias.
    open_form("Add an alias", "Add an alias", "alias-form")
    page.get_by_label("Alias or name the child is known by").fill("Kez")
    save()
    saved("The alias has been added.", "record-with-alias")
    aliases = summary.locator(".govuk-summary-list__row").filter(has_text="Aliases")
    expect(aliases.locator("dd")).to_have_text("Kez")

    # Change details.
    open_form("Change details", "Change Kezia Synthfield's details", "edit-form")
    expect(page.get_by_label("Given name")).to_have_value("Kezia")
    page.get_by_label("Postcode").fill("sy1 2ab")
    page.get_by_label("Legal status").select_option(label="Looked after (in care)")
    save()
    saved("The child's details have been updated.", "record-after-edit")
    home = summary.locator(".govuk-summary-list__row").filter(has_text="Home")
    expect(home.locator("dd")).to_have_text("SY1 2AB")
    legal = summary.locator(".govuk-summary-list__row").filter(has_text="Legal status")
    expect(legal.locator("dd")).to_have_text("Looked after (in care)")

    # What the browser showed is what was stored, recorded against the practitioner's agency.
    child = Child.objects.get(pk=child.pk)
    assert (child.postcode, child.legal_status) == ("SY1 2AB", "looked_after")
    assert list(child.aliases.values_list("name", flat=True)) == ["Kez"]
    assert ChildIdentifier.objects.get(child=child).value == "9434765919"
    placement = Placement.objects.get(child=child)
    assert (placement.agency, placement.out_of_area) == (agency, True)
    added = Involvement.objects.filter(child=child).exclude(user=practitioner)
    assert {(i.agency.code, i.reason, i.ended_on) for i in added} == {
        ("POL", "investigation", None),
        ("POL", "support", timezone.localdate()),
    }
