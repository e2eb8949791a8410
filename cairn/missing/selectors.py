"""Reads of missing episodes, return home interviews and alerts, already scoped by the access
policy (cairn.accounts.access): a user sees the episodes of children whose record they may open
(never through break glass in lists).

Audit: opening an episode writes a view event and the lists (currently missing, interviews due,
alerts, placements) a list event each, as the child lists do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from cairn.accounts import access
from cairn.accounts.models import Role
from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.children.models import LegalStatus
from cairn.missing.models import (
    POLICE_RISK_RANK,
    MissingEpisode,
    PhilomenaProfile,
    RepeatMissingAlert,
    ReturnInterview,
)

if TYPE_CHECKING:
    from cairn.accounts.models import User
    from cairn.children.models import Child


def _visible_episodes(user: User) -> QuerySet[MissingEpisode]:
    children = access.visible_children(user, include_break_glass=False)
    return MissingEpisode.objects.filter(child__in=children.values("pk"))


def _risk_rank() -> Case:
    return Case(
        *(When(police_risk=grade, then=Value(rank)) for grade, rank in POLICE_RISK_RANK.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def _list_event(user: User, what: str, **detail: Any) -> None:
    access_event_record(actor=user, action=Action.LIST, object_type=what, detail=detail or None)


def currently_missing(*, user: User, audit: bool = True) -> QuerySet[MissingEpisode]:
    """Open episodes (no return yet) of the children the user may see: highest police risk
    first, then the most recently reported."""
    episodes = (
        _visible_episodes(user)
        .filter(returned_at__isnull=True)
        .annotate(risk_rank=_risk_rank())
        .select_related("child", "child__lead_professional", "placement", "agency")
        .order_by("-risk_rank", "-reported_at", "-id")
    )
    if audit:
        _list_event(user, "missing.currently_missing")
    return episodes


def philomena_missing_for_police(*, user: User) -> list[MissingEpisode]:
    """For a police responder: the open episodes of children with a Philomena profile whom the
    user cannot otherwise see, so the profile and police pack are one click away (the Philomena
    Protocol gives them to police while the child is missing). One list event when any show."""
    if not access.is_police_responder(user):
        return []
    visible = access.visible_children(user, include_break_glass=False).values("pk")
    episodes = list(
        MissingEpisode.objects.filter(
            returned_at__isnull=True, child__philomena_profile__isnull=False
        )
        .exclude(child__in=visible)
        .annotate(risk_rank=_risk_rank())
        .select_related("child")
        .order_by("-risk_rank", "-reported_at", "-id")[:200]
    )
    if episodes:
        _list_event(user, "missing.philomena_for_police", children=len(episodes))
    return episodes


def episode_get(*, user: User, episode_id: int) -> MissingEpisode:
    """Open one episode: 404 if it does not exist or the user may not see the child; one view
    event."""
    episode = (
        MissingEpisode.objects.select_related(
            "child", "child__lead_professional", "agency", "placement", "found_ward", "recorded_by"
        )
        .filter(pk=episode_id)
        .first()
    )
    if episode is None:
        raise Http404("No such episode")
    decision = access.child_access(user, episode.child)
    if not decision.view:
        raise Http404("No such episode")
    access_event_record(
        actor=user,
        action=Action.VIEW,
        obj=episode,
        child=episode.child,
        reason=decision.audit_reason,
    )
    return episode


def episode_get_for_edit(*, user: User, episode_id: int) -> MissingEpisode:
    """An episode whose child the user may change: 404 unseen, 403 read-only. Not audited here:
    the change is."""
    from django.core.exceptions import PermissionDenied

    episode = (
        MissingEpisode.objects.select_related("child", "placement").filter(pk=episode_id).first()
    )
    if episode is None:
        raise Http404("No such episode")
    decision = access.child_access(user, episode.child)
    if not decision.view:
        raise Http404("No such episode")
    if not decision.edit:
        raise PermissionDenied("You can read this record but not change it")
    return episode


def child_episodes(child: Child) -> list[MissingEpisode]:
    """The child's episodes, newest first, with their interviews (for a record the caller has
    already opened and audited)."""
    return list(
        MissingEpisode.objects.filter(child=child)
        .select_related("placement", "found_ward", "return_interview")
        .order_by("-reported_at", "-id")
    )


def interview_for(episode: MissingEpisode) -> ReturnInterview | None:
    return (
        ReturnInterview.objects.filter(episode=episode)
        .select_related("interviewer", "interviewer_agency", "agency")
        .prefetch_related("attempts")
        .first()
    )


# The return home interview due list ----------------------------------------------------------


@dataclass(frozen=True)
class DueInterview:
    """A returned episode whose interview is not yet held, declined or decided against."""

    episode: MissingEpisode
    due_at: datetime
    offered_at: datetime | None
    attempts: int
    now: datetime

    @property
    def overdue(self) -> bool:
        return self.now > self.due_at

    @property
    def hours_left(self) -> int:
        """Whole hours until due (negative once overdue: hours past due)."""
        seconds = (self.due_at - self.now).total_seconds()
        return int(seconds // 3600) if seconds >= 0 else -int(-seconds // 3600)

    @property
    def time_left(self) -> str:
        """'1 day 5 hours left', '3 hours left' or 'overdue by 2 days 1 hour'."""
        hours = abs(self.hours_left)
        days, rest = divmod(hours, 24)
        parts = []
        if days:
            parts.append(f"{days} day{'s' if days != 1 else ''}")
        if rest or not days:
            parts.append(f"{rest} hour{'s' if rest != 1 else ''}")
        text = " ".join(parts)
        return f"overdue by {text}" if self.overdue else f"{text} left"


def interviews_due(
    *, user: User, now: datetime | None = None, audit: bool = True
) -> QuerySet[MissingEpisode]:
    """Returned episodes of the children the user may see whose interview is still to do
    (none recorded, or only offered or attempted): soonest due first (overdue at the top).
    Annotated with `interview_offered_at` and `interview_attempts`."""
    episodes = (
        _visible_episodes(user)
        .filter(returned_at__isnull=False)
        .exclude(return_interview__completed_at__isnull=False)
        .exclude(return_interview__declined=True)
        .exclude(return_interview__not_held_reason__gt="")
        .annotate(
            interview_offered_at=F("return_interview__offered_at"),
            interview_attempts=Count("return_interview__attempts"),
        )
        .select_related("child", "child__lead_professional", "placement")
        .order_by("returned_at", "id")
    )
    if audit:
        _list_event(user, "missing.interviews_due")
    return episodes


def due_rows(episodes: Any, now: datetime | None = None) -> list[DueInterview]:
    """The clock for each episode of a (paged) due list."""
    now = now or timezone.now()
    hours = timedelta(hours=settings.CAIRN_RHI_HOURS)
    return [
        DueInterview(
            episode=e,
            due_at=e.returned_at + hours,
            offered_at=getattr(e, "interview_offered_at", None),
            attempts=getattr(e, "interview_attempts", 0) or 0,
            now=now,
        )
        for e in episodes
    ]


# Repeat-missing alerts -----------------------------------------------------------------------


def open_alerts(*, user: User, audit: bool = True) -> QuerySet[RepeatMissingAlert]:
    """Unacknowledged repeat-missing alerts for the lead professional's own children and, for a
    manager, their agency's children."""
    if not access.holds_caseload(user):
        return RepeatMissingAlert.objects.none()
    if user.role == Role.MANAGER:
        children = access.visible_children(user, include_break_glass=False)
    else:
        from cairn.children.models import Child

        children = Child.objects.filter(lead_professional=user)
    alerts = (
        RepeatMissingAlert.objects.filter(
            child__in=children.values("pk"), acknowledged_at__isnull=True
        )
        .select_related("child", "child__lead_professional", "episode")
        .order_by("-raised_at", "-id")
    )
    if audit:
        _list_event(user, "missing.alerts")
    return alerts


