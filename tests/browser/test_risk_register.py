"""A manager's look at the risk register in a real browser: open it from the menu, filter to
high risk, see the child, then open the reviews that are due. Every page passes axe."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from cairn.accounts.models import Agency, Role
from cairn.risk.models import CatalogueVersion, RiskAssessment
from cairn.risk.scoring import review_due
from tests.browser.helpers import expect, sign_in, visit_and_check
from tests.factories import AgencyFactory, ChildFactory, UserFactory, WardFactory

pytestmark = pytest.mark.browser
_refs = itertools.count(1)


def assess(child, level: str, days_ago: int, types: list[str]) -> None:  # type: ignore[no-untyped-def]
    # The live server's database is flushed between tests: make sure a catalogue version exists.
    version, _ = CatalogueVersion.objects.get_or_create(
        number=1, defaults={"published_at": timezone.now()}
    )
    assessed_on = timezone.localdate() - dt.timedelta(days=days_ago)
    RiskAssessment.objects.create(
        assessment_ref=f"BR-{next(_refs)}",
        child=child,
        agency=child.agency,
        assessed_on=assessed_on,
        catalogue_version=version,
        suggested_level=level,
        level=level,
        exploitation_types=types,
        next_review_due=review_due(level, assessed_on),
    )


def test_a_manager_filters_the_register_to_high_and_opens_reviews_due(page, live_server):
    agency = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    police = AgencyFactory(code="POL", name="Synthetshire Police", kind=Agency.Kind.POLICE)
    manager = UserFactory(
        username="morgan.manager", first_name="Morgan", last_name="Hollinshead",
        role=Role.MANAGER, agency=agency,
    )  # fmt: skip
    lead = UserFactory(first_name="Priya", last_name="Fernhollow", agency=agency)
    ward = WardFactory(name="Millbrook")
    kezia = ChildFactory(
        agency=agency, given_name="Kezia", family_name="Synthfield", ward=ward,
        lead_professional=lead,
    )  # fmt: skip
    jamal = ChildFactory(agency=agency, given_name="Jamal", family_name="Fauxley", ward=ward)
    tyler = ChildFactory(agency=police, given_name="Tyler", family_name="Mockridge")
    assess(kezia, "high", 40, ["criminal", "county_lines"])  # review was due 12 days ago
    assess(jamal, "medium", 3, ["sexual"])
    assess(tyler, "high", 2, ["criminal"])  # another agency's child: never listed

    sign_in(page, manager.username)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Risk register").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Risk register")
    expect(page.get_by_test_id("count-total")).to_have_text("2")
    expect(page.get_by_test_id("count-high")).to_have_text("1")
    table = page.get_by_test_id("register-table")
    expect(table.get_by_role("link", name="Jamal Fauxley")).to_be_visible()
    expect(page.get_by_text("Mockridge")).to_have_count(0)
    visit_and_check(page, "register")

    page.get_by_label("High (serious)").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 child matches your filters")).to_be_visible()
    row = table.get_by_role("row").filter(has_text="Kezia Synthfield")
    expect(row.get_by_role("link", name="Kezia Synthfield")).to_be_visible()
    expect(row).to_contain_text("High (serious)")
    expect(row).to_contain_text("Overdue")
    expect(table.get_by_role("link", name="Jamal Fauxley")).to_have_count(0)
    expect(page.get_by_label("High (serious)")).to_be_checked()
    visit_and_check(page, "register-high")

    # Sorting keeps the filter.
    table.get_by_role("link", name="Name").click()
    expect(table.get_by_role("columnheader", name="Name")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(page.get_by_label("High (serious)")).to_be_checked()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reviews due").click()
    expect(heading).to_have_text("Reviews due")
    due = page.get_by_test_id("overdue-table").get_by_role("row").filter(has_text="Kezia")
    expect(due).to_contain_text("12")
    expect(due).to_contain_text("Priya Fernhollow")
    expect(page.get_by_text("Jamal Fauxley")).to_have_count(0)
    visit_and_check(page, "reviews-due")
