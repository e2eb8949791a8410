"""Plans: a child's safety plan and disruption plan. One active plan of each kind per child, with
a clear error first; the child's editors and the chair of a panel that had the child on its
agenda may start and close them; panel members only read; every change is audited.

The helpers `plan` and `action` store rows directly, for the other plans and actions tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cairn.accounts.models import User
from cairn.audit.models import AccessEvent
from cairn.audit.models import Action as AuditAction
from cairn.children.models import Child
from cairn.panels.models import Action, Discussion, Plan
from cairn.panels.plans_selectors import plan_access
from cairn.panels.plans_services import plan_close, plan_create
from tests.panels.conftest import meeting, on_agenda


def plan(child: Child, kind: str = "safety", **fields: Any) -> Plan:
    return Plan.objects.create(child=child, kind=kind, **fields)


def action(
    plan: Plan, owner: User, due_in_days: int = 7, *, text: str = "Visit at home", **fields: Any
) -> Action:
    values: dict[str, Any] = {
        "plan": plan,
        "text": text,
        "owner": owner,
        "owner_agency": owner.agency,
        "due_on": timezone.localdate() + dt.timedelta(days=due_in_days),
        "category": "protect",
    } | fields
    return Action.objects.create(**values)


def errors(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


def test_the_lead_professional_starts_a_safety_plan(panel_world) -> None:
    w = panel_world
    saved, guidance = plan_create(
        actor=w.social_worker, child=w.jordan, kind="safety", summary="Keep Jordan safe at home"
    )
    assert saved.status == Plan.Status.ACTIVE and saved.created_by == w.social_worker
    assert guidance == []
    event = AccessEvent.objects.get(action=AuditAction.CREATE, object_id=str(saved.pk))
    assert event.child == w.jordan and event.object_type == "panels.plan"


def test_a_second_active_plan_of_the_same_kind_is_a_clear_error(panel_world) -> None:
    w = panel_world
    plan_create(actor=w.social_worker, child=w.jordan, kind="safety")
    with pytest.raises(ValidationError) as caught:
        plan_create(actor=w.social_worker, child=w.jordan, kind="safety")
    assert "Jordan Ashdown already has an active safety plan" in errors(caught)["kind"][0]
    assert Plan.objects.count() == 1
    # A disruption plan alongside it is fine.
    plan_create(
        actor=w.social_worker, child=w.jordan, kind="disruption", subjects="'Dee', 4 Mill Lane"
    )
    assert Plan.objects.count() == 2


def test_a_closed_plan_makes_room_for_a_new_one(panel_world) -> None:
    w = panel_world
    first, _ = plan_create(actor=w.social_worker, child=w.jordan, kind="safety")
    plan_close(actor=w.social_worker, plan=first)
    second, _ = plan_create(actor=w.social_worker, child=w.jordan, kind="safety")
    first.refresh_from_db()
    assert first.status == Plan.Status.CLOSED and first.closed_on == timezone.localdate()
    assert second.status == Plan.Status.ACTIVE


def test_a_disruption_plan_names_the_people_and_places_of_concern(panel_world) -> None:
    w = panel_world
    with pytest.raises(ValidationError) as caught:
        plan_create(actor=w.social_worker, child=w.jordan, kind="disruption", subjects="  ")
    assert errors(caught) == {
        "subjects": ["Enter the people and places of concern the plan is about"]
    }
    assert not Plan.objects.exists()


def test_an_unknown_kind_names_the_field(panel_world) -> None:
    w = panel_world
    with pytest.raises(ValidationError) as caught:
        plan_create(actor=w.social_worker, child=w.jordan, kind="support")
    assert "kind" in errors(caught)


def test_the_meeting_must_have_had_the_child_on_its_agenda(panel_world) -> None:
    w = panel_world
    with pytest.raises(ValidationError) as caught:
        plan_create(actor=w.social_worker, child=w.jordan, kind="safety", meeting=w.meeting)
    assert "was not on that meeting's agenda" in errors(caught)["meeting"][0]
    on_agenda(w.meeting, w.jordan)
    saved, _ = plan_create(actor=w.social_worker, child=w.jordan, kind="safety", meeting=w.meeting)
    assert saved.meeting == w.meeting


def test_language_guidance_on_the_summary(panel_world) -> None:
    w = panel_world
    _, guidance = plan_create(
        actor=w.social_worker,
        child=w.jordan,
        kind="safety",
        summary="Jordan keeps putting himself at risk by going out at night",
    )
    assert guidance and guidance[0]["text"].startswith("putting himself at risk")


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("social_worker", True),  # lead professional
        ("manager", True),  # manager of Jordan's agency
        ("chair", True),  # chairs the panel with Jordan on the agenda
        ("nurse", False),  # panel member: reads, does not change
        ("outsider", False),
    ],
)
def test_who_may_start_a_plan(panel_world, who: str, may: bool) -> None:
    w = panel_world
    on_agenda(w.meeting, w.jordan)
    user = getattr(w, who)
    if may:
        plan_create(actor=user, child=w.jordan, kind="safety")
        assert Plan.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            plan_create(actor=user, child=w.jordan, kind="safety")
        assert not Plan.objects.exists()


def test_a_chair_holds_plans_only_for_children_their_panel_had_on_the_agenda(panel_world) -> None:
    w = panel_world
    assert not plan_access(w.chair, w.casey).view
    on_agenda(w.meeting, w.casey, published=False)  # the chair builds the agenda
    decision = plan_access(w.chair, w.casey)
    assert decision.edit and decision.reason == "panel chair: Synthetshire MACE"
    assert not decision.record  # the record itself is not opened by chairing


def test_a_chair_keeps_the_plans_of_a_child_the_panel_discussed(panel_world) -> None:
    w = panel_world
    old = meeting(w.panel, timezone.localdate() - dt.timedelta(days=120), status="held")
    imported = Discussion.objects.create(meeting=old, child=w.casey, summary="Discussed")
    assert not plan_access(w.chair, w.casey).view  # from meetings.csv: nobody recorded it
    imported.recorded_by = w.chair
    imported.save()
    assert plan_access(w.chair, w.casey).edit
    assert not plan_access(w.nurse, w.casey).view  # panel access long over


def test_a_removed_agenda_item_or_a_cancelled_meeting_gives_a_chair_nothing(panel_world) -> None:
    w = panel_world
    item = on_agenda(w.meeting, w.casey)
    item.removed_at = timezone.now()
    item.save()
    assert not plan_access(w.chair, w.casey).view
    cancelled = meeting(w.panel, timezone.localdate(), status="cancelled")
    on_agenda(cancelled, w.casey, published=False)
    assert not plan_access(w.chair, w.casey).view


def test_closing_a_plan_needs_its_actions_done_or_cancelled(panel_world) -> None:
    w = panel_world
    saved, _ = plan_create(actor=w.social_worker, child=w.jordan, kind="safety")
    action(saved, w.nurse)
    with pytest.raises(ValidationError) as caught:
        plan_close(actor=w.social_worker, plan=saved)
    assert "1 open action" in errors(caught)["plan"][0]
    saved.refresh_from_db()
    assert saved.status == Plan.Status.ACTIVE
    Action.objects.update(status="cancelled", evidence="Not needed")
    closed = plan_close(actor=w.social_worker, plan=saved)
    assert closed.status == Plan.Status.CLOSED
    assert AccessEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(saved.pk), child=w.jordan
    ).exists()
    with pytest.raises(ValidationError):
        plan_close(actor=w.social_worker, plan=closed)


def test_a_panel_member_cannot_close_a_plan(panel_world) -> None:
    w = panel_world
    on_agenda(w.meeting, w.jordan)
    saved = plan(w.jordan)
    with pytest.raises(PermissionDenied):
        plan_close(actor=w.nurse, plan=saved)
