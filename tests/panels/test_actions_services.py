"""Actions on plans: a named owner, the owner's agency, a due date not in the past and a 4P
category; done needs evidence and a completion date not in the future. Bad input names the field
and saves nothing; only the owner, their manager, the child's editors and the panel chair update;
every write is audited on the child."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent
from cairn.audit.models import Action as AuditAction
from cairn.panels.models import Action, Plan
from cairn.panels.plans_services import action_create, action_update_status
from tests.factories import UserFactory
from tests.panels.conftest import on_agenda
from tests.panels.test_plans_services import action, errors, plan

TODAY = timezone.localdate


def create(w, **fields: Any):  # type: ignore[no-untyped-def]
    values: dict[str, Any] = {
        "actor": w.social_worker,
        "plan": fields.pop("plan", None)
        or Plan.objects.filter(child=w.jordan, kind="safety", status="active").first()
        or plan(w.jordan),
        "text": "Visit Jordan at home with a youth worker",
        "owner": w.nurse,
        "due_on": TODAY() + dt.timedelta(days=14),
        "category": "protect",
    } | fields
    return action_create(**values)


def test_an_action_is_owned_by_a_person_and_their_agency(panel_world) -> None:
    w = panel_world
    on_agenda(w.meeting, w.jordan)
    saved, guidance = create(w, meeting=w.meeting)
    assert saved.owner == w.nurse and saved.owner_agency == w.health
    assert saved.status == Action.Status.OPEN and saved.meeting == w.meeting
    assert saved.created_by == w.social_worker and guidance == []
    event = AccessEvent.objects.get(action=AuditAction.CREATE, object_type="panels.action")
    assert event.child == w.jordan and event.user == w.social_worker


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"owner": None}, "owner", "Select who owns the action"),
        ({"due_on": None}, "due_on", "Enter the due date"),
        ({"due_on": "yesterday"}, "due_on", "The due date cannot be in the past"),
        ({"text": "  "}, "text", "Enter the action"),
        ({"category": "punish"}, "category", "Select the 4P category"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(panel_world, fields, field, message) -> None:
    w = panel_world
    if fields.get("due_on") == "yesterday":
        fields["due_on"] = TODAY() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        create(w, **fields)
    assert errors(caught) == {field: [message]}
    assert not Action.objects.exists()
    assert not AccessEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_an_action_due_today_is_allowed(panel_world) -> None:
    saved, _ = create(panel_world, due_on=TODAY())
    assert saved.due_on == TODAY()


def test_the_owner_agency_must_be_the_owners_own(panel_world) -> None:
    w = panel_world
    with pytest.raises(ValidationError) as caught:
        create(w, owner=w.nurse, owner_agency=w.police)
    assert errors(caught) == {
        "owner_agency": ["The owner agency must be the owner's own agency (Synthetshire Health)"]
    }
    saved, _ = create(w, owner=w.nurse, owner_agency=w.health)
    assert saved.owner_agency == w.health


def test_an_owner_without_an_agency_or_who_left_cannot_own(panel_world) -> None:
    w = panel_world
    gone = UserFactory(agency=w.scc, is_active=False)
    with pytest.raises(ValidationError) as caught:
        create(w, owner=gone)
    assert "can no longer sign in" in errors(caught)["owner"][0]
    nowhere = UserFactory(agency=None)
    with pytest.raises(ValidationError) as caught:
        create(w, owner=nowhere)
    assert "does not belong to an agency" in errors(caught)["owner"][0]


def test_no_actions_on_a_closed_plan(panel_world) -> None:
    w = panel_world
    closed = plan(w.jordan, status="closed", closed_on=TODAY())
    with pytest.raises(ValidationError) as caught:
        create(w, plan=closed)
    assert "plan" in errors(caught)


def test_a_panel_member_cannot_add_actions_and_the_chair_can(panel_world) -> None:
    w = panel_world
    on_agenda(w.meeting, w.jordan)
    with pytest.raises(PermissionDenied):
        create(w, actor=w.nurse)
    saved, _ = create(w, actor=w.chair, owner=w.outsider)
    assert saved.owner_agency == w.police


def test_language_guidance_on_the_action_text(panel_world) -> None:
    _, guidance = create(panel_world, text="Stop Jordan associating with gang members")
    assert guidance and guidance[0]["rule"]


# Updating --------------------------------------------------------------------------------------


def test_the_owner_marks_an_action_done_with_evidence(panel_world) -> None:
    w = panel_world
    todo = action(plan(w.jordan), w.nurse)
    done, guidance = action_update_status(
        actor=w.nurse,
        action=todo,
        status="done",
        evidence="Health review held; notes on the GP record",
        completed_on=TODAY(),
    )
    assert done.status == Action.Status.DONE and done.completed_on == TODAY()
    assert done.evidence.startswith("Health review held") and guidance == []
    event = AccessEvent.objects.get(action=AuditAction.UPDATE, object_type="panels.action")
    assert event.child == w.jordan and event.detail == {"status": ["open", "done"]}


@pytest.mark.parametrize(
    ("status", "evidence", "completed_on", "expected"),
    [
        ("done", "", 0, {"evidence": ["Enter the evidence that the action is done"]}),
        ("done", "Seen", None, {"completed_on": ["Enter the date the action was completed"]}),
        ("done", "Seen", 1, {"completed_on": ["The date completed cannot be in the future"]}),
        ("cancelled", " ", None, {"evidence": ["Enter why the action is cancelled"]}),
        ("finished", "", None, {"status": ["Select the status"]}),
    ],
)
def test_bad_updates_name_the_field_and_change_nothing(
    panel_world, status, evidence, completed_on, expected
) -> None:
    w = panel_world
    todo = action(plan(w.jordan), w.nurse)
    day = None if completed_on is None else TODAY() + dt.timedelta(days=completed_on)
    with pytest.raises(ValidationError) as caught:
        action_update_status(
            actor=w.nurse, action=todo, status=status, evidence=evidence, completed_on=day
        )
    assert errors(caught) == expected
    todo.refresh_from_db()
    assert todo.status == Action.Status.OPEN and todo.evidence == ""
    assert not AccessEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_in_progress_and_cancelled(panel_world) -> None:
    w = panel_world
    todo = action(plan(w.jordan), w.nurse)
    started, _ = action_update_status(actor=w.nurse, action=todo, status="in_progress")
    assert started.status == "in_progress" and started.completed_on is None
    cancelled, _ = action_update_status(
        actor=w.nurse, action=todo, status="cancelled", evidence="Jordan moved out of area"
    )
    assert cancelled.status == "cancelled" and cancelled.completed_on == TODAY()


def test_a_done_action_is_final(panel_world) -> None:
    w = panel_world
    todo = action(plan(w.jordan), w.nurse)
    action_update_status(
        actor=w.nurse, action=todo, status="done", evidence="Done", completed_on=TODAY()
    )
    with pytest.raises(ValidationError) as caught:
        action_update_status(actor=w.nurse, action=todo, status="open")
    assert "already done" in errors(caught)["status"][0]


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("owner", True),
        ("owners_manager", True),  # a manager of the owner's agency
        ("other_manager", False),  # a manager of another agency, not involved with the child
        ("social_worker", True),  # the child's lead professional
        ("chair", True),  # chairs the panel that had the child on its agenda
        ("nurse", False),  # panel member: reads the child through the panel, is not the owner
        ("outsider", False),
    ],
)
def test_who_may_update_an_action(panel_world, who: str, may: bool) -> None:
    w = panel_world
    on_agenda(w.meeting, w.jordan)
    owner = UserFactory(agency=w.police, username="pc.owner")
    users = {
        "owner": owner,
        "owners_manager": UserFactory(agency=w.police, role=Role.MANAGER),
        "other_manager": UserFactory(agency=w.health, role=Role.MANAGER),
    }
    user = users.get(who) or getattr(w, who)
    todo = action(plan(w.jordan), owner)
    if may:
        action_update_status(actor=user, action=todo, status="in_progress")
        todo.refresh_from_db()
        assert todo.status == "in_progress"
    else:
        with pytest.raises(PermissionDenied):
            action_update_status(actor=user, action=todo, status="in_progress")
