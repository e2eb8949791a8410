"""Who reads the minutes: attendees (attended or sent apologies) read everything; a child's own
professionals who did not attend read only the sections about their children (never through the
panel or break glass); everyone else gets 404. Each read, page or PDF, is audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent, Action
from cairn.children.models import BreakGlassGrant
from cairn.panels.minutes_services import (
    AttendanceEntry,
    attendance_record,
    discussion_record,
    minutes_sign_off,
    minutes_update,
)
from cairn.panels.models import PanelMember
from tests.factories import AgencyFactory, UserFactory
from tests.panels.conftest import meeting, on_agenda

JORDAN = "Jordan was seen at the bus station with older males."
CASEY = "Casey's school attendance has improved."
GENERAL = "The partnership agreed a hotspot patrol."


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def minuted(panel_world):  # type: ignore[no-untyped-def]
    """Today's meeting: both children discussed; the chair attended, the nurse sent apologies;
    the social worker (Jordan's lead, a member) and a youth-justice member did not attend."""
    w = panel_world
    held = meeting(w.panel, timezone.localdate())
    on_agenda(held, w.jordan)
    on_agenda(held, w.casey)
    yot = AgencyFactory(code="YOT", name="Youth Offending Team")
    w.yot_member = UserFactory(username="yot", agency=yot, role=Role.PANEL_MEMBER)
    PanelMember.objects.create(
        panel=w.panel, user=w.yot_member, started_on=timezone.localdate() - dt.timedelta(days=9)
    )
    attendance_record(
        actor=w.chair,
        meeting=held,
        entries=[
            AttendanceEntry(status="attended", user=w.chair, agency=w.police),
            AttendanceEntry(status="apologies", user=w.nurse, agency=w.health),
            AttendanceEntry(status="absent", user=w.yot_member, agency=yot),
        ],
        mark_held=True,
    )
    discussion_record(actor=w.chair, meeting=held, child=w.jordan, summary=JORDAN)
    discussion_record(actor=w.chair, meeting=held, child=w.casey, summary=CASEY)
    minutes_update(actor=w.chair, meeting=held, minutes=GENERAL, themes="")
    minutes_sign_off(actor=w.chair, meeting=held)
    w.held = held
    return w


def breaking_glass(user, child) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    BreakGlassGrant.objects.create(
        child=child, user=user, reason="Found at night", granted_at=now,
        expires_at=now + dt.timedelta(minutes=30),
    )  # fmt: skip


# who: (status, sees Jordan, sees Casey, sees the general minutes)
MATRIX = [
    ("chair", 200, True, True, True),  # attended
    ("nurse", 200, True, True, True),  # sent apologies
    ("social_worker", 200, True, False, False),  # Jordan's lead, did not attend
    ("manager", 200, True, False, False),  # children's services manager: Jordan's agency
    ("yot_member", 404, False, False, False),  # a member who was absent: the panel is no route
    ("outsider", 404, False, False, False),
    ("break_glass", 404, False, False, False),  # break glass on Jordan is no route either
]


@pytest.mark.parametrize(("who", "status", "jordan", "casey", "general"), MATRIX)
def test_the_minutes_visibility_matrix(client, minuted, who, status, jordan, casey, general):  # type: ignore[no-untyped-def]
    w = minuted
    user = w.outsider if who == "break_glass" else getattr(w, who)
    if who == "break_glass":
        breaking_glass(user, w.jordan)
    client.force_login(user)
    page = client.get(reverse("panels:minutes", args=[w.held.pk]))
    assert page.status_code == status
    pdf = client.get(reverse("panels:minutes_pdf", args=[w.held.pk]))
    assert pdf.status_code == status
    if status != 200:
        assert not AccessEvent.objects.filter(user=user, object_type="panels.meeting").exists()
        return
    html = page.content.decode()
    text = pdf_text(pdf.content)
    for content in (html, text):
        assert (JORDAN in content.replace("&#x27;", "'")) is jordan
        assert (CASEY in content.replace("&#x27;", "'")) is casey
        assert (GENERAL in content) is general
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "private, no-store"
    assert f"minutes-{w.held.meeting_ref}" in pdf["Content-Disposition"]


def test_reading_the_minutes_is_audited(client, minuted) -> None:
    w = minuted
    client.force_login(w.social_worker)
    client.get(reverse("panels:minutes", args=[w.held.pk]))
    view = AccessEvent.objects.get(user=w.social_worker, action=Action.VIEW)
    assert view.object_type == "panels.meeting" and view.object_id == str(w.held.pk)
    assert "Synthetshire MACE" in view.reason and w.held.meeting_ref in view.reason
    assert view.detail["children"] == [w.jordan.pk] and view.detail["attendee"] is False

    client.force_login(w.chair)
    client.get(reverse("panels:minutes_pdf", args=[w.held.pk]))
    exports = AccessEvent.objects.filter(user=w.chair, action=Action.EXPORT).order_by("id")
    assert [e.child for e in exports] == [None, w.jordan, w.casey]
    assert {e.reason for e in exports} == {view.reason}


def test_draft_minutes_say_so(client, panel_world) -> None:
    w = panel_world
    held = meeting(w.panel, timezone.localdate())
    on_agenda(held, w.jordan)
    attendance_record(
        actor=w.chair, meeting=held, mark_held=True,
        entries=[AttendanceEntry(status="attended", user=w.chair, agency=w.police)],
    )  # fmt: skip
    client.force_login(w.chair)
    page = client.get(reverse("panels:minutes", args=[held.pk]))
    assert "Draft: these minutes are not signed off yet." in page.content.decode()


def test_amendments_show_with_the_minutes(client, minuted) -> None:
    w = minuted
    discussion_record(
        actor=w.chair, meeting=w.held, child=w.jordan, summary="Seen at the coach station.",
        amendment_reason="Location corrected by police",
    )  # fmt: skip
    client.force_login(w.social_worker)
    html = client.get(reverse("panels:minutes", args=[w.held.pk])).content.decode()
    assert "Location corrected by police" in html and "Seen at the coach station." in html
