"""Missing episodes and return home interviews. Mounted at /api/missing/.

Reads and writes go through the missing selectors and services, so access and the access log are
the same as the pages': 404 for a child or episode the caller may not know exists, 403 for a
change to a record they may only read, and for the lists (which name children) 403 for roles
without a caseload. Date-times are ISO 8601; one without an offset is Europe/London local time
(as in the exchange format). Replies give date-times in London time with their offset.
"""

# No `from __future__ import annotations`: django-ninja reads these annotations at runtime.

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BeforeValidator

from cairn.accounts import access
from cairn.accounts.models import User
from cairn.api.children import GuidanceOut
from cairn.api.rules import operation_rule
from cairn.api.schemas import READ_ERRORS, WRITE_ERRORS, BodyIn, ErrorOut, Id, Pagination, Text
from cairn.children import selectors as child_selectors
from cairn.children.models import Placement
from cairn.core.models import Ward
from cairn.missing import selectors, services
from cairn.missing.models import Concern, MissingEpisode, PoliceRisk, ReturnInterview

router = Router(tags=["missing"])
NO_CASELOAD = "Your role sees missing episodes as counts in reports, not as a list of children"


def _moment(value: Any) -> Any:
    """ISO 8601 date-times, read as London time when they carry no offset; years 1900 to 2100."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError as error:
            raise ValueError(
                "Use a date-time like 2025-06-21T23:30 or 2025-06-21T23:30+01:00"
            ) from error
    if not isinstance(value, datetime):
        raise ValueError("Use a date-time like 2025-06-21T23:30")
    if not 1900 <= value.year <= 2100:
        raise ValueError("Use a year from 1900 to 2100")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


Moment = Annotated[datetime, BeforeValidator(_moment)]


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment is not None else None


# Schemas -------------------------------------------------------------------------------------


class InterviewOut(Schema):
    interview_ref: str
    offered_at: datetime | None
    completed_at: datetime | None
    declined: bool
    declined_reason: str
    not_held_reason: str
    interviewer: str
    interviewer_agency: str | None
    attempts: int
    harm_disclosed: bool
    intelligence_shared: bool
    summary: str

    @staticmethod
    def resolve_offered_at(i: ReturnInterview) -> datetime | None:
        return _local(i.offered_at)

    @staticmethod
    def resolve_completed_at(i: ReturnInterview) -> datetime | None:
        return _local(i.completed_at)

    @staticmethod
    def resolve_interviewer(i: ReturnInterview) -> str:
        return i.interviewer_name

    @staticmethod
    def resolve_interviewer_agency(i: ReturnInterview) -> str | None:
        return i.interviewer_agency.code if i.interviewer_agency else None

    @staticmethod
    def resolve_attempts(i: ReturnInterview) -> int:
        return i.attempts.count()


class EpisodeOut(Schema):
    id: int
    episode_ref: str
    child_id: int
    agency: str = Field(description="Code of the agency that recorded it")
    placement_ref: str | None
    last_seen_at: datetime
    last_seen_place: str
    reported_at: datetime
    police_reference: str
    police_risk: PoliceRisk
    concerns: list[str]
    returned_at: datetime | None = Field(description="null while the child is missing")
    found_place: str
    found_ward_code: str | None
    out_of_area: bool
    interview_due_at: datetime | None = Field(
        description="When the return home interview falls due (72 hours after the return)"
    )

    @staticmethod
    def resolve_agency(e: MissingEpisode) -> str:
        return e.agency.code

    @staticmethod
    def resolve_placement_ref(e: MissingEpisode) -> str | None:
        return e.placement.placement_ref if e.placement else None

    @staticmethod
    def resolve_last_seen_at(e: MissingEpisode) -> datetime | None:
        return _local(e.last_seen_at)

    @staticmethod
    def resolve_reported_at(e: MissingEpisode) -> datetime | None:
        return _local(e.reported_at)

    @staticmethod
    def resolve_returned_at(e: MissingEpisode) -> datetime | None:
        return _local(e.returned_at)

    @staticmethod
    def resolve_found_ward_code(e: MissingEpisode) -> str | None:
        return e.found_ward.code if e.found_ward else None

    @staticmethod
    def resolve_interview_due_at(e: MissingEpisode) -> datetime | None:
        return _local(services.interview_due_at(e))


class EpisodeDetailOut(EpisodeOut):
    last_seen_with: str
    clothing_worn: str
    found_with: str
    travel: str
    interview: InterviewOut | None

    @staticmethod
    def resolve_interview(e: MissingEpisode) -> ReturnInterview | None:
        return selectors.interview_for(e)


class EpisodeIn(BodyIn):
    last_seen_at: Moment
    reported_at: Moment
    police_risk: PoliceRisk
    last_seen_place: Text = Field("", max_length=200)
    last_seen_with: Text = Field("", max_length=200)
    clothing_worn: Text = Field("", max_length=10_000)
    reported_by: Text = Field("", max_length=200)
    police_reference: Text = Field("", max_length=64)
    concerns: list[Concern] = Field([], max_length=10)
    placement_ref: Text | None = Field(
        None, max_length=64, description="Default: the child's placement when last seen"
    )


class ReturnIn(BodyIn):
    returned_at: Moment
    found_place: Text = Field("", max_length=200)
    found_ward_code: Text | None = Field(None, max_length=32)
    out_of_area: bool = False
    found_with: Text = Field("", max_length=200)
    travel: Text = Field("", max_length=200)


class InterviewIn(BodyIn):
    outcome: services.OutcomeChoice
    offered_at: Moment | None = None
    happened_at: Moment | None = Field(None, description="When it was held, declined or attempted")
    declined_reason: Text = Field("", max_length=10_000)
    not_held_reason: Text = Field("", max_length=10_000)
    interviewer_name: Text = Field("", max_length=200)
    attempt_note: Text = Field("", max_length=300)
    push_factors: Text = Field("", max_length=10_000)
    pull_factors: Text = Field("", max_length=10_000)
    where_stayed: Text = Field("", max_length=10_000)
    with_whom: Text = Field("", max_length=10_000)
    travel: Text = Field("", max_length=200)
    harm_disclosed: bool = False
    harm_detail: Text = Field("", max_length=10_000)
    support_offered: Text = Field("", max_length=10_000)
    intelligence_shared: bool = False
    intelligence_shared_with: Text = Field("", max_length=200)
    summary: Text = Field("", max_length=100_000)


class InterviewRecordedOut(InterviewOut):
    guidance: list[GuidanceOut]


# Helpers -------------------------------------------------------------------------------------


def _caller(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined, return-value]


def _require_caseload(user: User) -> None:
    if not access.holds_caseload(user):
        raise PermissionDenied(NO_CASELOAD)


def _with_related(episodes: Any) -> Any:
    return episodes.select_related("agency", "placement", "found_ward")


# Operations ----------------------------------------------------------------------------------


@router.get(
    "/episodes/open",
    summary="Children missing now: open episodes, highest police risk first",
    response={200: list[EpisodeOut], **READ_ERRORS, 403: ErrorOut},
    openapi_extra=operation_rule(
        "caseload roles; open episodes of children the access policy lets the caller see, never "
        "through break glass; 403 for other roles; one list access event"
    ),
)
@paginate(Pagination)
def open_episode_list(request: HttpRequest) -> Any:
    user = _caller(request)
    _require_caseload(user)
    return selectors.currently_missing(user=user)


@router.get(
    "/interviews/due",
    summary="Returned episodes whose return home interview is still to do, soonest due first",
    response={200: list[EpisodeOut], **READ_ERRORS, 403: ErrorOut},
    openapi_extra=operation_rule(
        "caseload roles; episodes of children the caller may see; 403 for other roles; one list "
        "access event"
    ),
)
@paginate(Pagination)
def due_list(request: HttpRequest) -> Any:
    user = _caller(request)
    _require_caseload(user)
    return _with_related(selectors.interviews_due(user=user))


@router.get(
    "/children/{child_id}/episodes",
    summary="A child's missing episodes, newest first",
    response={200: list[EpisodeOut], **READ_ERRORS},
    openapi_extra=operation_rule(
        "child:view (involved, lead, agency caseload or break glass); 404 otherwise; one view "
        "access event"
    ),
)
@paginate(Pagination)
def child_episode_list(request: HttpRequest, child_id: Id) -> Any:
    child, _ = child_selectors.child_get(user=_caller(request), child_id=child_id)
    return _with_related(MissingEpisode.objects.filter(child=child)).order_by("-reported_at", "-id")


@router.post(
    "/children/{child_id}/episodes",
    summary="Record a child going missing",
    response={201: EpisodeDetailOut, **WRITE_ERRORS},
    openapi_extra=operation_rule(
        "child:edit (involved, lead or a manager of the agency); 404 unseen, 403 read-only; one "
        "create access event; may raise a repeat-missing alert"
    ),
)
def episode_create(request: HttpRequest, child_id: Id, payload: EpisodeIn) -> Any:
    user = _caller(request)
    child = child_selectors.child_get_for_edit(user=user, child_id=child_id)
    placement = None
    if payload.placement_ref:
        placement = Placement.objects.filter(
            placement_ref=payload.placement_ref, child=child
        ).first()
        if placement is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"placement_ref": ["This child has no such placement"]})
    episode = services.episode_record(
        actor=user,
        child=child,
        last_seen_at=payload.last_seen_at,
        reported_at=payload.reported_at,
        police_risk=payload.police_risk.value,
        last_seen_place=payload.last_seen_place,
        last_seen_with=payload.last_seen_with,
        clothing_worn=payload.clothing_worn,
        reported_by=payload.reported_by,
        police_reference=payload.police_reference,
        concerns=[c.value for c in payload.concerns],
        placement=placement,
    )
    return Status(201, _with_related(MissingEpisode.objects).get(pk=episode.pk))


@router.get(
    "/episodes/{episode_id}",
    summary="One episode with its return home interview",
    response={200: EpisodeDetailOut, **READ_ERRORS},
    openapi_extra=operation_rule(
        "child:view of the episode's child; 404 otherwise; one view event"
    ),
)
def episode_detail(request: HttpRequest, episode_id: Id) -> Any:
    return selectors.episode_get(user=_caller(request), episode_id=episode_id)


@router.post(
    "/episodes/{episode_id}/return",
    summary="Record the return (starts the 72-hour interview clock)",
    response={200: EpisodeDetailOut, **WRITE_ERRORS},
    openapi_extra=operation_rule(
        "child:edit of the episode's child; 404 unseen, 403 read-only; one update access event"
    ),
)
def episode_return(request: HttpRequest, episode_id: Id, payload: ReturnIn) -> Any:
    user = _caller(request)
    episode = selectors.episode_get_for_edit(user=user, episode_id=episode_id)
    ward = None
    if payload.found_ward_code:
        ward = Ward.objects.filter(code=payload.found_ward_code).first()
        if ward is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"found_ward_code": ["There is no ward with this code"]})
    services.episode_return_record(
        actor=user,
        episode=episode,
        returned_at=payload.returned_at,
        found_place=payload.found_place,
        found_ward=ward,
        out_of_area=payload.out_of_area,
        found_with=payload.found_with,
        travel=payload.travel,
    )
    return _with_related(MissingEpisode.objects).get(pk=episode.pk)


@router.put(
    "/episodes/{episode_id}/interview",
    summary="Record the return home interview: offered, attempted, held, declined or not held",
    response={200: InterviewRecordedOut, **WRITE_ERRORS},
    openapi_extra=operation_rule(
        "child:edit of the episode's child; 404 unseen, 403 read-only; one create or update "
        "access event; the reply carries children-first language guidance"
    ),
)
def interview_record(request: HttpRequest, episode_id: Id, payload: InterviewIn) -> Any:
    user = _caller(request)
    episode = selectors.episode_get_for_edit(user=user, episode_id=episode_id)
    data = payload.dict()
    outcome = data.pop("outcome")
    interview, guidance = services.return_interview_record(
        actor=user, episode=episode, outcome=str(outcome.value), **data
    )
    interview.guidance = guidance  # type: ignore[attr-defined]
    return interview
