"""Panel services: panels and members, scheduling, attendance and holding a meeting, the
discussion of each child (an agreed level feeds the risk history), sign-off and amendments,
circulation. Bad input names the field and saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from cairn.audit.models import AccessEvent, Action
from cairn.panels.minutes_services import (
    AttendanceEntry,
    attendance_record,
    discussion_record,
    meeting_mark_held,
    minutes_circulate,
    minutes_sign_off,
    minutes_update,
)
from cairn.panels.models import (
    Attendance,
    Discussion,
    Meeting,
    MinutesAmendment,
    MinutesCirculation,
    Panel,
    PanelMember,
)
from cairn.panels.services import (
    AMENDMENT_NEEDED,
    meeting_schedule,
    panel_create,
    panel_member_add,
    panel_member_end,
    panel_update,
)
from cairn.risk.models import RiskAssessment
from cairn.risk.selectors import annotate_current_assessment
from tests.factories import AgencyFactory, UserFactory
from tests.panels.conftest import assessment, meeting, on_agenda

TODAY = timezone.localdate


def messages_of(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


@pytest.fixture
def held(panel_world):  # type: ignore[no-untyped-def]
    """Today's meeting, with both children on its published agenda."""
    w = panel_world
    today = meeting(w.panel, TODAY(), location="Room 4")
    on_agenda(today, w.jordan)
    on_agenda(today, w.casey)
    return today


def attended(w, meeting_, *extra: AttendanceEntry, held: bool = True):  # type: ignore[no-untyped-def]
    return attendance_record(
        actor=w.chair,
        meeting=meeting_,
        entries=[
            AttendanceEntry(status="attended", user=w.chair, agency=w.police),
            AttendanceEntry(status="apologies", user=w.nurse, agency=w.health),
            *extra,
        ],
        mark_held=held,
    )


# Panels and members --------------------------------------------------------------------------


def test_managers_set_up_panels(panel_world) -> None:
    w = panel_world
    with pytest.raises(PermissionDenied):
        panel_create(actor=w.social_worker, name="North MACE", panel_type="mace")
    panel = panel_create(
        actor=w.manager, name=" North MACE ", panel_type="mace", cadence_days=14,
        agencies=[w.scc, w.police],
    )  # fmt: skip
    assert panel.name == "North MACE" and panel.cadence_days == 14
    assert set(panel.agencies.all()) == {w.scc, w.police}
    with pytest.raises(ValidationError) as caught:
        panel_create(actor=w.manager, name="north mace", panel_type="nope", cadence_days=0)
    assert set(messages_of(caught)) == {"name", "panel_type", "cadence_days"}
    assert Panel.objects.count() == 2
    assert AccessEvent.objects.filter(action=Action.CREATE, object_type="panels.panel").exists()


def test_chairs_and_managers_change_a_panel_members_do_not(panel_world) -> None:
    w = panel_world
    with pytest.raises(PermissionDenied):
        panel_update(
            actor=w.nurse, panel=w.panel, name="X", panel_type="mace", cadence_days=28,
            agencies=[],
        )  # fmt: skip
    updated = panel_update(
        actor=w.chair, panel=w.panel, name="Synthetshire MACE", panel_type="mace",
        cadence_days=14, agencies=[w.scc], is_active=True,
    )  # fmt: skip
    assert updated.cadence_days == 14 and list(updated.agencies.all()) == [w.scc]


