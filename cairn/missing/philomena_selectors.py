"""Reads of Philomena Protocol profiles, already scoped by the access policy
(`access.philomena_access`: the child's professionals, break glass read-only, and police
responders while the child is missing) and audited: opening a profile or a photo writes a view
event, the list of reviews due a list event.

Reviews (DOMAIN.md): a profile is due for review CAIRN_PHILOMENA_REVIEW_MONTHS months after its
last review, and at once when the child has moved placement since then: the profile moves with
the child."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from cairn.accounts import access
from cairn.accounts.models import Role
from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.children.models import Child, LegalStatus, Placement
from cairn.missing.models import MissingEpisode, PhilomenaProfile, ProfilePhoto
from cairn.missing.philomena_services import current_placement, eligibility_problem, photo_path

if TYPE_CHECKING:
    from cairn.accounts.models import User

#: The reviews-due list shows reviews overdue or falling due within this many days.
DUE_SOON_DAYS = 28
HISTORY_ON_PAGE = 10
EPISODES_IN_PACK = 5


#: The profile as the page and the police pack show it: (heading, [(field, label), ...]).
SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Description",
        (
            ("height", "Height"),
            ("build", "Build"),
            ("hair", "Hair"),
            ("eyes", "Eyes"),
            ("distinguishing_features", "Scars, tattoos and piercings"),
            ("clothing_style", "Clothing style"),
        ),
    ),
    (
        "Phones and social media",
        (("phones", "Phone numbers and handsets"), ("social_media", "Social media usernames")),
    ),
    (
        "People and places",
        (
            ("associates", "Friends and associates"),
            ("places", "Places and addresses they go to"),
            ("risk_locations", "Risk-assessed locations"),
        ),
    ),
    (
        "Health and vulnerabilities",
        (("medical_needs", "Medical needs and medication"), ("vulnerabilities", "Vulnerabilities")),
    ),
)


@dataclass(frozen=True)
class Section:
    heading: str
    rows: list[tuple[str, str]]  # (label, text; empty when not recorded)


def profile_sections(profile: PhilomenaProfile) -> list[Section]:
    return [
        Section(heading, [(label, getattr(profile, name)) for name, label in fields])
        for heading, fields in SECTIONS
    ]


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), or the month's last day if it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# Reviews -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewStatus:
    due_on: date
    moved: bool  # due because the child moved placement since the last review
    why: str
    today: date

    @property
    def due(self) -> bool:
        return self.due_on <= self.today

    @property
    def overdue(self) -> bool:
        return self.due_on < self.today

    @property
    def tag(self) -> str:
        """'Overdue', 'Due now', 'Due soon' or 'Up to date'."""
        if self.overdue:
            return "Overdue"
        if self.due:
            return "Due now"
        if self.due_on <= self.today + timedelta(days=DUE_SOON_DAYS):
            return "Due soon"
        return "Up to date"


def review_status(
    profile: PhilomenaProfile, *, placement: Placement | None, today: date | None = None
) -> ReviewStatus:
    """When the profile's next review is due, given the child's current placement: every
    CAIRN_PHILOMENA_REVIEW_MONTHS months, and from the day the child moved if their current
    placement started after the last review (or is not the placement of the last review, or
    that placement has ended with none recorded since)."""
    today = today or timezone.localdate()
    months = settings.CAIRN_PHILOMENA_REVIEW_MONTHS
    periodic = add_months(profile.reviewed_on, months)
    moved_on: date | None = None
    why = ""
    name = profile.child.given_name
    if placement is not None:
        where = placement.provider_name or placement.get_placement_type_display().lower()
        if placement.start_date > profile.reviewed_on:
            moved_on = placement.start_date
            why = f"{name} moved to {where} on {_long_date(moved_on)}, after the last review"
        elif (
            profile.placement_at_review_id is not None
            and placement.pk != profile.placement_at_review_id
        ):
            moved_on = profile.reviewed_on
            why = f"{name}'s placement has changed since the last review (now {where})"
    elif profile.placement_at_review_id is not None:
        ended = profile.placement_at_review
        moved_on = max(ended.end_date or today, profile.reviewed_on) if ended else today
        why = f"{name}'s placement at the last review has ended"
    if moved_on is not None and moved_on < periodic:
        return ReviewStatus(moved_on, True, why, today)
    return ReviewStatus(periodic, False, f"Profiles are reviewed every {months} months", today)


def _current_placement_subquery(today: date) -> QuerySet[Placement]:
    return (
        Placement.objects.filter(child=OuterRef("child"), start_date__lte=today)
        .exclude(end_date__lt=today)
        .order_by("-start_date", "-id")
    )


def _last_review_before(due_by: date) -> date:
    """The latest last-review date whose periodic review falls due on or before `due_by`."""
    months = settings.CAIRN_PHILOMENA_REVIEW_MONTHS
    day = add_months(due_by, -months)
    while add_months(day + timedelta(days=1), months) <= due_by:
        day += timedelta(days=1)
    return day


def _review_scope(user: User) -> QuerySet[Child]:
    """A practitioner's own children (those they lead); a manager's agency caseload."""
    if user.role == Role.MANAGER:
        return access.visible_children(user, include_break_glass=False)
    return Child.objects.filter(lead_professional=user)


@dataclass(frozen=True)
class DueRow:
    profile: PhilomenaProfile
    child: Child
    status: ReviewStatus


def profiles_due(*, user: User, today: date | None = None) -> list[DueRow]:
    """Profiles of the user's children whose review is overdue or falls due within
    DUE_SOON_DAYS days, soonest due first: for a practitioner the children they lead, for a
    manager their agency's caseload. Roles without a caseload get none."""
    if not access.holds_caseload(user):
        return []
    today = today or timezone.localdate()
    current = _current_placement_subquery(today)
    profiles = (
        PhilomenaProfile.objects.filter(child__in=_review_scope(user).values("pk"))
        .annotate(
            current_placement_id=Subquery(current.values("id")[:1]),
            current_placement_start=Subquery(current.values("start_date")[:1]),
        )
        .filter(
            Q(reviewed_on__lte=_last_review_before(today + timedelta(days=DUE_SOON_DAYS)))
            | Q(current_placement_start__gt=F("reviewed_on"))
            | (
                Q(placement_at_review__isnull=False)
                & (
                    Q(current_placement_id__isnull=True)
                    | ~Q(current_placement_id=F("placement_at_review_id"))
                )
            )
        )
        .select_related(
            "child", "child__lead_professional__agency", "placement_at_review", "reviewed_by"
        )
    )
    rows = list(profiles)
    ids = [p.current_placement_id for p in rows if p.current_placement_id]  # type: ignore[attr-defined]
    placements = Placement.objects.in_bulk(ids)
    due = [
        DueRow(
            profile,
            profile.child,
            review_status(
                profile,
                placement=placements.get(profile.current_placement_id),  # type: ignore[attr-defined]
                today=today,
            ),
        )
        for profile in rows
    ]
    due.sort(key=lambda row: (row.status.due_on, row.child.family_name, row.child.pk))
    return due


