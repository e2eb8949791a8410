"""`register.*`: children on the exploitation-risk register (DOMAIN.md, "Performance matrix").

A child's level at the end of a period is the level of their *latest* assessment dated on or
before the period's last day: the one with the greatest `assessed_on`, and where a child has more
than one assessment on that date, the one recorded last (the highest id). A child is on the
register when that level is low, medium or high; a child whose latest assessment says "none" has
fallen off the register and is not counted, whatever their earlier levels.
"""

from __future__ import annotations

from django.db.models import Count, Min, OuterRef, Subquery

from cairn.children.models import Child
from cairn.reporting.kpis import Area, Period, in_area, per_run, register_kpi
from cairn.risk.models import RiskAssessment, RiskLevel

ON_REGISTER = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH)

LATEST = (
    "The level of a child is that of their latest assessment dated on or before the last day "
    "of the period (if two share that date, the one recorded last). Children whose latest "
    "assessment is 'none' are not counted. With --area: children whose ward is in the ward or "
    "division."
)


@per_run
def levels_at(period: Period, area: Area | None) -> dict[str, int]:
    """Children by their level at the end of the period: {"low": n, "medium": n, "high": n}."""
    latest_level = (
        RiskAssessment.objects.filter(child=OuterRef("pk"), assessed_on__lte=period.date_to)
        .order_by("-assessed_on", "-id")
        .values("level")[:1]
    )
    rows = (
        in_area(Child.objects.all(), area)
        .annotate(latest_level=Subquery(latest_level))
        .values("latest_level")
        .annotate(children=Count("pk"))
        .order_by()
    )
    counts = {row["latest_level"]: row["children"] for row in rows}
    return {level: counts.get(level, 0) for level in ON_REGISTER}


@register_kpi(
    code="register.children",
    name="Children on the risk register",
    definition="Children whose latest assessment on or before the period end is low, medium or "
    "high. " + LATEST,
    unit="count",
)
def register_children(period: Period, area: Area | None) -> int:
    return sum(levels_at(period, area).values())


@register_kpi(
    code="register.low",
    name="Children at low risk (emerging)",
    definition="Children whose latest assessment on or before the period end is low. " + LATEST,
    unit="count",
)
def register_low(period: Period, area: Area | None) -> int:
    return levels_at(period, area)[RiskLevel.LOW]


@register_kpi(
    code="register.medium",
    name="Children at medium risk (significant)",
    definition="Children whose latest assessment on or before the period end is medium. " + LATEST,
    unit="count",
)
def register_medium(period: Period, area: Area | None) -> int:
    return levels_at(period, area)[RiskLevel.MEDIUM]


@register_kpi(
    code="register.high",
    name="Children at high risk (serious)",
    definition="Children whose latest assessment on or before the period end is high. " + LATEST,
    unit="count",
)
def register_high(period: Period, area: Area | None) -> int:
    return levels_at(period, area)[RiskLevel.HIGH]


@register_kpi(
    code="register.new",
    name="Children new to the risk register",
    definition="Children whose first ever assessment at low, medium or high is dated in the "
    "period. Earlier assessments at 'none' do not count; a child who came onto the register "
    "before the period, fell off and came back in it is not new; a child new in the period "
    "is counted even if a later assessment in the period is 'none'. With --area: children "
    "whose ward is in the ward or division.",
    unit="count",
)
def register_new(period: Period, area: Area | None) -> int:
    first_on_register = (
        in_area(RiskAssessment.objects.filter(level__in=ON_REGISTER), area, child="child")
        .values("child")
        .annotate(first_on=Min("assessed_on"))
        .filter(first_on__gte=period.date_from, first_on__lte=period.date_to)
    )
    return first_on_register.count()
