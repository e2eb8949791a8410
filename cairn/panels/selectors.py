"""Reads for multi-agency panels and their meetings, already scoped by the access policy.

Who sees what:
- a panel, its members and its meetings: the panel's current members, and managers (who may
  set panels up); anyone else gets 404;
- a meeting's agenda: its chairs always (they build it); its other members once the agenda is
  published (publication is what opens the children's records, cairn.accounts.access);
- agenda proposals: the chairs;
- minutes: the meeting's attendees (attended or sent apologies) see everything; a child's own
  professionals (lead, involved, agency caseload: not via the panel, not break glass) see the
  sections about the children they may see; everyone else 404.

Audit: the meeting page lists children (one list event naming the panel); the proposals, one
more; opening the minutes, one view event naming the panel and the meeting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cairn.accounts import access
from cairn.accounts.models import Role
from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.children.models import Child, Involvement
from cairn.missing.models import RepeatMissingAlert
from cairn.panels.models import (
    AgendaItem,
    AgendaReason,
    Attendance,
    Discussion,
    Escalation,
    Meeting,
    MinutesAmendment,
    Panel,
    PanelMember,
)
from cairn.risk.models import RiskAssessment, RiskLevel

if TYPE_CHECKING:
    from cairn.accounts.models import User

PANEL_LEVELS: tuple[str, ...] = (RiskLevel.MEDIUM.value, RiskLevel.HIGH.value)
#: How a child's professional must see the child to read their section of the minutes.
OWN_ROUTES = frozenset({"lead", "involved", "agency"})
#: Who counts as an attendee for the minutes.
ATTENDEE_STATUSES = (Attendance.Status.ATTENDED, Attendance.Status.APOLOGIES)


# Membership ----------------------------------------------------------------------------------


def _active_on(day: date) -> Q:
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def current_members(panel: Panel) -> QuerySet[PanelMember]:
    """The panel's members today, chairs first, with their users and agencies."""
    return (
        PanelMember.objects.filter(_active_on(timezone.localdate()), panel=panel)
        .select_related("user", "user__agency")
        .order_by("role", "user__last_name", "user__first_name", "id")
    )


def membership(user: User, panel: Panel) -> PanelMember | None:
    """The user's current membership of the panel, if any."""
    if not user.is_authenticated:
        return None
    return (
        PanelMember.objects.filter(_active_on(timezone.localdate()), panel=panel, user=user)
        .order_by("-started_on")
        .first()
    )


def is_chair(user: User, panel: Panel) -> bool:
    found = membership(user, panel)
    return found is not None and found.role == PanelMember.Role.CHAIR


def is_manager(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.MANAGER)


def can_manage_panel(user: User, panel: Panel | None = None) -> bool:
    """Create panels: managers. Change a panel and its members: managers and its chairs."""
    if is_manager(user):
        return True
    return panel is not None and access.holds_caseload(user) and is_chair(user, panel)


@dataclass(frozen=True)
class PanelRole:
    """How the user stands with a panel: what the pages offer them."""

    member: PanelMember | None
    manager: bool

    @property
    def chair(self) -> bool:
        return self.member is not None and self.member.role == PanelMember.Role.CHAIR

    @property
    def is_member(self) -> bool:
        return self.member is not None

    @property
    def can_manage(self) -> bool:
        return self.manager or self.chair

    @property
    def can_record(self) -> bool:
        """Attendance and discussions: chairs, and members recording for the chair."""
        return self.member is not None


def panel_role(user: User, panel: Panel) -> PanelRole:
    return PanelRole(
        member=membership(user, panel) if access.holds_caseload(user) else None,
        manager=is_manager(user),
    )


# Panels --------------------------------------------------------------------------------------


def panel_list(*, user: User) -> QuerySet[Panel]:
    """Panels the user sits on now; every panel for managers. Each with `next_meeting` (the
    date of the next meeting not cancelled, today or later) and `member_count`."""
    today = timezone.localdate()
    panels = Panel.objects.all()
    if not is_manager(user):
        if not access.holds_caseload(user):
            return Panel.objects.none()
        sits_on = PanelMember.objects.filter(_active_on(today), user=user).values("panel_id")
        panels = panels.filter(id__in=sits_on)
    upcoming = Meeting.objects.filter(panel=OuterRef("pk"), held_on__gte=today).exclude(
        status=Meeting.Status.CANCELLED
    )
    return (
        panels.annotate(
            next_meeting=upcoming.order_by("held_on").values("held_on")[:1],
        )
        .prefetch_related("agencies")
        .order_by("-is_active", "name")
    )


