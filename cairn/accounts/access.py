"""The access policy: the one module that decides who may see or change what, and why.

Roles (DESIGN.md):
- practitioner: children they (or their team) are involved with, and their agency's caseload;
  may change records of children they are involved with or lead.
- manager: their agency's children (recorded by, or worked with by, the agency); may change them.
- panel member: children they are involved with, and the children on the published agenda of a
  panel they sit on until CAIRN_PANEL_ACCESS_DAYS after the meeting (read-only, standard notes;
  any caseload role sitting on a panel gets the same, audited with the panel as reason).
- analyst: no identifiable child records (pseudonymised and aggregate views only).
- scrutiny: aggregates only. administrator: users and settings, never case records.
Anyone who may hold a caseload can "break glass" on another child with a reason: read-only,
time-limited, audited and shown to the child's lead professional. While a child has an open
missing episode, police practitioners and managers may read the child's Philomena profile and take
the police pack (the Philomena Protocol gives it to police when a child in care goes missing).

Views and the API never filter on their own: they call the functions here (usually through the
apps' selectors). Every URL pattern declares its rule with `@rule(...)`; a test fails if one
does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from cairn.accounts.models import Role

if TYPE_CHECKING:
    from cairn.accounts.models import User
    from cairn.children.models import CaseNote, Child, Involvement
    from cairn.missing.models import MissingEpisode

F = TypeVar("F", bound=Callable[..., Any])

CASELOAD_ROLES = {Role.PRACTITIONER, Role.MANAGER, Role.PANEL_MEMBER}
NO_CASE_READING_ROLES = {Role.ADMINISTRATOR, Role.SCRUTINY, Role.ANALYST}


def rule(description: str) -> Callable[[F], F]:
    """Declare, on a view, which access rule it applies (checked by tests for every URL)."""

    def mark(view: F) -> F:
        view.access_rule = description  # type: ignore[attr-defined]
        return view

    return mark


@dataclass(frozen=True)
class ChildAccess:
    view: bool
    edit: bool
    via: str  # involved | lead | agency | panel | break_glass | missing_episode | none
    detail: str = ""  # for via "panel": the panel's name

    @property
    def read_only(self) -> bool:
        return self.view and not self.edit

    @property
    def audit_reason(self) -> str:
        """The reason an access event records: the relationship, and the panel's name."""
        return f"{self.via}: {self.detail}" if self.detail else self.via


NO_ACCESS = ChildAccess(view=False, edit=False, via="none")


def _active_on(day: date) -> Q:
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def _involvements_of(user: User, day: date) -> QuerySet[Involvement]:
    """Active involvements of the user, or of the user's team."""
    from cairn.children.models import Involvement

    who = Q(user=user)
    if user.team_id:
        who |= Q(team_id=user.team_id)
    return Involvement.objects.filter(who & _active_on(day))


def _agency_scope(agency_id: int, day: date) -> Q:
    """Children recorded by an agency, or worked with by it now."""
    from cairn.children.models import Involvement

    working = Involvement.objects.filter(Q(agency_id=agency_id) & _active_on(day))
    return Q(agency_id=agency_id) | Q(id__in=working.values("child_id").order_by())


def _has_agency_scope(user: User) -> bool:
    return bool(user.agency_id) and user.role in {Role.PRACTITIONER, Role.MANAGER}


def _children_with_ids(parts: list[QuerySet[Any]]) -> QuerySet[Child]:
    """Children whose id is in any of the id querysets. For a small set (a caseload) a UNION of
    indexed lookups lets the database use its indexes, where an OR of subqueries makes it scan
    every child."""
    from cairn.children.models import Child

    first, *rest = [part.order_by() for part in parts]
    return Child.objects.filter(id__in=first.union(*rest) if rest else first)


def holds_caseload(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in CASELOAD_ROLES)


