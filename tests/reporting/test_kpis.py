"""The KPI registry: periods in London time, areas, rounding and registration."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.reporting import kpis
from cairn.reporting.kpis import (
    KPIS,
    Area,
    InvalidPeriod,
    Period,
    UnknownArea,
    kpi_values,
    per_run,
    percent,
    register_kpi,
    round_half_up,
)
from tests.reporting.conftest import geography

UTC = dt.UTC

# --- Period ----------------------------------------------------------------------------------


def test_a_summer_period_starts_at_london_midnight_which_is_2300_utc_the_day_before() -> None:
    # 2024-04-01 is in British Summer Time (the clocks went forward on 31 March).
    period = Period(dt.date(2024, 4, 1), dt.date(2024, 4, 30))

    assert period.start == dt.datetime(2024, 3, 31, 23, 0, tzinfo=UTC)
    assert period.end == dt.datetime(2024, 4, 30, 23, 0, tzinfo=UTC)


def test_half_past_midnight_london_on_the_first_summer_day_is_inside() -> None:
    period = Period(dt.date(2024, 4, 1), dt.date(2024, 4, 30))
    half_past_midnight = dt.datetime(2024, 3, 31, 23, 30, tzinfo=UTC)  # 00:30 BST on 1 April

    assert period.contains(half_past_midnight)
    assert not period.contains(dt.datetime(2024, 3, 31, 22, 59, 59, tzinfo=UTC))
    # 00:30 BST on 1 May is the day after the period.
    assert not period.contains(dt.datetime(2024, 4, 30, 23, 30, tzinfo=UTC))
    assert period.contains(dt.datetime(2024, 4, 30, 22, 59, 59, 999999, tzinfo=UTC))


def test_a_winter_period_is_the_same_as_utc() -> None:
    period = Period(dt.date(2024, 1, 1), dt.date(2024, 1, 31))

    assert period.start == dt.datetime(2024, 1, 1, tzinfo=UTC)
    assert period.end == dt.datetime(2024, 2, 1, tzinfo=UTC)


def test_the_day_the_clocks_go_forward_has_23_hours_and_back_25() -> None:
    spring = Period(dt.date(2024, 3, 31), dt.date(2024, 3, 31))
    autumn = Period(dt.date(2024, 10, 27), dt.date(2024, 10, 27))

    assert spring.start == dt.datetime(2024, 3, 31, 0, 0, tzinfo=UTC)  # still GMT at midnight
    assert spring.end - spring.start == dt.timedelta(hours=23)
    assert autumn.start == dt.datetime(2024, 10, 26, 23, 0, tzinfo=UTC)  # BST at midnight
    assert autumn.end == dt.datetime(2024, 10, 28, 0, 0, tzinfo=UTC)
    assert autumn.end - autumn.start == dt.timedelta(hours=25)
    # 01:30 happens twice on 27 October (BST, then GMT): both are in the day.
    assert autumn.contains(dt.datetime(2024, 10, 27, 0, 30, tzinfo=UTC))
    assert autumn.contains(dt.datetime(2024, 10, 27, 1, 30, tzinfo=UTC))


def test_a_period_spanning_a_clock_change_ends_in_gmt() -> None:
    period = Period(dt.date(2024, 10, 1), dt.date(2024, 10, 31))

    assert period.start == dt.datetime(2024, 9, 30, 23, 0, tzinfo=UTC)
    assert period.end == dt.datetime(2024, 11, 1, 0, 0, tzinfo=UTC)
    assert period.contains(dt.datetime(2024, 10, 31, 23, 59, tzinfo=UTC))


def test_period_query_helpers_select_rows_by_london_dates(db) -> None:
    from cairn.accounts.models import Agency
    from cairn.children.models import Child

    agency = Agency.objects.create(code="SCC", name="Synthetshire Children's Services")
    moments = {
        "23:59 BST on 31 March": dt.datetime(2024, 3, 31, 22, 59, tzinfo=UTC),
        "00:30 BST on 1 April": dt.datetime(2024, 3, 31, 23, 30, tzinfo=UTC),
        "23:59 BST on 1 April": dt.datetime(2024, 4, 1, 22, 59, tzinfo=UTC),
        "00:00 BST on 2 April": dt.datetime(2024, 4, 1, 23, 0, tzinfo=UTC),
    }
    for label, moment in moments.items():
        child = Child.objects.create(
            child_ref=label, agency=agency, given_name="Testchild", family_name="Clock"
        )
        Child.objects.filter(pk=child.pk).update(created_at=moment)
    period = Period(dt.date(2024, 4, 1), dt.date(2024, 4, 1))

    inside = Child.objects.filter(period.datetime_q("created_at"))

    assert sorted(inside.values_list("child_ref", flat=True)) == [
        "00:30 BST on 1 April",
        "23:59 BST on 1 April",
    ]
    assert dict(period.date_q("assessed_on").children) == {
        "assessed_on__gte": dt.date(2024, 4, 1),
        "assessed_on__lte": dt.date(2024, 4, 1),
    }


def test_a_period_cannot_end_before_it_starts_or_be_given_datetimes() -> None:
    with pytest.raises(InvalidPeriod, match="starts on 2024-05-01, after it ends on 2024-04-30"):
        Period(dt.date(2024, 5, 1), dt.date(2024, 4, 30))
    with pytest.raises(InvalidPeriod, match="must be a date"):
        Period(dt.datetime(2024, 5, 1, tzinfo=UTC), dt.date(2024, 5, 30))
    with pytest.raises(ValueError, match="timezone-aware"):
        Period(dt.date(2024, 5, 1), dt.date(2024, 5, 1)).contains(dt.datetime(2024, 5, 1, 12))


# --- Rounding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown"),
    [
        (1, 8, 12.5),  # exactly 12.5
        (1, 400, 0.3),  # 0.25: half up, where banker's rounding gives 0.2
        (3, 400, 0.8),  # 0.75
        (5, 400, 1.3),  # 1.25: banker's gives 1.2
        (1, 3, 33.3),
        (2, 3, 66.7),
        (1, 7, 14.3),
        (0, 5, 0.0),
        (5, 5, 100.0),
        (7, 5, 140.0),
        (1, 2000, 0.1),  # 0.05 rounds up
        (1, 2001, 0.0),  # 0.04997... rounds down
    ],
)
def test_percentages_round_half_up_to_one_place(numerator, denominator, shown) -> None:
    assert percent(numerator, denominator) == shown


def test_a_percentage_of_nothing_is_null() -> None:
    assert percent(0, 0) is None
    assert percent(3, 0) is None


def test_round_half_up_is_not_bankers_rounding() -> None:
    assert round(0.25, 1) == 0.2  # what Python's round() would do
    assert round_half_up(Decimal("0.25")) == 0.3
    assert round_half_up(Decimal("0.35")) == 0.4
    assert round_half_up(2.675, 2) == 2.68  # round(2.675, 2) gives 2.67 (binary float)
    assert round_half_up(Decimal("-1.25")) == -1.3  # halves go away from zero
    assert round_half_up(7) == 7.0


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_percent_agrees_with_exact_fraction_arithmetic(numerator, denominator) -> None:
    tenths = Fraction(numerator * 1000, denominator)
    whole, rest = divmod(tenths.numerator, tenths.denominator)
    exact = whole + (1 if 2 * rest >= tenths.denominator else 0)

    assert percent(numerator, denominator) == exact / 10


# --- Areas -----------------------------------------------------------------------------------


def test_an_area_code_resolves_to_a_ward_or_the_wards_of_a_division(db) -> None:
    divisions, wards = geography()

    ward = Area.resolve("E05000002")
    division = Area.resolve("E58000001")

    assert (ward.kind, ward.name, ward.ward_ids) == ("ward", "Ward B", {wards["B"].pk})
    assert division.kind == "division"
    assert division.ward_ids == {wards["A"].pk, wards["B"].pk}


def test_an_unknown_area_code_is_an_error_naming_it(db) -> None:
    geography()
    with pytest.raises(UnknownArea, match="No ward or division has the code 'E05999999'"):
        Area.resolve("E05999999")
    with pytest.raises(UnknownArea):
        kpi_values(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 1, 2), area_code="")


def test_a_code_shared_by_a_ward_and_a_division_is_refused(db) -> None:
    from cairn.core.models import Division

    divisions, wards = geography()
    Division.objects.create(local_authority=divisions["EAST"].local_authority, code="E05000001")

    with pytest.raises(UnknownArea, match="both a ward and a division"):
        Area.resolve("E05000001")


# --- Registry --------------------------------------------------------------------------------


@pytest.fixture
def scratch_registry(monkeypatch):  # type: ignore[no-untyped-def]
    """Register test KPIs without touching the real registry."""
    registry = dict(KPIS)
    monkeypatch.setattr(kpis, "KPIS", registry)
    return registry


def test_the_registry_lists_the_register_codes_in_domain_order() -> None:
    codes = [c for c in KPIS if c.startswith("register.")]

    assert codes == [
        "register.children",
        "register.low",
        "register.medium",
        "register.high",
        "register.new",
    ]
    for kpi in KPIS.values():
        assert kpi.name and len(kpi.definition) > 40
        assert kpi.unit in ("count", "percent")


def test_registered_kpis_are_computed_in_registration_order(db, scratch_registry) -> None:
    @register_kpi(code="test.half", name="Half", definition="One of two.", unit="percent")
    def half(period: Period, area: Area | None) -> float | None:
        return percent(1, 2)

    @register_kpi(code="test.nothing", name="None of none", definition="0/0", unit="percent")
    def nothing(period: Period, area: Area | None) -> float | None:
        return percent(0, 0)

    values = kpi_values(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 1, 1))

    assert list(values)[-2:] == ["test.half", "test.nothing"]
    assert values["test.half"] == 50.0
    assert values["test.nothing"] is None
    assert scratch_registry["test.half"].compute is half  # the function is left undecorated


def test_a_code_cannot_be_registered_twice_or_badly_named(scratch_registry) -> None:
    with pytest.raises(ValueError, match="registered twice"):
        register_kpi(code="register.new", name="x", definition="x", unit="count")
    with pytest.raises(ValueError, match="group.name"):
        register_kpi(code="Register New", name="x", definition="x", unit="count")
    with pytest.raises(ValueError, match="unit"):
        register_kpi(code="test.days", name="x", definition="x", unit="days")  # type: ignore[arg-type]


def test_per_run_helpers_are_computed_once_per_call_of_kpi_values(db, scratch_registry) -> None:
    calls: list[Period] = []

    @per_run
    def shared(period: Period, area: Area | None) -> int:
        calls.append(period)
        return len(calls)

    for code in ("test.a", "test.b"):
        register_kpi(code=code, name=code, definition=code, unit="count")(shared)

    first = kpi_values(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 1, 1))
    second = kpi_values(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 1, 1))

    assert (first["test.a"], first["test.b"]) == (1, 1)
    assert (second["test.a"], second["test.b"]) == (2, 2)  # a new call sees fresh data
    assert shared(Period(dt.date(2024, 1, 1), dt.date(2024, 1, 1)), None) == 3  # no caching
