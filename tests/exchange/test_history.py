"""The change history an import writes in bulk is what django-auditlog records for one save."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from auditlog.diff import model_instance_diff
from django.utils import timezone

from cairn.children.models import Child, Placement
from cairn.exchange.history import instance_diff, load_relations
from cairn.missing.models import InterviewAttempt, MissingEpisode, ReturnInterview
from tests.factories import ChildFactory, PlacementFactory


@pytest.fixture
def records(partnership):  # type: ignore[no-untyped-def]
    child = ChildFactory(child_ref="C-1", agency=partnership.scc, postcode="SY1 1AA")
    placement = PlacementFactory(placement_ref="P-1", child=child)
    seen = timezone.now() - dt.timedelta(days=3)
    episode = MissingEpisode.objects.create(
        episode_ref="ME-1", child=child, agency=partnership.police, placement=placement,
        last_seen_at=seen, reported_at=seen + dt.timedelta(hours=1),
        returned_at=seen + dt.timedelta(hours=9), police_risk="high",
        concerns=["criminal", "substance"], clothing_worn="Grey hoodie", found_ward=None,
    )  # fmt: skip
    interview = ReturnInterview.objects.create(
        interview_ref="RI-1", episode=episode, agency=partnership.scc,
        offered_at=seen + dt.timedelta(hours=10), summary="Stayed with friends",
    )  # fmt: skip
    InterviewAttempt.objects.create(interview=interview, attempted_at=seen)
    return [child, placement, episode, interview]


def fresh(record):  # type: ignore[no-untyped-def]
    return type(record)._default_manager.get(pk=record.pk)


def test_a_new_records_history_is_auditlogs(records) -> None:
    for record in records:
        model = type(record)
        ours, theirs = fresh(record), fresh(record)
        load_relations(model, [ours], created=[])
        assert instance_diff(model, None, ours) == model_instance_diff(None, theirs), model


def test_an_updated_records_history_is_auditlogs(records, partnership) -> None:
    changes = {
        Child: {"given_name": "Ama", "postcode": "SY2 2BB", "ward_id": partnership.wards[0].pk},
        Placement: {"end_date": dt.date(2030, 1, 1), "out_of_area": True},
        MissingEpisode: {"returned_at": None, "concerns": [], "clothing_worn": "Red coat",
                         "placement_id": None},
        ReturnInterview: {"declined": True, "summary": "", "offered_at": timezone.now()},
    }  # fmt: skip
    for record in records:
        model = type(record)
        before = fresh(record)
        after = copy.copy(before)
        for attname, value in changes[model].items():
            setattr(after, attname, value)
        assert instance_diff(model, before, after) == model_instance_diff(before, after), model
        assert instance_diff(model, before, copy.copy(before)) is None


def test_load_relations_reads_what_str_names_once_per_chunk(
    records, django_assert_num_queries
) -> None:
    episodes = [fresh(records[2]) for _ in range(3)]
    with django_assert_num_queries(2):  # the first record's child, then the rest at once
        load_relations(MissingEpisode, episodes, created=[])
    with django_assert_num_queries(0):
        assert [str(e) for e in episodes] == [str(records[2])] * 3
