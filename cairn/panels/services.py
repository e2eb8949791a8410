"""Writes for multi-agency panels and their meetings: panels and members, scheduling, the agenda
(proposals, adding, removing, publishing) and escalations. Recording a meeting (attendance,
discussions, minutes, sign-off, amendments, circulation, the PDF) is in minutes_services.

Each function checks who may act, validates everything before writing (a ValidationError names
the fields; nothing is saved when any is wrong), writes in one transaction and records an access
event. Free text gets children-first language guidance (returned, never blocking). Once minutes
are signed off, every change needs a reason and is kept as a MinutesAmendment (field, before,
after, reason).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cairn.accounts import access
from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.language.services import language_guidance
from cairn.panels import selectors
from cairn.panels.models import (
    AgendaItem,
    AgendaReason,
    Discussion,
    Escalation,
    Meeting,
    MeetingType,
    Panel,
    PanelMember,
    PanelType,
)

if TYPE_CHECKING:
    from cairn.accounts.models import Agency, User
    from cairn.children.models import Child

Errors = dict[str, list[str]]
Guidance = list[dict[str, Any]]

AMENDMENT_NEEDED = (
    "The minutes are signed off: give a reason for the change (it is kept with the minutes)"
)


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _panel_reason(panel: Panel) -> str:
    return f"panel: {panel.name}"


def _require_manage(actor: User, panel: Panel | None = None) -> None:
    if not selectors.can_manage_panel(actor, panel):
        raise PermissionDenied(
            "Only managers and the panel's chairs can change a panel and its members"
            if panel
            else "Only managers can set up a panel"
        )


def _require_chair(actor: User, panel: Panel, what: str) -> None:
    if not (access.holds_caseload(actor) and selectors.is_chair(actor, panel)):
        raise PermissionDenied(f"Only the panel's chairs can {what}")


def _require_recorder(actor: User, panel: Panel) -> None:
    if not (access.holds_caseload(actor) and selectors.membership(actor, panel)):
        raise PermissionDenied("Only the panel's chairs and members can record the meeting")


def _locked(meeting: Meeting) -> Meeting:
    """The meeting, locked for this transaction (with its panel)."""
    return Meeting.objects.select_for_update().select_related("panel").get(pk=meeting.pk)


def _refresh(target: Meeting, source: Meeting) -> None:
    """Copy the stored state onto the caller's instance."""
    for name in (
        "status",
        "agenda_published_at",
        "agenda_published_by_id",
        "signed_off_at",
        "signed_off_by_id",
        "minutes",
        "themes",
    ):
        setattr(target, name, getattr(source, name))


