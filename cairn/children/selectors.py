"""Reads of child records, already scoped by the access policy and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cairn.accounts import access
from cairn.audit.models import AccessEvent, Action
from cairn.audit.services import access_event_record
from cairn.children.models import (
    BreakGlassGrant,
    CaseNote,
    Child,
    ChildAlias,
    ChildIdentifier,
    Involvement,
    Placement,
)

if TYPE_CHECKING:
    from cairn.accounts.models import User

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def _parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def _search_q(query: str) -> Q:
    """Match each word against names, aliases, references and identifiers; a date matches DOB.

    Related tables are searched through subqueries rather than joins, so that the database never
    multiplies children by their aliases and identifiers."""
    q = Q()
    for word in query.split():
        day = _parse_date(word)
        if day is not None:
            q &= Q(date_of_birth=day)
            continue
        aliases = ChildAlias.objects.filter(name__icontains=word).values("child_id")
        identifiers = ChildIdentifier.objects.filter(value__iexact=word).values("child_id")
        q &= (
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(other_names__icontains=word)
            | Q(child_ref__iexact=word)
            | Q(id__in=aliases)
            | Q(id__in=identifiers)
        )
    return q


def child_list(*, user: User, query: str = "", scope: str = "all") -> QuerySet[Child]:
    """Children the user may see, optionally searched. Writes one search or list access event."""
    base = access.involved_children(user) if scope == "mine" else access.visible_children(user)
    children = base.select_related("ward", "lead_professional", "agency")
    query = query.strip()
    if query:
        children = children.filter(_search_q(query))
    access_event_record(
        actor=user,
        action=Action.SEARCH if query else Action.LIST,
        object_type="children.child",
        detail={"query": query, "scope": scope},
    )
    return children.order_by("family_name", "given_name", "id")


def child_matches_elsewhere(*, user: User, query: str) -> QuerySet[Child]:
    """Exact matches (reference or identifier, or full name with date of birth) that the user
    cannot open: offered for break glass without showing any detail."""
    query = query.strip()
    if not access.holds_caseload(user) or not query:
        return Child.objects.none()
    words = query.split()
    exact = Q(child_ref__iexact=query) | Q(
        id__in=ChildIdentifier.objects.filter(value__iexact=query).values("child_id")
    )
    days = [d for d in (_parse_date(w) for w in words) if d]
    names = [w for w in words if _parse_date(w) is None]
    if days and len(names) >= 2:
        exact |= (
            Q(date_of_birth=days[0])
            & Q(given_name__iexact=names[0])
            & Q(family_name__iexact=" ".join(names[1:]))
        )
    visible = access.visible_children(user).values("id")
    ids = Child.objects.filter(exact).exclude(id__in=visible).values("id")
    return Child.objects.filter(id__in=ids)


def child_get(*, user: User, child_id: int, reason: str = "") -> tuple[Child, access.ChildAccess]:
    """Open a child's record for the user: 404 if they may not know it, and one view event."""
    child = (
        Child.objects.select_related("ward", "agency", "lead_professional")
        .filter(pk=child_id)
        .first()
    )
    if child is None:
        raise Http404("No such child")
    decision = access.child_access(user, child)
    if not decision.view:
        raise Http404("No such child")
    access_event_record(
        actor=user,
        action=Action.VIEW,
        obj=child,
        child=child,
        reason=reason or decision.audit_reason,
    )
    return child, decision


def child_get_for_edit(*, user: User, child_id: int) -> Child:
    """A child the user may change: 404 if unseen, 403 if seen but read-only. Not audited here:
    the change itself is."""
    child = Child.objects.select_related("ward", "agency").filter(pk=child_id).first()
    if child is None:
        raise Http404("No such child")
    decision = access.child_access(user, child)
    if not decision.view:
        raise Http404("No such child")
    if not decision.edit:
        raise PermissionDenied("You can read this record but not change it")
    return child


def child_get_unaudited_for_break_glass(*, user: User, child_id: int) -> Child:
    """The bare child row for the break-glass form (no details are shown)."""
    child = Child.objects.filter(pk=child_id).first()
    if child is None or not access.holds_caseload(user):
        raise Http404("No such child")
    return child


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime | date
    kind: str
    title: str
    text: str
    who: str