def children_in_care_without_profile(*, user: User) -> QuerySet[Child]:
    """Looked-after children in the same scope as `profiles_due` who have no profile yet."""
    if not access.holds_caseload(user):
        return Child.objects.none()
    return (
        _review_scope(user)
        .filter(legal_status=LegalStatus.LOOKED_AFTER, philomena_profile__isnull=True)
        .select_related("lead_professional__agency")
        .order_by("family_name", "given_name", "id")
    )


def reviews_due_list_event(*, user: User, due: int, without_profile: int) -> None:
    access_event_record(
        actor=user,
        action=Action.LIST,
        object_type="missing.philomena_reviews_due",
        detail={"due": due, "without_profile": without_profile},
    )


# One child's profile -------------------------------------------------------------------------


def _child_or_404(child_id: int) -> Child:
    child = (
        Child.objects.select_related("agency", "lead_professional", "lead_professional__agency")
        .filter(pk=child_id)
        .first()
    )
    if child is None:
        raise Http404("No such child")
    return child


def _open_episode(child: Child) -> MissingEpisode | None:
    return (
        MissingEpisode.objects.filter(child=child, returned_at__isnull=True)
        .order_by("-reported_at", "-id")
        .first()
    )


def _profile_of(child: Child) -> PhilomenaProfile | None:
    profile = (
        PhilomenaProfile.objects.filter(child=child)
        .select_related("reviewed_by", "reviewed_by__agency", "placement_at_review")
        .first()
    )
    if profile is not None:
        profile.child = child
    return profile