def test_members_are_added_their_role_changed_and_their_membership_ended(panel_world) -> None:
    w = panel_world
    teacher = UserFactory(username="teacher", agency=AgencyFactory(code="EDU"))
    member = panel_member_add(actor=w.chair, panel=w.panel, user=teacher, role="member")
    assert member.started_on == TODAY() and member.ended_on is None
    again = panel_member_add(actor=w.manager, panel=w.panel, user=teacher, role="chair")
    assert again.pk == member.pk and again.role == "chair"
    with pytest.raises(PermissionDenied):
        panel_member_add(actor=w.nurse, panel=w.panel, user=w.outsider, role="member")
    analyst = UserFactory(role="analyst", agency=w.police)
    with pytest.raises(ValidationError) as caught:
        panel_member_add(actor=w.chair, panel=w.panel, user=analyst, role="member")
    assert "cannot sit on a panel" in messages_of(caught)["user"][0]
    ended = panel_member_end(actor=w.chair, member=again)
    assert ended.ended_on == TODAY() - dt.timedelta(days=1)
    assert not PanelMember.objects.filter(pk=member.pk, ended_on__isnull=True).exists()


def test_a_panel_keeps_a_chair(panel_world) -> None:
    w = panel_world
    chair = PanelMember.objects.get(user=w.chair)
    with pytest.raises(ValidationError) as caught:
        panel_member_end(actor=w.manager, member=chair)
    assert messages_of(caught) == {"member": ["A panel needs a chair: add another chair first"]}
    with pytest.raises(ValidationError):
        panel_member_add(actor=w.manager, panel=w.panel, user=w.chair, role="member")
    panel_member_add(actor=w.manager, panel=w.panel, user=w.nurse, role="chair")
    panel_member_end(actor=w.manager, member=chair)


def test_chairs_schedule_meetings(panel_world) -> None:
    w = panel_world
    with pytest.raises(PermissionDenied):
        meeting_schedule(actor=w.nurse, panel=w.panel, held_on=TODAY(), meeting_type="mace")
    with pytest.raises(PermissionDenied):
        meeting_schedule(actor=w.manager, panel=w.panel, held_on=TODAY(), meeting_type="mace")
    first = meeting_schedule(
        actor=w.chair, panel=w.panel, held_on=TODAY() + dt.timedelta(days=35),
        meeting_type="mace", location="Civic Centre",
    )  # fmt: skip
    assert first.meeting_ref == "MT-000001" and first.status == Meeting.Status.PLANNED
    with pytest.raises(ValidationError) as caught:
        meeting_schedule(actor=w.chair, panel=w.panel, held_on=first.held_on, meeting_type="x")
    assert set(messages_of(caught)) == {"held_on", "meeting_type"}
    second = meeting_schedule(
        actor=w.chair, panel=w.panel, held_on=TODAY() + dt.timedelta(days=63), meeting_type="risk"
    )
    assert second.meeting_ref == "MT-000002"


# Attendance and holding the meeting ----------------------------------------------------------


def test_a_meeting_marked_held_with_no_attendees_is_an_error(panel_world, held) -> None:
    w = panel_world
    with pytest.raises(ValidationError) as caught:
        attendance_record(
            actor=w.chair,
            meeting=held,
            entries=[AttendanceEntry(status="apologies", user=w.nurse, agency=w.health)],
            mark_held=True,
        )
    assert messages_of(caught) == {
        "attendance": ["A meeting cannot be held with no one attending: record who attended"]
    }
    assert not Attendance.objects.exists()
    held.refresh_from_db()
    assert held.status == Meeting.Status.AGENDA_PUBLISHED
    with pytest.raises(ValidationError) as caught:
        meeting_mark_held(actor=w.chair, meeting=held)
    assert "attendance" in messages_of(caught)


def test_a_future_meeting_cannot_be_held(panel_world) -> None:
    w = panel_world
    with pytest.raises(ValidationError) as caught:
        attended(w, w.meeting)
    assert "it cannot be held before then" in messages_of(caught)["held"][0]
    assert not Attendance.objects.exists()


