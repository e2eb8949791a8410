"""Panel pages through the Django test client: panels and members, scheduling, the agenda
builder, attendance, discussions, sign-off and circulation, escalation from the child's record;
who may open what; a fixed number of queries on the agenda page."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core import mail
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cairn.accounts import access
from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent, Action
from cairn.panels.models import (
    AgendaItem,
    Attendance,
    Discussion,
    Escalation,
    Meeting,
    MinutesAmendment,
    Panel,
    PanelMember,
)
from tests.factories import AgencyFactory, ChildFactory, UserFactory
from tests.panels.conftest import assessment, meeting, on_agenda

TODAY = timezone.localdate


def text(response) -> str:  # type: ignore[no-untyped-def]
    plain = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(plain))


def day_fields(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month),
            f"{prefix}_year": str(day.year)}  # fmt: skip


# Panels --------------------------------------------------------------------------------------


def test_the_list_shows_the_panels_a_user_sits_on(client, panel_world) -> None:
    w = panel_world
    Panel.objects.create(name="Another panel", panel_type="mase")
    client.force_login(w.nurse)
    page = text(client.get(reverse("panels:list")))
    assert "Synthetshire MACE" in page and "Another panel" not in page
    assert "Set up a panel" not in page
    client.force_login(w.manager)  # managers see every panel
    page = text(client.get(reverse("panels:list")))
    assert "Synthetshire MACE" in page and "Another panel" in page and "Set up a panel" in page
    client.force_login(w.outsider)
    assert "You do not sit on a panel" in text(client.get(reverse("panels:list")))
    client.force_login(UserFactory(role=Role.ANALYST, agency=w.police))
    assert client.get(reverse("panels:list")).status_code == 403


def test_the_panel_page_shows_chairs_members_and_meetings(client, panel_world) -> None:
    w = panel_world
    past = meeting(w.panel, TODAY() - dt.timedelta(days=28), status=Meeting.Status.SIGNED_OFF)
    client.force_login(w.nurse)
    response = client.get(reverse("panels:detail", args=[w.panel.pk]))
    page = text(response)
    assert "Pat Chairwell (POL)" in page  # the chair, in the summary
    assert "Synthetshire Children's Services" in page and "Nia Hale" in page
    upcoming = response.content.decode().split('data-testid="upcoming-meetings"')[1]
    assert f"{w.meeting.held_on:%-d %B %Y}" in upcoming.split("</table>")[0]
    assert f"{past.held_on:%-d %B %Y}" in response.content.decode().split("past-meetings")[1]
    assert "Schedule a meeting" not in page and "Change the panel" not in page
    client.force_login(w.outsider)
    assert client.get(reverse("panels:detail", args=[w.panel.pk])).status_code == 404


def test_a_manager_sets_up_a_panel_and_its_chair(client, panel_world) -> None:
    w = panel_world
    client.force_login(w.social_worker)
    assert client.get(reverse("panels:create")).status_code == 403
    client.force_login(w.manager)
    response = client.post(reverse("panels:create"), {"name": "", "panel_type": "mace"})
    assert "Enter name" in text(response) or "Enter the panel" in text(response)
    response = client.post(
        reverse("panels:create"),
        {"name": "North MASE", "panel_type": "mase", "cadence_days": "14",
         "agencies": [w.scc.pk, w.health.pk]},
    )  # fmt: skip
    panel = Panel.objects.get(name="North MASE")
    assert response.status_code == 302 and response.url == reverse("panels:detail", args=[panel.pk])
    response = client.post(
        reverse("panels:member_add", args=[panel.pk]),
        {"user": w.social_worker.pk, "role": "chair"},
    )
    assert response.status_code == 302
    assert PanelMember.objects.get(panel=panel, user=w.social_worker).role == "chair"
    client.force_login(w.social_worker)  # now a chair: may change it and schedule
    response = client.post(
        reverse("panels:meeting_new", args=[panel.pk]),
        {**day_fields("held_on", TODAY() + dt.timedelta(days=14)), "meeting_type": "mase",
         "location": "Civic Centre"},
    )  # fmt: skip
    created = Meeting.objects.get(panel=panel)
    assert response.url == reverse("panels:meeting", args=[created.pk])
    client.force_login(w.nurse)  # not on this panel
    assert client.get(reverse("panels:edit", args=[panel.pk])).status_code == 404


def test_members_cannot_change_the_panel(client, panel_world) -> None:
    w = panel_world
    client.force_login(w.nurse)
    for name in ("panels:edit", "panels:member_add", "panels:meeting_new"):
        assert client.get(reverse(name, args=[w.panel.pk])).status_code == 403
    member = PanelMember.objects.get(user=w.social_worker)
    end = reverse("panels:member_end", args=[w.panel.pk, member.pk])
    assert client.post(end).status_code == 403
    client.force_login(w.chair)
    assert client.post(end).status_code == 302
    member.refresh_from_db()
    assert member.ended_on == TODAY() - dt.timedelta(days=1)


# The meeting and its agenda ------------------------------------------------------------------


def test_the_chair_builds_and_publishes_the_agenda(client, panel_world) -> None:
    w = panel_world
    url = reverse("panels:meeting", args=[w.meeting.pk])
    client.force_login(w.chair)
    page = text(client.get(url))
    assert "2 children proposed" in page
    assert "Jordan Ashdown" in page and "High risk, never discussed at this panel" in page
    assert "Lead: Sam Brookvale (SCC)" in page
    response = client.post(
        reverse("panels:agenda_add", args=[w.meeting.pk]), {"child": [w.jordan.pk, w.casey.pk]}
    )
    assert response.status_code == 302
    page = text(client.get(url))
    assert "2 children on the agenda" in page and "0 children proposed" in page

    casey = AgendaItem.objects.get(child=w.casey)
    remove = reverse("panels:agenda_remove", args=[w.meeting.pk, casey.pk])
    assert "Enter why the child" in text(client.post(remove, {"reason": ""}))
    client.post(remove, {"reason": "Discussed at the strategy meeting on Monday"})
    casey.refresh_from_db()
    assert casey.removed_at is not None
    assert "Discussed at the strategy meeting on Monday" in text(client.get(url))

    client.force_login(w.nurse)  # before publication: no children
    page = text(client.get(url))
    assert "Jordan Ashdown" not in page and "The chair has not published the agenda yet" in page
    client.force_login(w.chair)
    client.post(reverse("panels:agenda_publish", args=[w.meeting.pk]))
    w.meeting.refresh_from_db()
    assert w.meeting.status == Meeting.Status.AGENDA_PUBLISHED
    client.force_login(w.nurse)
    page = text(client.get(url))
    assert "Jordan Ashdown" in page and "Casey Millbrook" not in page
    assert "Proposed for the agenda" not in page
    events = AccessEvent.objects.filter(user=w.nurse, action=Action.LIST)
    assert events.filter(reason="panel: Synthetshire MACE").exists()


def test_the_chair_adds_a_child_by_reference(client, panel_world) -> None:
    w = panel_world
    other = ChildFactory(agency=AgencyFactory(code="YOT"), child_ref="YOT-9")
    client.force_login(w.chair)
    add = reverse("panels:agenda_child_add", args=[w.meeting.pk])
    response = client.post(add, {"child_ref": "YOT-9", "reason_detail": ""})
    assert "Enter why the child is being added" in text(response)
    response = client.post(add, {"child_ref": "YOT-9", "reason_detail": "Police intelligence"})
    assert response.status_code == 302
    assert AgendaItem.objects.get(child=other).reason == "added_by_chair"
    client.force_login(w.nurse)
    assert client.get(add).status_code == 403


def test_outsiders_get_404_and_members_403_on_chair_pages(client, panel_world) -> None:
    w = panel_world
    item = on_agenda(w.meeting, w.jordan)
    urls = [
        ("get", reverse("panels:meeting", args=[w.meeting.pk])),
        ("post", reverse("panels:agenda_add", args=[w.meeting.pk])),
        ("get", reverse("panels:agenda_remove", args=[w.meeting.pk, item.pk])),
        ("post", reverse("panels:agenda_publish", args=[w.meeting.pk])),
        ("post", reverse("panels:sign_off", args=[w.meeting.pk])),
        ("post", reverse("panels:circulate", args=[w.meeting.pk])),
        ("get", reverse("panels:attendance", args=[w.meeting.pk])),
    ]
    client.force_login(w.outsider)
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
    client.force_login(w.nurse)
    for method, url in urls[1:6]:
        assert getattr(client, method)(url).status_code == 403, url
    assert client.get(urls[-1][1]).status_code == 200  # members record attendance


def test_the_agenda_page_costs_a_fixed_number_of_queries(client, panel_world) -> None:
    w = panel_world
    on_agenda(w.meeting, w.jordan, published=False)
    w.casey.lead_professional = w.nurse  # proposed, with a lead to show
    w.casey.save()
    client.force_login(w.chair)
    url = reverse("panels:meeting", args=[w.meeting.pk])
    client.get(url)  # warm up the session and the access log's chain head

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    few = cost()
    lead = UserFactory(agency=w.scc)
    for n in range(20):
        child = ChildFactory(agency=w.scc, lead_professional=lead if n % 2 else None)
        assessment(child, ("medium", "high")[n % 2], TODAY())
        if n < 5:
            on_agenda(w.meeting, child, published=False)
    many = cost()
    assert many == few
    assert many <= 40


# Recording the meeting -----------------------------------------------------------------------


def test_attendance_discussion_and_sign_off_through_the_pages(client, panel_world) -> None:
    w = panel_world
    held = meeting(w.panel, TODAY())
    on_agenda(held, w.casey)
    client.force_login(w.nurse)  # a member recording for the chair
    attendance = reverse("panels:attendance", args=[held.pk])
    page = text(client.get(attendance))
    assert "Pat Chairwell (chair), Synthetshire Police" in page
    response = client.post(attendance, {"held": "on"})
    assert "A meeting cannot be held with no one attending" in text(response)
    assert held.attendance.count() == 0
    edu = AgencyFactory(code="EDU", name="Synthetshire Schools")
    response = client.post(
        attendance,
        {f"member_{w.chair.pk}": "attended", f"member_{w.nurse.pk}": "attended",
         f"member_{w.social_worker.pk}": "apologies", "guest_0_name": "Ms Okafor",
         "guest_0_agency": edu.pk, "guest_0_status": "attended", "held": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Meeting.Status.HELD
    assert sorted(Attendance.objects.values_list("status", flat=True)) == [
        "apologies", "attended", "attended", "attended",
    ]  # fmt: skip

    discussion = reverse("panels:discussion", args=[held.pk, w.casey.pk])
    assert client.get(reverse("panels:discussion", args=[held.pk, w.jordan.pk])).status_code == 404
    response = client.post(
        discussion,
        {"summary": "Casey is putting herself at risk at the flat.", "agreed_level": "high",
         "decisions": "Disruption plan", "nrm_threshold_met": "yes", "nrm_referral_agreed": "yes",
         "outcome": "Raised to high"},
    )  # fmt: skip
    assert response.status_code == 302
    page = text(client.get(reverse("panels:meeting", args=[held.pk])))
    assert "Language guidance" in page  # children-first wording
    saved = Discussion.objects.get()
    assert saved.nrm_threshold_met is True and saved.risk_assessment.level == "high"

    # The risk register shows the agreed level.
    register = text(client.get(reverse("risk:register"), {"levels": "high"}))
    assert "Casey Millbrook High (serious)" in register

    client.force_login(w.nurse)
    assert client.post(reverse("panels:sign_off", args=[held.pk])).status_code == 403
    client.force_login(w.chair)
    client.post(reverse("panels:sign_off", args=[held.pk]))
    held.refresh_from_db()
    assert held.is_signed_off

    response = client.post(discussion, {"summary": "Changed", "agreed_level": "high"})
    assert "give a reason for the change" in text(response)
    response = client.post(
        discussion,
        {"summary": "Changed", "agreed_level": "high", "decisions": "Disruption plan",
         "nrm_threshold_met": "yes", "nrm_referral_agreed": "yes", "outcome": "Raised to high",
         "amendment_reason": "Wording agreed by email"},
    )  # fmt: skip
    assert response.status_code == 302
    assert MinutesAmendment.objects.get().reason == "Wording agreed by email"

    w.chair.email = "chair@example.org"
    w.chair.save()
    response = client.post(reverse("panels:circulate", args=[held.pk]))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["chair@example.org"]]


def test_the_minutes_page_is_linked_for_readers(client, panel_world) -> None:
    w = panel_world
    held = meeting(w.panel, TODAY(), status=Meeting.Status.HELD)
    on_agenda(held, w.jordan)
    Attendance.objects.create(meeting=held, user=w.nurse, agency=w.health, status="attended")
    client.force_login(w.nurse)
    page = client.get(reverse("panels:meeting", args=[held.pk])).content.decode()
    assert reverse("panels:minutes", args=[held.pk]) in page


# Escalation from the child's record ----------------------------------------------------------


def test_the_lead_escalates_a_child_from_their_record(client, panel_world) -> None:
    w = panel_world
    url = reverse("panels:escalate", args=[w.jordan.pk])
    client.force_login(w.social_worker)
    page = text(client.get(url))
    assert "Synthetshire MACE" in page
    response = client.post(url, {"panel": w.panel.pk, "reason": ""})
    assert "Enter why the child needs to go to the panel" in text(response)
    response = client.post(url, {"panel": w.panel.pk, "reason": "Found in Birmingham twice"})
    assert response.url == reverse("children:detail", args=[w.jordan.pk])
    assert Escalation.objects.get().reason == "Found in Birmingham twice"
    client.force_login(w.outsider)
    assert client.get(url).status_code == 404
    on_agenda(w.meeting, w.jordan)
    client.force_login(w.nurse)  # reads Jordan through the panel: read-only
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(("edit", "shown"), [(True, True), (False, False)])
def test_the_child_page_include_offers_escalation(panel_world, edit, shown) -> None:
    w = panel_world
    decision = access.ChildAccess(view=True, edit=edit, via="lead" if edit else "panel")
    rendered = render_to_string(
        "panels/includes/child_panel_link.html", {"child": w.jordan, "access": decision}
    )
    assert (reverse("panels:escalate", args=[w.jordan.pk]) in rendered) is shown
    assert ("Escalate Jordan to a panel" in rendered) is shown


# Django admin ---------------------------------------------------------------------------------


def test_administrators_set_up_panels_and_members_in_admin(client, panel_world) -> None:
    w = panel_world
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, agency=None, password=None))
    assert client.get("/admin/panels/panel/").status_code == 200
    assert client.get(f"/admin/panels/panel/{w.panel.pk}/change/").status_code == 200
    response = client.post(
        "/admin/panels/panel/add/",
        {
            "name": "West MASE", "panel_type": "mase", "cadence_days": "28",
            "agencies": [w.health.pk], "is_active": "on", "terms_of_reference": "",
            "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0",
            "members-0-user": w.nurse.pk, "members-0-role": "chair",
            "members-0-started_on": TODAY().isoformat(),
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert PanelMember.objects.get(panel__name="West MASE").user == w.nurse
    # Meetings, agendas and minutes name children: not in admin.
    assert client.get("/admin/panels/meeting/").status_code == 404


def test_a_meeting_with_attendance_is_marked_held_from_its_page(client, panel_world) -> None:
    w = panel_world
    held = meeting(w.panel, TODAY())
    on_agenda(held, w.jordan)
    Attendance.objects.create(meeting=held, user=w.chair, agency=w.police, status="apologies")
    client.force_login(w.nurse)
    url = reverse("panels:meeting", args=[held.pk])
    assert "Mark the meeting as held" in text(client.get(url))
    response = client.post(reverse("panels:meeting_held", args=[held.pk]), follow=True)
    assert "A meeting cannot be held with no one attending" in text(response)
    Attendance.objects.update(status="attended")
    client.post(reverse("panels:meeting_held", args=[held.pk]))
    held.refresh_from_db()
    assert held.status == Meeting.Status.HELD
    assert "Mark the meeting as held" not in text(client.get(url))