def panel_get(*, user: User, panel_id: int) -> tuple[Panel, PanelRole]:
    """A panel the user sits on (or any panel, for a manager): 404 otherwise."""
    panel = Panel.objects.filter(pk=panel_id).first()
    if panel is None:
        raise Http404("No such panel")
    role = panel_role(user, panel)
    if not (role.is_member or role.manager):
        raise Http404("No such panel")
    return panel, role


def panel_meetings(panel: Panel) -> tuple[list[Any], list[Any]]:
    """The panel's upcoming meetings (soonest first) and past ones (latest first), each with
    `agenda_count` and `discussed_count`."""
    from django.db.models import Count

    today = timezone.localdate()
    meetings = Meeting.objects.filter(panel=panel).annotate(
        agenda_count=Count(
            "agenda_items", filter=Q(agenda_items__removed_at__isnull=True), distinct=True
        ),
        discussed_count=Count("discussions", distinct=True),
    )
    upcoming = list(meetings.filter(held_on__gte=today).order_by("held_on", "id"))
    past = list(meetings.filter(held_on__lt=today).order_by("-held_on", "-id"))
    return upcoming, past


def member_choices() -> QuerySet[User]:
    """People who may sit on a panel: active users of a caseload role, by agency and name."""
    from cairn.accounts.models import User

    return (
        User.objects.filter(is_active=True, role__in=sorted(access.CASELOAD_ROLES))
        .exclude(agency__isnull=True)
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name", "username")
    )


# Meetings ------------------------------------------------------------------------------------


def meeting_get(*, user: User, meeting_id: int) -> tuple[Meeting, PanelRole]:
    """A meeting of a panel the user sits on (or any, for a manager): 404 otherwise."""
    meeting = (
        Meeting.objects.select_related("panel", "agenda_published_by", "signed_off_by")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting")
    role = panel_role(user, meeting.panel)
    if not (role.is_member or role.manager):
        raise Http404("No such meeting")
    return meeting, role


def agenda_visible(meeting: Meeting, role: PanelRole) -> bool:
    """Chairs see the agenda as they build it; members once it is published."""
    if role.chair:
        return True
    return role.is_member and meeting.agenda_published_at is not None


def agenda_items(meeting: Meeting, *, removed: bool = False) -> list[AgendaItem]:
    """The meeting's agenda (or the items removed from it), in order, with each child's lead
    professional, current level and discussion (if recorded)."""
    items = (
        AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=not removed)
        .select_related(
            "child", "child__lead_professional__agency", "added_by__agency", "removed_by__agency"
        )
        .order_by("position", "id")
    )
    found = list(items)
    attach_levels([item.child for item in found])
    discussions = {
        d.child_id: d
        for d in Discussion.objects.filter(meeting=meeting).select_related("risk_assessment")
    }
    for item in found:
        item.recorded = discussions.get(item.child_id)  # type: ignore[attr-defined]
    return found


def attach_levels(children: Iterable[Child]) -> None:
    """Set `current_level` (None without an assessment) on each child: one query."""
    children = list(children)
    levels = dict(
        RiskAssessment.objects.filter(
            is_current=True, child_id__in=[child.pk for child in children]
        ).values_list("child_id", "level")
    )
    for child in children:
        child.current_level = levels.get(child.pk)  # type: ignore[attr-defined]


def agenda_list_event(*, user: User, meeting: Meeting, count: int) -> None:
    """One list event for a page showing the meeting's agenda children."""
    access_event_record(
        actor=user,
        action=Action.LIST,
        obj=meeting,
        reason=f"panel: {meeting.panel.name}",
        detail={"meeting": meeting.meeting_ref, "agenda_children": count},
    )


# Agenda proposals ----------------------------------------------------------------------------


