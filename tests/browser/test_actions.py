"""Plans and actions in a real browser: the MACE chair starts Jordan's safety plan and adds two
actions for two agencies; the health owner finds hers on My actions and completes it with
evidence; the police action falls overdue and the chair finds it on the overdue list. Every page
passes axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cairn.accounts.models import Agency, Role
from cairn.panels.models import Action, Panel, PanelMember
from tests.browser.helpers import expect, sign_in, visit_and_check
from tests.factories import AgencyFactory, ChildFactory, InvolvementFactory, UserFactory
from tests.panels.conftest import assessment, meeting, on_agenda

pytestmark = pytest.mark.browser


def fill_date(scope, legend: str, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_chair_agrees_actions_an_owner_completes_one_the_other_falls_overdue(
    new_page, live_server
) -> None:
    scc = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    police = AgencyFactory(code="POL", name="Synthetshire Police", kind=Agency.Kind.POLICE)
    health = AgencyFactory(code="NHS", name="Synthetshire Health", kind=Agency.Kind.HEALTH)
    chair = UserFactory(
        username="pat.chair", first_name="Pat", last_name="Chairwell", agency=police,
        role=Role.MANAGER,
    )  # fmt: skip
    nurse = UserFactory(
        username="nia.nurse", first_name="Nia", last_name="Hale", agency=health,
        role=Role.PANEL_MEMBER,
    )  # fmt: skip
    officer = UserFactory(username="pc.owen", first_name="Owen", last_name="Reed", agency=police)
    social_worker = UserFactory(username="sam.social", agency=scc)
    today = timezone.localdate()
    jordan = ChildFactory(
        agency=scc, given_name="Jordan", family_name="Ashdown", lead_professional=social_worker
    )
    InvolvementFactory(child=jordan, user=social_worker, agency=scc)
    assessment(jordan, "high", today - dt.timedelta(days=10))
    panel = Panel.objects.create(name="Synthetshire MACE", panel_type="mace")
    panel.agencies.set([scc, police, health])
    start = today - dt.timedelta(days=365)
    PanelMember.objects.create(panel=panel, user=chair, role="chair", started_on=start)
    PanelMember.objects.create(panel=panel, user=nurse, started_on=start)
    mace = meeting(panel, today + dt.timedelta(days=2))
    on_agenda(mace, jordan)

    # The chair starts Jordan's safety plan and agrees two actions.
    page = new_page()
    sign_in(page, chair.username)
    visit_and_check(page, "no-plan", f"/actions/child/{jordan.pk}/")
    page.get_by_role("link", name="Start a safety plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a plan")
    page.get_by_label("Summary").fill("Keep Jordan safe at home and in school")
    visit_and_check(page, "plan-form")
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_text("Safety plan started for Jordan Ashdown.")).to_be_visible()

    agreed = [
        ("Health review with Jordan at school", "Nia Hale (Synthetshire Health)", "Protect"),
        ("Visit the flat on Mill Lane", "Owen Reed (Synthetshire Police)", "Pursue"),
    ]
    for number, (what, owner, category) in enumerate(agreed):
        page.get_by_text("Add an action to the safety plan").click()
        form = page.locator("form").filter(has=page.get_by_label("Action", exact=True))
        form.get_by_label("Action", exact=True).fill(what)
        form.get_by_label("Owner").select_option(label=owner)
        fill_date(form, "Due date", today + dt.timedelta(days=7 + number))
        form.get_by_label(category).check()
        if number == 0:
            visit_and_check(page, "action-form")
        form.get_by_role("button", name="Add the action").click()
        expect(page.get_by_text("Action added for")).to_be_visible()
    actions_table = page.get_by_test_id("plan-safety").get_by_role("table")
    expect(actions_table).to_contain_text("Health review with Jordan at school")
    expect(actions_table).to_contain_text("Synthetshire Police")
    visit_and_check(page, "plan-with-actions")
    assert set(Action.objects.values_list("meeting_id", flat=True)) == {mace.pk}

    # The nurse finds her action and completes it with evidence.
    owner_page = new_page()
    sign_in(owner_page, nurse.username)
    visit_and_check(owner_page, "my-actions", "/actions/mine/")
    mine = owner_page.get_by_test_id("my-actions")
    row = mine.get_by_role("row").filter(has_text="Health review with Jordan at school")
    expect(row).to_contain_text("Jordan Ashdown")
    expect(mine).not_to_contain_text("Visit the flat on Mill Lane")
    row.get_by_role("link", name="Update").click()
    owner_page.get_by_label("Done").check()
    owner_page.get_by_label("Evidence of completion, or why it is cancelled").fill(
        "Review held at school on Monday; notes on the health record"
    )
    fill_date(owner_page, "Date completed", today)
    visit_and_check(owner_page, "update-form")
    owner_page.get_by_role("button", name="Save").click()
    expect(owner_page.get_by_text("Action updated: done.")).to_be_visible()
    expect(owner_page.get_by_test_id("my-actions")).to_contain_text("0 open actions")
    visit_and_check(owner_page, "my-actions-done")

    # Time passes: the police action is past its due date. The chair finds it overdue.
    Action.objects.filter(owner=officer).update(due_on=today - dt.timedelta(days=3))
    visit_and_check(page, "overdue", "/actions/overdue/")
    overdue = page.get_by_test_id("overdue-actions")
    row = overdue.get_by_role("row").filter(has_text="Visit the flat on Mill Lane")
    expect(row).to_contain_text("Overdue")
    expect(row).to_contain_text("Owen Reed")
    expect(row).to_contain_text("Jordan Ashdown")
    expect(overdue).not_to_contain_text("Health review")
    page.get_by_label("4P category").select_option(label="Protect (increase protection)")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("overdue-actions")).to_contain_text("0 overdue actions")
    visit_and_check(page, "overdue-filtered")

    visit_and_check(page, "plan-done", f"/actions/child/{jordan.pk}/")
    expect(page.get_by_test_id("plan-safety")).to_contain_text("Review held at school")
    visit_and_check(page, "disruption-log", "/actions/disruption/")
    visit_and_check(page, "disruption-form", "/actions/disruption/new/")
    visit_and_check(page, "without-safety-plan", "/actions/without-safety-plan/")