def _sort_key(entry: TimelineEntry) -> datetime:
    when = entry.when
    if isinstance(when, datetime):
        return timezone.localtime(when).replace(tzinfo=None)
    return datetime(when.year, when.month, when.day)  # noqa: DTZ001 - ordering only


def child_timeline(*, user: User, child: Child) -> list[TimelineEntry]:
    """Everything recorded about the child that the user may read, newest first."""
    entries: list[TimelineEntry] = []
    notes = access.visible_notes(user, child).select_related("author", "agency")
    for note in notes:
        entries.append(
            TimelineEntry(note.occurred_on, "note", note.subject, note.text, str(note.author))
        )
    for voice in child.voices.select_related("recorded_by"):
        entries.append(
            TimelineEntry(
                voice.recorded_on,
                "voice",
                f"The child's views ({voice.get_method_display().lower()})",
                voice.text,
                str(voice.recorded_by),
            )
        )
    for placement in child.placements.all():
        entries.append(
            TimelineEntry(
                placement.start_date,
                "placement",
                f"Placement started: {placement.get_placement_type_display()}",
                placement.provider_name,
                placement.agency.code if placement.agency_id else "",
            )
        )
        if placement.end_date:
            entries.append(
                TimelineEntry(
                    placement.end_date,
                    "placement",
                    f"Placement ended: {placement.get_placement_type_display()}",
                    placement.provider_name,
                    "",
                )
            )
    for inv in child.involvements.select_related("user", "team", "agency"):
        who = str(inv.user or inv.team)
        entries.append(
            TimelineEntry(
                inv.started_on,
                "involvement",
                f"{who} began work with the child ({inv.get_reason_display().lower()})",
                inv.detail,
                inv.agency.code,
            )
        )
    entries.sort(key=_sort_key, reverse=True)
    return entries


def child_summary_context(*, user: User, child: Child) -> dict[str, Any]:
    """The related records shown on the child summary page, in a fixed number of queries."""
    child = (
        Child.objects.filter(pk=child.pk)
        .select_related("ward", "agency", "lead_professional")
        .prefetch_related(
            "aliases",
            "identifiers",
            Prefetch("placements", queryset=Placement.objects.select_related("ward", "agency")),
            Prefetch(
                "involvements",
                queryset=Involvement.objects.select_related("user", "team", "agency"),
            ),
        )
        .get()
    )
    today = timezone.localdate()
    active_involvements = [
        i for i in child.involvements.all() if i.ended_on is None or i.ended_on >= today
    ]
    current_placement = next(
        (p for p in child.placements.all() if p.end_date is None or p.end_date >= today), None
    )
    return {
        "child": child,
        "age": child.age_on(today),
        "involvements": active_involvements,
        "current_placement": current_placement,
        "timeline": child_timeline(user=user, child=child),
        "break_glass": break_glass_recent(user=user, child=child),
    }


def break_glass_recent(*, user: User, child: Child) -> QuerySet[BreakGlassGrant]:
    """Break-glass grants on the child, shown to the lead professional and managers."""
    if not access.can_see_access_log(user, child):
        return BreakGlassGrant.objects.none()
    return child.break_glass_grants.select_related("user", "user__agency")[:20]


def break_glass_on_my_children(*, user: User) -> QuerySet[BreakGlassGrant]:
    """For the lead professional's home page: others who broke glass on their children lately."""
    since = timezone.now() - timedelta(days=30)
    return (
        BreakGlassGrant.objects.filter(child__lead_professional=user, granted_at__gte=since)
        .select_related("user", "user__agency", "child")
        .order_by("-granted_at")[:20]
    )


def child_access_log(*, user: User, child: Child) -> QuerySet[AccessEvent]:
    """'Who has viewed this child': managers and the lead professional only."""
    if not access.can_see_access_log(user, child):
        raise PermissionDenied("Only managers and the lead professional see who viewed a record")
    return AccessEvent.objects.filter(child=child).select_related("user", "user__agency")


def note_list(*, user: User, child: Child) -> QuerySet[CaseNote]:
    return access.visible_notes(user, child).select_related("author", "agency")