@dataclass
class Proposal:
    """A child the agenda builder proposes for a meeting, with every reason that applies.

    The child is built from the row the proposals query read (no further query) only when it
    is used: a county-wide first agenda can propose thousands of children, and a page shows
    fifty."""

    row: tuple[Any, ...]  # the values of CHILD_COLUMNS
    reasons: list[str] = field(default_factory=list)  # AgendaReason values, most pressing first
    level: str | None = None
    assessed_on: date | None = None
    last_discussed: date | None = None
    escalations: list[Escalation] = field(default_factory=list)
    alert: RepeatMissingAlert | None = None
    loaded: Child | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, child: Child) -> Proposal:
        return cls(row=tuple(getattr(child, name) for name in CHILD_COLUMNS), loaded=child)

    @property
    def child_id(self) -> int:
        return int(self.row[0])

    @property
    def child(self) -> Child:
        """The child (with only CHILD_COLUMNS loaded; other fields load on access)."""
        if self.loaded is None:
            values = dict(zip(CHILD_COLUMNS, self.row, strict=True))
            names = [f.attname for f in Child._meta.concrete_fields if f.attname in values]
            self.loaded = Child.from_db(Child.objects.db, names, [values[n] for n in names])
        return self.loaded

    @property
    def sort_key(self) -> tuple[Any, ...]:
        return (
            _REASON_ORDER[self.reasons[0]],
            _LEVEL_ORDER.get(self.level or "", 2),
            self.row[3],  # family name
            self.row[2],  # given name
            self.row[0],
        )

    @property
    def reason(self) -> str:
        """The main reason, recorded on the agenda item."""
        return self.reasons[0]

    @property
    def reason_labels(self) -> list[str]:
        return [AgendaReason(reason).label for reason in self.reasons]

    @property
    def explanations(self) -> list[str]:
        """Why, in words, one line per reason."""
        lines = []
        level = RiskLevel(self.level).label.split(" (")[0] if self.level else ""
        for reason in self.reasons:
            if reason == AgendaReason.ESCALATED:
                for escalation in self.escalations:
                    who = escalation.raised_by.display_name
                    lines.append(
                        f"Escalated by {who} on {escalation.raised_at:%-d %b %Y}: "
                        f"{escalation.reason}"
                    )
            elif reason == AgendaReason.REPEAT_MISSING and self.alert is not None:
                lines.append(
                    f"Repeat-missing alert: {self.alert.episodes} episodes in "
                    f"{self.alert.window_days} days"
                )
            elif reason == AgendaReason.NEW_RISK:
                lines.append(f"{level} risk, never discussed at this panel")
            elif reason == AgendaReason.REVIEW_DUE and self.last_discussed is not None:
                lines.append(f"{level} risk, last discussed {self.last_discussed:%-d %b %Y}")
        return lines

    @property
    def detail(self) -> str:
        """The agenda item's reason detail (at most 300 characters)."""
        text = "; ".join(self.explanations)
        return text if len(text) <= 300 else text[:299] + "…"


_REASON_ORDER = {
    AgendaReason.ESCALATED.value: 0,
    AgendaReason.REPEAT_MISSING.value: 1,
    AgendaReason.NEW_RISK.value: 2,
    AgendaReason.REVIEW_DUE.value: 3,
}
_LEVEL_ORDER = {RiskLevel.HIGH.value: 0, RiskLevel.MEDIUM.value: 1}


def panel_scope(panel: Panel, *, child_field: str = "child", day: date | None = None) -> Q | None:
    """Children of the panel's member agencies: recorded by one, or worked with by one now
    (an active involvement). None when the panel has no agencies set (every child).
    `child_field` is the path from the filtered model to the child ("" for Child itself)."""
    agency_ids = [agency.pk for agency in panel.agencies.all()]
    if not agency_ids:
        return None
    day = day or timezone.localdate()
    prefix = f"{child_field}__" if child_field else ""
    child_id = f"{child_field}_id" if child_field else "pk"
    working = Involvement.objects.filter(
        _active_on(day), child_id=OuterRef(child_id), agency_id__in=agency_ids
    )
    return Q(**{f"{prefix}agency_id__in": agency_ids}) | Q(Exists(working))


def in_panel_scope(panel: Panel, child: Child) -> bool:
    scope = panel_scope(panel, child_field="")
    return scope is None or Child.objects.filter(scope, pk=child.pk).exists()


def _scoped(queryset: QuerySet[Any], scope: Q | None) -> QuerySet[Any]:
    return queryset if scope is None else queryset.filter(scope)


