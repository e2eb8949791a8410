from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cairn.reporting.suppression import FEWER_THAN, suppress, suppress_total


def test_counts_from_one_to_four_are_hidden_and_zero_is_shown():
    cells = suppress({"low": 12, "medium": 3, "high": 0})
    assert cells["medium"].shown == FEWER_THAN
    assert cells["high"].shown == "0"


def test_a_second_cell_is_hidden_when_a_total_would_reveal_the_first():
    cells = suppress({"low": 40, "medium": 3, "high": 9})
    assert cells["medium"].shown == FEWER_THAN
    assert cells["high"].shown == "suppressed"  # the smallest other cell
    assert cells["low"].shown == "40"


def test_two_small_cells_need_no_further_suppression():
    cells = suppress({"low": 40, "medium": 3, "high": 2})
    assert [cells[k].shown for k in ("low", "medium", "high")] == ["40", FEWER_THAN, FEWER_THAN]


def test_totals_are_suppressed_too():
    assert suppress_total(3).shown == FEWER_THAN
    assert suppress_total(0).shown == "0"
    assert suppress_total(7).shown == "7"


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 30), min_size=2))
def test_no_small_count_can_be_worked_out_from_the_total(parts):
    cells = suppress(parts)
    for cell in cells.values():
        if 0 < cell.value < 5:
            assert cell.suppressed
    hidden = [c for c in cells.values() if c.suppressed]
    # Exactly one hidden cell would be revealed by the total minus the shown cells, unless the
    # total is itself hidden.
    if len(hidden) == 1:
        assert suppress_total(sum(parts.values())).suppressed


def test_scrutiny_users_see_register_counts_with_small_numbers_suppressed(client, db):
    from datetime import timedelta

    from django.utils import timezone

    from cairn.risk.models import CatalogueVersion, RiskAssessment
    from tests.factories import ChildFactory, UserFactory

    version = CatalogueVersion.objects.get(number=1)
    day = timezone.localdate() - timedelta(days=3)
    for level, how_many in (("low", 6), ("medium", 2), ("high", 7)):
        for _ in range(how_many):
            RiskAssessment.objects.create(
                assessment_ref=f"S-{level}-{_}", child=ChildFactory(), agency=ChildFactory().agency,
                assessed_on=day, catalogue_version=version, suggested_level=level, level=level,
            )  # fmt: skip
    client.force_login(UserFactory(role="scrutiny"))
    html = client.get("/").content.decode()
    assert "Children at risk of exploitation" in html
    assert ">7<" in html  # high
    assert html.count(">fewer than 5<") == 1  # medium (2)
    assert ">suppressed<" in html  # low (6), the smallest other cell, would reveal medium
    assert ">6<" not in html
    assert ">15<" in html  # the total
