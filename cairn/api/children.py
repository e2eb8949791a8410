"""Children: list and search, record, change, and case notes.

Field names follow the exchange format's children.csv (EXCHANGE.md). Reads and writes go through
cairn.children's selectors and services, so the access policy and the access log are the same as
the pages': 404 for a child the caller may not know exists, 403 for a change to a record they may
only read, one access event for every read or change.
"""

# No `from __future__ import annotations`: django-ninja reads these annotations at runtime.

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from cairn.accounts import access
from cairn.accounts.models import Role, User
from cairn.api.rules import operation_rule
from cairn.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    BodyId,
    BodyIn,
    Day,
    ErrorOut,
    Flag,
    Id,
    Pagination,
    Text,
    optional,
)
from cairn.children import selectors, services
from cairn.children.models import (
    CaseNote,
    Child,
    EducationStatus,
    Handling,
    ImmigrationStatus,
    LegalStatus,
    Sex,
)
from cairn.children.rules import date_of_birth_problem
from cairn.core.models import Ward

router = Router(tags=["children"])


def _check_date_of_birth(value: date | None) -> date | None:
    problem = date_of_birth_problem(value)
    if problem:
        raise ValueError(problem)
    return value


class _ChildRules(BodyIn):
    @field_validator("date_of_birth", check_fields=False)
    @classmethod
    def _date_of_birth(cls, value: date | None) -> date | None:
        return _check_date_of_birth(value)

    @field_validator("postcode", check_fields=False)
    @classmethod
    def _postcode(cls, value: str | None) -> str | None:
        return value.upper() if value else value


class ChildIn(_ChildRules):
    child_ref: Text | None = Field(
        None,
        max_length=64,
        description="Your reference (exchange `child_ref`); Cairn gives one (C-000123) if empty",
    )
    given_name: Text = Field(min_length=1, max_length=100)
    family_name: Text = Field(min_length=1, max_length=100)
    other_names: Text = Field("", max_length=200)
    date_of_birth: Day
    sex: Sex = Sex.UNKNOWN
    ethnicity: Text = Field("", max_length=64)
    postcode: Text = Field("", max_length=10)
    ward_code: Text | None = Field(None, max_length=16)
    legal_status: LegalStatus = LegalStatus.NONE
    home_authority: Text = Field("", max_length=16)
    uasc: Flag = False
    immigration_status: ImmigrationStatus = ImmigrationStatus.NOT_APPLICABLE
    school_urn: Text = Field("", max_length=12)
    education_status: EducationStatus | None = None
    learning_disability: Flag = False
    lead_professional_id: BodyId | None = Field(
        None, description="An active practitioner or manager (a user id)"
    )


class ChildPatch(_ChildRules):
    """Only the fields sent are changed. `child_ref` and `agency` cannot be changed."""

    given_name: Text = optional(min_length=1, max_length=100)
    family_name: Text = optional(min_length=1, max_length=100)
    other_names: Text = optional(max_length=200)
    date_of_birth: Day = optional()
    sex: Sex = optional()
    ethnicity: Text = optional(max_length=64)
    postcode: Text = optional(max_length=10)
    ward_code: Text | None = Field(None, max_length=16)
    legal_status: LegalStatus = optional()
    home_authority: Text = optional(max_length=16)
    uasc: Flag = optional()
    immigration_status: ImmigrationStatus = optional()
    school_urn: Text = optional(max_length=12)
    education_status: EducationStatus | None = None
    learning_disability: Flag = optional()
    lead_professional_id: BodyId | None = Field(
        None, description="An active practitioner or manager (a user id); null for none"
    )


class ChildOut(Schema):
    id: int
    child_ref: str
    agency: str = Field(description="Code of the agency that recorded the child")
    given_name: str
    family_name: str
    other_names: str
    date_of_birth: date | None
    sex: Sex
    ethnicity: str
    postcode: str
    ward_code: str | None
    legal_status: LegalStatus
    home_authority: str
    uasc: bool
    immigration_status: ImmigrationStatus
    school_urn: str
    education_status: EducationStatus | None
    learning_disability: bool
    lead_professional_id: int | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_agency(child: Child) -> str:
        return child.agency.code

    @staticmethod
    def resolve_ward_code(child: Child) -> str | None:
        return child.ward.code if child.ward_id else None

    @staticmethod
    def resolve_education_status(child: Child) -> str | None:
        return child.education_status or None


class ChildDetailOut(ChildOut):
    can_edit: bool = Field(description="Whether you may change this record")
    access_via: str = Field(description="involved | lead | agency | break_glass")


class NoteIn(BodyIn):
    occurred_on: Day = Field(default_factory=timezone.localdate, description="Default: today")
    subject: Text = Field(min_length=1, max_length=200)
    text: Text = Field(min_length=1, max_length=100_000)
    handling: Handling = Handling.STANDARD


class NoteOut(Schema):
    id: int
    child_id: int
    occurred_on: date
    subject: str
    text: str
    handling: Handling
    agency: str = Field(description="Code of the agency that recorded the note")
    author_id: int
    author_name: str
    created_at: datetime

    @staticmethod
    def resolve_agency(note: CaseNote) -> str:
        return note.agency.code

    @staticmethod
    def resolve_author_name(note: CaseNote) -> str:
        return note.author.display_name


class GuidanceOut(Schema):
    start: int
    end: int
    text: str = Field(description="The words as written")
    rule: str
    avoid: str
    suggestions: list[str]
    message: str


class NoteCreatedOut(NoteOut):
    guidance: list[GuidanceOut] = Field(
        description="Children-first language findings in the subject and text (never blocking)"
    )