#: What a proposal reads of each child (enough to list and add them).
CHILD_COLUMNS = (
    "id",
    "child_ref",
    "given_name",
    "family_name",
    "date_of_birth",
    "agency_id",
    "lead_professional_id",
)
_CHILD_FIELDS = tuple(
    f"child__{name.removesuffix('_id') if name != 'id' else name}" for name in CHILD_COLUMNS
)


def agenda_proposals(*, meeting: Meeting, child_ids: Iterable[int] | None = None) -> list[Proposal]:
    """Children the agenda builder proposes for the meeting, each with its reasons:

    - new at medium or high: their current assessment is medium or high and they have never
      been discussed at this panel;
    - due for review: medium or high, and last discussed at this panel more than
      CAIRN_PANEL_REVIEW_WEEKS weeks before the meeting;
    - escalated: an open escalation to this panel (not yet on an agenda);
    - repeat missing: an open (unacknowledged) repeat-missing alert.

    Only children of the panel's member agencies (recorded by one, or worked with by one now),
    or every child when the panel has no agencies set; never a child already on this meeting's
    agenda (removed items included: the chair puts those back from the agenda). Most pressing
    first: escalated, repeat missing, then high before medium. `child_ids` narrows the
    proposals to those children (adding proposals to the agenda).

    Set-based: one query per reason, however many children the county holds."""
    panel = meeting.panel
    scope = panel_scope(panel)
    on_agenda = AgendaItem.objects.filter(meeting=meeting).values("child_id")
    wanted = None if child_ids is None else sorted({int(pk) for pk in child_ids})

    def narrow(queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = _scoped(queryset, scope).exclude(child_id__in=on_agenda)
        return queryset if wanted is None else queryset.filter(child_id__in=wanted)

    found: dict[int, Proposal] = {}

    # Escalations and alerts: a few hundred rows at most.
    escalations = narrow(
        Escalation.objects.filter(panel=panel, agenda_item__isnull=True)
        .select_related("raised_by", "raised_by__agency", "child")
        .only(
            *_CHILD_FIELDS,
            "raised_by__username",
            "raised_by__first_name",
            "raised_by__last_name",
            "raised_by__agency__code",
            "reason",
            "raised_at",
            "panel_id",
        )
        .order_by("raised_at", "id")
    )
    for escalation in escalations:
        proposal = found.setdefault(escalation.child_id, Proposal.of(escalation.child))
        if AgendaReason.ESCALATED not in proposal.reasons:
            proposal.reasons.append(AgendaReason.ESCALATED)
        proposal.escalations.append(escalation)
    alerts = narrow(
        RepeatMissingAlert.objects.filter(acknowledged_at__isnull=True)
        .select_related("child")
        .only(*_CHILD_FIELDS, "episodes", "window_days", "raised_at")
    )
    for alert in alerts:
        proposal = found.setdefault(alert.child_id, Proposal.of(alert.child))
        proposal.reasons.append(AgendaReason.REPEAT_MISSING)
        proposal.alert = alert

    # Children at medium or high, with when this panel last discussed them (before this
    # meeting): the one large set, read once through the current-level index.
    discussed = dict(
        Discussion.objects.filter(meeting__panel=panel, meeting__held_on__lt=meeting.held_on)
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .values("child_id")
        .annotate(last=Max("meeting__held_on"))
        .values_list("child_id", "last")
        .order_by()
    )
    cutoff = meeting.held_on - timedelta(weeks=settings.CAIRN_PANEL_REVIEW_WEEKS)
    at_risk = narrow(
        RiskAssessment.objects.filter(is_current=True, level__in=PANEL_LEVELS)
    ).values_list("level", "assessed_on", *(f"child__{name}" for name in CHILD_COLUMNS))
    levels: dict[int, tuple[str, date]] = {}
    for level, assessed_on, *row in at_risk.order_by():
        child_id = row[0]
        levels[child_id] = (level, assessed_on)
        last = discussed.get(child_id)
        if last is None:
            reason = AgendaReason.NEW_RISK
        elif last < cutoff:
            reason = AgendaReason.REVIEW_DUE
        else:
            continue
        if child_id not in found:
            found[child_id] = Proposal(row=tuple(row))
        found[child_id].reasons.append(reason)
        found[child_id].last_discussed = last

    # The level of escalated and alerted children who are not at medium or high.
    others = [pk for pk in found if pk not in levels]
    if others:
        levels.update(
            {
                child_id: (level, day)
                for child_id, level, day in RiskAssessment.objects.filter(
                    is_current=True, child_id__in=others
                ).values_list("child_id", "level", "assessed_on")
            }
        )
    for child_id, proposal in found.items():
        proposal.reasons.sort(key=lambda reason: _REASON_ORDER[reason])
        if child_id in levels:
            proposal.level, proposal.assessed_on = levels[child_id]
        if proposal.last_discussed is None:
            proposal.last_discussed = discussed.get(child_id)
    return sorted(found.values(), key=lambda proposal: proposal.sort_key)


def attach_lead_professionals(proposals: Iterable[Proposal]) -> None:
    """Load the lead professionals of a page of proposals in one query."""
    from cairn.accounts.models import User

    proposals = list(proposals)
    ids = {p.child.lead_professional_id for p in proposals if p.child.lead_professional_id}
    users = User.objects.select_related("agency").in_bulk(sorted(ids))
    for proposal in proposals:
        lead_id = proposal.child.lead_professional_id
        proposal.child.lead_name = (  # type: ignore[attr-defined]
            users[lead_id].display_name if lead_id in users else ""
        )


def proposals_event(*, user: User, meeting: Meeting, count: int) -> None:
    access_event_record(
        actor=user,
        action=Action.LIST,
        object_type="panels.agenda_proposals",
        object_id=meeting.pk,
        reason=f"panel: {meeting.panel.name}",
        detail={"meeting": meeting.meeting_ref, "proposals": count},
    )


def child_by_reference(reference: str) -> Child | None:
    """A child by their reference (any case), for the chair adding a child to the agenda."""
    reference = reference.strip()
    if not reference:
        return None
    return Child.objects.filter(child_ref__iexact=reference).first()


# Escalation ----------------------------------------------------------------------------------


def escalation_panels(child: Child) -> QuerySet[Panel]:
    """Active panels that cover the child: those with no member agencies, or one of whose
    agencies recorded the child or works with them now."""
    today = timezone.localdate()
    working = Involvement.objects.filter(_active_on(today), child=child).values("agency_id")
    covering = Q(agencies__isnull=True) | Q(agencies__id=child.agency_id)
    covering |= Q(agencies__id__in=working)
    ids = Panel.objects.filter(covering, is_active=True).values("id")
    return Panel.objects.filter(id__in=ids).order_by("name")


def open_escalations(child: Child) -> QuerySet[Escalation]:
    """The child's escalations not yet on an agenda."""
    return (
        Escalation.objects.filter(child=child, agenda_item__isnull=True)
        .select_related("panel", "raised_by")
        .order_by("-raised_at")
    )


# Attendance and discussions ------------------------------------------------------------------


def attendance_for(meeting: Meeting) -> list[Attendance]:
    return list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("user", "user__agency", "agency")
        .order_by("agency__name", "user__last_name", "name", "id")
    )


