"""`missing.*` and `rhi.*`: missing episodes and return home interviews (DOMAIN.md, "Missing" and
"Performance matrix").

Which moment puts a record in a period (inclusive Europe/London dates, `Period.datetime_q`):
- `missing.*` count episodes by when they were *reported* (`reported_at`);
- `rhi.*` count returns by when the child *returned or was found* (`returned_at`). An episode
  reported before the period and ended in it is a return of the period but not one of its
  episodes; a child still missing (`returned_at` empty) has no return yet.

"Within 72 hours" (`settings.CAIRN_RHI_HOURS`) is elapsed time, whatever the clocks do: no
earlier than the return and no later than exactly 72 hours after it. An interview offered at 72h
counts; at 72h and one minute it does not. The services refuse offers and interviews before the
return; such a time (only possible by import) is not counted as within.

"From care": the episode's recorded placement exists and is not `home`. An episode with no
placement recorded is not from care.

With --area, an episode counts when the *child's* recorded ward (`Child.ward`) is in the ward or
division, as for `register.*` (`in_area`); not where the child went missing from or was found
(`found_ward`). Whether a child is missing for the first time looks at all their earlier
episodes.

Two queries, whatever the number of episodes: the period's episodes grouped by child (every
`missing.*` code), and the period's returns joined to their interviews (every `rhi.*` code).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import NotSupportedError, connection
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Sum,
)

from cairn.children.models import PlacementType
from cairn.missing.models import MissingEpisode
from cairn.reporting.kpis import Area, Period, in_area, per_run, percent, register_kpi

AREA = (
    "With --area: episodes of children whose recorded ward is in the ward or division (not "
    "where they went missing from or were found)."
)
REPORTED = "Episodes count by when they were reported (Europe/London dates, inclusive). "
RETURNED = (
    "Returns are episodes whose return (or the child being found) falls in the period "
    "(Europe/London dates, inclusive), whenever they were reported; a child still missing has "
    "no return. "
)
WITHIN = (
    "Within 72 hours (CAIRN_RHI_HOURS) means no earlier than the return and no later than "
    "exactly 72 elapsed hours after it. "
)

#: An episode from care: the child went missing from a recorded placement other than home.
FROM_CARE = Q(placement__isnull=False) & ~Q(placement__placement_type=PlacementType.HOME)


@dataclass(frozen=True)
class EpisodeCounts:
    episodes: int
    children: int
    repeat_children: int
    first_time_children: int
    from_care_episodes: int


@dataclass(frozen=True)
class ReturnCounts:
    returns: int
    offered_within: int
    completed_within: int
    declined: int


@per_run
def episode_counts(period: Period, area: Area | None) -> EpisodeCounts:
    """Every `missing.*` count from one query: the period's episodes grouped by child (how many,
    how many from care, and whether the child had an episode reported before the period),
    summed over the children."""
    episodes = MissingEpisode.objects.filter(_in_period("reported_at", period))
    earlier = MissingEpisode.objects.filter(child=OuterRef("child"), reported_at__lt=period.start)
    per_child = (
        in_area(episodes, area, child="child")
        .values("child")
        .annotate(
            n=Count("pk"),
            from_care=Count("pk", filter=FROM_CARE),
            missing_before=ExistsPerGroup(earlier),
        )
        .order_by()
    )
    totals = per_child.aggregate(
        episodes=Sum("n"),
        children=Count("child"),
        repeat_children=Count("child", filter=Q(n__gte=2)),
        first_time_children=Count("child", filter=Q(missing_before=False)),
        from_care_episodes=Sum("from_care"),
    )
    return EpisodeCounts(**{name: int(value or 0) for name, value in totals.items()})


@per_run
def return_counts(period: Period, area: Area | None) -> ReturnCounts:
    """Every `rhi.*` count from one query: the period's returns, each joined to its interview if
    it has one (one at most, so the join adds no rows and returns without one still count)."""
    deadline = AddHours("returned_at", settings.CAIRN_RHI_HOURS)

    def within(moment: str) -> Q:
        return Q(**{f"{moment}__gte": F("returned_at"), f"{moment}__lte": deadline})

    returns = MissingEpisode.objects.filter(_in_period("returned_at", period))
    totals = in_area(returns, area, child="child").aggregate(
        returns=Count("pk"),
        offered_within=Count("pk", filter=within("return_interview__offered_at")),
        completed_within=Count("pk", filter=within("return_interview__completed_at")),
        declined=Count("pk", filter=Q(return_interview__declined=True)),
    )
    return ReturnCounts(**{name: int(value or 0) for name, value in totals.items()})


def _in_period(field: str, period: Period) -> Q:
    """Episodes whose date-time `field` falls in the period, for a query that reads their rows.

    On SQLite this is `id IN (ids found through the index on field)`. SQLite otherwise reads the
    table row by row in the order of that index (by date, so all over the table): a year of a
    million episodes took twice as long. Given a set of ids it reads the rows in table order,
    as PostgreSQL's bitmap heap scans do without being asked."""
    in_period = period.datetime_q(field)
    if connection.vendor != "sqlite":
        return in_period
    return Q(pk__in=MissingEpisode.objects.filter(in_period).values("pk"))


