"""A practitioner's everyday path: sign in, find a child, record a note, get language guidance."""

from __future__ import annotations

import pytest

from cairn.accounts.models import Agency, Role
from cairn.children.models import CaseNote
from tests.browser.helpers import expect, sign_in, visit_and_check
from tests.factories import AgencyFactory, ChildFactory, InvolvementFactory, UserFactory

pytestmark = pytest.mark.browser

NOTE = "She keeps going missing and is putting herself at risk."


def test_practitioner_finds_a_child_adds_a_note_and_sees_language_guidance(page, live_server):
    agency = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    police = AgencyFactory(code="POL", name="Synthetshire Police", kind=Agency.Kind.POLICE)
    practitioner = UserFactory(
        username="priya.practitioner",
        first_name="Priya",
        last_name="Fernhollow",
        role=Role.PRACTITIONER,
        agency=agency,
    )
    child = ChildFactory(agency=agency, given_name="Kezia", family_name="Synthfield")
    InvolvementFactory(child=child, user=practitioner)
    other_on_caseload = ChildFactory(agency=agency, given_name="Jamal", family_name="Fauxley")
    InvolvementFactory(child=other_on_caseload, user=practitioner)
    # Same family name, another agency, no involvement: never listed for this practitioner.
    ChildFactory(agency=police, given_name="Tyler", family_name="Synthfield")

    sign_in(page, practitioner.username, check_as="login")

    heading = page.get_by_role("heading", level=1)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(heading).to_have_text("My caseload")
    caseload = page.get_by_test_id("child-table")
    expect(caseload.get_by_role("link", name="Kezia Synthfield")).to_be_visible()
    expect(caseload.get_by_role("link", name="Jamal Fauxley")).to_be_visible()
    visit_and_check(page, "caseload")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children").click()
    page.get_by_label("Search by name").fill("Synthfield")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("1 result for ‘Synthfield’.")
    results = page.get_by_test_id("child-table")
    expect(results.get_by_role("link", name="Kezia Synthfield")).to_be_visible()
    expect(page.get_by_text("Tyler")).to_have_count(0)
    expect(page.get_by_text("Jamal")).to_have_count(0)
    visit_and_check(page, "search-results")

    results.get_by_role("link", name="Kezia Synthfield").click()
    expect(heading).to_have_text("Kezia Synthfield")
    expect(page.get_by_text(child.child_ref)).to_be_visible()
    visit_and_check(page, "child-record")

    page.get_by_role("link", name="Add a case note").click()
    expect(heading).to_have_text("Add a case note")
    visit_and_check(page, "note-form")
    page.get_by_label("Subject").fill("Return home conversation")
    page.get_by_label("Note", exact=True).fill(NOTE)
    page.get_by_role("button", name="Save").click()

    expect(heading).to_have_text("Kezia Synthfield")
    guidance = page.get_by_role("region", name="Language guidance")
    expect(guidance).to_be_visible()
    for flagged, suggestion in [
        ("keeps going missing", "is missing"),
        ("putting herself at risk", "may have been groomed"),
    ]:
        item = guidance.get_by_role("listitem").filter(has_text=flagged)
        expect(item).to_have_count(1)
        expect(item).to_contain_text(suggestion)
    timeline = page.get_by_test_id("timeline")
    entry = timeline.get_by_role("listitem").filter(has_text="Return home conversation")
    expect(entry).to_contain_text(NOTE)
    expect(entry).to_contain_text("Priya Fernhollow")
    visit_and_check(page, "record-with-guidance")

    # Guidance never blocks: the note was saved as written, once, by the practitioner.
    note = CaseNote.objects.get(child=child)
    assert (note.author, note.text) == (practitioner, NOTE)

    # The banner is shown once, after saving, not every time the record is opened.
    page.reload()
    expect(heading).to_have_text("Kezia Synthfield")
    expect(page.get_by_role("region", name="Language guidance")).to_have_count(0)
