"""`meetings.*` and `actions.*`: multi-agency meetings, the children discussed at them, and the
actions of children's plans (DOMAIN.md, "Multi-agency panels and plans" and "Performance matrix").

A meeting is *held* in the period when its date (`held_on`, a calendar date) falls in the period
and its status is held or signed off: planned meetings, meetings whose agenda is published but
which have not been marked held, and cancelled meetings are not counted. Meetings imported from
meetings.csv are held.

- `meetings.held`, `meetings.risk_held`: meetings held in the period, and those of type `risk`.
  With --area, meetings that discussed at least one child whose recorded ward is in the ward or
  division.
- `meetings.children_discussed`: distinct children with a discussion at a meeting held in the
  period.
- `meetings.medium_high_discussed_pct`: of the children whose latest assessment on or before the
  period's last day is medium or high (as `register.medium` and `register.high`), those
  discussed at a meeting held in the 91 days up to and including the period's last day (from 90
  days before it to that day, whenever the period starts).
- `actions.completed_by_due_pct`: of the actions due in the period (`due_on`) and not cancelled,
  those done with a completion date on or before the due date.

With --area everything counts children (the plan's child, for actions) whose recorded ward is in
the ward or division, as the other KPIs do. Four queries, whatever the number of records: the
meetings, the discussions, the children at medium or high risk, and the actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery

from cairn.children.models import Child
from cairn.panels.models import Action, Discussion, Meeting, MeetingType
from cairn.reporting.kpis import Area, Period, in_area, per_run, percent, register_kpi
from cairn.risk.models import RiskAssessment, RiskLevel

#: The statuses of a meeting that has been held.
HELD = (Meeting.Status.HELD, Meeting.Status.SIGNED_OFF)
#: `meetings.medium_high_discussed_pct` looks back this many days, the period's last day included.
RECENT_DAYS = 91

HELD_TEXT = (
    "A meeting is held in the period when its date falls in the period (inclusive) and it is "
    "marked held or its minutes are signed off; planned, published and cancelled meetings are "
    "not counted. "
)
AREA = "With --area: children whose recorded ward is in the ward or division."
MEETING_AREA = (
    "With --area: meetings that discussed at least one child whose recorded ward is in the ward "
    "or division."
)


@dataclass(frozen=True)
class MeetingCounts:
    held: int
    risk_held: int


@dataclass(frozen=True)
class RecentCounts:
    children: int  # at medium or high risk at the period end
    discussed: int  # of whom discussed at a meeting held in the last 91 days


@dataclass(frozen=True)
class ActionCounts:
    due: int  # due in the period, not cancelled
    on_time: int  # of which done by the due date


def _held_in(period: Period, meeting: str = "") -> Q:
    """Meetings (or, through `meeting`, the rows of a meeting) held in the period."""
    prefix = f"{meeting}__" if meeting else ""
    return Q(**{f"{prefix}status__in": HELD}) & period.date_q(f"{prefix}held_on")


@per_run
def meeting_counts(period: Period, area: Area | None) -> MeetingCounts:
    meetings = Meeting.objects.filter(_held_in(period))
    if area is not None:
        about_area = Discussion.objects.filter(area.child_q("child"), meeting=OuterRef("pk"))
        meetings = meetings.filter(Exists(about_area))
    totals = meetings.aggregate(
        held=Count("pk"), risk_held=Count("pk", filter=Q(meeting_type=MeetingType.RISK))
    )
    return MeetingCounts(**{name: int(value or 0) for name, value in totals.items()})


@per_run
def children_discussed(period: Period, area: Area | None) -> int:
    discussions = in_area(
        Discussion.objects.filter(_held_in(period, "meeting")), area, child="child"
    )
    return int(discussions.aggregate(n=Count("child", distinct=True))["n"] or 0)


@per_run
def recent_counts(period: Period, area: Area | None) -> RecentCounts:
    """The children at medium or high risk at the period end, and how many of them were
    discussed at a meeting held in the 91 days up to it, from one query."""
    latest_level = (
        RiskAssessment.objects.filter(child=OuterRef("pk"), assessed_on__lte=period.date_to)
        .order_by("-assessed_on", "-id")
        .values("level")[:1]
    )
    recent = Period(period.date_to - timedelta(days=RECENT_DAYS - 1), period.date_to)
    discussed = Discussion.objects.filter(_held_in(recent, "meeting"), child=OuterRef("pk"))
    totals = (
        in_area(Child.objects.all(), area)
        .annotate(latest_level=Subquery(latest_level))
        .filter(latest_level__in=[RiskLevel.MEDIUM, RiskLevel.HIGH])
        .annotate(was_discussed=Exists(discussed))
        .aggregate(children=Count("pk"), discussed=Count("pk", filter=Q(was_discussed=True)))
    )
    return RecentCounts(**{name: int(value or 0) for name, value in totals.items()})


@per_run
def action_counts(period: Period, area: Area | None) -> ActionCounts:
    actions = Action.objects.filter(period.date_q("due_on")).exclude(status=Action.Status.CANCELLED)
    totals = in_area(actions, area, child="plan__child").aggregate(
        due=Count("pk"),
        on_time=Count("pk", filter=Q(status=Action.Status.DONE, completed_on__lte=F("due_on"))),
    )
    return ActionCounts(**{name: int(value or 0) for name, value in totals.items()})


# --- meetings.* ------------------------------------------------------------------------------


@register_kpi(
    code="meetings.held",
    name="Multi-agency meetings held",
    definition="Distinct multi-agency meetings (MACE, MASE, strategy, risk management and "
    "other) held in the period. " + HELD_TEXT + MEETING_AREA,
    unit="count",
)
def meetings_held(period: Period, area: Area | None) -> int:
    return meeting_counts(period, area).held


@register_kpi(
    code="meetings.risk_held",
    name="Risk management meetings held",
    definition="Of meetings.held, those of type risk (risk management meetings). "
    + HELD_TEXT
    + MEETING_AREA,
    unit="count",
)
def meetings_risk_held(period: Period, area: Area | None) -> int:
    return meeting_counts(period, area).risk_held


@register_kpi(
    code="meetings.children_discussed",
    name="Children discussed at multi-agency meetings",
    definition="Distinct children with a discussion recorded at a meeting held in the period. "
    + HELD_TEXT
    + AREA,
    unit="count",
)
def meetings_children_discussed(period: Period, area: Area | None) -> int:
    return children_discussed(period, area)


@register_kpi(
    code="meetings.medium_high_discussed_pct",
    name="Children at medium or high risk discussed at a meeting in the last 3 months (%)",
    definition="Children whose latest assessment on or before the period end is medium or high "
    "(register.medium + register.high) and who were discussed at a meeting held in the 91 days "
    "up to and including the period end / those children × 100, to one decimal place; empty "
    "when no child is at medium or high risk. The look-back is the same whatever the length of "
    "the period. " + HELD_TEXT + AREA,
    unit="percent",
)
def meetings_medium_high_discussed_pct(period: Period, area: Area | None) -> float | None:
    counts = recent_counts(period, area)
    return percent(counts.discussed, counts.children)


# --- actions.* -------------------------------------------------------------------------------


@register_kpi(
    code="actions.completed_by_due_pct",
    name="Plan actions completed by their due date (%)",
    definition="Actions of children's safety and disruption plans due in the period (inclusive) "
    "that were done with a completion date on or before their due date / actions due in the "
    "period × 100, to one decimal place; cancelled actions are left out of both; an action "
    "still open, or done late, counts against; empty when no action fell due. With --area: "
    "actions of plans for children whose recorded ward is in the ward or division.",
    unit="percent",
)
def actions_completed_by_due_pct(period: Period, area: Area | None) -> float | None:
    counts = action_counts(period, area)
    return percent(counts.on_time, counts.due)
