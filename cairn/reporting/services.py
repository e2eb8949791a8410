"""Reporting writes: producing KPI figures is an audited export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.reporting.kpis import Value, kpi_values

if TYPE_CHECKING:
    from cairn.accounts.models import User


@transaction.atomic
def kpi_export(
    *,
    actor: User | None,
    date_from: date,
    date_to: date,
    area_code: str | None = None,
    output: str = "json",
) -> dict[str, Value]:
    """Compute every KPI for the period (and area) and record one "export" access event.

    `actor` is None for the command line. Raises `cairn.reporting.kpis.KpiError` (nothing is
    recorded) for a bad period or an unknown area."""
    values = kpi_values(date_from=date_from, date_to=date_to, area_code=area_code)
    access_event_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="reporting.kpi",
        detail={
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "area": area_code,
            "output": output,
            "kpis": len(values),
        },
    )
    return values


def register_counts_published(*, day: date | None = None) -> dict[str, Any]:
    """The partnership's register by level on a day, with small numbers suppressed: what
    scrutiny users and councillors may see without access to any record."""
    from cairn.reporting.suppression import suppress, suppress_total

    day = day or timezone.localdate()
    values = kpi_values(date_from=day, date_to=day)
    parts = {level: int(values[f"register.{level}"] or 0) for level in ("low", "medium", "high")}
    return {
        "day": day,
        "cells": suppress(parts),
        "total": suppress_total(int(values["register.children"] or 0)),
    }


#: For each percentage, the counts whose sum it is a share of: a percentage of fewer than 5
#: children or episodes is not published (it would reveal them as surely as the count).
#: `actions.completed_by_due_pct` is a share of professionals' actions, not of children, and
#: has no published base count: it is shown as it is.
PERCENT_BASES: dict[str, tuple[str, ...]] = {
    "missing.repeat_children_pct": ("missing.children",),
    "missing.first_time_children_pct": ("missing.children",),
    "missing.repeat_episodes_pct": ("missing.episodes",),
    "rhi.offered_within_72h_pct": ("rhi.returns",),
    "rhi.completed_within_72h_pct": ("rhi.returns",),
    "rhi.declined_pct": ("rhi.returns",),
    "meetings.medium_high_discussed_pct": ("register.medium", "register.high"),
}


@dataclass(frozen=True)
class PublishedKpi:
    code: str
    name: str
    definition: str
    unit: str
    value: Value
    shown: str  # as published: "12", "45.5%", "fewer than 5", "none in the period"

    @property
    def suppressed(self) -> bool:
        return self.shown.startswith("fewer than")


def kpis_published(
    *, actor: User, date_from: date, date_to: date, area_code: str | None = None
) -> list[PublishedKpi]:
    """Every KPI for the period as the performance page shows it: counts from 1 to 4 as "fewer
    than 5", and a percentage whose base count is from 1 to 4 likewise. One export event."""
    from cairn.reporting.kpis import KPIS
    from cairn.reporting.suppression import FEWER_THAN, suppress_total

    values = kpi_export(
        actor=actor, date_from=date_from, date_to=date_to, area_code=area_code, output="page"
    )
    published = []
    for code, value in values.items():
        kpi = KPIS[code]
        if value is None:
            shown = "none in the period"
        elif kpi.unit == "count":
            shown = suppress_total(int(value)).shown
        else:
            bases = [values.get(base) for base in PERCENT_BASES.get(code, ())]
            base = sum(int(b) for b in bases if isinstance(b, int)) if bases else None
            small = base is not None and 0 < base < 5
            shown = FEWER_THAN if small else f"{value:.1f}%"
        published.append(PublishedKpi(code, kpi.name, kpi.definition, kpi.unit, value, shown))
    return published
