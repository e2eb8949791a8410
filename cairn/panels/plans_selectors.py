"""Reads of safety and disruption plans, their actions and the disruption log, already scoped by
the access policy (cairn.accounts.access) and by the plan rule below.

The plan rule extends the access policy for plans: anyone who may change the child's record may
change their plans, and so may the chair of a panel whose meeting had the child on its agenda
(not removed) or discussed them. The chair may also read the plan page (audited with the panel as
reason), whether or not their panel access to the child's record has lapsed: chairs chase the
actions their panel agreed. Panel members read plans as they read the record.

A list naming children writes one list event; opening a plan page writes one view event on the
child."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from cairn.accounts import access
from cairn.accounts.models import Agency, Role
from cairn.audit.models import Action as AuditAction
from cairn.audit.services import access_event_record
from cairn.children.models import Child
from cairn.panels.models import (
    Action,
    AgendaItem,
    Discussion,
    DisruptionActivity,
    DisruptionTool,
    FourP,
    Meeting,
    Panel,
    PanelMember,
    Plan,
    PlanKind,
)
from cairn.risk.models import RiskAssessment

if TYPE_CHECKING:
    from cairn.accounts.models import User

OPEN_STATUSES = (Action.Status.OPEN, Action.Status.IN_PROGRESS)
AT_RISK_LEVELS = ("medium", "high")
PLAN_REF_PREFIX = {PlanKind.SAFETY: "SP", PlanKind.DISRUPTION: "DP"}


def plan_ref(plan: Plan) -> str:
    """A plan's reference as people quote it: SP-000012 (safety), DP-000013 (disruption)."""
    return f"{PLAN_REF_PREFIX.get(PlanKind(plan.kind), 'PL')}-{plan.pk:06d}"


# Who may read and change plans -----------------------------------------------------------------