def _not_cancelled(errors: Errors, meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        _add(errors, "meeting", "The meeting was cancelled")


# Panels and members --------------------------------------------------------------------------


def _panel_errors(
    errors: Errors, *, name: str, panel_type: str, cadence_days: int | None, exclude: int | None
) -> None:
    if not name:
        _add(errors, "name", "Enter the panel's name")
    elif Panel.objects.filter(name__iexact=name).exclude(pk=exclude or 0).exists():
        _add(errors, "name", f"There is already a panel called {name}")
    if panel_type not in PanelType.values:
        _add(errors, "panel_type", "Select the type of panel")
    if cadence_days is None or not 1 <= cadence_days <= 366:
        _add(errors, "cadence_days", "Enter how often it meets, in days, from 1 to 366")


@transaction.atomic
def panel_create(
    *,
    actor: User,
    name: str,
    panel_type: str,
    cadence_days: int | None = 28,
    agencies: Iterable[Agency] = (),
    terms_of_reference: str = "",
) -> Panel:
    """Set up a panel (managers). Its chairs and members are added next."""
    _require_manage(actor)
    name = (name or "").strip()
    errors: Errors = {}
    _panel_errors(errors, name=name, panel_type=panel_type, cadence_days=cadence_days, exclude=None)
    if errors:
        raise ValidationError(errors)
    assert cadence_days is not None  # noqa: S101 - checked above
    panel = Panel(
        name=name,
        panel_type=panel_type,
        cadence_days=cadence_days,
        terms_of_reference=(terms_of_reference or "").strip(),
    )
    panel.full_clean()
    panel.save()
    panel.agencies.set(list(agencies))
    access_event_record(actor=actor, action=Action.CREATE, obj=panel)
    return panel


@transaction.atomic
def panel_update(
    *,
    actor: User,
    panel: Panel,
    name: str,
    panel_type: str,
    cadence_days: int | None,
    agencies: Iterable[Agency],
    terms_of_reference: str = "",
    is_active: bool = True,
) -> Panel:
    """Change a panel's details and member agencies (managers and its chairs)."""
    _require_manage(actor, panel)
    name = (name or "").strip()
    errors: Errors = {}
    _panel_errors(
        errors, name=name, panel_type=panel_type, cadence_days=cadence_days, exclude=panel.pk
    )
    if errors:
        raise ValidationError(errors)
    assert cadence_days is not None  # noqa: S101 - checked above
    locked = Panel.objects.select_for_update().get(pk=panel.pk)
    locked.name = name
    locked.panel_type = panel_type
    locked.cadence_days = cadence_days
    locked.terms_of_reference = (terms_of_reference or "").strip()
    locked.is_active = is_active
    locked.full_clean()
    locked.save()
    locked.agencies.set(list(agencies))
    access_event_record(actor=actor, action=Action.UPDATE, obj=locked)
    return locked


def _other_chairs(panel: Panel, member: PanelMember) -> bool:
    return (
        selectors.current_members(panel)
        .filter(role=PanelMember.Role.CHAIR)
        .exclude(pk=member.pk)
        .exists()
    )


@transaction.atomic
def panel_member_add(
    *,
    actor: User,
    panel: Panel,
    user: User | None,
    role: str,
    started_on: date | None = None,
) -> PanelMember:
    """Add someone to the panel as chair or member (managers and chairs). Adding someone who
    is already a member changes their role; a past member joins again."""
    _require_manage(actor, panel)
    errors: Errors = {}
    started_on = started_on or timezone.localdate()
    if user is None:
        _add(errors, "user", "Select the person to add")
    elif not access.holds_caseload(user) or user.agency_id is None:
        _add(
            errors,
            "user",
            f"{user.display_name} cannot sit on a panel: only practitioners, managers and "
            "panel members of an agency can",
        )
    if role not in PanelMember.Role.values:
        _add(errors, "role", "Select chair or member")
    existing = None
    if user is not None:
        existing = PanelMember.objects.select_for_update().filter(panel=panel, user=user).first()
    if (
        existing is not None
        and existing.role == PanelMember.Role.CHAIR
        and role == PanelMember.Role.MEMBER
        and not _other_chairs(panel, existing)
    ):
        _add(errors, "role", "A panel needs a chair: add another chair first")
    if errors:
        raise ValidationError(errors)
    assert user is not None  # noqa: S101 - checked above
    if existing is None:
        member = PanelMember(panel=panel, user=user, role=role, started_on=started_on)
        action = Action.CREATE
    else:
        member = existing
        member.role = role
        if member.ended_on is not None:
            member.started_on = started_on
            member.ended_on = None
        action = Action.UPDATE
    member.full_clean()
    member.save()
    access_event_record(
        actor=actor,
        action=action,
        obj=member,
        reason=_panel_reason(panel),
        detail={"user": user.username, "role": role},
    )
    return member


@transaction.atomic
def panel_member_end(*, actor: User, member: PanelMember) -> PanelMember:
    """End someone's membership today (managers and chairs): yesterday was their last day, so
    from now on the panel's agendas open no records to them. The last chair stays until
    another is added."""
    panel = member.panel
    _require_manage(actor, panel)
    locked = PanelMember.objects.select_for_update().select_related("user").get(pk=member.pk)
    last_day = timezone.localdate() - timedelta(days=1)
    if locked.ended_on is not None and locked.ended_on <= last_day:
        raise ValidationError({"member": "This membership has already ended"})
    if locked.role == PanelMember.Role.CHAIR and not _other_chairs(panel, locked):
        raise ValidationError({"member": "A panel needs a chair: add another chair first"})
    locked.ended_on = last_day
    locked.started_on = min(locked.started_on, last_day)
    locked.save(update_fields=["started_on", "ended_on"])
    access_event_record(
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        reason=_panel_reason(panel),
        detail={"user": locked.user.username, "ended": True},
    )
    return locked


# Meetings ------------------------------------------------------------------------------------


def _next_meeting_ref() -> str:
    """The next reference like MT-000042, after the largest of that form (imported
    references, in other forms, are left alone)."""
    refs = Meeting.objects.filter(meeting_ref__regex=r"^MT-[0-9]{6}$")
    largest = refs.order_by("-meeting_ref").values_list("meeting_ref", flat=True).first()
    number = int(largest.rsplit("-", 1)[1]) + 1 if largest else 1
    return f"MT-{number:06d}"


@transaction.atomic
def meeting_schedule(
    *,
    actor: User,
    panel: Panel,
    held_on: date | None,
    meeting_type: str,
    location: str = "",
) -> Meeting:
    """Schedule a meeting of the panel (its chairs)."""
    _require_chair(actor, panel, "schedule a meeting")
    errors: Errors = {}
    if not panel.is_active:
        _add(errors, "panel", "The panel is closed: reopen it to schedule meetings")
    if held_on is None:
        _add(errors, "held_on", "Enter the date of the meeting")
    elif (
        Meeting.objects.filter(panel=panel, held_on=held_on)
        .exclude(status=Meeting.Status.CANCELLED)
        .exists()
    ):
        _add(errors, "held_on", f"The panel already meets on {_long_date(held_on)}")
    if meeting_type not in MeetingType.values:
        _add(errors, "meeting_type", "Select the type of meeting")
    if errors:
        raise ValidationError(errors)
    assert held_on is not None  # noqa: S101 - checked above
    meeting = Meeting(
        meeting_ref=_next_meeting_ref(),
        panel=panel,
        meeting_type=meeting_type,
        held_on=held_on,
        location=(location or "").strip(),
    )
    meeting.full_clean()
    meeting.save()
    access_event_record(actor=actor, action=Action.CREATE, obj=meeting, reason=_panel_reason(panel))
    return meeting


# The agenda ----------------------------------------------------------------------------------


def _agenda_open(errors: Errors, meeting: Meeting) -> None:
    _not_cancelled(errors, meeting)
    if meeting.is_signed_off:
        _add(errors, "meeting", "The minutes are signed off: the agenda can no longer change")


def _add_item(
    *, actor: User, meeting: Meeting, child: Child, reason: str, reason_detail: str
) -> AgendaItem:
    """Put the child on the agenda (or back on it), linking their open escalations. The
    caller has locked the meeting and checked everything."""
    position = (
        AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"] or 0
    ) + 1
    item = AgendaItem.objects.filter(meeting=meeting, child=child).first()
    restored = item is not None
    if item is None:
        item = AgendaItem(meeting=meeting, child=child)
    item.reason = reason
    item.reason_detail = reason_detail[:300]
    item.position = position
    item.added_by = actor
    item.removed_at = None
    item.removed_by = None
    item.removal_reason = ""
    item.full_clean(validate_unique=False, validate_constraints=False)
    item.save()
    Escalation.objects.filter(panel=meeting.panel, child=child, agenda_item__isnull=True).update(
        agenda_item=item
    )
    access_event_record(
        actor=actor,
        action=Action.UPDATE if restored else Action.CREATE,
        obj=item,
        child=child,
        reason=_panel_reason(meeting.panel),
        detail={"meeting": meeting.meeting_ref, "agenda_reason": reason},
    )
    return item


@transaction.atomic
def agenda_item_add(
    *,
    actor: User,
    meeting: Meeting,
    child: Child,
    reason: str,
    reason_detail: str = "",
) -> AgendaItem:
    """Put a child on the meeting's agenda (its chairs), with why. `added_by_chair` (any
    child, by reference) needs the reason in words. A child removed earlier goes back on."""
    locked = _locked(meeting)
    _require_chair(actor, locked.panel, "change the agenda")
    errors: Errors = {}
    _agenda_open(errors, locked)
    reason_detail = (reason_detail or "").strip()
    if reason not in AgendaReason.values:
        _add(errors, "reason", "Select why the child is on the agenda")
    elif reason == AgendaReason.ADDED_BY_CHAIR and not reason_detail:
        _add(errors, "reason_detail", "Say why you are adding this child to the agenda")
    if len(reason_detail) > 300:
        _add(errors, "reason_detail", "The reason must be 300 characters or fewer")
    if AgendaItem.objects.filter(meeting=locked, child=child, removed_at__isnull=True).exists():
        _add(errors, "child", f"{child.full_name} is already on the agenda")
    if errors:
        raise ValidationError(errors)
    return _add_item(
        actor=actor, meeting=locked, child=child, reason=reason, reason_detail=reason_detail
    )


@transaction.atomic
def agenda_proposals_add(
    *, actor: User, meeting: Meeting, child_ids: Iterable[int]
) -> list[AgendaItem]:
    """Add chosen proposals to the agenda, each with its main reason and, in words, all of
    them. Children no longer proposed (added meanwhile, alert acknowledged) are skipped."""
    locked = _locked(meeting)
    _require_chair(actor, locked.panel, "change the agenda")
    errors: Errors = {}
    _agenda_open(errors, locked)
    wanted = {int(pk) for pk in child_ids}
    if not wanted:
        _add(errors, "child_ids", "Select the children to add to the agenda")
    if errors:
        raise ValidationError(errors)
    proposals = selectors.agenda_proposals(meeting=locked, child_ids=wanted)
    if not proposals:
        raise ValidationError(
            {"child_ids": "Those children are no longer proposed: they may be on the agenda"}
        )
    return [
        _add_item(
            actor=actor,
            meeting=locked,
            child=proposal.child,
            reason=proposal.reason,
            reason_detail=proposal.detail,
        )
        for proposal in proposals
    ]


@transaction.atomic
def agenda_child_add(
    *, actor: User, meeting: Meeting, child_ref: str, reason_detail: str
) -> tuple[AgendaItem, Guidance]:
    """The chair adds any child, by their reference, saying why."""
    _require_chair(actor, meeting.panel, "change the agenda")
    child = selectors.child_by_reference(child_ref or "")
    reason_detail = (reason_detail or "").strip()
    errors: Errors = {}
    if not (child_ref or "").strip():
        _add(errors, "child_ref", "Enter the child's reference")
    elif child is None:
        _add(errors, "child_ref", f"No child has the reference {child_ref.strip()}")
    if not reason_detail:
        _add(errors, "reason_detail", "Say why you are adding this child to the agenda")
    if errors:
        raise ValidationError(errors)
    assert child is not None  # noqa: S101 - checked above
    item = agenda_item_add(
        actor=actor,
        meeting=meeting,
        child=child,
        reason=AgendaReason.ADDED_BY_CHAIR,
        reason_detail=reason_detail,
    )
    return item, language_guidance(reason_detail)


@transaction.atomic
def agenda_item_remove(*, actor: User, item: AgendaItem, reason: str) -> AgendaItem:
    """Take a child off the agenda (its chairs), saying why. The item is kept, marked removed;
    a removed child's record no longer opens to the panel's members."""
    locked_meeting = _locked(item.meeting)
    _require_chair(actor, locked_meeting.panel, "change the agenda")
    locked = AgendaItem.objects.select_for_update().select_related("child").get(pk=item.pk)
    errors: Errors = {}
    _agenda_open(errors, locked_meeting)
    reason = (reason or "").strip()
    if not reason:
        _add(errors, "reason", "Say why the child is being taken off the agenda")
    elif len(reason) > 300:
        _add(errors, "reason", "The reason must be 300 characters or fewer")
    if locked.removed_at is not None:
        _add(errors, "item", f"{locked.child.full_name} is already off the agenda")
    if Discussion.objects.filter(meeting=locked_meeting, child=locked.child).exists():
        _add(
            errors,
            "item",
            f"{locked.child.full_name} has been discussed: the discussion stays in the minutes",
        )
    if errors:
        raise ValidationError(errors)
    locked.removed_at = timezone.now()
    locked.removed_by = actor
    locked.removal_reason = reason
    locked.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    access_event_record(
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        child=locked.child,
        reason=_panel_reason(locked_meeting.panel),
        detail={"meeting": locked_meeting.meeting_ref, "removed": True},
    )
    item.removed_at, item.removed_by, item.removal_reason = (
        locked.removed_at,
        actor,
        reason,
    )
    return locked


@transaction.atomic
def agenda_publish(*, actor: User, meeting: Meeting) -> Meeting:
    """Publish the agenda (its chairs): from now until CAIRN_PANEL_ACCESS_DAYS after the
    meeting the panel's members may read the records of the children on it (read-only,
    audited with the panel as reason). Children added later are shared as they are added."""
    locked = _locked(meeting)
    _require_chair(actor, locked.panel, "publish the agenda")
    errors: Errors = {}
    _not_cancelled(errors, locked)
    if locked.agenda_published_at is not None:
        _add(errors, "meeting", "The agenda is already published")
    count = AgendaItem.objects.filter(meeting=locked, removed_at__isnull=True).count()
    if count == 0:
        _add(errors, "meeting", "Add at least one child to the agenda before publishing it")
    if errors:
        raise ValidationError(errors)
    locked.agenda_published_at = timezone.now()
    locked.agenda_published_by = actor
    if locked.status == Meeting.Status.PLANNED:
        locked.status = Meeting.Status.AGENDA_PUBLISHED
    locked.save(update_fields=["agenda_published_at", "agenda_published_by", "status"])
    access_event_record(
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        reason=_panel_reason(locked.panel),
        detail={"agenda_published": True, "agenda_children": count},
    )
    _refresh(meeting, locked)
    return locked


# Escalation ----------------------------------------------------------------------------------


def can_escalate(user: User, child: Child) -> bool:
    """The child's own professionals who may change the record (lead, involved, managers of the
    agency) may escalate the child to a panel."""
    return access.child_access(user, child).edit


@transaction.atomic
def escalation_raise(
    *, actor: User, panel: Panel | None, child: Child, reason: str
) -> tuple[Escalation, Guidance]:
    """A professional asks for the child to go to a panel's next meeting, saying why. The
    panel's chairs see it among the agenda proposals."""
    if not can_escalate(actor, child):
        raise PermissionDenied("You cannot escalate this child to a panel")
    errors: Errors = {}
    reason = (reason or "").strip()
    if panel is None:
        _add(errors, "panel", "Select the panel")
    elif not selectors.escalation_panels(child).filter(pk=panel.pk).exists():
        _add(errors, "panel", f"{panel.name} does not cover {child.full_name}'s agencies")
    elif Escalation.objects.filter(panel=panel, child=child, agenda_item__isnull=True).exists():
        _add(
            errors,
            "panel",
            f"{child.full_name} is already escalated to {panel.name} and waiting for its agenda",
        )
    if not reason:
        _add(errors, "reason", "Say why the child needs to go to the panel")
    if errors:
        raise ValidationError(errors)
    assert panel is not None  # noqa: S101 - checked above
    escalation = Escalation(panel=panel, child=child, raised_by=actor, reason=reason)
    escalation.full_clean()
    escalation.save()
    access_event_record(
        actor=actor,
        action=Action.CREATE,
        obj=escalation,
        child=child,
        detail={"panel": panel.name},
    )
    return escalation, language_guidance(reason)
