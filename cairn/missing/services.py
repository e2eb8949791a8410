"""Writes for missing episodes, return home interviews, repeat-missing alerts and Philomena
profiles. Each function checks the access policy, validates, writes in a transaction and records
an access event; free text gets children-first language guidance (never blocking)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cairn.accounts import access
from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.children.models import Placement
from cairn.language.services import language_guidance
from cairn.missing.models import (
    Concern,
    InterviewAttempt,
    MissingEpisode,
    PoliceRisk,
    RepeatMissingAlert,
    ReturnInterview,
)

if TYPE_CHECKING:
    from cairn.accounts.models import Agency, User
    from cairn.children.models import Child
    from cairn.core.models import Ward

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _when(moment: datetime) -> str:
    """A date-time as people read it, in London time: '21 June 2025 at 23:30'."""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def _require_edit(actor: User, child: Child, what: str) -> None:
    if not access.child_access(actor, child).edit or actor.agency_id is None:
        raise PermissionDenied(f"You cannot {what} for this child")


def _next_ref(model: type[MissingEpisode] | type[ReturnInterview], field: str, prefix: str) -> str:
    """The next reference like ME-000042, after the largest of that form (references from
    imports, in other forms, are left alone)."""
    refs = model.objects.filter(**{f"{field}__regex": rf"^{prefix}-[0-9]{{6}}$"})
    largest = refs.order_by(f"-{field}").values_list(field, flat=True).first()
    number = int(largest.rsplit("-", 1)[1]) + 1 if largest else 1
    return f"{prefix}-{number:06d}"


def _future(errors: Errors, field: str, moment: datetime | None, label: str) -> None:
    if moment is not None and moment > timezone.now():
        _add(errors, field, f"{label} cannot be in the future")


# Episodes ------------------------------------------------------------------------------------


def placement_at(child: Child, moment: datetime) -> Placement | None:
    """The child's placement on the day of `moment` (London date), if any: the latest started."""
    day = timezone.localtime(moment).date()
    return (
        Placement.objects.filter(child=child, start_date__lte=day)
        .exclude(end_date__lt=day)
        .order_by("-start_date", "-id")
        .first()
    )


@transaction.atomic
def episode_record(
    *,
    actor: User,
    child: Child,
    last_seen_at: datetime | None,
    reported_at: datetime | None,
    police_risk: str,
    last_seen_place: str = "",
    last_seen_with: str = "",
    clothing_worn: str = "",
    reported_by: str = "",
    police_reference: str = "",
    concerns: Iterable[str] = (),
    placement: Placement | None = None,
    episode_ref: str | None = None,
) -> MissingEpisode:
    """Record a child going missing. The placement defaults to the one the child was in when
    last seen. Raises a repeat-missing alert when this episode makes enough in the window."""
    _require_edit(actor, child, "record a missing episode")
    errors: Errors = {}
    if last_seen_at is None:
        _add(errors, "last_seen_at", "Enter when the child was last seen")
    if reported_at is None:
        _add(errors, "reported_at", "Enter when the child was reported missing")
    _future(errors, "last_seen_at", last_seen_at, "The time last seen")
    _future(errors, "reported_at", reported_at, "The time reported")
    if last_seen_at and reported_at and reported_at < last_seen_at:
        _add(
            errors,
            "reported_at",
            f"The time reported must be after the time last seen ({_when(last_seen_at)})",
        )
    if police_risk not in PoliceRisk.values:
        _add(errors, "police_risk", "Choose the police risk grade")
    concerns = list(dict.fromkeys(concerns))
    unknown = [c for c in concerns if c not in Concern.values]
    if unknown:
        _add(errors, "concerns", f"Unknown concern: {', '.join(unknown)}")
    if placement is not None and placement.child_id != child.pk:
        _add(errors, "placement", "Choose one of this child's placements")
    if errors:
        raise ValidationError(errors)
    assert last_seen_at is not None and reported_at is not None  # noqa: S101 - checked above
    if placement is None:
        placement = placement_at(child, last_seen_at)
    episode = MissingEpisode(
        episode_ref=episode_ref or _next_ref(MissingEpisode, "episode_ref", "ME"),
        child=child,
        agency_id=actor.agency_id,
        recorded_by=actor,
        placement=placement,
        last_seen_at=last_seen_at,
        last_seen_place=last_seen_place.strip(),
        last_seen_with=last_seen_with.strip(),
        clothing_worn=clothing_worn.strip(),
        reported_at=reported_at,
        reported_by=reported_by.strip(),
        police_reference=police_reference.strip(),
        police_risk=police_risk,
        concerns=concerns,
    )
    episode.full_clean()
    episode.save()
    access_event_record(actor=actor, action=Action.CREATE, obj=episode, child=child)
    repeat_missing_alerts_refresh([child.pk])
    return episode