def profile_page(*, user: User, child_id: int) -> dict[str, Any]:
    """Everything the profile page shows: 404 unless the user may see the profile; one view
    event (the reason is the route of access, or the open episode for police)."""
    child = _child_or_404(child_id)
    decision = access.philomena_access(user, child)
    if not decision.view:
        raise Http404("No such child")
    profile = _profile_of(child)
    episode = _open_episode(child)
    today = timezone.localdate()
    placement = current_placement(child, today)
    history = list(
        MissingEpisode.objects.filter(child=child)
        .select_related("found_ward")
        .order_by("-reported_at", "-id")[:HISTORY_ON_PAGE]
    )
    reason = decision.audit_reason
    if decision.via == "missing_episode" and episode is not None:
        reason = f"open missing episode {episode.episode_ref}"
    access_event_record(
        actor=user,
        action=Action.VIEW,
        obj=profile or child,
        child=child,
        reason=reason,
    )
    return {
        "child": child,
        "access": decision,
        "aliases": list(child.aliases.all()),
        "age": child.age_on(today),
        "profile": profile,
        "sections": profile_sections(profile) if profile else [],
        "photos": list(profile.photos.select_related("uploaded_by")) if profile else [],
        "placement": placement,
        "review": review_status(profile, placement=placement, today=today) if profile else None,
        "open_episode": episode,
        "history": history,
        "history_count": MissingEpisode.objects.filter(child=child).count(),
        "eligibility_problem": eligibility_problem(child),
        "can_edit": decision.edit,
        "can_pack": access.can_generate_police_pack(user, child),
        "can_open_record": access.child_access(user, child).view,
    }


def profile_get_for_edit(*, user: User, child_id: int) -> tuple[Child, PhilomenaProfile | None]:
    """A child whose profile the user may create or change: 404 if unseen, 403 if read-only.
    Not audited here: the change itself is."""
    child = _child_or_404(child_id)
    decision = access.philomena_access(user, child)
    if not decision.view:
        raise Http404("No such child")
    if not decision.edit:
        raise PermissionDenied("You can read this profile but not change it")
    return child, _profile_of(child)


def photo_get(*, user: User, photo_id: int) -> tuple[ProfilePhoto, Path]:
    """A profile photo and its file: 404 unless the user may see the child's profile (or the
    file is missing); one view event."""
    photo = (
        ProfilePhoto.objects.select_related("profile", "profile__child").filter(pk=photo_id).first()
    )
    if photo is None:
        raise Http404("No such photo")
    child = photo.profile.child
    decision = access.philomena_access(user, child)
    if not decision.view:
        raise Http404("No such photo")
    path = photo_path(photo)
    if path is None:
        raise Http404("No such photo")
    access_event_record(
        actor=user, action=Action.VIEW, obj=photo, child=child, reason=decision.audit_reason
    )
    return photo, path


def police_pack_child_get(*, user: User, child_id: int) -> Child:
    """The child of a police pack: 404 unless the user may see the profile, 403 unless they
    may generate the pack (break glass)."""
    child = _child_or_404(child_id)
    if not access.philomena_access(user, child).view:
        raise Http404("No such child")
    if not access.can_generate_police_pack(user, child):
        raise PermissionDenied("Emergency (break glass) access cannot take a police pack")
    return child


def police_pack_context(*, child: Child) -> dict[str, Any]:
    """What the police pack shows (for philomena_services.police_pack_generate)."""
    profile = _profile_of(child)
    today = timezone.localdate()
    placement = current_placement(child, today)
    episode = (
        MissingEpisode.objects.filter(child=child, returned_at__isnull=True)
        .select_related("placement", "agency")
        .order_by("-reported_at", "-id")
        .first()
    )
    previous = (
        MissingEpisode.objects.filter(child=child, returned_at__isnull=False)
        .select_related("found_ward")
        .order_by("-reported_at", "-id")
    )
    return {
        "child": child,
        "aliases": list(child.aliases.all()),
        "age": child.age_on(today),
        "profile": profile,
        "sections": profile_sections(profile) if profile else [],
        "photo": profile.photos.first() if profile else None,
        "placement": placement,
        "review": review_status(profile, placement=placement, today=today) if profile else None,
        "episode": episode,
        "previous": list(previous[:EPISODES_IN_PACK]),
        "previous_count": previous.count(),
    }
