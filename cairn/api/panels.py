"""Multi-agency panels: meetings and their agendas, and the actions people own. Mounted at
/api/panels/.

The rules are the panel pages' (cairn.panels.selectors, cairn.panels.plans_selectors):
- meetings: those of the panels the caller sits on now; a manager, as on the panels pages, sees
  every panel's. Roles without a caseload (analyst, scrutiny, administrator) get 403 for the list
  and 404 for a meeting, as they do on the pages.
- a meeting's agenda: its chairs always, its other members once it is published. Of the children
  on it, only those whose record the caller may open (cairn.accounts.access, which includes the
  published agenda's own panel access while it lasts) are named; the rest are counted.
- actions: the caller's own open actions. Updating an action's status follows the plan rule:
  its owner, a manager of the owner's agency, the child's editors and the chair of a panel that
  discussed the child; 403 for people who may only read the child's plans, 404 for everyone
  else. Errors name the field (`evidence`, `completed_on`, `status`) in a 422 reply.

Every call that lists or changes anything about children writes one access event, as the pages
do: the meetings list and the agenda one list event each, the actions list one list event, a
status change one update event on the child.
"""

# No `from __future__ import annotations`: django-ninja reads these annotations at runtime.

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from cairn.accounts import access
from cairn.accounts.models import User
from cairn.api.children import GuidanceOut
from cairn.api.rules import operation_rule
from cairn.api.schemas import READ_ERRORS, WRITE_ERRORS, BodyIn, Day, ErrorOut, Id, Pagination, Text
from cairn.audit.models import Action as AuditAction
from cairn.audit.services import access_event_record
from cairn.panels import plans_selectors, plans_services, selectors
from cairn.panels.models import (
    Action,
    AgendaItem,
    AgendaReason,
    FourP,
    Meeting,
    MeetingType,
    PlanKind,
)

router = Router(tags=["panels"])
NO_CASELOAD = "Your role sees panel work as figures in reports, not as meetings about children"

# The models' status lists under names of their own (both are called Status, and the OpenAPI
# description names each schema once).
MeetingStatus = StrEnum(  # type: ignore[misc]
    "MeetingStatus", [(value.upper(), value) for value in Meeting.Status.values]
)
ActionStatus = StrEnum(  # type: ignore[misc]
    "ActionStatus", [(value.upper(), value) for value in Action.Status.values]
)


# Schemas -------------------------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    meeting_ref: str
    panel_id: int
    panel: str = Field(description="The panel's name")
    meeting_type: MeetingType
    held_on: date
    status: MeetingStatus
    location: str
    agenda_published_at: datetime | None = Field(description="null until the agenda is published")

    @staticmethod
    def resolve_panel(m: Meeting) -> str:
        return m.panel.name

    @staticmethod
    def resolve_agenda_published_at(m: Meeting) -> datetime | None:
        published = m.agenda_published_at
        return timezone.localtime(published) if published is not None else None


class AgendaChildOut(Schema):
    child_id: int
    name: str
    reason: AgendaReason
    position: int


class MeetingDetailOut(MeetingOut):
    agenda_shown: bool = Field(
        description="Whether the caller may see the agenda: its chairs always, other members "
        "once it is published"
    )
    agenda: list[AgendaChildOut] = Field(
        description="The children on the agenda whose record the caller may open, in order"
    )
    agenda_others: int = Field(
        description="How many more children are on the agenda: the caller may not open their "
        "records, so they are not named"
    )


class ActionOut(Schema):
    id: int
    text: str
    plan_id: int
    plan_kind: PlanKind
    child_id: int | None = Field(
        description="The plan's child, when the caller may see who it is; otherwise null"
    )
    child_name: str | None
    due_on: date
    status: ActionStatus
    category: FourP = Field(description="4P category: pursue, prevent, protect or prepare")
    owner_agency: str = Field(description="Code of the owner's agency")
    completed_on: date | None
    meeting_ref: str | None = Field(description="The meeting that agreed it, if recorded")

    @staticmethod
    def resolve_plan_kind(a: Action) -> str:
        return a.plan.kind

    @staticmethod
    def resolve_child_id(a: Action) -> int | None:
        return a.plan.child_id if getattr(a, "child_named", False) else None

    @staticmethod
    def resolve_child_name(a: Action) -> str | None:
        return a.plan.child.full_name if getattr(a, "child_named", False) else None

    @staticmethod
    def resolve_owner_agency(a: Action) -> str:
        return a.owner_agency.code

    @staticmethod
    def resolve_meeting_ref(a: Action) -> str | None:
        return a.meeting.meeting_ref if a.meeting is not None else None


class ActionUpdatedOut(ActionOut):
    evidence: str
    guidance: list[GuidanceOut] = Field(
        description="Children-first language findings in the evidence (never blocking)"
    )


class ActionStatusIn(BodyIn):
    status: ActionStatus = Field(
        description="open, in_progress, done or cancelled; done and cancelled are final"
    )
    evidence: Text = Field(
        "",
        max_length=10_000,
        description="Required for done (the evidence of completion) and cancelled (why)",
    )
    completed_on: Day | None = Field(
        None, description="For done: the date it was completed (default: today)"
    )