def test_attendance_by_person_and_agency_marks_the_meeting_held(panel_world, held) -> None:
    w = panel_world
    teacher = AttendanceEntry(status="attended", name="Ms Okafor", agency=AgencyFactory(code="EDU"))
    rows = attended(w, held, teacher)
    assert [(r.user, r.name, r.status) for r in rows] == [
        (w.chair, "", "attended"),
        (w.nurse, "", "apologies"),
        (None, "Ms Okafor", "attended"),
    ]
    held.refresh_from_db()
    assert held.status == Meeting.Status.HELD
    # Recording again replaces what was recorded.
    attendance_record(
        actor=w.nurse,  # a member recording for the chair
        meeting=held,
        entries=[AttendanceEntry(status="attended", user=w.chair, agency=w.police)],
    )
    assert Attendance.objects.count() == 1
    with pytest.raises(PermissionDenied):
        attendance_record(actor=w.outsider, meeting=held, entries=[])
    with pytest.raises(ValidationError) as caught:
        attendance_record(actor=w.chair, meeting=held, entries=[])  # held: someone attended
    assert "attendance" in messages_of(caught)
    with pytest.raises(ValidationError) as caught:
        attendance_record(
            actor=w.chair, meeting=held,
            entries=[AttendanceEntry(status="attended", name="", agency=None)],
        )  # fmt: skip
    assert messages_of(caught)["attendance"] == [
        "Enter the name of each person without a login",
        "Select the agency each person is from",
    ]


# Discussions and the risk history ------------------------------------------------------------


def test_an_agreed_level_becomes_the_childs_current_level(panel_world, held) -> None:
    w = panel_world
    attended(w, held)
    before = RiskAssessment.objects.get(child=w.casey, is_current=True)
    discussion, guidance = discussion_record(
        actor=w.chair,
        meeting=held,
        child=w.casey,
        summary="Casey was found in a flat used for county lines.",
        agreed_level="high",
        decisions="Disruption plan; strategy discussion within 5 days",
        nrm_threshold_met=True,
        nrm_referral_agreed=True,
        outcome="Raised to high; NRM referral",
    )
    assert guidance == []
    current = RiskAssessment.objects.get(child=w.casey, is_current=True)
    assert discussion.risk_assessment == current and current != before
    assert current.level == "high" and current.suggested_level == "medium"
    assert current.assessed_on == held.held_on
    assert current.exploitation_types == before.exploitation_types == ["criminal"]
    assert current.next_review_due == held.held_on + dt.timedelta(days=28)
    assert current.assessor == w.chair and current.agency == w.police
    assert current.rationale == (
        f"Agreed at Synthetshire MACE on {held.held_on.day} {held.held_on:%B %Y}: "
        "Disruption plan; strategy discussion within 5 days"
    )
    assert current.assessment_ref.startswith("RA-")
    # The register reads the current level.
    level = annotate_current_assessment(type(w.casey).objects.filter(pk=w.casey.pk)).get()
    assert level.risk_level == "high"
    event = AccessEvent.objects.get(action=Action.CREATE, object_type="risk.riskassessment")
    assert event.child == w.casey and event.reason == "panel: Synthetshire MACE"


def test_no_agreed_level_leaves_the_risk_history_alone(panel_world, held) -> None:
    w = panel_world
    discussion, _ = discussion_record(
        actor=w.nurse, meeting=held, child=w.jordan, summary="No change this month."
    )
    assert discussion.risk_assessment is None and discussion.recorded_by == w.nurse
    assert RiskAssessment.objects.filter(child=w.jordan).count() == 1


def test_changing_the_agreed_level_changes_its_assessment(panel_world, held) -> None:
    w = panel_world
    discussion, _ = discussion_record(
        actor=w.chair, meeting=held, child=w.jordan, summary="Better", agreed_level="medium"
    )
    first = discussion.risk_assessment
    discussion, _ = discussion_record(
        actor=w.chair, meeting=held, child=w.jordan, summary="Better", agreed_level="low"
    )
    assert discussion.risk_assessment == first
    first.refresh_from_db()
    assert first.level == "low" and first.is_current
    assert first.next_review_due == held.held_on + dt.timedelta(days=91)
    discussion_record(actor=w.chair, meeting=held, child=w.jordan, summary="Better")
    assert not RiskAssessment.objects.filter(pk=first.pk).exists()
    assert RiskAssessment.objects.get(child=w.jordan, is_current=True).level == "high"