def attendance_by_agency(attendance: Iterable[Attendance]) -> list[tuple[str, list[Attendance]]]:
    groups: dict[str, list[Attendance]] = {}
    for row in attendance:
        groups.setdefault(row.agency.name, []).append(row)
    return sorted(groups.items())


def discussion_for(meeting: Meeting, child: Child) -> Discussion | None:
    return Discussion.objects.filter(meeting=meeting, child=child).first()


def agenda_item_get(meeting: Meeting, child_id: int) -> AgendaItem:
    """The child's item on the meeting's agenda (not removed), or 404."""
    item = (
        AgendaItem.objects.filter(meeting=meeting, child_id=child_id, removed_at__isnull=True)
        .select_related("child")
        .first()
    )
    if item is None:
        raise Http404("Not on the agenda")
    return item


# Minutes -------------------------------------------------------------------------------------


def is_attendee(user: User, meeting: Meeting) -> bool:
    return bool(
        user.is_authenticated
        and Attendance.objects.filter(
            meeting=meeting, user=user, status__in=ATTENDEE_STATUSES
        ).exists()
    )


@dataclass
class Minutes:
    """What one reader may see of a meeting's minutes."""

    meeting: Meeting
    attendee: bool
    discussions: list[Discussion]
    hidden: int  # sections about children this reader may not see
    attendance: list[Attendance]
    amendments: list[MinutesAmendment]

    @property
    def children(self) -> list[Child]:
        return [discussion.child for discussion in self.discussions]

    @property
    def reason(self) -> str:
        return minutes_reason(self.meeting)


