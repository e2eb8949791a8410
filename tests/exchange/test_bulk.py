"""The importer's fast inserts and key lookups behave as bulk_create and a filter would."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cairn.accounts.models import Agency
from cairn.exchange.bulk import insert, pks_by
from cairn.missing.models import MissingEpisode
from tests.factories import ChildFactory


def test_insert_writes_every_field_and_sets_the_automatic_times(partnership) -> None:
    child = ChildFactory(agency=partnership.scc)
    seen = timezone.now() - dt.timedelta(days=1)
    episodes = [
        MissingEpisode(
            episode_ref=f"ME-{n}", child=child, agency=partnership.police, last_seen_at=seen,
            reported_at=seen, concerns=["criminal"], out_of_area=bool(n % 2),
        )
        for n in range(3)
    ]  # fmt: skip
    before = timezone.now()

    insert(MissingEpisode, episodes)

    stored = MissingEpisode.objects.order_by("episode_ref")
    assert [e.episode_ref for e in stored] == ["ME-0", "ME-1", "ME-2"]
    assert [e.out_of_area for e in stored] == [False, True, False]
    assert all(e.concerns == ["criminal"] and e.police_risk == "medium" for e in stored)
    assert all(e.last_seen_at == seen and e.created_at >= before for e in stored)
    assert not episodes[0]._state.adding


def test_pks_by_finds_more_keys_than_one_statement_takes(partnership) -> None:
    codes = [f"A{n}" for n in range(2500)]
    Agency.objects.bulk_create(Agency(code=code, name=code, kind="other") for code in codes)

    found = pks_by(Agency, "code", [*codes, "NOPE", None])

    assert len(found) == 2500
    assert found["A1234"] == Agency.objects.get(code="A1234").pk