def _caller(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined, return-value]


def _ward(code: str | None) -> Ward | None:
    if not code:
        return None
    ward = Ward.objects.filter(code=code).first()
    if ward is None:
        raise ValidationError({"ward_code": f"There is no ward with the code {code!r}"})
    return ward


def _lead_professional(user_id: int | None) -> User | None:
    """The same choice as the web form: any active practitioner or manager."""
    if user_id is None:
        return None
    user = User.objects.filter(
        pk=user_id, is_active=True, role__in=[Role.PRACTITIONER, Role.MANAGER]
    ).first()
    if user is None:
        raise ValidationError(
            {"lead_professional_id": "Choose an active practitioner or manager as lead"}
        )
    return user


def _service_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Exchange-format names and values to the children services' keyword arguments."""
    fields: dict[str, Any] = {}
    for name, value in data.items():
        if name == "ward_code":
            fields["ward"] = _ward(value)
        elif name == "lead_professional_id":
            fields["lead_professional"] = _lead_professional(value)
        elif name == "education_status":
            fields[name] = value.value if value else ""
        elif name == "child_ref":
            if value:
                fields[name] = value
        elif isinstance(value, Enum):
            fields[name] = value.value
        else:
            fields[name] = value
    return fields


@router.get(
    "/",
    summary="List or search the children you may see",
    response={200: list[ChildOut], **READ_ERRORS, 403: ErrorOut},
    openapi_extra=operation_rule(
        "caseload roles (practitioner, manager, panel member); lists only children the access "
        "policy lets the caller see; 403 for other roles; one list or search access event"
    ),
)
@paginate(Pagination)
def child_list(
    request: HttpRequest,
    q: Annotated[
        Text, Query("", max_length=200, description="Name, alias, date of birth or reference")
    ] = "",
    scope: Annotated[
        Literal["all", "mine"], Query("all", description="mine: only children you work with")
    ] = "all",
) -> Any:
    user = _caller(request)
    if not access.holds_caseload(user):
        raise PermissionDenied("Your role does not include reading children's records")
    return selectors.child_list(user=user, query=q, scope=scope)


@router.post(
    "/",
    summary="Record a new child",
    response={201: ChildOut, **WRITE_ERRORS},
    openapi_extra=operation_rule(
        "practitioners and managers of an agency; their agency records the child and they "
        "become involved; 403 otherwise; one create access event"
    ),
)
def child_create(request: HttpRequest, payload: ChildIn) -> Any:
    user = _caller(request)
    if not access.can_create_child(user):
        raise PermissionDenied("Only practitioners and managers of an agency can add children")
    child = services.child_create(actor=user, **_service_fields(payload.model_dump()))
    return Status(201, child)


@router.get(
    "/{child_id}",
    summary="A child's record",
    response={200: ChildDetailOut, **READ_ERRORS},
    openapi_extra=operation_rule(
        "child:view (involved, lead, agency caseload or break glass); 404 otherwise; "
        "one view access event"
    ),
)
def child_detail(request: HttpRequest, child_id: Id) -> Any:
    child, decision = selectors.child_get(user=_caller(request), child_id=child_id)
    child.can_edit, child.access_via = decision.edit, decision.via  # type: ignore[attr-defined]
    return child


@router.patch(
    "/{child_id}",
    summary="Change a child's details",
    response={200: ChildOut, **WRITE_ERRORS},
    openapi_extra=operation_rule(
        "child:edit (involved, lead or a manager of the agency); 404 unseen, 403 read-only; "
        "one update access event naming the fields changed (a view event if nothing changed)"
    ),
)
def child_update(request: HttpRequest, child_id: Id, payload: ChildPatch) -> Any:
    user = _caller(request)
    child = selectors.child_get_for_edit(user=user, child_id=child_id)
    before = child.updated_at
    fields = _service_fields(payload.model_dump(exclude_unset=True))
    child = services.child_update(actor=user, child=child, **fields)
    if child.updated_at == before:
        # Nothing changed, so no update event; the reply still shows the record: a view.
        child, _ = selectors.child_get(user=user, child_id=child.pk)
    return child


@router.get(
    "/{child_id}/notes",
    summary="Case notes you may read",
    response={200: list[NoteOut], **READ_ERRORS},
    openapi_extra=operation_rule(
        "child:view, then only the notes the caller may read by handling code "
        "(access.visible_notes); 404 otherwise; one view access event"
    ),
)
@paginate(Pagination)
def note_list(request: HttpRequest, child_id: Id) -> Any:
    user = _caller(request)
    child, _ = selectors.child_get(user=user, child_id=child_id)
    return selectors.note_list(user=user, child=child).order_by(
        "-occurred_on", "-created_at", "-id"
    )


@router.post(
    "/{child_id}/notes",
    summary="Add a case note",
    response={201: NoteCreatedOut, **WRITE_ERRORS},
    openapi_extra=operation_rule(
        "child:edit; 404 unseen, 403 read-only; one create access event; the reply carries "
        "children-first language guidance"
    ),
)
def note_create(request: HttpRequest, child_id: Id, payload: NoteIn) -> Any:
    user = _caller(request)
    child = selectors.child_get_for_edit(user=user, child_id=child_id)
    note, guidance = services.case_note_add(
        actor=user,
        child=child,
        subject=payload.subject,
        text=payload.text,
        occurred_on=payload.occurred_on,
        handling=payload.handling.value,
    )
    note.guidance = guidance  # type: ignore[attr-defined]
    return Status(201, note)
