"""The pages around the records, in a real browser: changing a password, signing in and out, the
styled error pages, a start page for roles without a caseload, revoking an API token, and the API
documentation."""

from __future__ import annotations

import warnings

import pytest

from cairn.accounts.models import Agency, ApiToken, Role, User
from cairn.accounts.services import api_token_create
from tests.browser.helpers import (
    axe_violations,
    expect,
    format_violations,
    screenshot,
    sign_in,
    submit_sign_in,
    visit_and_check,
)
from tests.factories import AgencyFactory, ChildFactory, UserFactory

pytestmark = pytest.mark.browser

NEW_PASSWORD = "heather-lantern-moorland-41"


def test_password_change_then_sign_out_and_in_with_the_new_password(page, live_server):
    user = UserFactory(username="priya.practitioner", role=Role.PRACTITIONER)

    sign_in(page, user.username)
    menu = page.get_by_role("navigation", name="Menu")
    menu.get_by_role("link", name="Password").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Change your password")
    visit_and_check(page, "password-form")

    page.get_by_label("Old password").fill("not-my-password-at-all")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_title("Error: Change your password – Cairn")
    expect(page.locator(".govuk-error-summary")).to_contain_text("old password was entered")
    visit_and_check(page, "password-errors")

    page.get_by_label("Old password").fill("a-long-test-passphrase")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(heading).to_have_text("Your password has been changed")
    visit_and_check(page, "password-changed")
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)

    # Signing out (a POST form in the menu) ends the session: the start page asks to sign in.
    menu.get_by_role("button", name="Sign out").click()
    expect(heading).to_have_text("Sign in to Cairn")
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")

    # The old password no longer works; the new one does.
    submit_sign_in(page, user.username)
    expect(page).to_have_title("Error: Sign in – Cairn")
    visit_and_check(page, "sign-in-errors")
    submit_sign_in(page, user.username, NEW_PASSWORD)
    expect(heading).to_have_text("My caseload")


def test_signed_out_visit_to_a_child_asks_to_sign_in_then_opens_the_record(page, live_server):
    agency = AgencyFactory(code="SCC")
    practitioner = UserFactory(role=Role.PRACTITIONER, agency=agency)
    child = ChildFactory(agency=agency, given_name="Kezia", family_name="Synthfield")

    page.goto(f"/children/{child.pk}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/children/{child.pk}/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Sign in to Cairn")
    expect(page.get_by_text("Synthfield")).to_have_count(0)
    visit_and_check(page, "sign-in-with-next")

    submit_sign_in(page, practitioner.username)
    expect(page).to_have_url(f"{live_server.url}/children/{child.pk}/")
    expect(heading).to_have_text("Kezia Synthfield")


def test_error_pages_and_no_caseload_start_page_pass_axe(new_page, live_server):
    home = AgencyFactory(code="SCC")
    police = AgencyFactory(code="POL", kind=Agency.Kind.POLICE)
    practitioner = UserFactory(role=Role.PRACTITIONER, agency=home)
    unseen = ChildFactory(agency=police, given_name="Tyler", family_name="Synthwick")
    analyst = UserFactory(first_name="Ana", role=Role.ANALYST, agency=police)

    page = new_page()
    sign_in(page, practitioner.username)
    heading = page.get_by_role("heading", level=1)

    # A child the practitioner may not see does not exist, as far as they can tell.
    response = page.goto(f"/children/{unseen.pk}/")
    assert response is not None and response.status == 404
    expect(page).to_have_title("Page not found – Cairn")
    expect(heading).to_have_text("Page not found")
    expect(page.get_by_text("Synthwick")).to_have_count(0)
    expect(page.get_by_role("link", name="Go to your start page")).to_have_attribute("href", "/")
    visit_and_check(page, "404")

    # A practitioner cannot import: the page says why.
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Import")
    ).to_have_count(0)
    response = page.goto("/import/")
    assert response is not None and response.status == 403
    expect(page).to_have_title("You cannot do this – Cairn")
    expect(heading).to_have_text("You cannot do this")
    expect(page.get_by_role("main")).to_contain_text("Only managers can import data.")
    visit_and_check(page, "403")

    # Roles without a caseload get a start page of their own, not a list of children.
    analyst_page = new_page()
    sign_in(analyst_page, analyst.username)
    expect(analyst_page.get_by_role("heading", level=1)).to_have_text("Welcome, Ana")
    expect(
        analyst_page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children")
    ).to_have_count(0)
    visit_and_check(analyst_page, "no-caseload")


def test_revoking_an_api_token(page, live_server):
    user = UserFactory(role=Role.MANAGER)
    token, _ = api_token_create(user=user, name="Nightly export script")

    sign_in(page, user.username)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="API tokens").click()
    row = page.get_by_role("row").filter(has_text="Nightly export script")
    row.get_by_role("button", name="Revoke Nightly export script").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The token ‘Nightly export script’ has been revoked."
    )
    expect(row).to_contain_text("Revoked")
    expect(row.get_by_role("button")).to_have_count(0)
    visit_and_check(page, "token-revoked")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 0


def test_api_docs_show_swagger_ui_for_a_signed_in_user(page, live_server):
    user = UserFactory(role=Role.PRACTITIONER)
    response = page.goto("/api/docs")
    assert response is not None and response.ok
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/api/docs")

    submit_sign_in(page, user.username)
    expect(page).to_have_url(f"{live_server.url}/api/docs")
    expect(page).to_have_title("Cairn API – Cairn")
    # Swagger UI (scripts from 'self' under our CSP) fetched the OpenAPI document and drew it.
    expect(
        page.locator(".opblock-summary-path").filter(has_text="/api/children/").first
    ).to_be_visible()
    screenshot(page, "api-docs")

    # Our wrapper page is held to WCAG 2.2 AA; Swagger UI's own markup is third-party, so its
    # problems are reported, not failed on.
    ours = axe_violations(page, {"exclude": [["#swagger-ui"]]})
    assert not ours, "axe found problems in the API docs wrapper:\n" + format_violations(ours)
    theirs = axe_violations(page, {"include": [["#swagger-ui"]]})
    if theirs:
        warnings.warn(
            "axe found problems inside Swagger UI (third-party) on /api/docs: "
            + "; ".join(
                f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements, e.g. "
                f"{v['nodes'][0]['html'][:80]})"
                for v in theirs
            ),
            stacklevel=1,
        )
