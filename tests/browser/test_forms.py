"""Forms in a real browser: GOV.UK error summaries, and a token that is shown only once."""

from __future__ import annotations

import pytest

from cairn.accounts.models import ApiToken, Role
from cairn.children.models import Child
from tests.browser.helpers import expect, sign_in, visit_and_check
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.browser


def test_add_a_child_shows_errors_linked_to_fields_then_creates_the_child(page, live_server):
    agency = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    practitioner = UserFactory(role=Role.PRACTITIONER, agency=agency)

    sign_in(page, practitioner.username)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children").click()
    visit_and_check(page, "children-list")
    page.get_by_role("button", name="Add a child").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Add a child")
    visit_and_check(page, "empty-form")

    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title("Error: Add a child – Cairn")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    # GOV.UK Frontend's script (allowed by our CSP) moves focus to the summary.
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    targets = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {"#id_given_name", "#id_family_name", "#id_date_of_birth"} <= set(targets)
    for target in targets:
        field = page.locator(target)
        expect(field).to_have_count(1)
        # Each field with an error carries its message and points to it for screen readers; a
        # GOV.UK date input does so on its fieldset, and the link lands on the day box.
        if target == "#id_date_of_birth":
            field = page.get_by_role("group", name="Date of birth")
            expect(field).to_have_attribute(
                "aria-describedby", f"{target[1:]}-hint {target[1:]}-error"
            )
        else:
            expect(field).to_have_attribute("aria-describedby", f"{target[1:]}-error")
        expect(page.locator(f"{target}-error")).to_contain_text("Error:")
    visit_and_check(page, "errors")

    summary.get_by_role("link").first.click()
    expect(page.locator(targets[0])).to_be_focused()

    page.get_by_label("Given name").fill("Nadia")
    page.get_by_label("Family name").fill("Synthbrook")
    date_of_birth = page.get_by_role("group", name="Date of birth")
    date_of_birth.get_by_label("Day").fill("14")
    date_of_birth.get_by_label("Month").fill("3")
    date_of_birth.get_by_label("Year").fill("2012")
    page.get_by_label("Sex").select_option(label="Female")
    page.get_by_role("button", name="Save").click()

    expect(heading).to_have_text("Nadia Synthbrook")
    expect(page.get_by_role("alert")).to_contain_text("Nadia Synthbrook has been added")
    visit_and_check(page, "created")
    child = Child.objects.get(family_name="Synthbrook")
    assert (child.agency, str(child.date_of_birth)) == (agency, "2012-03-14")
    assert page.url.endswith(f"/children/{child.pk}/")


def test_api_token_is_shown_once_and_stored_only_as_a_digest(page, live_server):
    user = UserFactory(role=Role.PRACTITIONER, agency=AgencyFactory(code="SCC"))

    sign_in(page, user.username)
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.get_by_role("cell", name="You have no tokens.")).to_be_visible()
    visit_and_check(page, "no-tokens")

    page.get_by_label("Token name").fill("Nightly export script")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name="Token created")).to_be_visible()
    shown = page.get_by_test_id("new-token")
    token = shown.inner_text().strip()
    assert token.startswith("cairn_") and len(token) >= 40
    # All of it is on screen to copy: it wraps inside the panel rather than running off it.
    panel, box = page.locator(".govuk-panel").bounding_box(), shown.bounding_box()
    assert panel is not None and box is not None
    assert box["x"] + box["width"] <= panel["x"] + panel["width"]
    row = page.get_by_role("row").filter(has_text="Nightly export script")
    expect(row).to_contain_text(token[:12])
    visit_and_check(page, "token-created")

    stored = ApiToken.objects.get(user=user)
    assert stored.digest == ApiToken.digest_for(token)
    assert token not in {stored.prefix, stored.digest}

    page.goto("/accounts/tokens/")
    expect(page.get_by_role("row").filter(has_text="Nightly export script")).to_have_count(1)
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    assert token not in page.content()
    visit_and_check(page, "tokens-later")
