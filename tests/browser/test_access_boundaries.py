"""Who reaches a child's record in a real browser: administrators never, managers see who looked,
and anyone else only by declaring a reason (break glass), which the lead professional sees."""

from __future__ import annotations

import re

import pytest

from cairn.accounts.models import Agency, Role
from cairn.audit.models import AccessEvent, Action
from cairn.children.models import Involvement
from tests.browser.helpers import expect, screenshot, sign_in, visit_and_check
from tests.factories import AgencyFactory, ChildFactory, InvolvementFactory, UserFactory

pytestmark = pytest.mark.browser


def test_administrator_lands_on_admin_and_cannot_open_children(page, live_server):
    child = ChildFactory(given_name="Kezia", family_name="Synthfield")
    admin = UserFactory(username="ada.admin", role=Role.ADMINISTRATOR, agency=None)

    sign_in(page, admin.username)
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    # Children are not administered there either: case records are out of an admin's reach.
    expect(page.locator('a[href^="/admin/children/"]')).to_have_count(0)
    screenshot(page, "admin-home")

    response = page.goto(f"/children/{child.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_text("Synthfield")).to_have_count(0)
    screenshot(page, "child-404")

    response = page.goto("/children/")
    assert response is not None and response.status == 403
    screenshot(page, "children-403")

    assert not AccessEvent.objects.filter(user=admin, child=child, action=Action.VIEW).exists()


def test_manager_sees_who_has_viewed_a_child(new_page, live_server):
    agency = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    practitioner = UserFactory(
        first_name="Priya", last_name="Fernhollow", role=Role.PRACTITIONER, agency=agency
    )
    manager = UserFactory(
        first_name="Morgan", last_name="Oakhurst", role=Role.MANAGER, agency=agency
    )
    child = ChildFactory(agency=agency, given_name="Kezia", family_name="Synthfield")
    InvolvementFactory(child=child, user=practitioner)

    # The practitioner reads the record in their own browser.
    practitioner_page = new_page()
    sign_in(practitioner_page, practitioner.username)
    practitioner_page.get_by_role("link", name="Kezia Synthfield").click()
    expect(practitioner_page.get_by_role("heading", level=1)).to_have_text("Kezia Synthfield")
    screenshot(practitioner_page, "practitioner-reads-record")

    page = new_page()
    sign_in(page, manager.username)
    visit_and_check(page, "manager-reads-record", f"/children/{child.pk}/")
    page.get_by_role("link", name="Who has viewed this child").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Who has viewed or changed this record"
    )
    rows = page.get_by_role("row").filter(has_text="Priya Fernhollow (SCC)")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Viewed")
    expect(rows).to_contain_text("involved")
    # The manager's own look is recorded too, with the route they came by.
    expect(page.get_by_role("row").filter(has_text="Morgan Oakhurst (SCC)").first).to_be_visible()
    visit_and_check(page, "access-log")


def test_break_glass_is_read_only_and_shown_to_the_lead_professional(new_page, live_server):
    home = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    police = AgencyFactory(code="POL", name="Synthetshire Police", kind=Agency.Kind.POLICE)
    lead = UserFactory(
        first_name="Leah", last_name="Brackenridge", role=Role.PRACTITIONER, agency=home
    )
    child = ChildFactory(
        agency=home, given_name="Mia", family_name="Synthwood", lead_professional=lead
    )
    InvolvementFactory(child=child, user=lead, reason=Involvement.Reason.LEAD)
    officer = UserFactory(
        first_name="Sam", last_name="Quarrington", role=Role.PRACTITIONER, agency=police
    )
    reason = "Found at the bus station at 2am; need her carer's contact details now."

    page = new_page()
    sign_in(page, officer.username)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children").click()
    visit_and_check(page, "children-list")
    page.get_by_label("Search by name").fill(child.child_ref)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text(f"0 results for ‘{child.child_ref}’.")
    # The match is offered without revealing anything about the child.
    expect(page.get_by_text("Synthwood")).to_have_count(0)
    expect(page.get_by_text("Mia")).to_have_count(0)
    request_link = page.get_by_role("link", name=re.compile("request emergency access"))
    expect(request_link).to_have_count(1)
    visit_and_check(page, "search-match-elsewhere")

    request_link.click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Request emergency access to a record")
    visit_and_check(page, "break-glass-form")

    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(heading).to_have_text("Request emergency access to a record")
    visit_and_check(page, "break-glass-no-reason")

    page.get_by_label("Why do you need this record now?").fill(reason)
    page.get_by_role("button", name="Open the record").click()
    expect(heading).to_have_text("Mia Synthwood")
    expect(
        page.get_by_text("You are reading this record through emergency access")
    ).to_contain_text("read-only")
    expect(page.get_by_role("link", name="Add a case note")).to_have_count(0)
    expect(page.get_by_role("link", name="Change details")).to_have_count(0)
    visit_and_check(page, "record-read-only")
    response = page.goto(f"/children/{child.pk}/notes/new/")
    assert response is not None and response.status == 403
    screenshot(page, "note-form-403")

    lead_page = new_page()
    sign_in(lead_page, lead.username)
    expect(lead_page.get_by_role("heading", level=1)).to_have_text("My caseload")
    table = lead_page.get_by_role("table", name="Break glass access to your children")
    row = table.get_by_role("row").filter(has_text="Sam Quarrington (POL)")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Mia Synthwood")
    expect(row).to_contain_text(reason)
    visit_and_check(lead_page, "lead-caseload")