def _own_child_ids(user: User, day: date) -> list[QuerySet[Any]]:
    from cairn.children.models import Child

    return [
        _involvements_of(user, day).values("child_id"),
        Child.objects.filter(lead_professional=user).values("id"),
    ]


def panel_agenda_items(user: User) -> QuerySet[Any]:
    """Agenda items that open a child's record to the user as a panel member: on the published
    agenda of a meeting (not cancelled) of a panel the user sits on now, until
    CAIRN_PANEL_ACCESS_DAYS days after the meeting. Removed items open nothing."""
    from cairn.panels.models import AgendaItem, Meeting

    today = timezone.localdate()
    sits_on = Q(meeting__panel__members__user=user) & Q(
        meeting__panel__members__started_on__lte=today
    )
    sits_on &= Q(meeting__panel__members__ended_on__isnull=True) | Q(
        meeting__panel__members__ended_on__gte=today
    )
    since = today - timedelta(days=settings.CAIRN_PANEL_ACCESS_DAYS)
    return AgendaItem.objects.filter(
        sits_on,
        removed_at__isnull=True,
        meeting__agenda_published_at__lte=timezone.now(),
        meeting__held_on__gte=since,
    ).exclude(meeting__status=Meeting.Status.CANCELLED)


def visible_children(user: User, *, include_break_glass: bool = True) -> QuerySet[Child]:
    """Every child whose record the user may open (list and search scope)."""
    from cairn.children.models import BreakGlassGrant, Child

    if not holds_caseload(user):
        return Child.objects.none()
    today = timezone.localdate()
    parts = _own_child_ids(user, today)
    parts.append(panel_agenda_items(user).values("child_id"))
    if include_break_glass:
        grants = BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now())
        parts.append(grants.values("child_id"))
    if _has_agency_scope(user) and user.agency_id is not None:
        # An agency's caseload is a large share of all children: one pass over the children
        # with an OR is faster there than building and de-duplicating a UNION of their ids.
        scope = _agency_scope(user.agency_id, today)
        for part in parts:
            scope |= Q(id__in=part.order_by())
        return Child.objects.filter(scope)
    return _children_with_ids(parts)


def involved_children(user: User) -> QuerySet[Child]:
    """The user's own caseload: children they lead or are involved with (directly or by team)."""
    from cairn.children.models import Child

    if not holds_caseload(user):
        return Child.objects.none()
    return _children_with_ids(_own_child_ids(user, timezone.localdate()))


def child_access(user: User, child: Child) -> ChildAccess:
    """What the user may do with this child's record, and through which relationship."""
    if not holds_caseload(user):
        return NO_ACCESS
    from cairn.children.models import BreakGlassGrant, Child

    today = timezone.localdate()
    if child.lead_professional_id == user.id:
        return ChildAccess(view=True, edit=True, via="lead")
    if _involvements_of(user, today).filter(child_id=child.pk).exists():
        return ChildAccess(view=True, edit=True, via="involved")
    if (
        _has_agency_scope(user)
        and user.agency_id is not None
        and Child.objects.filter(Q(pk=child.pk) & _agency_scope(user.agency_id, today)).exists()
    ):
        return ChildAccess(view=True, edit=user.role == Role.MANAGER, via="agency")
    item = (
        panel_agenda_items(user)
        .filter(child_id=child.pk)
        .select_related("meeting__panel")
        .order_by("-meeting__held_on")
        .first()
    )
    if item is not None:
        return ChildAccess(view=True, edit=False, via="panel", detail=item.meeting.panel.name)
    if BreakGlassGrant.objects.filter(
        user=user, child=child, expires_at__gt=timezone.now()
    ).exists():
        return ChildAccess(view=True, edit=False, via="break_glass")
    return NO_ACCESS


def can_create_child(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id
        and user.role in {Role.PRACTITIONER, Role.MANAGER}
    )


def can_break_glass(user: User, child: Child) -> bool:
    """Caseload holders may declare a reason to read a child they cannot otherwise see."""
    return holds_caseload(user) and not child_access(user, child).view


