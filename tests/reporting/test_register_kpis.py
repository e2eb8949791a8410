"""`register.*` KPIs on the hand-checked register in conftest.py, and against a reference."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.accounts.models import Agency
from cairn.children.models import Child
from cairn.reporting import kpis
from cairn.reporting.kpis import KPIS, kpi_values
from cairn.risk.models import CatalogueVersion, RiskAssessment
from tests.reporting.conftest import geography

CODES = ("register.children", "register.low", "register.medium", "register.high", "register.new")


def register_kpis(date_from: str, date_to: str, area: str | None = None) -> dict[str, object]:
    values = kpi_values(
        date_from=dt.date.fromisoformat(date_from),
        date_to=dt.date.fromisoformat(date_to),
        area_code=area,
    )
    return {code: values[code] for code in CODES}


def expected(children: int, low: int, medium: int, high: int, new: int) -> dict[str, int]:
    assert children == low + medium + high
    return dict(zip(CODES, (children, low, medium, high, new), strict=True))


def test_a_quarter_that_cuts_across_assessments(register) -> None:
    # 2024-04-01 to 2024-06-30. Level at 30 June (latest assessment on or before it):
    #   low:    rising (low 15 May), eve (low 31 Mar, the day before the period),
    #           same_day_down (high then low on 9 Sep 2023: the later-recorded low wins),
    #           no_ward (low 15 Apr)                                                   -> 4
    #   medium: fell_after (medium 1 Mar; its "none" on 1 Jul is after the period),
    #           returning (medium 1 May, after an earlier low and a fall to none)     -> 2
    #   high:   long_standing (high 1 Feb), same_day (low then high on 30 Jun)        -> 2
    #   not counted: fell_before (none on 20 Jun, before the end), same_day_off (medium then
    #   none on 1 Apr), never (only none), future_only (first assessed 1 Jul), unassessed.
    # New (first low-or-above dated in the period): rising (15 May; its earlier "none" does
    #   not count), same_day (30 Jun, the last day), same_day_off (1 Apr, the first day: new
    #   although off the register by the end), no_ward (15 Apr)                      -> 4
    #   Not new: eve (31 Mar), long_standing (2023), returning (first low in 2022).
    assert register_kpis("2024-04-01", "2024-06-30") == expected(8, 4, 2, 2, 4)


def test_the_day_after_sees_falls_and_arrivals_on_that_day(register) -> None:
    # 1 July 2024: fell_after's "none" now counts (off the register); future_only's first
    # assessment, low, puts them on it and makes them new. Others as at 30 June.
    # low: rising, eve, same_day_down, no_ward, future_only = 5; medium: returning = 1;
    # high: long_standing, same_day = 2; new: future_only = 1.
    assert register_kpis("2024-07-01", "2024-07-01") == expected(8, 5, 1, 2, 1)


def test_an_earlier_half_year_sees_the_register_as_it_was(register) -> None:
    # 2023-07-01 to 2023-12-31. At 31 Dec 2023: long_standing medium (1 Jun 2023);
    # same_day_down low (9 Sep 2023, new in this period); rising's latest is "none" (Jan 2023)
    # and returning's is "none" (1 Jan 2023): neither counted. No one else assessed yet.
    # long_standing is not new: first medium on 1 Jun 2023, before the period.
    assert register_kpis("2023-07-01", "2023-12-31") == expected(2, 1, 1, 0, 1)


def test_a_child_who_fell_off_and_came_back_is_new_only_the_first_time(register) -> None:
    # returning: low 1 May 2022 (new in 2022), none 1 Jan 2023, medium 1 May 2024 (not new).
    assert register_kpis("2022-01-01", "2022-12-31") == expected(1, 1, 0, 0, 1)
    assert register_kpis("2024-05-01", "2024-05-01") == expected(7, 3, 2, 2, 0)


def test_a_period_before_any_assessment_gives_zeros_not_nulls(register) -> None:
    values = register_kpis("2000-01-01", "2000-12-31")

    assert values == expected(0, 0, 0, 0, 0)
    assert all(type(v) is int for v in values.values())


def test_an_empty_database_gives_zeros(db) -> None:
    assert register_kpis("2024-04-01", "2024-06-30") == expected(0, 0, 0, 0, 0)


def test_a_long_period_counts_every_child_ever_on_the_register_as_new(register) -> None:
    # Everyone with any low-or-above assessment: all but "never" and "unassessed" = 11.
    # At 31 Dec 2024: low rising, eve, same_day_down, no_ward, future_only; medium returning;
    # high long_standing, same_day.
    assert register_kpis("2020-01-01", "2024-12-31") == expected(8, 5, 1, 2, 11)


def test_a_ward_counts_only_children_whose_ward_it_is(register) -> None:
    # Ward A (E05000001): rising (low, new), long_standing (high); future_only not yet
    # assessed by 30 June; unassessed never.
    assert register_kpis("2024-04-01", "2024-06-30", "E05000001") == expected(2, 1, 0, 1, 1)
    # Ward D (E05000004, in no division): returning (medium, not new).
    assert register_kpis("2024-04-01", "2024-06-30", "E05000004") == expected(1, 0, 1, 0, 0)


def test_a_division_counts_the_children_of_all_its_wards(register) -> None:
    # EAST = wards A + B: rising (low, new), long_standing (high), fell_after (medium),
    # eve (low); fell_before is off the register by 20 June.
    assert register_kpis("2024-04-01", "2024-06-30", "E58000001") == expected(4, 2, 1, 1, 1)
    # WEST = ward C: same_day (high, new), same_day_down (low), same_day_off (new but off by
    # the end), never (not counted).
    assert register_kpis("2024-04-01", "2024-06-30", "E58000002") == expected(2, 1, 0, 1, 2)
    # Areas never include the child with no ward: EAST + WEST + ward D = 7 of the 8 in the county.


def test_the_register_takes_two_queries_however_many_children(
    register, django_assert_num_queries, monkeypatch
) -> None:
    # Only the register.* KPIs: other groups count their own queries.
    monkeypatch.setattr(kpis, "KPIS", {code: KPIS[code] for code in CODES})
    # One for every child's level at the end (shared by register.children/low/medium/high),
    # one for register.new.
    with django_assert_num_queries(2):
        kpi_values(date_from=dt.date(2024, 4, 1), date_to=dt.date(2024, 6, 30))
    # Resolving an area adds a look-up in wards and in divisions, and a division's wards.
    with django_assert_num_queries(4):
        kpi_values(
            date_from=dt.date(2024, 4, 1), date_to=dt.date(2024, 6, 30), area_code="E05000001"
        )
    with django_assert_num_queries(5):
        kpi_values(
            date_from=dt.date(2024, 4, 1), date_to=dt.date(2024, 6, 30), area_code="E58000001"
        )


# --- Property: the ORM computation agrees with a direct reading of the definitions -----------

LEVELS = ("none", "low", "medium", "high")
BASE = dt.date(2024, 1, 1)

history = st.lists(st.tuples(st.integers(0, 20), st.sampled_from(LEVELS)), min_size=0, max_size=6)
child = st.tuples(st.sampled_from(["A", "B", "C", "D", None]), history)


def reference(
    children: list[tuple[str | None, list[tuple[int, dt.date, str]]]],
    date_from: dt.date,
    date_to: dt.date,
    wards: set[str | None] | None,
) -> dict[str, int]:
    """Straight from DOMAIN.md, child by child. Assessments are (id, date, level)."""
    counts = dict.fromkeys(CODES, 0)
    for ward, assessments in children:
        if wards is not None and ward not in wards:
            continue
        so_far = [a for a in assessments if a[1] <= date_to]
        if so_far:
            level = max(so_far, key=lambda a: (a[1], a[0]))[2]
            if level != "none":
                counts["register.children"] += 1
                counts[f"register.{level}"] += 1
        at_risk = [a[1] for a in assessments if a[2] != "none"]
        if at_risk and date_from <= min(at_risk) <= date_to:
            counts["register.new"] += 1
    return counts


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    children=st.lists(child, min_size=0, max_size=8),
    start=st.integers(0, 20),
    length=st.integers(0, 10),
    area=st.sampled_from([None, "A", "C", "EAST", "WEST"]),
)
def test_register_kpis_match_a_reference_computation(children, start, length, area) -> None:
    with transaction.atomic():
        agency = Agency.objects.create(code="SCC", name="Synthetshire Children's Services")
        divisions, wards = geography()
        version = CatalogueVersion.objects.get(number=1)
        made: list[tuple[str | None, list[tuple[int, dt.date, str]]]] = []
        for n, (ward, assessments) in enumerate(children):
            record = Child.objects.create(
                child_ref=f"P-{n}",
                agency=agency,
                given_name="Testchild",
                family_name=f"Number {n}",
                ward=wards[ward] if ward else None,
            )
            rows = RiskAssessment.objects.bulk_create(
                RiskAssessment(
                    assessment_ref=f"P-{n}-{i}",
                    child=record,
                    agency=agency,
                    assessed_on=BASE + dt.timedelta(days=offset),
                    catalogue_version=version,
                    suggested_level=level,
                    level=level,
                )
                for i, (offset, level) in enumerate(assessments)
            )
            made.append((ward, [(r.pk, r.assessed_on, r.level) for r in rows]))
        date_from = BASE + dt.timedelta(days=start)
        date_to = date_from + dt.timedelta(days=length)
        area_code, area_wards = {
            None: (None, None),
            "A": (wards["A"].code, {"A"}),
            "C": (wards["C"].code, {"C"}),
            "EAST": (divisions["EAST"].code, {"A", "B"}),
            "WEST": (divisions["WEST"].code, {"C"}),
        }[area]

        got = register_kpis(date_from.isoformat(), date_to.isoformat(), area_code)

        assert got == reference(made, date_from, date_to, area_wards)
        transaction.set_rollback(True)


def test_a_division_with_no_wards_counts_nobody(register) -> None:
    from cairn.core.models import Division

    Division.objects.create(
        local_authority=register.divisions["EAST"].local_authority, code="E58000009", name="Empty"
    )

    assert register_kpis("2024-04-01", "2024-06-30", "E58000009") == expected(0, 0, 0, 0, 0)