def alert_get_for_edit(*, user: User, alert_id: int) -> RepeatMissingAlert:
    from django.core.exceptions import PermissionDenied

    alert = RepeatMissingAlert.objects.select_related("child").filter(pk=alert_id).first()
    if alert is None:
        raise Http404("No such alert")
    decision = access.child_access(user, alert.child)
    if not decision.view:
        raise Http404("No such alert")
    if not decision.edit:
        raise PermissionDenied("You can read this record but not change it")
    return alert


def child_alerts(child: Child) -> list[RepeatMissingAlert]:
    return list(
        RepeatMissingAlert.objects.filter(child=child)
        .select_related("acknowledged_by", "episode")
        .order_by("-raised_at", "-id")
    )


# Placements and where children are found -----------------------------------------------------


@dataclass(frozen=True)
class PlaceCount:
    name: str
    kind: str
    episodes: int
    children: int

    @property
    def per_child(self) -> float:
        return round(self.episodes / self.children, 1) if self.children else 0.0


def _period(episodes: QuerySet[MissingEpisode], since: date, until: date) -> QuerySet[Any]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(since, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(until + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return episodes.filter(reported_at__gte=start, reported_at__lt=end)


def _placement_label(kind: str | None) -> str:
    from cairn.children.models import PlacementType

    return str(PlacementType(kind).label) if kind in PlacementType.values else ""


def episodes_by_placement(
    *, user: User, since: date, until: date, audit: bool = True
) -> list[PlaceCount]:
    """Episodes reported in the period and the distinct children they were about, per provider
    (placement provider and type), busiest first: '13 episodes, 1 child' shows at a glance."""
    episodes = _period(_visible_episodes(user), since, until)
    rows = (
        episodes.values("placement__provider_name", "placement__placement_type")
        .annotate(episodes=Count("id"), children=Count("child", distinct=True))
        .order_by("-episodes", "placement__provider_name")
    )
    if audit:
        _list_event(user, "missing.placements", since=since.isoformat(), until=until.isoformat())
    return [
        PlaceCount(
            name=r["placement__provider_name"] or ("No placement recorded"),
            kind=_placement_label(r["placement__placement_type"]),
            episodes=r["episodes"],
            children=r["children"],
        )
        for r in rows
    ]


def episodes_by_found_ward(*, user: User, since: date, until: date) -> list[PlaceCount]:
    """Episodes whose return falls in the period, and distinct children, per ward found in."""
    episodes = _visible_episodes(user).filter(returned_at__isnull=False)
    zone = timezone.get_current_timezone()
    start = datetime.combine(since, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(until + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    rows = (
        episodes.filter(returned_at__gte=start, returned_at__lt=end)
        .values("found_ward__name", "out_of_area")
        .annotate(episodes=Count("id"), children=Count("child", distinct=True))
        .order_by("-episodes", "found_ward__name")
    )
    return [
        PlaceCount(
            name=r["found_ward__name"]
            or ("Out of area" if r["out_of_area"] else "Ward not recorded"),
            kind="",
            episodes=r["episodes"],
            children=r["children"],
        )
        for r in rows
    ]


def has_philomena_profile(child: Child) -> bool:
    return PhilomenaProfile.objects.filter(child=child).exists()


def missing_summary_for(child: Child, *, now: datetime | None = None) -> dict[str, Any]:
    """For the child's record: episodes in total and in the repeat window, the open episode."""
    now = now or timezone.now()
    window = timedelta(days=settings.CAIRN_REPEAT_MISSING_DAYS)
    episodes = MissingEpisode.objects.filter(child=child)
    counts = episodes.aggregate(
        total=Count("id"),
        recent=Count("id", filter=Q(reported_at__gt=now - window, reported_at__lte=now)),
    )
    return {
        "total": counts["total"],
        "recent": counts["recent"],
        "window_days": window.days,
        "open": episodes.filter(returned_at__isnull=True).order_by("-reported_at").first(),
        "in_care": child.legal_status == LegalStatus.LOOKED_AFTER,
        "has_profile": has_philomena_profile(child),
    }
