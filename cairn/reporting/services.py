"""Reporting writes: producing KPI figures is an audited export."""

from __future__ import annotations

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