@transaction.atomic
def episode_return_record(
    *,
    actor: User,
    episode: MissingEpisode,
    returned_at: datetime | None,
    found_place: str = "",
    found_ward: Ward | None = None,
    out_of_area: bool = False,
    found_with: str = "",
    travel: str = "",
) -> MissingEpisode:
    """Record the child's return (or being found): this starts the return home interview
    clock. Correcting a recorded return is allowed (the change history keeps the old value)."""
    child = episode.child
    _require_edit(actor, child, "record a return")
    errors: Errors = {}
    if returned_at is None:
        _add(errors, "returned_at", "Enter when the child returned or was found")
    else:
        _future(errors, "returned_at", returned_at, "The time of return")
        if returned_at < episode.last_seen_at:
            _add(
                errors,
                "returned_at",
                "The time of return must be after the time last seen "
                f"({_when(episode.last_seen_at)})",
            )
    interview = ReturnInterview.objects.filter(episode=episode).first()
    if interview is not None and returned_at is not None:
        for name, moment in (("offered", interview.offered_at), ("held", interview.completed_at)):
            if moment is not None and moment < returned_at:
                _add(
                    errors,
                    "returned_at",
                    f"The return home interview was {name} on {_when(moment)}, before this time",
                )
    if errors:
        raise ValidationError(errors)
    episode.returned_at = returned_at
    episode.found_place = found_place.strip()
    episode.found_ward = found_ward
    episode.out_of_area = out_of_area
    episode.found_with = found_with.strip()
    episode.travel = travel.strip()
    episode.full_clean()
    episode.save()
    access_event_record(
        actor=actor, action=Action.UPDATE, obj=episode, child=child, detail={"recorded": "return"}
    )
    return episode


def interview_due_at(episode: MissingEpisode) -> datetime | None:
    """When the return home interview falls due: CAIRN_RHI_HOURS after the return."""
    if episode.returned_at is None:
        return None
    return episode.returned_at + timedelta(hours=settings.CAIRN_RHI_HOURS)


# Return home interviews ----------------------------------------------------------------------


class OutcomeChoice(StrEnum):
    """What happened to the interview (the API's enumeration; the same values as Outcome)."""

    COMPLETED = "completed"
    ATTEMPTED = "attempted"
    OFFERED = "offered"
    DECLINED = "declined"
    NOT_HELD = "not_held"


class Outcome:
    """What happened to the interview, as recorded on the form."""

    COMPLETED = "completed"
    DECLINED = "declined"
    NOT_HELD = "not_held"
    ATTEMPTED = "attempted"  # tried and not yet held: adds an attempt
    OFFERED = "offered"  # offered, waiting for the child

    choices = [
        (COMPLETED, "Held with the child"),
        (ATTEMPTED, "Tried, but not held yet"),
        (OFFERED, "Offered, waiting to arrange"),
        (DECLINED, "The child declined"),
        (NOT_HELD, "Decided not to hold one"),
    ]


_CONTENT_FIELDS = (
    "push_factors",
    "pull_factors",
    "where_stayed",
    "with_whom",
    "travel",
    "harm_detail",
    "support_offered",
    "intelligence_shared_with",
    "summary",
)