# Helpers -------------------------------------------------------------------------------------


def _caller(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined, return-value]


def _require_caseload(user: User) -> None:
    if not access.holds_caseload(user):
        raise PermissionDenied(NO_CASELOAD)


def _name_children(user: User, actions: list[Action]) -> list[Action]:
    """Mark the actions whose child the caller may see (one query for them all)."""
    named = plans_selectors.named_child_ids(user, {a.plan.child_id for a in actions})
    for action in actions:
        action.child_named = action.plan.child_id in named  # type: ignore[attr-defined]
    return actions


def _agenda(user: User, meeting: Meeting) -> tuple[list[AgendaChildOut], int]:
    """The agenda's children the caller may open, in order, and how many others there are."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True)
        .select_related("child")
        .order_by("position", "id")
    )
    visible = set(
        access.visible_children(user)
        .filter(pk__in=[item.child_id for item in items])
        .values_list("pk", flat=True)
    )
    named = [
        AgendaChildOut(
            child_id=item.child_id,
            name=item.child.full_name,
            reason=AgendaReason(item.reason),
            position=item.position,
        )
        for item in items
        if item.child_id in visible
    ]
    return named, len(items) - len(named)


# Operations ----------------------------------------------------------------------------------


@router.get(
    "/meetings",
    summary="Meetings of the panels the caller sits on, newest first",
    response={200: list[MeetingOut], **READ_ERRORS, 403: ErrorOut},
    openapi_extra=operation_rule(
        "caseload roles; meetings of the panels the caller sits on now (managers: every "
        "panel's, as on the panels pages); 403 for roles without a caseload; one list access "
        "event"
    ),
)
@paginate(Pagination)
def meeting_list(request: HttpRequest) -> Any:
    user = _caller(request)
    _require_caseload(user)
    panels = selectors.panel_list(user=user).values("pk")
    access_event_record(actor=user, action=AuditAction.LIST, object_type="panels.meetings")
    meetings: QuerySet[Meeting] = Meeting.objects.filter(panel__in=panels)
    return meetings.select_related("panel").order_by("-held_on", "-id")


@router.get(
    "/meetings/{meeting_id}",
    summary="One meeting, with the children on its agenda that the caller may see",
    response={200: MeetingDetailOut, **READ_ERRORS},
    openapi_extra=operation_rule(
        "members of the meeting's panel and managers (404 otherwise, and for roles without a "
        "caseload); the agenda: chairs always, members once published; children named only "
        "where the caller may open their record, the rest counted; one list access event when "
        "the agenda is shown"
    ),
)
def meeting_detail(request: HttpRequest, meeting_id: Id) -> Any:
    user = _caller(request)
    meeting, role = selectors.meeting_get(user=user, meeting_id=meeting_id)
    shown = selectors.agenda_visible(meeting, role)
    agenda: list[AgendaChildOut] = []
    others = 0
    if shown:
        agenda, others = _agenda(user, meeting)
        selectors.agenda_list_event(user=user, meeting=meeting, count=len(agenda))
    meeting.agenda_shown = shown  # type: ignore[attr-defined]
    meeting.agenda = agenda  # type: ignore[attr-defined]
    meeting.agenda_others = others  # type: ignore[attr-defined]
    return meeting


@router.get(
    "/actions/mine",
    summary="The caller's open actions (not started or in progress), earliest due first",
    response={200: list[ActionOut], **READ_ERRORS},
    openapi_extra=operation_rule(
        "any signed-in user: the actions they own; each action's child is named only where "
        "the caller may see the child (the record, or the plans as a panel chair); one list "
        "access event"
    ),
)
@paginate(Pagination)
def my_action_list(request: HttpRequest) -> Any:
    user = _caller(request)
    return _name_children(user, list(plans_selectors.my_actions(user=user)))


@router.post(
    "/actions/{action_id}/status",
    summary="Record progress on an action: in progress, done (with evidence) or cancelled",
    response={200: ActionUpdatedOut, **WRITE_ERRORS},
    openapi_extra=operation_rule(
        "the action's owner, a manager of the owner's agency, the child's editors or the chair "
        "of a panel that discussed the child; 403 for people who may only read the child's "
        "plans, 404 otherwise; one update access event on the child; 422 naming the field"
    ),
)
def action_status(request: HttpRequest, action_id: Id, payload: ActionStatusIn) -> Any:
    user = _caller(request)
    action = plans_selectors.action_get_for_update(user=user, action_id=action_id)
    completed_on = payload.completed_on
    if payload.status == Action.Status.DONE and completed_on is None:
        completed_on = timezone.localdate()
    updated, guidance = plans_services.action_update_status(
        actor=user,
        action=action,
        status=str(payload.status.value),
        evidence=payload.evidence,
        completed_on=completed_on,
    )
    refreshed = (
        Action.objects.select_related("plan__child", "owner_agency", "meeting")
        .filter(pk=updated.pk)
        .get()
    )
    _name_children(user, [refreshed])
    refreshed.guidance = guidance  # type: ignore[attr-defined]
    return refreshed
