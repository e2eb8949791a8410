"""Each child's latest assessment is marked current (`RiskAssessment.is_current`), whatever
writes or removes assessments: the register and reviews read that mark instead of searching
each child's history, so it must always agree with the history."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import IntegrityError, transaction

from cairn.risk.models import RiskAssessment, current_assessments_refresh
from cairn.risk.selectors import latest_catalogue_version
from tests.factories import ChildFactory

DAY = dt.date(2025, 6, 1)


def _create(child, ref: str, day: dt.date) -> RiskAssessment:  # type: ignore[no-untyped-def]
    return RiskAssessment.objects.create(
        assessment_ref=ref,
        child=child,
        agency=child.agency,
        assessed_on=day,
        catalogue_version=latest_catalogue_version(),
        suggested_level="low",
        level="low",
    )


def _expected() -> set[int]:
    """Each child's latest assessment, found from the whole history."""
    latest: dict[int, tuple[dt.date, int]] = {}
    for pk, child_id, day in RiskAssessment.objects.values_list("pk", "child_id", "assessed_on"):
        latest[child_id] = max(latest.get(child_id, (day, pk)), (day, pk))
    return {pk for _, pk in latest.values()}


def _marked() -> set[int]:
    return set(RiskAssessment.objects.filter(is_current=True).values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(6))
def test_the_mark_follows_every_create_change_move_and_delete(seed: int) -> None:
    rng = random.Random(seed)
    children = [ChildFactory() for _ in range(3)]
    for step in range(30):
        assessments = list(RiskAssessment.objects.all())
        action = rng.choice(["create", "create", "redate", "move", "delete", "delete_many"])
        if action == "create" or not assessments:
            _create(rng.choice(children), f"R-{seed}-{step}", DAY - dt.timedelta(rng.randint(0, 9)))
        elif action == "redate":
            chosen = rng.choice(assessments)
            chosen.assessed_on = DAY - dt.timedelta(rng.randint(0, 9))
            chosen.save()
        elif action == "move":
            chosen = rng.choice(assessments)
            chosen.child = rng.choice(children)
            chosen.save()
        elif action == "delete":
            rng.choice(assessments).delete()
        else:
            RiskAssessment.objects.filter(child=rng.choice(children)).delete()
        assert _marked() == _expected(), f"after {action} at step {step}"


@pytest.mark.django_db
def test_the_same_day_goes_to_the_one_recorded_last() -> None:
    child = ChildFactory()
    first = _create(child, "R-1", DAY)
    assert first.is_current
    second = _create(child, "R-2", DAY)
    earlier = _create(child, "R-3", DAY - dt.timedelta(days=1))
    assert (second.is_current, earlier.is_current) == (True, False)
    assert _marked() == {second.pk}


@pytest.mark.django_db
def test_a_full_refresh_repairs_rows_written_in_bulk() -> None:
    """Bulk writes (the generator, the migration that added the mark) refresh afterwards."""
    children = [ChildFactory() for _ in range(4)]
    version = latest_catalogue_version()
    RiskAssessment.objects.bulk_create(
        RiskAssessment(
            assessment_ref=f"B-{n}",
            child=children[n % 4],
            agency=children[n % 4].agency,
            assessed_on=DAY - dt.timedelta(days=n % 7),
            catalogue_version=version,
            suggested_level="low",
            level="low",
            is_current=n in (1, 2, 3),  # stale marks (not the latest) must be cleared
        )
        for n in range(20)
        if n % 4 != 3 or n < 10
    )
    assert _marked() != _expected()
    current_assessments_refresh()
    assert _marked() == _expected()
    assert len(_marked()) == 4


@pytest.mark.django_db
def test_the_database_refuses_two_current_assessments_for_one_child() -> None:
    child = ChildFactory()
    _create(child, "R-1", DAY)
    second = _create(child, "R-2", DAY - dt.timedelta(days=3))
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskAssessment.objects.filter(pk=second.pk).update(is_current=True)