class ExistsPerGroup(Exists):
    """EXISTS(...) in a query grouped by the one outer column it refers to: the database works
    it out once per group. Django would add it to GROUP BY, and both SQLite and PostgreSQL then
    work it out for every row before grouping."""

    def get_group_by_cols(self) -> list[Any]:
        return []


class AddHours(Func):
    """An aware date-time field plus a whole number of elapsed hours, in the database's own SQL.

    PostgreSQL adds an interval of hours (not of days, whose length would depend on the
    session's time zone). SQLite holds Django date-times as UTC text, 'YYYY-MM-DD HH:MM:SS' and
    '.ffffff' when there are microseconds, which compares correctly as text. Django's
    `F(...) + timedelta(...)` calls back into Python for every row there (most of the time the
    rhi.* query took on a million episodes); SQLite's `strftime` gives the same text, exactly.
    Cairn runs on these two databases only (README, "Configuration")."""

    output_field = DateTimeField()

    def __init__(self, field: str, hours: int) -> None:
        self.hours = int(hours)
        super().__init__(F(field))

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list]:
        # Whole seconds through strftime (fractions would be rounded to milliseconds), then the
        # microseconds as they were: '.ffffff' or nothing.
        moment, params = compiler.compile(self.source_expressions[0])
        sql = (
            f"(strftime('%%Y-%%m-%%d %%H:%%M:%%S', substr({moment}, 1, 19), %s)"
            f" || substr({moment}, 20))"
        )
        return sql, [*params, f"{self.hours:+d} hours", *params]

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list]:
        moment, params = compiler.compile(self.source_expressions[0])
        return f"({moment} + make_interval(hours => %s))", [*params, self.hours]

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotSupportedError(f"AddHours has no SQL for {connection.vendor}")


# --- missing.* -------------------------------------------------------------------------------


@register_kpi(
    code="missing.episodes",
    name="Missing episodes",
    definition="Missing episodes reported in the period. " + REPORTED + AREA,
    unit="count",
)
def missing_episodes(period: Period, area: Area | None) -> int:
    return episode_counts(period, area).episodes


@register_kpi(
    code="missing.children",
    name="Children missing",
    definition="Distinct children with a missing episode reported in the period. "
    + REPORTED
    + AREA,
    unit="count",
)
def missing_children(period: Period, area: Area | None) -> int:
    return episode_counts(period, area).children


@register_kpi(
    code="missing.repeat_children",
    name="Children missing more than once",
    definition="Children with 2 or more missing episodes reported in the period. "
    + REPORTED
    + AREA,
    unit="count",
)
def missing_repeat_children(period: Period, area: Area | None) -> int:
    return episode_counts(period, area).repeat_children


@register_kpi(
    code="missing.repeat_children_pct",
    name="Children missing more than once (%)",
    definition="missing.repeat_children / missing.children × 100, to one decimal place; "
    "empty when no child went missing. " + REPORTED + AREA,
    unit="percent",
)
def missing_repeat_children_pct(period: Period, area: Area | None) -> float | None:
    counts = episode_counts(period, area)
    return percent(counts.repeat_children, counts.children)


