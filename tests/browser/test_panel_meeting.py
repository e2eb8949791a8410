"""A panel meeting in a real browser: the chair opens today's meeting, sees the proposals (a
child at high risk, and a child with a repeat-missing alert), adds both, publishes the agenda,
records attendance for two agencies, records the discussion of both children (agreeing high for
one), signs the minutes off and opens them. Every page passes axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cairn.accounts.models import Agency, Role
from cairn.missing.models import RepeatMissingAlert
from cairn.panels.models import Meeting, Panel, PanelMember
from cairn.risk.models import RiskAssessment
from tests.browser.helpers import expect, sign_in, visit_and_check
from tests.factories import AgencyFactory, ChildFactory, InvolvementFactory, UserFactory
from tests.missing.conftest import episode
from tests.panels.conftest import assessment

pytestmark = pytest.mark.browser


def test_a_chair_runs_a_meeting_from_agenda_to_minutes(page, live_server):
    scc = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    police = AgencyFactory(code="POL", name="Synthetshire Police", kind=Agency.Kind.POLICE)
    chair = UserFactory(
        username="pat.chair", first_name="Pat", last_name="Chairwell", agency=police,
        role=Role.MANAGER,
    )  # fmt: skip
    social_worker = UserFactory(
        username="sam.social", first_name="Sam", last_name="Brookvale", agency=scc
    )
    today = timezone.localdate()
    jordan = ChildFactory(
        agency=scc, given_name="Jordan", family_name="Ashdown", lead_professional=social_worker
    )
    InvolvementFactory(child=jordan, user=social_worker, agency=scc)
    assessment(jordan, "high", today - dt.timedelta(days=5))
    riley = ChildFactory(agency=scc, given_name="Riley", family_name="Marsh")
    assessment(riley, "low", today - dt.timedelta(days=40))
    now = timezone.localtime()
    last = None
    for days in (40, 20, 3):
        last = episode(riley, reported=(now - dt.timedelta(days=days)).strftime("%Y-%m-%d %H:%M"))
    RepeatMissingAlert.objects.create(
        child=riley, episode=last, episodes=3, window_days=90, raised_at=now
    )
    panel = Panel.objects.create(name="Synthetshire MACE", panel_type="mace")
    panel.agencies.set([scc, police])
    start = today - dt.timedelta(days=200)
    PanelMember.objects.create(panel=panel, user=chair, role="chair", started_on=start)
    PanelMember.objects.create(panel=panel, user=social_worker, started_on=start)
    mace = Meeting.objects.create(
        meeting_ref="MT-000001", panel=panel, meeting_type="mace", held_on=today,
        location="Civic Centre, Room 4",
    )  # fmt: skip

    sign_in(page, chair.username)
    visit_and_check(page, "panels", "/panels/")
    page.get_by_role("link", name="Synthetshire MACE").click()
    expect(page.get_by_test_id("members-table")).to_contain_text("Sam Brookvale")
    visit_and_check(page, "panel")
    page.get_by_test_id("upcoming-meetings").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meeting on")

    proposals = page.get_by_test_id("proposals-table")
    expect(proposals).to_contain_text("2 children proposed")
    expect(proposals.get_by_role("row").filter(has_text="Jordan Ashdown")).to_contain_text(
        "High risk, never discussed at this panel"
    )
    expect(proposals.get_by_role("row").filter(has_text="Riley Marsh")).to_contain_text(
        "Repeat-missing alert: 3 episodes in 90 days"
    )
    visit_and_check(page, "meeting-proposals")
    page.get_by_label("Add Jordan Ashdown").check()
    page.get_by_label("Add Riley Marsh").check()
    page.get_by_role("button", name="Add the selected children to the agenda").click()
    expect(page.get_by_text("Added to the agenda: Riley Marsh, Jordan Ashdown.")).to_be_visible()
    expect(page.get_by_test_id("agenda-table")).to_contain_text("2 children on the agenda")
    page.get_by_role("button", name="Publish the agenda").click()
    expect(page.get_by_text("Agenda published.")).to_be_visible()
    expect(page.get_by_test_id("meeting-status")).to_have_text("Agenda published")
    visit_and_check(page, "meeting-published")

    page.get_by_role("link", name="Record attendance").click()
    page.get_by_label("Pat Chairwell (chair), Synthetshire Police").select_option("attended")
    page.get_by_label("Sam Brookvale, Synthetshire Children's Services").select_option("attended")
    expect(page.get_by_label("The meeting took place: mark it as held")).to_be_checked()
    visit_and_check(page, "attendance")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance recorded. The meeting is marked as held.")).to_be_visible()

    page.get_by_role("link", name="Record the discussion of Jordan Ashdown").click()
    page.get_by_label("Summary of the discussion").fill(
        "Jordan was found in a flat used to deal drugs, 40 miles from home."
    )
    page.get_by_role("group", name="Agreed risk level").get_by_label("High (serious)").check()
    page.get_by_label("Decisions").fill("Disruption plan for the flat; strategy discussion.")
    page.get_by_role("group", name="NRM threshold met").get_by_label("Yes").check()
    page.get_by_role("group", name="NRM referral agreed").get_by_label("Yes").check()
    page.get_by_label("Outcome").fill("Stays high; NRM referral")
    visit_and_check(page, "discussion")
    page.get_by_role("button", name="Save the discussion").click()
    expect(page.get_by_text("Discussion of Jordan Ashdown recorded.")).to_be_visible()

    page.get_by_role("link", name="Record the discussion of Riley Marsh").click()
    page.get_by_label("Summary of the discussion").fill(
        "Riley has been missing three times; each time found near the coach station."
    )
    page.get_by_label("Decisions").fill("Return home interviews to be shared with police.")
    page.get_by_role("button", name="Save the discussion").click()
    expect(page.get_by_text("Discussion of Riley Marsh recorded.")).to_be_visible()
    visit_and_check(page, "meeting-held")

    page.get_by_role("button", name="Sign off the minutes").click()
    expect(page.get_by_text("Minutes signed off.")).to_be_visible()
    expect(page.get_by_test_id("meeting-status")).to_have_text("Minutes signed off")
    page.get_by_role("link", name="Read the minutes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Minutes of the meeting on")
    expect(page.get_by_test_id("signed-off")).to_contain_text("Pat Chairwell")
    expect(page.get_by_test_id("minutes-attendance")).to_contain_text("Synthetshire Police")
    expect(page.get_by_test_id("minutes-attendance")).to_contain_text(
        "Synthetshire Children's Services"
    )
    sections = page.get_by_test_id("child-section")
    expect(sections).to_have_count(2)
    expect(sections.filter(has_text="Jordan Ashdown")).to_contain_text("High")
    expect(sections.filter(has_text="Riley Marsh")).to_contain_text("No change")
    visit_and_check(page, "minutes")

    current = RiskAssessment.objects.get(child=jordan, is_current=True)
    assert current.level == "high" and current.assessed_on == today
    assert current.rationale.startswith("Agreed at Synthetshire MACE on")

    # From the meeting, the chair goes on to Jordan's plans (tests/browser/test_actions.py
    # follows the actions from there).
    page.goto(f"/panels/meetings/{mace.pk}/")
    page.get_by_role("link", name="Plans and actions for Jordan Ashdown").click()
    expect(page.get_by_role("link", name="Start a safety plan")).to_be_visible()
