"""The KPI registry: every performance-matrix code (DOMAIN.md), its definition and its computation.

Adding a KPI (issues 5, 6, ...): write a function in a module under `cairn/reporting/measures/`,
decorate it, and list the module in `cairn/reporting/measures/__init__.py` (modules load in that
order, and `kpi_values` returns codes in registration order, which follows DOMAIN.md):

    @register_kpi(
        code="missing.episodes",
        name="Missing episodes",
        definition="Episodes reported in the period (Europe/London dates, inclusive).",
        unit="count",
    )
    def missing_episodes(period: Period, area: Area | None) -> int:
        episodes = MissingEpisode.objects.filter(period.datetime_q("reported_at"))
        return in_area(episodes, area, child="child").count()

A function returns an `int` for a count, and `percent(numerator, denominator)` for a percentage
(rounded half up to one decimal place; `None` when the denominator is 0). Work that several KPIs
share (one query feeding four counts) goes in a helper decorated with `@per_run`, which computes it
once per `kpi_values` call.
"""

from __future__ import annotations

import contextvars
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

LONDON = ZoneInfo("Europe/London")

Unit = Literal["count", "percent"]
Value = int | float | None
ComputeFn = Callable[["Period", "Area | None"], Value]
F = TypeVar("F", bound=Callable[..., Any])


class KpiError(ValueError):
    """A request for KPIs that cannot be answered (bad period, unknown area)."""


class InvalidPeriod(KpiError):
    pass


class UnknownArea(KpiError):
    pass


# --- Periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """An inclusive range of Europe/London calendar dates.

    Date fields compare with the dates directly (`date_q`). Moments (aware datetimes) are in the
    period when `start <= moment < end`: `start` is midnight in London at the beginning of
    `date_from` and `end` is midnight in London at the beginning of the day after `date_to`, so a
    day in the period lasts 23, 24 or 25 hours as the clocks change (`datetime_q`, `contains`).
    """

    date_from: date
    date_to: date

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if not isinstance(value, date) or isinstance(value, datetime):
                raise InvalidPeriod(f"{name} must be a date, not {value!r}")
        if self.date_from > self.date_to:
            raise InvalidPeriod(
                f"The period starts on {self.date_from.isoformat()}, "
                f"after it ends on {self.date_to.isoformat()}."
            )

    @property
    def start(self) -> datetime:
        """The first moment of the period: 00:00 Europe/London on `date_from` (in UTC)."""
        return _london_midnight(self.date_from)

    @property
    def end(self) -> datetime:
        """The first moment after the period: 00:00 Europe/London the day after `date_to` (UTC)."""
        return _london_midnight(self.date_to + timedelta(days=1))

    def contains(self, moment: datetime) -> bool:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("Compare periods with timezone-aware datetimes only")
        return self.start <= moment < self.end

    def contains_date(self, day: date) -> bool:
        return self.date_from <= day <= self.date_to

    def date_q(self, field_path: str) -> Q:
        """Rows whose date field falls in the period."""
        return Q(**{f"{field_path}__gte": self.date_from, f"{field_path}__lte": self.date_to})

    def datetime_q(self, field_path: str) -> Q:
        """Rows whose (aware) datetime field falls in the period, by London dates."""
        return Q(**{f"{field_path}__gte": self.start, f"{field_path}__lt": self.end})


def _london_midnight(day: date) -> datetime:
    """00:00 in London on `day`, as a UTC datetime.

    UK clocks change at 01:00 UTC, never at midnight, so London midnight always exists exactly
    once. Returning UTC keeps arithmetic honest: subtracting two datetimes that share a ZoneInfo
    gives the wall-clock difference (24 hours across a clock change), not the elapsed time."""
    return datetime.combine(day, time.min, tzinfo=LONDON).astimezone(UTC)


# --- Areas -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A ward, or a councillors' division (all its wards). KPIs restricted to an area count
    children whose ward (the child's recorded ward, `Child.ward`) is one of `ward_ids`; children
    with no ward are in no area."""

    code: str
    kind: Literal["ward", "division"]
    name: str
    ward_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def resolve(cls, code: str) -> Area:
        from cairn.core.models import Division, Ward

        code = code.strip()
        ward = Ward.objects.filter(code=code).first()
        division = Division.objects.filter(code=code).first()
        if ward is not None and division is not None:
            raise UnknownArea(f"'{code}' is the code of both a ward and a division.")
        if ward is not None:
            return cls(code=code, kind="ward", name=ward.name, ward_ids=frozenset({ward.pk}))
        if division is not None:
            ids = frozenset(division.wards.values_list("pk", flat=True))
            return cls(code=code, kind="division", name=division.name, ward_ids=ids)
        raise UnknownArea(f"No ward or division has the code '{code}'.")

    def child_q(self, child: str | None = None) -> Q:
        """Q for children in the area; `child` is the path to the child from the queried model
        (`None` when querying `Child` itself, "child" from `RiskAssessment`)."""
        path = f"{child}__ward_id__in" if child else "ward_id__in"
        return Q(**{path: sorted(self.ward_ids)})