def minutes_reason(meeting: Meeting) -> str:
    return (
        f"minutes: {meeting.panel.name} meeting {meeting.meeting_ref} "
        f"on {meeting.held_on:%-d %B %Y}"
    )


def _readable_child_ids(user: User, children: Iterable[Child]) -> set[int]:
    """Children the user may see as one of their professionals (not via a panel, not break
    glass)."""
    return {
        child.pk
        for child in children
        if (decision := access.child_access(user, child)).view and decision.via in OWN_ROUTES
    }


def minutes_for(*, user: User, meeting: Meeting) -> Minutes | None:
    """The minutes as this user may read them, or None if they may read none of it."""
    if not access.holds_caseload(user):
        return None
    discussions = list(
        Discussion.objects.filter(meeting=meeting)
        .select_related("child", "child__lead_professional", "recorded_by", "risk_assessment")
        .order_by("agenda_item__position", "child__family_name", "id")
    )
    attendee = is_attendee(user, meeting)
    if attendee:
        visible = discussions
    else:
        readable = _readable_child_ids(user, (d.child for d in discussions))
        visible = [d for d in discussions if d.child_id in readable]
        if not visible:
            return None
    visible_ids = {d.pk for d in visible}
    amendments = [
        amendment
        for amendment in MinutesAmendment.objects.filter(meeting=meeting).select_related(
            "amended_by", "discussion__child"
        )
        if (amendment.discussion_id in visible_ids)
        or (attendee and amendment.discussion_id is None)
    ]
    return Minutes(
        meeting=meeting,
        attendee=attendee,
        discussions=visible,
        hidden=len(discussions) - len(visible),
        attendance=attendance_for(meeting),
        amendments=amendments,
    )


def minutes_get(*, user: User, meeting_id: int) -> Minutes:
    """Open a meeting's minutes: attendees see everything, a child's professionals the
    sections about their children; 404 for anyone else. One view event."""
    meeting = Meeting.objects.select_related("panel", "signed_off_by").filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("No such meeting")
    minutes = minutes_for(user=user, meeting=meeting)
    if minutes is None:
        raise Http404("No such minutes")
    access_event_record(
        actor=user,
        action=Action.VIEW,
        obj=meeting,
        reason=minutes.reason,
        detail={
            "minutes": "page",
            "attendee": minutes.attendee,
            "children": [child.pk for child in minutes.children],
        },
    )
    return minutes


def meeting_for_minutes(*, user: User, meeting_id: int) -> Meeting:
    """The meeting, if the user may read some of its minutes (404 otherwise). No event: the
    read itself records one."""
    meeting = Meeting.objects.select_related("panel").filter(pk=meeting_id).first()
    if meeting is None or minutes_for(user=user, meeting=meeting) is None:
        raise Http404("No such minutes")
    return meeting


def minutes_readable(*, user: User, meeting: Meeting) -> bool:
    """Whether the meeting page should offer the minutes to this user (no event)."""
    if is_attendee(user, meeting):
        return True
    return minutes_for(user=user, meeting=meeting) is not None


def minutes_recipients(meeting: Meeting) -> list[User]:
    """Who the minutes are circulated to: attendees with a login (attended or apologies) and
    the lead professionals of the children discussed; active users, each once."""
    from cairn.accounts.models import User

    attendee_ids = Attendance.objects.filter(
        meeting=meeting, user__isnull=False, status__in=ATTENDEE_STATUSES
    ).values("user_id")
    lead_ids = Discussion.objects.filter(
        meeting=meeting, child__lead_professional__isnull=False
    ).values("child__lead_professional_id")
    return list(
        User.objects.filter(Q(id__in=attendee_ids) | Q(id__in=lead_ids), is_active=True)
        .select_related("agency")
        .order_by("last_name", "first_name", "id")
    )


def circulations_for(meeting: Meeting) -> QuerySet[Any]:
    from cairn.panels.models import MinutesCirculation

    return (
        MinutesCirculation.objects.filter(meeting=meeting)
        .select_related("recipient", "recipient__agency")
        .order_by("circulated_at", "id")
    )