def test_a_child_not_on_the_agenda_is_discussed_only_once_added(panel_world) -> None:
    w = panel_world
    today = meeting(w.panel, TODAY())
    with pytest.raises(ValidationError) as caught:
        discussion_record(actor=w.chair, meeting=today, child=w.jordan, summary="x")
    assert messages_of(caught) == {
        "child": ["Jordan Ashdown is not on the agenda: the chair adds them to it first"]
    }
    assert not Discussion.objects.exists()


def test_discussion_validation_names_the_fields(panel_world, held) -> None:
    w = panel_world
    with pytest.raises(ValidationError) as caught:
        discussion_record(
            actor=w.chair, meeting=held, child=w.jordan, agreed_level="severe",
            nrm_threshold_met=False, nrm_referral_agreed=True, outcome="x" * 201,
        )  # fmt: skip
    assert set(messages_of(caught)) == {"agreed_level", "nrm_referral_agreed", "outcome"}
    with pytest.raises(ValidationError) as caught:
        discussion_record(actor=w.chair, meeting=held, child=w.jordan)
    assert messages_of(caught) == {"summary": ["Enter a summary of the discussion"]}
    with pytest.raises(ValidationError) as caught:
        discussion_record(actor=w.chair, meeting=w.meeting, child=w.jordan, summary="early")
    assert set(messages_of(caught)) == {"meeting", "child"}
    with pytest.raises(PermissionDenied):
        discussion_record(actor=w.manager, meeting=held, child=w.jordan, summary="x")
    assert not Discussion.objects.exists()


def test_discussion_text_gets_children_first_guidance(panel_world, held) -> None:
    w = panel_world
    _, guidance = discussion_record(
        actor=w.chair,
        meeting=held,
        child=w.jordan,
        summary="Jordan keeps putting himself at risk by going to the flat.",
    )
    assert [g["rule"] for g in guidance]


# Sign-off and amendments ---------------------------------------------------------------------


def test_only_a_chair_signs_off_a_held_meeting(panel_world, held) -> None:
    w = panel_world
    with pytest.raises(ValidationError) as caught:
        minutes_sign_off(actor=w.chair, meeting=held)
    assert messages_of(caught) == {
        "meeting": ["Record the attendance and mark the meeting as held first"]
    }
    attended(w, held)
    with pytest.raises(PermissionDenied):
        minutes_sign_off(actor=w.nurse, meeting=held)
    signed = minutes_sign_off(actor=w.chair, meeting=held)
    assert signed.signed_off_by == w.chair and signed.signed_off_at is not None
    assert signed.status == Meeting.Status.SIGNED_OFF and held.is_signed_off