def chaired_panel_ids(user: User) -> QuerySet[Any]:
    """Ids of the panels the user chairs today (a subquery)."""
    today = timezone.localdate()
    return (
        PanelMember.objects.filter(
            user_id=user.pk, role=PanelMember.Role.CHAIR, started_on__lte=today
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .values("panel_id")
    )


def _chair_children(user: User, child_ids: Any = None) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """Agenda items and discussions through which the user, as a chair, holds a child's plans."""
    chaired = chaired_panel_ids(user)
    agenda = AgendaItem.objects.filter(
        removed_at__isnull=True, meeting__panel_id__in=chaired
    ).exclude(meeting__status=Meeting.Status.CANCELLED)
    # Discussions recorded in Cairn, not imported from meetings.csv: an import naming a panel
    # must not hand its chair the plans of the children in the file.
    discussed = Discussion.objects.filter(meeting__panel_id__in=chaired, recorded_by__isnull=False)
    if child_ids is not None:
        agenda = agenda.filter(child_id__in=child_ids)
        discussed = discussed.filter(child_id__in=child_ids)
    return agenda, discussed


def chair_panel_for(user: User, child: Child) -> Panel | None:
    """A panel the user chairs whose meeting had the child on its agenda or discussed them."""
    if not (user.is_authenticated and user.is_active):
        return None
    agenda, discussed = _chair_children(user, [child.pk])
    return (
        Panel.objects.filter(
            Q(id__in=agenda.values("meeting__panel_id"))
            | Q(id__in=discussed.values("meeting__panel_id"))
        )
        .order_by("name")
        .first()
    )


@dataclass(frozen=True)
class PlanAccess:
    view: bool
    edit: bool
    reason: str  # what a view event records: the child-access relationship or "panel chair: …"
    record: bool = False  # may also open the child's record


NO_PLAN_ACCESS = PlanAccess(view=False, edit=False, reason="none")


def plan_access(user: User, child: Child) -> PlanAccess:
    """What the user may do with the child's plans (see the module docstring)."""
    decision = access.child_access(user, child)
    if decision.edit:
        return PlanAccess(view=True, edit=True, reason=decision.audit_reason, record=True)
    panel = chair_panel_for(user, child)
    if panel is not None:
        return PlanAccess(
            view=True, edit=True, reason=f"panel chair: {panel.name}", record=decision.view
        )
    if decision.view:
        return PlanAccess(view=True, edit=False, reason=decision.audit_reason, record=True)
    return NO_PLAN_ACCESS


def named_child_ids(user: User, child_ids: set[int]) -> set[int]:
    """Of these children, the ones whose name the user may see: those whose record they may
    open, and those whose plans they hold as a panel chair. Two queries, whatever the number."""
    if not child_ids:
        return set()
    named = set(access.visible_children(user).filter(pk__in=child_ids).values_list("pk", flat=True))
    rest = child_ids - named
    if rest:
        agenda, discussed = _chair_children(user, rest)
        named |= set(
            agenda.values_list("child_id", flat=True)
            .order_by()
            .union(discussed.values_list("child_id", flat=True).order_by())
        )
    return named


def can_update_action(user: User, action: Action) -> bool:
    """The owner, a manager of the owner's agency, anyone who may change the child's plans."""
    if not (user.is_authenticated and user.is_active):
        return False
    if action.owner_id == user.pk:
        return True
    owner_agencies = {action.owner_agency_id, action.owner.agency_id}
    if user.role == Role.MANAGER and user.agency_id in owner_agencies - {None}:
        return True
    return plan_access(user, action.plan.child).edit


def _child_or_404(child_id: int) -> Child:
    child = Child.objects.select_related("agency", "lead_professional").filter(pk=child_id).first()
    if child is None:
        raise Http404("No such child")
    return child


def plan_child_get(*, user: User, child_id: int) -> tuple[Child, PlanAccess]:
    """Open a child's plans: 404 if the user may not know the child; one view event."""
    child = _child_or_404(child_id)
    decision = plan_access(user, child)
    if not decision.view:
        raise Http404("No such child")
    access_event_record(
        actor=user,
        action=AuditAction.VIEW,
        object_type="panels.plans",
        object_id=child.pk,
        child=child,
        reason=decision.reason,
    )
    return child, decision


def plan_child_get_for_edit(*, user: User, child_id: int) -> Child:
    """A child whose plans the user may change: 404 unseen, 403 read-only (not audited: the
    change is)."""
    child = _child_or_404(child_id)
    decision = plan_access(user, child)
    if not decision.view:
        raise Http404("No such child")
    if not decision.edit:
        raise PermissionDenied("You can read these plans but not change them")
    return child


def plan_get_for_edit(*, user: User, plan_id: int) -> Plan:
    plan = Plan.objects.select_related("child", "meeting__panel").filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such plan")
    decision = plan_access(user, plan.child)
    if not decision.view:
        raise Http404("No such plan")
    if not decision.edit:
        raise PermissionDenied("You can read this plan but not change it")
    return plan


def plan_get_for_disruption(*, user: User, plan_id: int) -> Plan:
    """A plan the user may link a disruption activity to: one whose child they may see."""
    plan = Plan.objects.select_related("child").filter(pk=plan_id).first()
    if plan is None or not plan_access(user, plan.child).view:
        raise Http404("No such plan")
    return plan


def action_get_for_update(*, user: User, action_id: int) -> Action:
    """An action the user may update: 404 if they may neither update it nor read its plan, 403
    if they may only read it."""
    action = (
        Action.objects.select_related(
            "plan__child", "plan__meeting__panel", "owner", "owner_agency", "meeting__panel"
        )
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise Http404("No such action")
    if can_update_action(user, action):
        return action
    if plan_access(user, action.plan.child).view:
        raise PermissionDenied("Only the owner, their manager, or the child's professionals can")
    raise Http404("No such action")


def meetings_for_child(child: Child) -> QuerySet[Meeting]:
    """Meetings (not cancelled) that had the child on their agenda or discussed them, newest
    first: the meetings an action or a plan can say it was agreed at."""
    agenda = AgendaItem.objects.filter(child=child, removed_at__isnull=True).values("meeting_id")
    discussed = Discussion.objects.filter(child=child).values("meeting_id")
    return (
        Meeting.objects.filter(Q(id__in=agenda) | Q(id__in=discussed))
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("panel")
        .order_by("-held_on", "-id")
    )


def default_meeting_for(user: User, child: Child) -> Meeting | None:
    """For a chair adding an action: the latest meeting of a panel they chair that had the child
    on its agenda (the meeting that probably agreed it)."""
    return meetings_for_child(child).filter(panel_id__in=chaired_panel_ids(user)).first()


def action_owner_choices() -> QuerySet[User]:
    """People who can own an action: active users of an agency who hold a caseload."""
    from cairn.accounts.models import User

    return (
        User.objects.filter(
            is_active=True,
            agency__isnull=False,
            role__in=[Role.PRACTITIONER, Role.MANAGER, Role.PANEL_MEMBER],
        )
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name", "username")
    )


# A child's plans -------------------------------------------------------------------------------


def child_plans(child: Child, *, user: User, decision: PlanAccess) -> list[Plan]:
    """The child's plans for the plan page: active first (safety before disruption), then
    closed ones newest first, each with its actions (open first, by due date) and their owners.
    Each plan gets `ref`; each action `overdue` and `can_update` (for this user). Three
    queries."""
    actions = Action.objects.select_related("owner__agency", "owner_agency", "meeting").order_by(
        "completed_on", "due_on", "id"
    )
    plans = list(
        Plan.objects.filter(child=child)
        .select_related("meeting__panel", "created_by")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("status", "kind", "-created_at")
    )
    today = timezone.localdate()
    manages = user.agency_id if user.role == Role.MANAGER else None
    for plan in plans:
        plan.ref = plan_ref(plan)  # type: ignore[attr-defined]
        for action in plan.actions.all():
            action.overdue = action.status in OPEN_STATUSES and action.due_on < today  # type: ignore[attr-defined]
            action.can_update = not action.is_closed and (  # type: ignore[attr-defined]
                decision.edit
                or action.owner_id == user.pk
                or (
                    manages is not None
                    and manages in {action.owner_agency_id, action.owner.agency_id}
                )
            )
    return plans


def child_plans_summary(child: Child) -> dict[str, Any]:
    """For the child's record (panels/actions/includes/child_plans_panel.html): the active plans
    with their open and overdue action counts, and whether the child is at medium or high risk
    without a safety plan. Two queries."""
    today = timezone.localdate()
    open_actions = Q(actions__status__in=OPEN_STATUSES)
    plans = list(
        Plan.objects.filter(child=child, status=Plan.Status.ACTIVE)
        .annotate(
            open_actions=Count("actions", filter=open_actions),
            overdue_actions=Count("actions", filter=open_actions & Q(actions__due_on__lt=today)),
        )
        .order_by("kind")
    )
    by_kind = {plan.kind: plan for plan in plans}
    for plan in plans:
        plan.ref = plan_ref(plan)  # type: ignore[attr-defined]
    level = (
        RiskAssessment.objects.filter(child=child, is_current=True)
        .values_list("level", flat=True)
        .first()
    )
    return {
        "active": plans,
        "safety": by_kind.get(PlanKind.SAFETY),
        "disruption": by_kind.get(PlanKind.DISRUPTION),
        "open_actions": sum(plan.open_actions for plan in plans),  # type: ignore[attr-defined]
        "overdue_actions": sum(plan.overdue_actions for plan in plans),  # type: ignore[attr-defined]
        "level": level or "",
        "needs_safety_plan": level in AT_RISK_LEVELS and PlanKind.SAFETY not in by_kind,
    }


def children_without_safety_plan(*, user: User, audit: bool = True) -> QuerySet[Child]:
    """Children the user may see whose current risk level is medium or high and who have no
    active safety plan: high first, then by name. Annotated with `risk_level`."""
    current = RiskAssessment.objects.filter(child=OuterRef("pk"), is_current=True)
    at_risk = RiskAssessment.objects.filter(is_current=True, level__in=AT_RISK_LEVELS)
    planned = Plan.objects.filter(kind=PlanKind.SAFETY, status=Plan.Status.ACTIVE)
    children = (
        access.visible_children(user, include_break_glass=False)
        .filter(pk__in=at_risk.values("child_id"))
        .exclude(pk__in=planned.values("child_id"))
        .annotate(
            risk_level=Subquery(current.values("level")[:1]),
            assessed_on=Subquery(current.values("assessed_on")[:1]),
        )
        .select_related("lead_professional", "agency")
        # "high" sorts before "medium": ascending puts high risk first.
        .order_by("risk_level", "family_name", "given_name", "id")
    )
    if audit:
        _list_event(user, "panels.children_without_safety_plan")
    return children


# Actions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    """An action as a list shows it: the child named only to people who may see them."""

    action: Action
    overdue: bool
    child_named: bool
    plan_ref: str
    can_open_plan: bool

    @property
    def child_label(self) -> str:
        child = self.action.plan.child
        if self.child_named:
            return child.full_name
        meeting = self.action.meeting or self.action.plan.meeting
        if meeting is not None:
            return f"A child on the {meeting.panel.name} agenda"
        return "A child you cannot see"


def action_rows(user: User, actions: Any) -> list[ActionRow]:
    """Rows for a page of actions (already with plan__child, meeting__panel and
    plan__meeting__panel selected). Two queries to decide whom to name."""
    actions = list(actions)
    today = timezone.localdate()
    named = named_child_ids(user, {action.plan.child_id for action in actions})
    return [
        ActionRow(
            action=action,
            overdue=action.status in OPEN_STATUSES and action.due_on < today,
            child_named=action.plan.child_id in named,
            plan_ref=plan_ref(action.plan),
            can_open_plan=action.plan.child_id in named,
        )
        for action in actions
    ]


def _with_context(actions: QuerySet[Action]) -> QuerySet[Action]:
    return actions.select_related(
        "plan__child", "plan__meeting__panel", "meeting__panel", "owner", "owner_agency"
    )


def my_actions(*, user: User, audit: bool = True) -> QuerySet[Action]:
    """The user's open actions, overdue first (earliest due first)."""
    actions = _with_context(
        Action.objects.filter(owner_id=user.pk, status__in=OPEN_STATUSES)
    ).order_by("due_on", "id")
    if audit:
        _list_event(user, "panels.my_actions")
    return actions


@dataclass(frozen=True)
class OverdueScope:
    """Which overdue actions the user oversees: a manager, those owned by people of their
    agency; a chair, those agreed at meetings of the panels they chair."""

    manager_of: int | None  # agency id
    chair_of: list[int]  # panel ids

    def q(self) -> Q:
        scope = Q(pk__in=[])
        if self.manager_of is not None:
            scope |= Q(owner_agency_id=self.manager_of)
        if self.chair_of:
            scope |= Q(meeting__panel_id__in=self.chair_of)
        return scope


def overdue_scope(user: User) -> OverdueScope | None:
    """The user's overdue scope; None for anyone who is neither a manager nor a chair."""
    if not (user.is_authenticated and user.is_active):
        return None
    manager_of = user.agency_id if user.role == Role.MANAGER else None
    chair_of = list(chaired_panel_ids(user).values_list("panel_id", flat=True))
    if manager_of is None and not chair_of:
        return None
    return OverdueScope(manager_of=manager_of, chair_of=chair_of)


def can_see_overdue(user: User) -> bool:
    return overdue_scope(user) is not None


@dataclass
class OverdueList:
    actions: QuerySet[Action]
    total: int
    by_category: list[dict[str, Any]]
    by_agency: list[dict[str, Any]]
    as_manager: bool  # includes the actions owned by people of the user's agency
    as_chair: bool  # includes the actions agreed at meetings of panels the user chairs


def overdue_actions(
    *,
    user: User,
    agency: Agency | None = None,
    category: str = "",
    audit: bool = True,
) -> OverdueList:
    """Open actions past their due date that the user oversees (see overdue_scope), most
    overdue first, filtered by the owner's agency and the 4P category; with counts of all the
    user oversees by category and by agency (unfiltered)."""
    scope = overdue_scope(user)
    if scope is None:
        raise PermissionDenied("Overdue actions are for managers and panel chairs")
    today = timezone.localdate()
    overdue = Action.objects.filter(scope.q(), status__in=OPEN_STATUSES, due_on__lt=today)
    labels = dict(FourP.choices)
    by_category = [
        {"category": row["category"], "label": labels.get(row["category"], ""), "count": row["n"]}
        for row in overdue.values("category").annotate(n=Count("id")).order_by("category")
    ]
    by_agency = list(
        overdue.values("owner_agency_id", "owner_agency__name")
        .annotate(count=Count("id"))
        .order_by("owner_agency__name")
    )
    actions = overdue
    if agency is not None:
        actions = actions.filter(owner_agency=agency)
    if category:
        actions = actions.filter(category=category)
    if audit:
        _list_event(user, "panels.overdue_actions")
    return OverdueList(
        actions=_with_context(actions).order_by("due_on", "id"),
        total=sum(row["count"] for row in by_agency),
        by_category=by_category,
        by_agency=by_agency,
        as_manager=scope.manager_of is not None,
        as_chair=bool(scope.chair_of),
    )


def actions_for_reminder(*, now: datetime | None = None) -> dict[int, list[Action]]:
    """Open actions due within CAIRN_ACTION_REMINDER_DAYS days (or overdue), by owner, for
    active owners with an email address who have not been reminded today (London time)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    start_of_day = timezone.make_aware(datetime.combine(today, time()))
    horizon = today + timedelta(days=settings.CAIRN_ACTION_REMINDER_DAYS)
    reminded_today = Action.objects.filter(reminded_at__gte=start_of_day).values("owner_id")
    due = (
        Action.objects.filter(status__in=OPEN_STATUSES, due_on__lte=horizon)
        .filter(owner__is_active=True)
        .exclude(owner__email="")
        .exclude(owner_id__in=reminded_today)
        .select_related("owner", "plan")
        .order_by("owner_id", "due_on", "id")
    )
    by_owner: dict[int, list[Action]] = {}
    for action in due:
        by_owner.setdefault(action.owner_id, []).append(action)
    return by_owner


# The disruption log ----------------------------------------------------------------------------


RECORDING_AGENCY_KINDS = {Agency.Kind.POLICE, Agency.Kind.CHILDRENS_SERVICES}


def can_record_disruption(user: User) -> bool:
    """Police and children's services practitioners and managers record disruption."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in {Role.PRACTITIONER, Role.MANAGER}
        and user.agency is not None
        and user.agency.kind in RECORDING_AGENCY_KINDS
    )


def disruption_list(
    *,
    user: User,
    tool: str = "",
    since: date | None = None,
    until: date | None = None,
    audit: bool = True,
) -> QuerySet[DisruptionActivity]:
    """Disruption activities linked to children the user may see, or recorded by their agency,
    newest first. Each carries `named_children` (the linked children the user may see) and
    `children_total`."""
    if not access.holds_caseload(user):
        return DisruptionActivity.objects.none()
    visible = access.visible_children(user, include_break_glass=False).values("pk")
    links = DisruptionActivity.children.through.objects.filter(child_id__in=visible)
    scope = Q(pk__in=links.values("disruptionactivity_id"))
    if user.agency_id is not None:
        scope |= Q(agency_id=user.agency_id)
    activities = DisruptionActivity.objects.filter(scope)
    if tool:
        activities = activities.filter(tool=tool)
    if since is not None:
        activities = activities.filter(occurred_on__gte=since)
    if until is not None:
        activities = activities.filter(occurred_on__lte=until)
    activities = (
        activities.select_related("agency", "recorded_by", "plan")
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Child.objects.filter(pk__in=visible).order_by("family_name"),
                to_attr="named_children",
            )
        )
        .annotate(children_total=Count("children"))
        .order_by("-occurred_on", "-id")
    )
    if audit:
        _list_event(user, "panels.disruption_log")
    return activities


def disruption_counts(since: date, until: date) -> dict[str, int]:
    """Disruption activities on the dates since..until (inclusive), by tool: a key for every
    DisruptionTool value (0 when none) and "total". Every tool counts as exploitation
    disruption, arrests for other offences (drugs, weapons) included. Not scoped: for KPIs."""
    rows = (
        DisruptionActivity.objects.filter(occurred_on__gte=since, occurred_on__lte=until)
        .values("tool")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(DisruptionTool.values, 0)
    for row in rows:
        counts[row["tool"]] = row["n"]
    counts["total"] = sum(counts.values())
    return counts


def _list_event(user: User, what: str, **detail: Any) -> None:
    access_event_record(
        actor=user, action=AuditAction.LIST, object_type=what, detail=detail or None
    )
