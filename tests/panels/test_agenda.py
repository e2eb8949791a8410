"""The agenda builder: proposals with their reasons (new at medium or high, due for review,
escalated, repeat missing), scoped by the panel's member agencies; adding, removing with a
reason (kept), publishing (which opens the records to the members); set-based queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cairn.accounts import access
from cairn.audit.models import AccessEvent, Action
from cairn.missing.models import RepeatMissingAlert
from cairn.panels.models import AgendaItem, AgendaReason, Discussion, Escalation, Meeting
from cairn.panels.selectors import agenda_proposals
from cairn.panels.services import (
    agenda_child_add,
    agenda_item_add,
    agenda_item_remove,
    agenda_proposals_add,
    agenda_publish,
    escalation_raise,
)
from tests.factories import AgencyFactory, ChildFactory, InvolvementFactory, UserFactory
from tests.missing.conftest import episode
from tests.panels.conftest import assessment, meeting, on_agenda

TODAY = timezone.localdate


def reasons(meeting_) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {p.child.full_name: p.reasons for p in agenda_proposals(meeting=meeting_)}


def discussed(panel, child, days_ago: int) -> Discussion:  # type: ignore[no-untyped-def]
    past = meeting(panel, TODAY() - dt.timedelta(days=days_ago), status=Meeting.Status.SIGNED_OFF)
    item = on_agenda(past, child)
    return Discussion.objects.create(meeting=past, child=child, agenda_item=item, summary="Seen")


def alert(child, *, acknowledged: bool = False) -> RepeatMissingAlert:  # type: ignore[no-untyped-def]
    now = timezone.localtime()
    last = episode(child, reported=(now - dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M"))
    return RepeatMissingAlert.objects.create(
        child=child,
        episode=last,
        episodes=3,
        window_days=90,
        raised_at=now,
        acknowledged_at=now if acknowledged else None,
    )


# Reasons -------------------------------------------------------------------------------------


def test_children_new_at_medium_or_high_are_proposed(panel_world) -> None:
    w = panel_world
    low = ChildFactory(agency=w.scc, given_name="Lowen", family_name="Risk")
    assessment(low, "low", TODAY())
    ChildFactory(agency=w.scc, given_name="Never", family_name="Assessed")
    found = agenda_proposals(meeting=w.meeting)
    assert [(p.child, p.reasons) for p in found] == [
        (w.jordan, [AgendaReason.NEW_RISK]),  # high before medium
        (w.casey, [AgendaReason.NEW_RISK]),
    ]
    assert found[0].level == "high" and found[0].last_discussed is None
    child = found[0].child  # built from the proposals query: what the page shows is there
    assert (child.child_ref, child.date_of_birth, child.agency_id) == (
        w.jordan.child_ref, w.jordan.date_of_birth, w.scc.pk,
    )  # fmt: skip
    assert child.lead_professional == w.social_worker
    assert found[0].detail == "High risk, never discussed at this panel"


def test_the_current_assessment_decides_the_level(panel_world) -> None:
    w = panel_world
    assessment(w.casey, "low", TODAY() - dt.timedelta(days=1))  # casey's risk has fallen
    assert reasons(w.meeting) == {"Jordan Ashdown": [AgendaReason.NEW_RISK]}


def test_children_last_discussed_more_than_the_review_weeks_ago_are_due(panel_world) -> None:
    w = panel_world
    discussed(w.panel, w.jordan, days_ago=12 * 7 - 7 + 1)  # 12 weeks and a day before the meeting
    discussed(w.panel, w.casey, days_ago=12 * 7 - 7 - 1)  # 11 weeks and 6 days before it
    found = agenda_proposals(meeting=w.meeting)
    assert [(p.child, p.reasons) for p in found] == [(w.jordan, [AgendaReason.REVIEW_DUE])]
    assert found[0].last_discussed == TODAY() - dt.timedelta(days=12 * 7 - 6)
    assert found[0].detail.startswith("High risk, last discussed ")
    with override_settings(CAIRN_PANEL_REVIEW_WEEKS=4):
        assert set(reasons(w.meeting)) == {"Jordan Ashdown", "Casey Millbrook"}


def test_discussions_at_other_panels_do_not_count(panel_world) -> None:
    w = panel_world
    from cairn.panels.models import Panel

    other = Panel.objects.create(name="Missing panel", panel_type="missing_criminal")
    discussed(other, w.jordan, days_ago=7)
    assert reasons(w.meeting)["Jordan Ashdown"] == [AgendaReason.NEW_RISK]


def test_open_escalations_are_proposed_whatever_the_level(panel_world) -> None:
    w = panel_world
    low = ChildFactory(agency=w.scc, given_name="Riley", family_name="Low")
    assessment(low, "low", TODAY())
    escalation, _ = escalation_raise(
        actor=w.manager, panel=w.panel, child=low, reason="Seen with older males near the station"
    )
    found = {p.child.full_name: p for p in agenda_proposals(meeting=w.meeting)}
    riley = found["Riley Low"]
    assert riley.reasons == [AgendaReason.ESCALATED] and riley.level == "low"
    assert riley.escalations == [escalation]
    assert "Seen with older males near the station" in riley.detail
    assert list(found)[0] == "Riley Low"  # escalations come first


def test_open_repeat_missing_alerts_are_proposed(panel_world) -> None:
    w = panel_world
    none_risk = ChildFactory(agency=w.scc, given_name="Morgan", family_name="Gone")
    alert(none_risk)
    quiet = ChildFactory(agency=w.scc, given_name="Acked", family_name="Already")
    alert(quiet, acknowledged=True)
    alert(w.casey)
    found = reasons(w.meeting)
    assert found["Morgan Gone"] == [AgendaReason.REPEAT_MISSING]
    assert found["Casey Millbrook"] == [AgendaReason.REPEAT_MISSING, AgendaReason.NEW_RISK]
    assert "Acked Already" not in found
    proposal = next(p for p in agenda_proposals(meeting=w.meeting) if p.child == w.casey)
    assert proposal.detail == (
        "Repeat-missing alert: 3 episodes in 90 days; Medium risk, never discussed at this panel"
    )


# Scope ---------------------------------------------------------------------------------------


def test_proposals_are_scoped_to_the_member_agencies(panel_world) -> None:
    w = panel_world
    yot = AgencyFactory(code="YOT", name="Youth Offending Team")
    elsewhere = ChildFactory(agency=yot, given_name="Outside", family_name="Scope")
    assessment(elsewhere, "high", TODAY())
    alert(elsewhere)
    worked_with = ChildFactory(agency=yot, given_name="Worked", family_name="With")
    assessment(worked_with, "high", TODAY())
    InvolvementFactory(child=worked_with, user=w.nurse, agency=w.health)
    ended = ChildFactory(agency=yot, given_name="Ended", family_name="Involvement")
    assessment(ended, "high", TODAY())
    InvolvementFactory(
        child=ended, user=w.nurse, agency=w.health,
        started_on=TODAY() - dt.timedelta(days=90), ended_on=TODAY() - dt.timedelta(days=10),
    )  # fmt: skip
    found = reasons(w.meeting)
    assert "Worked With" in found
    assert "Outside Scope" not in found and "Ended Involvement" not in found
    w.panel.agencies.set([])  # a panel with no agencies covers every child
    everyone = reasons(w.meeting)
    assert {"Outside Scope", "Ended Involvement", "Worked With"} <= set(everyone)
    assert everyone["Outside Scope"] == [AgendaReason.REPEAT_MISSING, AgendaReason.NEW_RISK]


def test_children_already_on_the_agenda_are_not_proposed(panel_world) -> None:
    w = panel_world
    on_agenda(w.meeting, w.jordan, published=False)
    removed = on_agenda(w.meeting, w.casey, published=False)
    removed.removed_at = timezone.now()
    removed.save()
    assert agenda_proposals(meeting=w.meeting) == []


def test_proposals_take_a_fixed_number_of_queries(panel_world) -> None:
    w = panel_world
    alert(w.jordan)
    escalation_raise(actor=w.social_worker, panel=w.panel, child=w.jordan, reason="Worried")

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            found = agenda_proposals(meeting=Meeting.objects.get(pk=w.meeting.pk))
            assert found
            [p.child.full_name for p in found]
        return len(queries)

    few = cost()
    for n in range(15):
        child = ChildFactory(agency=w.scc)
        assessment(child, ("medium", "high", "low")[n % 3], TODAY())
        if n % 4 == 0:
            alert(child)
        if n % 5 == 0:
            escalation_raise(actor=w.manager, panel=w.panel, child=child, reason="Concern")
        if n % 2 == 0:
            discussed(w.panel, child, days_ago=200)
    # The meeting, agencies, escalations, alerts, discussions, levels; one more for the level of
    # escalated or alerted children below medium: however many children there are.
    assert few <= 8 and cost() <= 8


# Adding, removing, publishing ----------------------------------------------------------------


def test_chosen_proposals_go_on_the_agenda_with_their_reasons(panel_world) -> None:
    w = panel_world
    alert(w.casey)
    escalation, _ = escalation_raise(
        actor=w.social_worker, panel=w.panel, child=w.jordan, reason="Found in Birmingham"
    )
    items = agenda_proposals_add(
        actor=w.chair, meeting=w.meeting, child_ids=[w.jordan.pk, w.casey.pk]
    )
    assert [(i.child, i.reason, i.position) for i in items] == [
        (w.jordan, AgendaReason.ESCALATED, 1),
        (w.casey, AgendaReason.REPEAT_MISSING, 2),
    ]
    assert "Found in Birmingham" in items[0].reason_detail
    assert items[0].reason_detail.endswith("High risk, never discussed at this panel")
    escalation.refresh_from_db()
    assert escalation.agenda_item == items[0]
    assert agenda_proposals(meeting=w.meeting) == []
    events = AccessEvent.objects.filter(action=Action.CREATE, object_type="panels.agendaitem")
    assert {e.child for e in events} == {w.jordan, w.casey}
    assert {e.reason for e in events} == {"panel: Synthetshire MACE"}


def test_only_chairs_change_the_agenda(panel_world) -> None:
    w = panel_world
    for user in (w.nurse, w.social_worker, w.manager, w.outsider):
        with pytest.raises(PermissionDenied):
            agenda_proposals_add(actor=user, meeting=w.meeting, child_ids=[w.jordan.pk])
        with pytest.raises(PermissionDenied):
            agenda_publish(actor=user, meeting=w.meeting)
    assert not AgendaItem.objects.exists()


def test_the_chair_adds_any_child_by_reference_saying_why(panel_world) -> None:
    w = panel_world
    other = ChildFactory(agency=AgencyFactory(code="YOT"), child_ref="YOT-77")
    with pytest.raises(ValidationError) as caught:
        agenda_child_add(actor=w.chair, meeting=w.meeting, child_ref="yot-77", reason_detail=" ")
    assert caught.value.message_dict == {
        "reason_detail": ["Say why you are adding this child to the agenda"]
    }
    with pytest.raises(ValidationError) as caught:
        agenda_child_add(actor=w.chair, meeting=w.meeting, child_ref="NOPE-1", reason_detail="x")
    assert caught.value.message_dict == {"child_ref": ["No child has the reference NOPE-1"]}
    assert not AgendaItem.objects.exists()
    item, guidance = agenda_child_add(
        actor=w.chair,
        meeting=w.meeting,
        child_ref="yot-77",
        reason_detail="Police intelligence: keeps going missing to the same address",
    )
    assert item.child == other and item.reason == AgendaReason.ADDED_BY_CHAIR
    assert guidance and guidance[0]["text"].lower().startswith("keeps going missing")
    with pytest.raises(ValidationError) as caught:
        agenda_item_add(
            actor=w.chair, meeting=w.meeting, child=other, reason="added_by_chair",
            reason_detail="again",
        )  # fmt: skip
    assert caught.value.message_dict == {"child": [f"{other.full_name} is already on the agenda"]}


def test_removing_needs_a_reason_and_keeps_the_item(panel_world) -> None:
    w = panel_world
    item = on_agenda(w.meeting, w.casey)
    assert access.child_access(w.nurse, w.casey).view
    with pytest.raises(ValidationError) as caught:
        agenda_item_remove(actor=w.chair, item=item, reason="  ")
    assert caught.value.message_dict == {
        "reason": ["Say why the child is being taken off the agenda"]
    }
    item.refresh_from_db()
    assert item.removed_at is None
    agenda_item_remove(actor=w.chair, item=item, reason="Discussed at the strategy meeting")
    item.refresh_from_db()
    assert item.removed_at is not None and item.removed_by == w.chair
    assert item.removal_reason == "Discussed at the strategy meeting"
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert not access.child_access(w.nurse, w.casey).view  # removal closes the record again
    with pytest.raises(ValidationError):
        agenda_item_remove(actor=w.chair, item=item, reason="Twice")
    # Putting the child back restores the same item.
    back = agenda_item_add(
        actor=w.chair, meeting=w.meeting, child=w.casey, reason="added_by_chair",
        reason_detail="New information",
    )  # fmt: skip
    assert back.pk == item.pk and back.removed_at is None and back.removal_reason == ""


def test_publishing_opens_the_agenda_children_to_members(panel_world) -> None:
    w = panel_world
    with pytest.raises(ValidationError) as caught:
        agenda_publish(actor=w.chair, meeting=w.meeting)
    assert caught.value.message_dict == {
        "meeting": ["Add at least one child to the agenda before publishing it"]
    }
    agenda_proposals_add(actor=w.chair, meeting=w.meeting, child_ids=[w.jordan.pk, w.casey.pk])
    assert not access.child_access(w.nurse, w.casey).view
    published = agenda_publish(actor=w.chair, meeting=w.meeting)
    assert published.status == Meeting.Status.AGENDA_PUBLISHED
    assert published.agenda_published_by == w.chair and published.agenda_published_at
    w.meeting.refresh_from_db()
    assert w.meeting.agenda_published_at == published.agenda_published_at
    decision = access.child_access(w.nurse, w.casey)
    assert decision.view and not decision.edit and decision.via == "panel"
    assert not access.child_access(w.outsider, w.casey).view
    with pytest.raises(ValidationError):
        agenda_publish(actor=w.chair, meeting=w.meeting)


# Escalation ----------------------------------------------------------------------------------


def test_escalation_by_the_childs_professionals_only(panel_world) -> None:
    w = panel_world
    on_agenda(meeting(w.panel, TODAY() + dt.timedelta(days=30)), w.jordan)
    with pytest.raises(PermissionDenied):
        escalation_raise(actor=w.nurse, panel=w.panel, child=w.jordan, reason="x")  # panel: read
    with pytest.raises(PermissionDenied):
        escalation_raise(actor=w.outsider, panel=w.panel, child=w.jordan, reason="x")
    with pytest.raises(ValidationError) as caught:
        escalation_raise(actor=w.social_worker, panel=w.panel, child=w.jordan, reason="")
    assert caught.value.message_dict == {"reason": ["Say why the child needs to go to the panel"]}
    escalation, guidance = escalation_raise(
        actor=w.social_worker,
        panel=w.panel,
        child=w.jordan,
        reason="She is putting herself at risk",
    )
    assert escalation.raised_by == w.social_worker and escalation.agenda_item is None
    assert guidance  # children-first language
    with pytest.raises(ValidationError) as caught:
        escalation_raise(actor=w.social_worker, panel=w.panel, child=w.jordan, reason="Again")
    assert "already escalated" in caught.value.message_dict["panel"][0]
    assert Escalation.objects.count() == 1
    event = AccessEvent.objects.get(action=Action.CREATE, object_type="panels.escalation")
    assert event.child == w.jordan


def test_a_panel_that_does_not_cover_the_child_cannot_be_chosen(panel_world) -> None:
    w = panel_world
    from cairn.panels.models import Panel

    yot = AgencyFactory(code="YOT")
    narrow = Panel.objects.create(name="YOT panel", panel_type="other")
    narrow.agencies.set([yot])
    with pytest.raises(ValidationError) as caught:
        escalation_raise(actor=w.social_worker, panel=narrow, child=w.jordan, reason="Worried")
    assert caught.value.message_dict == {
        "panel": ["YOT panel does not cover Jordan Ashdown's agencies"]
    }
    yot_worker = UserFactory(agency=yot)
    InvolvementFactory(child=w.jordan, user=yot_worker, agency=yot)
    escalation_raise(actor=w.social_worker, panel=narrow, child=w.jordan, reason="Worried")