def can_see_access_log(user: User, child: Child) -> bool:
    """'Who has viewed this child': managers of an agency working with the child, and the lead."""
    access = child_access(user, child)
    if not access.view or access.via in {"break_glass", "panel"}:
        return False
    return user.role == Role.MANAGER or child.lead_professional_id == user.id


def is_police_responder(user: User) -> bool:
    """A practitioner or manager of a police agency of the partnership."""
    from cairn.accounts.models import Agency

    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in {Role.PRACTITIONER, Role.MANAGER}
        and user.agency is not None
        and user.agency.kind == Agency.Kind.POLICE
    )


def open_missing_episode_for_police(user: User, child: Child) -> MissingEpisode | None:
    """The child's open missing episode (latest reported), when the user is a police responder:
    the Philomena Protocol gives the profile to police while the child is missing."""
    if not is_police_responder(user):
        return None
    from cairn.missing.models import MissingEpisode

    return (
        MissingEpisode.objects.filter(child=child, returned_at__isnull=True)
        .order_by("-reported_at", "-id")
        .first()
    )


def philomena_access(user: User, child: Child) -> ChildAccess:
    """The child's Philomena profile and photos: as for the child's record (break glass included,
    read-only), and read-only for any police responder while the child has an open missing
    episode (via "missing_episode"). Changing the profile needs change access to the record."""
    decision = child_access(user, child)
    if decision.view:
        return decision
    if open_missing_episode_for_police(user, child) is not None:
        return ChildAccess(view=True, edit=False, via="missing_episode")
    return NO_ACCESS


def can_generate_police_pack(user: User, child: Child) -> bool:
    """The police pack takes the profile, with a photo, out of Cairn: the child's professionals
    (lead, involved, agency caseload) and, while the child has an open missing episode, any
    police responder. Not break glass: that access is read-only, for reading the record."""
    decision = philomena_access(user, child)
    return decision.view and decision.via != "break_glass"


def visible_notes(user: User, child: Child) -> QuerySet[CaseNote]:
    """Notes on a child the user may read, by handling code."""
    from cairn.children.models import CaseNote, Handling

    access = child_access(user, child)
    if not access.view:
        return CaseNote.objects.none()
    notes = CaseNote.objects.filter(child=child)
    restricted_ok = Q(agency_id=user.agency_id) | Q(recipients=user) | Q(author=user)
    if access.via in {"break_glass", "panel"} or user.role == Role.PANEL_MEMBER:
        allowed = Q(handling=Handling.STANDARD)
    else:
        allowed = Q(handling__in=[Handling.STANDARD, Handling.SENSITIVE])
    ids = notes.filter(allowed | (Q(handling=Handling.RESTRICTED) & restricted_ok)).values("id")
    return CaseNote.objects.filter(id__in=ids)


def can_read_note(user: User, note: CaseNote) -> bool:
    return visible_notes(user, note.child).filter(pk=note.pk).exists()


def can_import(user: User) -> bool:
    """Exchange imports change many records at once: managers only."""
    return bool(user.is_authenticated and user.is_active and user.role == Role.MANAGER)


def can_export(user: User) -> bool:
    """Exports take records out of Cairn: managers only, and only their agency's caseload."""
    return bool(user.is_authenticated and user.is_active and user.role == Role.MANAGER)


def exportable_children(user: User) -> QuerySet[Child]:
    """Children a manager may export: their agency's caseload (never break-glass reads)."""
    if not can_export(user):
        from cairn.children.models import Child

        return Child.objects.none()
    return visible_children(user, include_break_glass=False)


def is_administrator(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.ADMINISTRATOR)


def can_export_register(user: User) -> bool:
    """Practitioners and managers may download the risk register (their own register: the
    access policy scopes it). Panel members read it on screen only."""
    return bool(
        user.is_authenticated and user.is_active and user.role in {Role.PRACTITIONER, Role.MANAGER}
    )
