"""The demo as someone trying Cairn meets it: `cairn demo` loads a small synthetic county, and the
printed logins work in a real browser."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cairn.children.models import Child
from cairn.demo.content import DEMO_PASSWORD
from tests.browser.helpers import expect, sign_in, visit_and_check

pytestmark = pytest.mark.browser


def test_demo_logins_reach_a_caseload_a_record_and_the_admin(new_page, live_server):
    out = io.StringIO()
    call_command("demo", children=60, seed=7, stdout=out)
    assert Child.objects.count() == 60
    printed = out.getvalue()
    assert "practitioner" in printed and DEMO_PASSWORD in printed

    page = new_page()
    sign_in(page, "practitioner", password=DEMO_PASSWORD)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("My caseload")
    links = page.get_by_test_id("child-table").get_by_role("link")
    expect(links.first).to_be_visible()
    assert links.count() >= 1
    visit_and_check(page, "demo-caseload")

    name = links.first.inner_text().strip()
    links.first.click()
    expect(heading).to_have_text(name)
    expect(page.get_by_test_id("timeline").get_by_role("listitem").first).to_be_visible()
    visit_and_check(page, "demo-record")

    # The agency's children run to more than one page of the list.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children").click()
    pagination = page.get_by_role("navigation", name="Pagination")
    expect(pagination.get_by_role("link", name="Page 1 of")).to_be_visible()
    pagination.get_by_role("link", name="Next page").click()
    expect(pagination.get_by_role("link", name="Page 2 of")).to_have_attribute(
        "aria-current", "page"
    )
    visit_and_check(page, "demo-children-page-2")

    admin_page = new_page()
    sign_in(admin_page, "admin", password=DEMO_PASSWORD)
    expect(admin_page).to_have_url(f"{live_server.url}/admin/")
    expect(admin_page.get_by_role("heading", name="Site administration")).to_be_visible()