@register_kpi(
    code="missing.first_time_children",
    name="Children missing for the first time",
    definition="Children with a missing episode reported in the period and none reported "
    "before the period's first day (any earlier episode of the child counts, however long "
    "ago). " + REPORTED + AREA,
    unit="count",
)
def missing_first_time_children(period: Period, area: Area | None) -> int:
    return episode_counts(period, area).first_time_children


@register_kpi(
    code="missing.first_time_children_pct",
    name="Children missing for the first time (%)",
    definition="missing.first_time_children / missing.children × 100, to one decimal place; "
    "empty when no child went missing. " + REPORTED + AREA,
    unit="percent",
)
def missing_first_time_children_pct(period: Period, area: Area | None) -> float | None:
    counts = episode_counts(period, area)
    return percent(counts.first_time_children, counts.children)


@register_kpi(
    code="missing.repeat_episodes",
    name="Repeat missing episodes",
    definition="missing.episodes − missing.children: every episode reported in the period "
    "after a child's first in the period. " + REPORTED + AREA,
    unit="count",
)
def missing_repeat_episodes(period: Period, area: Area | None) -> int:
    counts = episode_counts(period, area)
    return counts.episodes - counts.children


@register_kpi(
    code="missing.repeat_episodes_pct",
    name="Repeat missing episodes (%)",
    definition="missing.repeat_episodes / missing.episodes × 100, to one decimal place; empty "
    "when no episode was reported. " + REPORTED + AREA,
    unit="percent",
)
def missing_repeat_episodes_pct(period: Period, area: Area | None) -> float | None:
    counts = episode_counts(period, area)
    return percent(counts.episodes - counts.children, counts.episodes)


@register_kpi(
    code="missing.from_care_episodes",
    name="Missing episodes from care",
    definition="Missing episodes reported in the period whose recorded placement is anything "
    "other than home (foster, kinship, children's home, semi-independent, secure, other). "
    "Episodes with no placement recorded are not from care. " + REPORTED + AREA,
    unit="count",
)
def missing_from_care_episodes(period: Period, area: Area | None) -> int:
    return episode_counts(period, area).from_care_episodes


# --- rhi.* -----------------------------------------------------------------------------------


@register_kpi(
    code="rhi.returns",
    name="Returns from missing",
    definition="Missing episodes whose return falls in the period. " + RETURNED + AREA,
    unit="count",
)
def rhi_returns(period: Period, area: Area | None) -> int:
    return return_counts(period, area).returns


@register_kpi(
    code="rhi.offered_within_72h_pct",
    name="Return home interviews offered within 72 hours (%)",
    definition="Returns with a return home interview offered within 72 hours of the return / "
    "rhi.returns × 100, to one decimal place; returns with no interview recorded count in the "
    "denominator; empty when there were no returns. " + WITHIN + RETURNED + AREA,
    unit="percent",
)
def rhi_offered_within_72h_pct(period: Period, area: Area | None) -> float | None:
    counts = return_counts(period, area)
    return percent(counts.offered_within, counts.returns)


@register_kpi(
    code="rhi.completed_within_72h_pct",
    name="Return home interviews held within 72 hours (%)",
    definition="Returns with a return home interview completed (held) within 72 hours of the "
    "return / rhi.returns × 100, to one decimal place; returns with no interview recorded count "
    "in the denominator; empty when there were no returns. " + WITHIN + RETURNED + AREA,
    unit="percent",
)
def rhi_completed_within_72h_pct(period: Period, area: Area | None) -> float | None:
    counts = return_counts(period, area)
    return percent(counts.completed_within, counts.returns)


@register_kpi(
    code="rhi.declined_pct",
    name="Return home interviews declined (%)",
    definition="Returns whose return home interview the child declined (whenever they declined) "
    "/ rhi.returns × 100, to one decimal place; empty when there were no returns. "
    + RETURNED
    + AREA,
    unit="percent",
)
def rhi_declined_pct(period: Period, area: Area | None) -> float | None:
    counts = return_counts(period, area)
    return percent(counts.declined, counts.returns)
