"""A missing episode in a real browser: a social worker records Jordan going missing, sees them
on the currently missing board, records their return, finds the return home interview on the due
list with its 72-hour clock, records it as held, and their manager sees the completion rate move
in the performance matrix. Every page passes axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cairn.accounts.models import Agency, Role
from tests.browser.helpers import expect, sign_in, visit_and_check
from tests.factories import (
    AgencyFactory,
    ChildFactory,
    InvolvementFactory,
    PlacementFactory,
    UserFactory,
)
from tests.missing.conftest import episode

pytestmark = pytest.mark.browser


def fill_moment(page, legend: str, time_label: str, moment: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    local = timezone.localtime(moment)
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(local.day))
    group.get_by_label("Month").fill(str(local.month))
    group.get_by_label("Year").fill(str(local.year))
    page.get_by_label(time_label).fill(local.strftime("%H:%M"))


def test_record_an_episode_the_return_and_the_interview(page, live_server):
    scc = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    AgencyFactory(code="POL", name="Synthetshire Police", kind=Agency.Kind.POLICE)
    lead = UserFactory(username="sam.social", first_name="Sam", last_name="Brookvale", agency=scc)
    manager = UserFactory(username="morgan.manager", role=Role.MANAGER, agency=scc)
    jordan = ChildFactory(
        agency=scc, given_name="Jordan", family_name="Ashdown", lead_professional=lead,
        legal_status="looked_after",
    )  # fmt: skip
    InvolvementFactory(child=jordan, user=lead, agency=scc)
    today = timezone.localdate()
    PlacementFactory(
        child=jordan, agency=scc, provider_name="Oakfield House", placement_type="childrens_home",
        start_date=today - dt.timedelta(days=300),
    )  # fmt: skip
    # Five other children returned in the last two days with no interview yet: 0% held in time.
    now = timezone.now().replace(second=0, microsecond=0)
    for number in range(5):
        other = ChildFactory(agency=scc, given_name=f"Other{number}")
        episode(
            other,
            reported=timezone.localtime(now - dt.timedelta(hours=30)).strftime("%Y-%m-%d %H:%M"),
            returned=timezone.localtime(now - dt.timedelta(hours=20)).strftime("%Y-%m-%d %H:%M"),
        )

    sign_in(page, lead.username)
    page.goto(f"/children/{jordan.pk}/")
    page.get_by_role("link", name="Record a missing episode").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a missing episode")
    visit_and_check(page, "episode-form")
    last_seen = now - dt.timedelta(hours=8)
    fill_moment(page, "Date last seen", "Time last seen", last_seen)
    page.get_by_label("Where they were last seen").fill("Oakfield House")
    page.get_by_label("Clothing worn").fill("Red hoodie, black trainers")
    fill_moment(
        page, "Date reported missing", "Time reported missing", last_seen + dt.timedelta(hours=1)
    )
    page.get_by_label("High").check()
    page.get_by_label("Criminal exploitation").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Missing episode ME-000001 recorded.")).to_be_visible()
    expect(page.get_by_test_id("episode-summary")).to_contain_text("Criminal exploitation")
    expect(page.get_by_text("Jordan is missing now")).to_be_visible()
    visit_and_check(page, "episode-open")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Missing").click()
    board = page.get_by_test_id("missing-board")
    row = board.get_by_role("row").filter(has_text="Jordan Ashdown")
    expect(row).to_contain_text("High")
    expect(row).to_contain_text("Oakfield House")
    visit_and_check(page, "board")
    row.get_by_role("link", name="ME-000001").click()

    page.get_by_role("link", name="Record the return").first.click()
    returned = now - dt.timedelta(hours=1)
    fill_moment(page, "Date returned or found", "Time returned or found", returned)
    page.get_by_label("Where they were found or returned to").fill("Coach station")
    visit_and_check(page, "return-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Return recorded. The return home interview is due by")).to_be_visible()
    expect(page.get_by_test_id("interview-clock")).to_contain_text("left")

    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Return interviews"
    ).click()
    due = page.get_by_test_id("due-table")
    row = due.get_by_role("row").filter(has_text="Jordan Ashdown")
    expect(row.get_by_test_id("time-left")).to_contain_text("2 days 2")
    visit_and_check(page, "due-list")
    row.get_by_role("link", name="Record the interview").click()
    page.get_by_label("Held with the child").check()
    fill_moment(page, "Date the interview was offered", "Time offered", returned)
    fill_moment(page, "Date it was held, declined or tried", "Time held, declined or tried", now)
    page.get_by_label("Summary").fill(
        "Jordan talked about a friend's flat and wants to see their sister more."
    )
    visit_and_check(page, "interview-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Return home interview recorded: held with the child.")).to_be_visible()
    expect(page.get_by_test_id("interview-summary")).to_contain_text("a friend's flat")
    visit_and_check(page, "episode-closed")
    page.goto("/missing/interviews/")
    expect(page.get_by_test_id("due-table").get_by_text("Jordan Ashdown")).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, manager.username)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Performance").click()
    expect(page.get_by_test_id("rhi.returns")).to_have_text("6")
    expect(page.get_by_test_id("rhi.completed_within_72h_pct")).to_have_text("16.7%")
    expect(page.get_by_test_id("missing.episodes")).to_have_text("6")
    visit_and_check(page, "performance")
