"""Missing services: recording an episode and the return, the return home interview and its
outcomes, repeat-missing alerts. Bad input names the field and saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from cairn.audit.models import AccessEvent, Action
from cairn.missing.models import InterviewAttempt, MissingEpisode, RepeatMissingAlert
from cairn.missing.services import (
    Outcome,
    alert_acknowledge,
    episode_record,
    episode_return_record,
    interview_due_at,
    repeat_missing_alerts_refresh,
    return_interview_record,
)
from tests.missing.conftest import episode

NOW = timezone.now


def record(p, hours_ago: float = 5, **fields):  # type: ignore[no-untyped-def]
    reported = NOW() - dt.timedelta(hours=hours_ago)
    values = {
        "actor": p.lead,
        "child": p.child,
        "last_seen_at": reported - dt.timedelta(hours=2),
        "reported_at": reported,
        "police_risk": "high",
        "last_seen_place": "Oakfield House",
        "clothing_worn": "Black puffer jacket, grey joggers",
    } | fields
    return episode_record(**values)


def messages_of(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


def test_an_episode_is_recorded_from_the_placement_the_child_was_in(partnership) -> None:
    p = partnership
    saved = record(p, concerns=["criminal", "criminal", "substance"])
    assert saved.episode_ref == "ME-000001"
    assert saved.placement == p.home
    assert saved.agency == p.scc and saved.recorded_by == p.lead
    assert saved.concerns == ["criminal", "substance"]
    assert saved.is_open
    assert AccessEvent.objects.filter(action=Action.CREATE, object_id=str(saved.pk)).count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"last_seen_at": None}, "last_seen_at", "Enter when the child was last seen"),
        ({"reported_at": None}, "reported_at", "Enter when the child was reported missing"),
        ({"police_risk": "absent"}, "police_risk", "Choose the police risk grade"),
        ({"concerns": ["gangs"]}, "concerns", "Unknown concern: gangs"),
    ],
)
def test_bad_episodes_name_the_field_and_save_nothing(partnership, fields, field, message) -> None:
    with pytest.raises(ValidationError) as caught:
        record(partnership, **fields)
    assert message in messages_of(caught)[field]
    assert not MissingEpisode.objects.exists()


def test_reported_before_last_seen_or_in_the_future_is_refused(partnership) -> None:
    later = NOW() - dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as caught:
        record(partnership, last_seen_at=later, reported_at=later - dt.timedelta(hours=3))
    assert messages_of(caught)["reported_at"][0].startswith(
        "The time reported must be after the time last seen"
    )
    with pytest.raises(ValidationError) as caught:
        record(partnership, reported_at=NOW() + dt.timedelta(hours=1))
    assert messages_of(caught)["reported_at"] == ["The time reported cannot be in the future"]
    assert not MissingEpisode.objects.exists()


def test_only_people_who_may_change_the_record_can_record_an_episode(partnership) -> None:
    for someone in (partnership.colleague, partnership.officer, partnership.nurse):
        with pytest.raises(PermissionDenied):
            record(partnership, actor=someone)
    assert record(partnership, actor=partnership.manager).agency == partnership.scc


def test_the_return_starts_the_72_hour_clock(partnership) -> None:
    saved = record(partnership, hours_ago=30)
    returned = NOW() - dt.timedelta(hours=2)
    episode_return_record(
        actor=partnership.lead, episode=saved, returned_at=returned, found_place="Bus station"
    )
    saved.refresh_from_db()
    assert saved.returned_at == returned and not saved.is_open
    assert interview_due_at(saved) == returned + dt.timedelta(hours=72)


def test_a_return_before_last_seen_is_refused(partnership) -> None:
    saved = record(partnership)
    with pytest.raises(ValidationError) as caught:
        episode_return_record(
            actor=partnership.lead,
            episode=saved,
            returned_at=saved.last_seen_at - dt.timedelta(minutes=1),
        )
    assert "must be after the time last seen" in messages_of(caught)["returned_at"][0]
    saved.refresh_from_db()
    assert saved.returned_at is None


def _returned(p):  # type: ignore[no-untyped-def]
    saved = record(p, hours_ago=30)
    episode_return_record(actor=p.lead, episode=saved, returned_at=NOW() - dt.timedelta(hours=20))
    saved.refresh_from_db()
    return saved


def test_an_interview_held_records_who_and_what_the_child_shared(partnership) -> None:
    p = partnership
    saved = _returned(p)
    offered = saved.returned_at + dt.timedelta(hours=1)
    # The interviewer is not involved with the child yet, so may not record it.
    with pytest.raises(PermissionDenied):
        return_interview_record(
            actor=p.interviewer, episode=saved, outcome=Outcome.OFFERED, offered_at=offered
        )
    interview, guidance = return_interview_record(
        actor=p.lead,
        episode=saved,
        outcome=Outcome.COMPLETED,
        offered_at=offered,
        happened_at=offered + dt.timedelta(hours=5),
        summary="Jordan said older boys gave them a train ticket to the city.",
        pull_factors="Promised money and belonging",
        intelligence_shared=True,
        intelligence_shared_with="Police exploitation team",
    )
    assert interview.interview_ref == f"RHI-{saved.episode_ref}"
    assert interview.completed_at == offered + dt.timedelta(hours=5)
    assert interview.interviewer == p.lead and interview.interviewer_agency == p.scc
    assert guidance == []


def test_interview_guidance_points_out_victim_blaming_words(partnership) -> None:
    saved = _returned(partnership)
    _, guidance = return_interview_record(
        actor=partnership.lead,
        episode=saved,
        outcome=Outcome.COMPLETED,
        offered_at=saved.returned_at,
        happened_at=saved.returned_at + dt.timedelta(hours=1),
        summary="Jordan is promiscuous and putting themselves at risk.",
    )
    assert guidance, "the summary's wording should get children-first guidance"


@pytest.mark.parametrize(
    ("outcome", "fields", "field", "message"),
    [
        (Outcome.DECLINED, {}, "declined_reason", "Say why the child declined"),
        (Outcome.NOT_HELD, {}, "not_held_reason", "Give the reason for deciding not to hold one"),
        (Outcome.COMPLETED, {}, "summary", "Write a summary of what the child shared"),
        (Outcome.COMPLETED, {"happened_at": None}, "happened_at", "Enter when this happened"),
        (Outcome.OFFERED, {"offered_at": None}, "offered_at", "Enter when the interview"),
        ("maybe", {}, "outcome", "Choose what happened to the interview"),
    ],
)
def test_interview_outcomes_need_what_they_say(
    partnership, outcome, fields, field, message
) -> None:
    saved = _returned(partnership)
    values = {
        "offered_at": saved.returned_at,
        "happened_at": saved.returned_at + dt.timedelta(hours=2),
    } | fields
    with pytest.raises(ValidationError) as caught:
        return_interview_record(actor=partnership.lead, episode=saved, outcome=outcome, **values)
    assert any(m.startswith(message) for m in messages_of(caught)[field])
    assert not InterviewAttempt.objects.exists()
    assert not MissingEpisode.objects.filter(return_interview__isnull=False).exists()


def test_an_interview_before_the_return_or_before_any_return_is_refused(partnership) -> None:
    saved = _returned(partnership)
    with pytest.raises(ValidationError) as caught:
        return_interview_record(
            actor=partnership.lead,
            episode=saved,
            outcome=Outcome.OFFERED,
            offered_at=saved.returned_at - dt.timedelta(minutes=5),
        )
    assert "must be after the child returned" in messages_of(caught)["offered_at"][0]
    still_missing = record(partnership)
    with pytest.raises(ValidationError) as caught:
        return_interview_record(
            actor=partnership.lead,
            episode=still_missing,
            outcome=Outcome.OFFERED,
            offered_at=NOW(),
        )
    assert "Record the child's return" in messages_of(caught)["outcome"][0]


def test_attempts_add_up_and_declining_later_replaces_nothing_held(partnership) -> None:
    saved = _returned(partnership)
    for hours in (1, 6):
        return_interview_record(
            actor=partnership.lead,
            episode=saved,
            outcome=Outcome.ATTEMPTED,
            offered_at=saved.returned_at,
            happened_at=saved.returned_at + dt.timedelta(hours=hours),
            attempt_note="Not at home",
        )
    interview, _ = return_interview_record(
        actor=partnership.lead,
        episode=saved,
        outcome=Outcome.DECLINED,
        offered_at=saved.returned_at,
        happened_at=saved.returned_at + dt.timedelta(hours=8),
        declined_reason="Jordan said they did not want to talk today.",
    )
    assert InterviewAttempt.objects.filter(interview=interview).count() == 2
    assert interview.declined and interview.completed_at is None


# Repeat-missing alerts ---------------------------------------------------------------------


def test_the_third_episode_in_90_days_raises_one_alert(partnership) -> None:
    p = partnership
    record(p, hours_ago=24 * 80)
    record(p, hours_ago=24 * 40)
    assert not RepeatMissingAlert.objects.exists()
    third = record(p, hours_ago=24)
    alert = RepeatMissingAlert.objects.get()
    assert (alert.child, alert.episode, alert.episodes, alert.window_days) == (
        p.child,
        third,
        3,
        90,
    )
    record(p, hours_ago=10)  # a fourth while the alert is open: no second alert
    assert RepeatMissingAlert.objects.count() == 1


def test_episodes_spread_over_more_than_90_days_raise_no_alert(partnership) -> None:
    for days in (200, 100, 5):
        record(partnership, hours_ago=24 * days)
    assert not RepeatMissingAlert.objects.exists()


@override_settings(CAIRN_REPEAT_MISSING_EPISODES=2, CAIRN_REPEAT_MISSING_DAYS=30)
def test_the_threshold_and_window_are_settings(partnership) -> None:
    record(partnership, hours_ago=24 * 20)
    record(partnership, hours_ago=24)
    assert RepeatMissingAlert.objects.get().window_days == 30


def test_an_acknowledged_alert_is_raised_again_by_a_new_episode(partnership) -> None:
    p = partnership
    for days in (60, 30, 2):
        record(p, hours_ago=24 * days)
    alert = RepeatMissingAlert.objects.get()
    with pytest.raises(ValidationError):
        alert_acknowledge(actor=p.lead, alert=alert, note="  ")
    with pytest.raises(PermissionDenied):
        alert_acknowledge(actor=p.officer, alert=alert, note="Strategy discussion held")
    alert_acknowledge(actor=p.lead, alert=alert, note="Strategy discussion held on Monday")
    repeat_missing_alerts_refresh([p.child.pk])  # nothing new: nothing raised
    assert RepeatMissingAlert.objects.count() == 1
    record(p, hours_ago=1)
    assert RepeatMissingAlert.objects.filter(acknowledged_at__isnull=True).count() == 1


def test_old_history_imported_today_raises_no_alert(partnership) -> None:
    for days in (400, 390, 380):
        episode(
            partnership.child,
            reported=(timezone.localtime() - dt.timedelta(days=days)).strftime("%Y-%m-%d %H:%M"),
        )
    assert repeat_missing_alerts_refresh([partnership.child.pk]) == []