def test_after_sign_off_a_change_needs_a_reason_and_is_kept(panel_world, held) -> None:
    w = panel_world
    attended(w, held)
    discussion_record(
        actor=w.chair, meeting=held, child=w.jordan, summary="Seen at the station",
        agreed_level="high", outcome="Stays high",
    )  # fmt: skip
    minutes_update(actor=w.chair, meeting=held, minutes="Quorate.", themes="Station hotspot")
    minutes_sign_off(actor=w.chair, meeting=held)

    with pytest.raises(ValidationError) as caught:
        discussion_record(
            actor=w.chair, meeting=held, child=w.jordan, summary="Seen at the bus station",
            agreed_level="high", outcome="Stays high",
        )  # fmt: skip
    assert messages_of(caught) == {"amendment_reason": [AMENDMENT_NEEDED]}
    assert AMENDMENT_NEEDED.startswith("The minutes are signed off: give a reason for the change")
    assert Discussion.objects.get(child=w.jordan).summary == "Seen at the station"
    with pytest.raises(ValidationError):
        minutes_update(actor=w.chair, meeting=held, minutes="Not quorate.", themes="")
    held.refresh_from_db()
    assert held.minutes == "Quorate." and not MinutesAmendment.objects.exists()

    discussion_record(
        actor=w.nurse, meeting=held, child=w.jordan, summary="Seen at the bus station",
        agreed_level="medium", outcome="Stays high",
        amendment_reason="Police corrected the location and the level agreed",
    )  # fmt: skip
    minutes_update(
        actor=w.chair, meeting=held, minutes="Quorate.", themes="Bus station hotspot",
        amendment_reason="Theme wording",
    )  # fmt: skip
    amendments = [
        (a.field, a.before, a.after, a.reason, a.amended_by)
        for a in MinutesAmendment.objects.order_by("id")
    ]
    assert amendments == [
        ("summary", "Seen at the station", "Seen at the bus station",
         "Police corrected the location and the level agreed", w.nurse),
        ("agreed_level", "high", "medium",
         "Police corrected the location and the level agreed", w.nurse),
        ("themes", "Station hotspot", "Bus station hotspot", "Theme wording", w.chair),
    ]  # fmt: skip
    assert RiskAssessment.objects.get(child=w.jordan, is_current=True).level == "medium"
    # Attendance is part of the minutes too.
    with pytest.raises(ValidationError) as caught:
        attendance_record(
            actor=w.chair, meeting=held,
            entries=[AttendanceEntry(status="attended", user=w.chair, agency=w.police)],
        )  # fmt: skip
    assert "amendment_reason" in messages_of(caught)
    attendance_record(
        actor=w.chair, meeting=held,
        entries=[AttendanceEntry(status="attended", user=w.chair, agency=w.police)],
        amendment_reason="Nia Hale's apologies were recorded in error",
    )  # fmt: skip
    change = MinutesAmendment.objects.get(field="attendance")
    assert "Nia Hale" in change.before and "Nia Hale" not in change.after


# Circulation ---------------------------------------------------------------------------------


def test_circulation_emails_attendees_and_leads_a_link(panel_world, held) -> None:
    w = panel_world
    for user, address in ((w.chair, "chair@example.org"), (w.nurse, "nurse@example.org"),
                          (w.social_worker, "sw@example.org")):  # fmt: skip
        user.email = address
        user.save()
    attended(w, held)
    discussion_record(actor=w.chair, meeting=held, child=w.jordan, summary="Secret detail")
    with pytest.raises(ValidationError):
        minutes_circulate(actor=w.chair, meeting=held, base_url="https://cairn.example")
    minutes_sign_off(actor=w.chair, meeting=held)
    with pytest.raises(PermissionDenied):
        minutes_circulate(actor=w.nurse, meeting=held, base_url="https://cairn.example")
    sent = minutes_circulate(actor=w.chair, meeting=held, base_url="https://cairn.example/")
    assert {c.recipient for c in sent} == {w.chair, w.nurse, w.social_worker}  # the lead
    assert MinutesCirculation.objects.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "chair@example.org", "nurse@example.org", "sw@example.org",
    ]  # fmt: skip
    body = mail.outbox[0].body
    assert f"https://cairn.example/panels/meetings/{held.pk}/minutes/" in body
    assert "Secret detail" not in body and "Jordan" not in body
    event = AccessEvent.objects.get(object_type="panels.minutescirculation")
    assert sorted(event.detail["recipients"]) == ["chair", "nurse", "sw"]
    assert "Synthetshire MACE" in event.reason and held.meeting_ref in event.reason


@override_settings(CAIRN_RISK_REVIEW_DAYS={"high": 14, "medium": 42, "low": 91})
def test_the_review_clock_follows_the_settings(panel_world, held) -> None:
    w = panel_world
    assessment(w.jordan, "medium", TODAY() - dt.timedelta(days=1))
    discussion, _ = discussion_record(
        actor=w.chair, meeting=held, child=w.jordan, decisions="Back to high", agreed_level="high"
    )
    assert discussion.risk_assessment.next_review_due == held.held_on + dt.timedelta(days=14)
    assert discussion.risk_assessment.suggested_level == "medium"
