"""Writes for safety and disruption plans, their actions, action reminders and the disruption
log (DOMAIN.md "Multi-agency panels and plans").

Each write checks the plan rule (plans_selectors.plan_access: the child's editors and the chair
of a panel that had the child on its agenda), validates with errors naming the field and saving
nothing, writes in a transaction and records an access event on the child. Free text returns
children-first language guidance (never blocking), as the other apps' services do."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cairn.accounts import access
from cairn.audit.models import Action as AuditAction
from cairn.audit.services import access_event_record
from cairn.language.services import language_guidance
from cairn.panels import plans_selectors as selectors
from cairn.panels.models import (
    Action,
    DisruptionActivity,
    DisruptionTool,
    FourP,
    Meeting,
    Plan,
    PlanKind,
)

if TYPE_CHECKING:
    from cairn.accounts.models import Agency, User
    from cairn.children.models import Child

Errors = dict[str, list[str]]
Guidance = list[dict[str, Any]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _require_plan_edit(actor: User, child: Child, what: str) -> None:
    if not selectors.plan_access(actor, child).edit:
        raise PermissionDenied(f"You cannot {what} for this child")


def _meeting_problem(meeting: Meeting | None, child: Child) -> str:
    if meeting is None:
        return ""
    if meeting.status == Meeting.Status.CANCELLED:
        return "That meeting was cancelled: choose the meeting that agreed this"
    if not selectors.meetings_for_child(child).filter(pk=meeting.pk).exists():
        return f"{child.full_name} was not on that meeting's agenda: choose one that discussed them"
    return ""


# Plans -----------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor: User,
    child: Child,
    kind: str,
    summary: str = "",
    subjects: str = "",
    meeting: Meeting | None = None,
) -> tuple[Plan, Guidance]:
    """Start a child's safety plan, or a disruption plan against the people and places of
    concern around them (`subjects`, required). One active plan of each kind per child."""
    _require_plan_edit(actor, child, "start a plan")
    errors: Errors = {}
    if kind not in PlanKind.values:
        _add(errors, "kind", "Select the kind of plan")
    else:
        current = Plan.objects.filter(child=child, kind=kind, status=Plan.Status.ACTIVE).first()
        if current is not None:
            _add(
                errors,
                "kind",
                f"{child.full_name} already has an active {PlanKind(kind).label.lower()} "
                f"(started {_day(timezone.localtime(current.created_at).date())}): add actions "
                "to it, or close it first",
            )
    if kind == PlanKind.DISRUPTION and not subjects.strip():
        _add(errors, "subjects", "Enter the people and places of concern the plan is about")
    problem = _meeting_problem(meeting, child)
    if problem:
        _add(errors, "meeting", problem)
    if errors:
        raise ValidationError(errors)
    plan = Plan(
        child=child,
        kind=kind,
        summary=summary.strip(),
        subjects=subjects.strip(),
        meeting=meeting,
        created_by=actor,
    )
    plan.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as error:  # another request started one in the meantime
        raise ValidationError(
            {"kind": f"{child.full_name} already has an active {plan.get_kind_display().lower()}"}
        ) from error
    access_event_record(
        actor=actor, action=AuditAction.CREATE, obj=plan, child=child, detail={"kind": kind}
    )
    return plan, language_guidance(plan.summary)


@transaction.atomic
def plan_close(*, actor: User, plan: Plan) -> Plan:
    """Close an active plan. Its actions must be done or cancelled first: an action is closed
    with its evidence or its reason, never silently."""
    _require_plan_edit(actor, plan.child, "close a plan")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.ACTIVE:
        raise ValidationError({"plan": "This plan is already closed"})
    still_open = plan.actions.filter(status__in=selectors.OPEN_STATUSES).count()
    if still_open:
        raise ValidationError(
            {
                "plan": f"The plan has {still_open} open action{'s' if still_open != 1 else ''}: "
                "mark each done, with its evidence, or cancelled, with the reason, first"
            }
        )
    plan.status = Plan.Status.CLOSED
    plan.closed_on = timezone.localdate()
    plan.save(update_fields=["status", "closed_on"])
    access_event_record(
        actor=actor, action=AuditAction.UPDATE, obj=plan, child=plan.child, detail={"closed": 1}
    )
    return plan


# Actions ---------------------------------------------------------------------------------------


@transaction.atomic
def action_create(
    *,
    actor: User,
    plan: Plan,
    text: str,
    owner: User | None,
    due_on: date | None,
    category: str,
    owner_agency: Agency | None = None,
    meeting: Meeting | None = None,
) -> tuple[Action, Guidance]:
    """Add an action to an active plan: a named owner, their agency (the owner agency is the
    owner's own, so that their manager oversees it), a due date not in the past and a 4P
    category; optionally the meeting that agreed it."""
    _require_plan_edit(actor, plan.child, "add an action")
    errors: Errors = {}
    if plan.status != Plan.Status.ACTIVE:
        _add(errors, "plan", "This plan is closed: start a new plan to add actions")
    if not text.strip():
        _add(errors, "text", "Enter the action")
    if owner is None:
        _add(errors, "owner", "Select who owns the action")
    elif not owner.is_active:
        _add(errors, "owner", f"{owner} can no longer sign in: choose someone else")
    elif owner.agency_id is None:
        _add(errors, "owner", f"{owner} does not belong to an agency: choose someone who does")
    elif owner_agency is not None and owner_agency.pk != owner.agency_id:
        _add(
            errors,
            "owner_agency",
            f"The owner agency must be the owner's own agency ({owner.agency})",
        )
    if due_on is None:
        _add(errors, "due_on", "Enter the due date")
    elif due_on < timezone.localdate():
        _add(errors, "due_on", "The due date cannot be in the past")
    if category not in FourP.values:
        _add(errors, "category", "Select the 4P category")
    problem = _meeting_problem(meeting, plan.child)
    if problem:
        _add(errors, "meeting", problem)
    if errors:
        raise ValidationError(errors)
    assert owner is not None and owner.agency_id is not None and due_on is not None  # noqa: S101
    action = Action(
        plan=plan,
        text=text.strip(),
        owner=owner,
        owner_agency_id=owner.agency_id,
        due_on=due_on,
        category=category,
        meeting=meeting,
        created_by=actor,
    )
    action.full_clean()
    action.save()
    access_event_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=action,
        child=plan.child,
        detail={"plan": plan.pk, "owner": owner.pk, "due_on": due_on.isoformat()},
    )
    return action, language_guidance(action.text)


@transaction.atomic
def action_update_status(
    *,
    actor: User,
    action: Action,
    status: str,
    evidence: str = "",
    completed_on: date | None = None,
) -> tuple[Action, Guidance]:
    """Record progress on an action. Done needs the evidence of completion and the date it was
    completed (not in the future); cancelled needs the reason (kept as the evidence). A done or
    cancelled action is final. The owner, a manager of the owner's agency, the child's editors
    and the chair of a panel that discussed the child may update."""
    if not selectors.can_update_action(actor, action):
        raise PermissionDenied("Only the owner, their manager, or the child's professionals can")
    locked = Action.objects.select_for_update().select_related("plan__child").get(pk=action.pk)
    errors: Errors = {}
    evidence = evidence.strip()
    today = timezone.localdate()
    if locked.is_closed:
        _add(
            errors,
            "status",
            f"This action is already {locked.get_status_display().lower()}: add a new action "
            "if more is needed",
        )
    elif status not in Action.Status.values:
        _add(errors, "status", "Select the status")
    elif status == Action.Status.DONE:
        if not evidence:
            _add(errors, "evidence", "Enter the evidence that the action is done")
        if completed_on is None:
            _add(errors, "completed_on", "Enter the date the action was completed")
        elif completed_on > today:
            _add(errors, "completed_on", "The date completed cannot be in the future")
    elif status == Action.Status.CANCELLED and not evidence:
        _add(errors, "evidence", "Enter why the action is cancelled")
    if errors:
        raise ValidationError(errors)
    before = locked.status
    locked.status = status
    locked.evidence = evidence
    if status == Action.Status.DONE:
        locked.completed_on = completed_on
    elif status == Action.Status.CANCELLED:
        locked.completed_on = today
    else:
        locked.completed_on = None
    locked.full_clean()
    locked.save(update_fields=["status", "evidence", "completed_on"])
    access_event_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        child=locked.plan.child,
        detail={"status": [before, status]},
    )
    return locked, language_guidance(evidence)


# Reminders -------------------------------------------------------------------------------------


def _reminder_body(actions: list[Action], today: date, base_url: str) -> str:
    lines = ["Hello,", "", "These Cairn actions you own need attention:", ""]
    for action in actions:
        when = (
            f"Overdue (was due {_day(action.due_on)})"
            if action.due_on < today
            else f"Due {_day(action.due_on)}"
        )
        text = action.text if len(action.text) <= 200 else action.text[:199] + "…"
        lines += [
            f"- {when}: {text}",
            f"  {action.get_category_display()}, {selectors.plan_ref(action.plan)}",
            f"  Update it: {base_url}{reverse('actions:update', args=[action.pk])}",
            "",
        ]
    lines += [
        f"All your actions: {base_url}{reverse('actions:mine')}",
        "",
        "You get this email at most once a day while you have actions due within "
        f"{settings.CAIRN_ACTION_REMINDER_DAYS} days or overdue. Children are not named in "
        "email: open Cairn to see who the action is for.",
    ]
    return "\n".join(lines)


def action_reminders_send(*, base_url: str, now: datetime | None = None) -> int:
    """Email each owner of open actions due within CAIRN_ACTION_REMINDER_DAYS days, or
    overdue, one list with links, at most once a day (Action.reminded_at, London days).
    Returns the number of emails sent. The child is not named in the email."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    base_url = base_url.rstrip("/")
    sent = 0
    for actions in selectors.actions_for_reminder(now=now).values():
        owner = actions[0].owner
        overdue = sum(1 for action in actions if action.due_on < today)
        soon = len(actions) - overdue
        parts = []
        if overdue:
            parts.append(f"{overdue} overdue")
        if soon:
            parts.append(f"{soon} due soon")
        send_mail(
            subject=f"Cairn: your actions ({', '.join(parts)})",
            message=_reminder_body(actions, today, base_url),
            from_email=None,
            recipient_list=[owner.email],
        )
        with transaction.atomic():
            # Bookkeeping only (not a change to the action): no change-history row.
            Action.objects.filter(pk__in=[action.pk for action in actions]).update(reminded_at=now)
        sent += 1
    return sent


# The disruption log ----------------------------------------------------------------------------


@transaction.atomic
def disruption_record(
    *,
    actor: User,
    tool: str,
    occurred_on: date | None,
    agency: Agency | None = None,
    child_refs: Iterable[str] = (),
    person: str = "",
    place: str = "",
    offence: str = "",
    detail: str = "",
    plan: Plan | None = None,
) -> tuple[DisruptionActivity, Guidance]:
    """Record a disruption activity against the people and places around children. An arrest
    for another offence (drugs, weapons) used to disrupt counts as exploitation disruption and
    needs the offence. Children are linked by reference, only those the recorder may see; a
    plan's child is linked with the plan."""
    if not selectors.can_record_disruption(actor):
        raise PermissionDenied("Police and children's services staff record disruption")
    errors: Errors = {}
    if tool not in DisruptionTool.values:
        _add(errors, "tool", "Select the disruption tool")
    if occurred_on is None:
        _add(errors, "occurred_on", "Enter the date of the disruption")
    elif occurred_on > timezone.localdate():
        _add(errors, "occurred_on", "The date of the disruption cannot be in the future")
    if tool == DisruptionTool.ARREST and not offence.strip():
        _add(errors, "offence", "Enter the offence the person was arrested for")
    if not person.strip() and not place.strip():
        _add(errors, "person", "Enter the person of concern, the place of concern, or both")
    refs = list(dict.fromkeys(ref.strip() for ref in child_refs if ref.strip()))
    visible = access.visible_children(actor, include_break_glass=False)
    children = list(visible.filter(child_ref__in=refs)) if refs else []
    found = {child.child_ref for child in children}
    for ref in refs:
        if ref not in found:
            _add(errors, "children", f"No child you can see has the reference {ref}")
    if plan is not None:
        if not selectors.plan_access(actor, plan.child).view:
            _add(errors, "plan", "Choose a plan of a child you can see")
        elif plan.child_id not in {child.pk for child in children}:
            children.append(plan.child)
    if errors:
        raise ValidationError(errors)
    assert occurred_on is not None  # noqa: S101 - checked above
    activity = DisruptionActivity(
        tool=tool,
        occurred_on=occurred_on,
        agency=agency or actor.agency,
        person=person.strip(),
        place=place.strip(),
        offence=offence.strip(),
        detail=detail.strip(),
        plan=plan,
        recorded_by=actor,
    )
    activity.full_clean()
    activity.save()
    activity.children.set(children)
    # One event on each linked child's record (one without a child when none is linked).
    targets: list[Child | None] = [*children] if children else [None]
    for child in targets:
        access_event_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=activity,
            child=child,
            detail={"tool": tool, "children": len(children)},
        )
    return activity, language_guidance(activity.detail)