def in_area(queryset: QuerySet, area: Area | None, *, child: str | None = None) -> QuerySet:
    """Restrict a queryset to children in the area (unchanged when there is no area)."""
    return queryset if area is None else queryset.filter(area.child_q(child))


# --- Arithmetic ------------------------------------------------------------------------------


def round_half_up(value: Decimal | int | float, places: int = 1) -> float:
    """Round to `places` decimals, halves away from zero (12.25 → 12.3, not banker's 12.2).

    Floats are taken by their shortest repr (`2.675` rounds to 2.68, as written)."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def percent(numerator: int, denominator: int) -> float | None:
    """numerator / denominator × 100, rounded half up to one decimal place; None if 0 / 0.

    The quotient is computed to 60 significant digits before rounding, which is exact enough
    that no count below 10**25 can be pushed across a rounding boundary."""
    if denominator == 0:
        return None
    if numerator < 0 or denominator < 0:
        raise ValueError("percent() takes counts, which are never negative")
    with localcontext() as ctx:
        ctx.prec = 60
        quotient = Decimal(numerator) * 100 / Decimal(denominator)
    return round_half_up(quotient, 1)


# --- The registry ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str
    definition: str
    unit: Unit
    compute: ComputeFn


KPIS: dict[str, Kpi] = {}
"""Every registered KPI by code, in registration order (the order of DOMAIN.md)."""

_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


def register_kpi(*, code: str, name: str, definition: str, unit: Unit) -> Callable[[F], F]:
    """Register the decorated `compute(period, area)` function as KPI `code`."""
    if not _CODE.match(code):
        raise ValueError(f"KPI code {code!r} must look like 'group.name' in lower case")
    if unit not in ("count", "percent"):
        raise ValueError(f"KPI {code}: unit must be 'count' or 'percent', not {unit!r}")
    if code in KPIS:
        raise ValueError(f"KPI {code} is registered twice")

    def decorator(func: F) -> F:
        KPIS[code] = Kpi(code=code, name=name, definition=definition, unit=unit, compute=func)
        return func

    return decorator


_run_cache: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar(
    "kpi_run_cache", default=None
)


def per_run(func: F) -> F:
    """Memoise a helper shared by several KPIs for the length of one `kpi_values` call.

    Its arguments must be hashable (Period, Area, dates, strings). Outside `kpi_values` it simply
    runs, so results never outlive the data they were computed from."""

    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        cache = _run_cache.get()
        if cache is None:
            return func(*args)
        key = (func, args)
        if key not in cache:
            cache[key] = func(*args)
        return cache[key]

    return wrapper  # type: ignore[return-value]


def kpi_values(*, date_from: date, date_to: date, area_code: str | None = None) -> dict[str, Value]:
    """Every registered KPI for the period (inclusive London dates), optionally for one ward or
    division, keyed by code in registry order. Raises `KpiError` for a bad period or area."""
    period = Period(date_from, date_to)
    area = Area.resolve(area_code) if area_code is not None else None
    token = _run_cache.set({})
    try:
        return {code: kpi.compute(period, area) for code, kpi in KPIS.items()}
    finally:
        _run_cache.reset(token)