@transaction.atomic
def return_interview_record(
    *,
    actor: User,
    episode: MissingEpisode,
    outcome: str,
    offered_at: datetime | None,
    happened_at: datetime | None = None,
    declined_reason: str = "",
    not_held_reason: str = "",
    interviewer: User | None = None,
    interviewer_name: str = "",
    interviewer_agency: Agency | None = None,
    harm_disclosed: bool = False,
    intelligence_shared: bool = False,
    attempt_note: str = "",
    **content: Any,
) -> tuple[ReturnInterview, list[dict[str, Any]]]:
    """Record the return home interview for a returned episode (creating or updating its one
    record). `happened_at` is when it was held (completed), when the child declined, or when an
    attempt was made. Returns the interview and children-first language guidance on the free
    text (never blocking)."""
    child = episode.child
    _require_edit(actor, child, "record a return home interview")
    unknown = set(content) - set(_CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    errors: Errors = {}
    valid = {choice for choice, _ in Outcome.choices}
    if outcome not in valid:
        _add(errors, "outcome", "Choose what happened to the interview")
    returned_at = episode.returned_at
    if returned_at is None:
        _add(errors, "outcome", "Record the child's return before the return home interview")
    needs_time = outcome in (Outcome.COMPLETED, Outcome.DECLINED, Outcome.ATTEMPTED)
    if needs_time and happened_at is None:
        _add(errors, "happened_at", "Enter when this happened")
    if outcome != Outcome.NOT_HELD and offered_at is None:
        _add(errors, "offered_at", "Enter when the interview was offered")
    for field, moment, label in (
        ("offered_at", offered_at, "The time offered"),
        ("happened_at", happened_at if needs_time else None, "This time"),
    ):
        _future(errors, field, moment, label)
        if moment is not None and returned_at is not None and moment < returned_at:
            _add(
                errors,
                field,
                f"{label} must be after the child returned ({_when(returned_at)})",
            )
    if outcome == Outcome.DECLINED and not declined_reason.strip():
        _add(errors, "declined_reason", "Say why the child declined, in their words if you can")
    if outcome == Outcome.NOT_HELD and not not_held_reason.strip():
        _add(errors, "not_held_reason", "Give the reason for deciding not to hold one")
    if outcome == Outcome.COMPLETED and not content.get("summary", "").strip():
        _add(errors, "summary", "Write a summary of what the child shared")
    if errors:
        raise ValidationError(errors)
    interview = ReturnInterview.objects.select_for_update().filter(episode=episode).first()
    creating = interview is None
    if interview is None:
        interview = ReturnInterview(
            episode=episode,
            interview_ref=f"RHI-{episode.episode_ref}",
            agency_id=actor.agency_id,
        )
    interview.offered_at = offered_at
    interview.completed_at = happened_at if outcome == Outcome.COMPLETED else None
    interview.declined = outcome == Outcome.DECLINED
    interview.declined_reason = declined_reason.strip() if interview.declined else ""
    interview.not_held_reason = not_held_reason.strip() if outcome == Outcome.NOT_HELD else ""
    if outcome in (Outcome.COMPLETED, Outcome.DECLINED):
        interview.interviewer = interviewer or actor
        interview.interviewer_name = interviewer_name.strip() or str(interview.interviewer)
        interview.interviewer_agency = interviewer_agency or interview.interviewer.agency
    interview.harm_disclosed = harm_disclosed
    interview.intelligence_shared = intelligence_shared
    for name in _CONTENT_FIELDS:
        if name in content:
            setattr(interview, name, (content[name] or "").strip())
    interview.full_clean()
    interview.save()
    if outcome == Outcome.ATTEMPTED:
        assert happened_at is not None  # noqa: S101 - checked above
        InterviewAttempt.objects.create(
            interview=interview,
            attempted_at=happened_at,
            note=attempt_note.strip()[:300],
            recorded_by=actor,
        )
    access_event_record(
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        obj=interview,
        child=child,
        detail={"outcome": outcome},
    )
    text = " ".join(
        getattr(interview, name)
        for name in (*_CONTENT_FIELDS, "declined_reason")
        if name != "travel"
    )
    return interview, language_guidance(text)


# Repeat-missing alerts -----------------------------------------------------------------------


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: RepeatMissingAlert, note: str) -> RepeatMissingAlert:
    """The lead professional or a manager acknowledges an alert, saying what was agreed (a
    strategy discussion, a risk review). A note is required."""
    _require_edit(actor, alert.child, "acknowledge this alert")
    if alert.acknowledged_at is not None:
        raise ValidationError({"note": "This alert has already been acknowledged"})
    if not note.strip():
        raise ValidationError(
            {"note": "Say what was agreed, for example a strategy discussion or a risk review"}
        )
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor
    alert.note = note.strip()
    alert.save()
    access_event_record(
        actor=actor, action=Action.UPDATE, obj=alert, child=alert.child, detail={"acknowledged": 1}
    )
    return alert


# Repeat-missing alerts -----------------------------------------------------------------------


def repeat_missing_alerts_refresh(child_ids: Iterable[int]) -> list[RepeatMissingAlert]:
    """Raise a repeat-missing alert for each of these children whose latest episode makes
    CAIRN_REPEAT_MISSING_EPISODES or more reported within CAIRN_REPEAT_MISSING_DAYS days, when
    that episode was reported within the window before now, the child has no open alert, and no
    alert was already raised for that episode or a later one. Returns the alerts raised. Called
    after recording an episode and after importing episodes."""
    threshold = settings.CAIRN_REPEAT_MISSING_EPISODES
    window = timedelta(days=settings.CAIRN_REPEAT_MISSING_DAYS)
    now = timezone.now()
    raised = []
    with transaction.atomic():
        for child_id in sorted(set(child_ids)):
            latest = (
                MissingEpisode.objects.filter(child_id=child_id, reported_at__lte=now)
                .order_by("-reported_at", "-id")
                .first()
            )
            if latest is None or latest.reported_at <= now - window:
                continue
            alerts = RepeatMissingAlert.objects.filter(child_id=child_id)
            if alerts.filter(acknowledged_at__isnull=True).exists():
                continue
            if alerts.filter(episode__reported_at__gte=latest.reported_at).exists():
                continue
            count = MissingEpisode.objects.filter(
                child_id=child_id,
                reported_at__gt=latest.reported_at - window,
                reported_at__lte=latest.reported_at,
            ).count()
            if count < threshold:
                continue
            raised.append(
                RepeatMissingAlert.objects.create(
                    child_id=child_id,
                    episode=latest,
                    episodes=count,
                    window_days=window.days,
                    raised_at=now,
                )
            )
    return raised
