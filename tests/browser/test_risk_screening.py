"""A practitioner completes a risk screening in a real browser: the score suggests medium, they
record high with a rationale, and the child is on the register with the reasons. axe passes on
every page."""

from __future__ import annotations

from datetime import date

import pytest

from cairn.accounts.models import Agency, Role
from cairn.risk.models import RiskAssessment
from cairn.risk.services import catalogue_ensure_v1
from tests.browser.helpers import expect, sign_in, visit_and_check
from tests.factories import AgencyFactory, ChildFactory, InvolvementFactory, UserFactory

pytestmark = pytest.mark.browser


def test_practitioner_overrides_a_medium_suggestion_to_high_and_finds_the_child_on_the_register(
    page, live_server
):
    catalogue_ensure_v1()  # the live server's database is flushed between tests
    agency = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    agency.kind = Agency.Kind.CHILDRENS_SERVICES
    agency.save()
    practitioner = UserFactory(role=Role.PRACTITIONER, agency=agency)
    child = ChildFactory(
        agency=agency, given_name="Rowan", family_name="Testbrook", date_of_birth=date(2010, 2, 3)
    )
    InvolvementFactory(child=child, user=practitioner, agency=agency)

    sign_in(page, practitioner.username)
    page.goto(f"/children/{child.pk}/")
    expect(page.get_by_test_id("risk-panel")).to_contain_text("No exploitation risk screening")
    page.get_by_role("link", name="Complete a risk screening").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exploitation risk screening")
    visit_and_check(page, "screening-form")

    # 2 vulnerabilities (2 points) + 2 significant indicators in the last 6 months (5 + 5) = 12.
    page.get_by_label("Looked after", exact=True).check()
    page.get_by_label("Excluded or not in education", exact=True).check()
    for wording, code in (
        ("Going missing", "s-missing"),
        ("Multiple phones or SIMs", "s-multiple-phones"),
    ):
        page.get_by_label(wording, exact=True).check()
        # GOV.UK Frontend reveals the "when was this last seen?" question.
        reveal = page.locator(f"#conditional-id_ind_{code}")
        expect(reveal).to_be_visible()
        reveal.get_by_label("Within the last 6 months").check()
    page.get_by_role("button", name="Calculate the suggested level").click()
    result = page.get_by_test_id("screening-result")
    expect(result).to_contain_text("Suggested level: Medium (significant)")
    expect(result).to_contain_text("Score 12")
    visit_and_check(page, "screening-calculated")

    page.get_by_label("High (serious)").check()
    page.get_by_role("button", name="Save the screening").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("rationale", ignore_case=True)
    visit_and_check(page, "screening-needs-rationale")
    assert RiskAssessment.objects.count() == 0

    page.get_by_label("High (serious)").check()
    page.get_by_label("Criminal", exact=True).check()
    page.get_by_label("Rationale").fill(
        "Found 40 miles from home with cash and two phones; adults arrange his travel."
    )
    page.get_by_role("button", name="Save the screening").click()
    panel = page.get_by_test_id("risk-panel")
    expect(panel).to_contain_text("High (serious)")
    expect(panel).to_contain_text("Going missing")
    expect(panel).to_contain_text("adults arrange his travel")
    visit_and_check(page, "record-with-risk")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Risk register").click()
    expect(page.get_by_role("link", name="Rowan Testbrook")).to_be_visible()
    visit_and_check(page, "register")
    assessment = RiskAssessment.objects.get()
    assert (assessment.level, assessment.suggested_level, assessment.score) == (
        "high",
        "medium",
        12,
    )
