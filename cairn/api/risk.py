"""Exploitation risk: the indicator catalogue, a child's assessments, and the register.

Mounted at /api/risk/. A child's assessments live at /api/risk/children/{child_id}/assessments
(under the risk router, beside the register, rather than on the children router).

Reads and writes go through the children and risk selectors and services, so access and the
access log are the same as the pages': 404 for a child the caller may not know exists, 403 for a
change to a record they may only read, and for the register (which names children) 403 for roles
without a caseload (scrutiny, analyst, administrator: they see the register as counts in
reports). Every call about children writes one access event; the catalogue is not about any
child and writes none.
"""

# No `from __future__ import annotations`: django-ninja reads these annotations at runtime.

from collections.abc import Iterable
from datetime import date
from enum import Enum, StrEnum
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from cairn.accounts import access
from cairn.accounts.models import Agency, User
from cairn.api.children import GuidanceOut
from cairn.api.rules import operation_rule
from cairn.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    BodyIn,
    Day,
    ErrorOut,
    Id,
    Pagination,
    Text,
)
from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.children import selectors as child_selectors
from cairn.children.models import Child, LegalStatus, Sex
from cairn.core.models import Locality, Ward
from cairn.risk import selectors, services
from cairn.risk.models import (
    CinFactor,
    ExploitationType,
    Indicator,
    IndicatorCategory,
    RiskAssessment,
    RiskLevel,
)
from cairn.risk.selectors import REGISTER_SORTS, AgeBand, RegisterFilters

router = Router(tags=["risk"])

NO_CASELOAD = "Your role sees the register as counts in reports, not as a list of children"


class RegisterLevel(StrEnum):
    LOW = RiskLevel.LOW.value
    MEDIUM = RiskLevel.MEDIUM.value
    HIGH = RiskLevel.HIGH.value


# The register's sort keys: selectors.REGISTER_SORTS, each also reversed with a leading "-".
RegisterSort = StrEnum(  # type: ignore[misc]
    "RegisterSort",
    [(key, key) for key in REGISTER_SORTS]
    + [(f"{key}_reversed", f"-{key}") for key in REGISTER_SORTS],
)


# Schemas -------------------------------------------------------------------------------------


class IndicatorOut(Schema):
    code: str
    category: IndicatorCategory
    wording: str
    group: str = Field(description="For significant indicators: sexual, criminal, ...")
    exploitation_types: list[str]
    recency_matters: bool = Field(
        description="Whether a screening must say when it was last seen (moderate, significant)"
    )


class RecencyChoice(StrEnum):
    WITHIN_6_MONTHS = "within_6_months"
    SIX_TO_12_MONTHS = "6_to_12_months"


class IndicatorPickIn(BodyIn):
    code: Text = Field(min_length=1, max_length=64, description="An indicator's code")
    recency: RecencyChoice | None = Field(
        None,
        description="When it was last seen: required for moderate and significant indicators, "
        "left out (or null) for vulnerabilities",
    )


class AssessmentIn(BodyIn):
    assessed_on: Day = Field(default_factory=timezone.localdate, description="Default: today")
    indicators: list[IndicatorPickIn] = Field([], max_length=200)
    level: RiskLevel = Field(description="The assessor's final level")
    exploitation_types: list[ExploitationType] = Field([], max_length=20)
    cin_factors: list[CinFactor] = Field([], max_length=40)
    rationale: Text = Field(
        "",
        max_length=100_000,
        description="Required when the level differs from the suggested one, and always for high",
    )


class AssessmentIndicatorOut(Schema):
    code: str
    recency: str = Field(description='within_6_months, 6_to_12_months or "" (vulnerabilities)')
    points: int


class AssessmentOut(Schema):
    id: int
    assessment_ref: str
    child_id: int
    agency: str = Field(description="Code of the assessor's agency")
    assessed_on: date
    level: RiskLevel
    suggested_level: RiskLevel
    score: int
    floor_applied: bool = Field(description="The under-13 / learning-disability floor applied")
    exploitation_types: list[str]
    cin_factors: list[str]
    indicators: list[AssessmentIndicatorOut]
    rationale: str
    next_review_due: date | None
    catalogue_version: int
    assessor: str = Field(description="The assessor's name and agency")
    assessor_id: int | None

    @staticmethod
    def resolve_agency(assessment: RiskAssessment) -> str:
        return assessment.agency.code

    @staticmethod
    def resolve_catalogue_version(assessment: RiskAssessment) -> int:
        return assessment.catalogue_version.number

    @staticmethod
    def resolve_assessor(assessment: RiskAssessment) -> str:
        return assessment.assessor.display_name if assessment.assessor else ""

    @staticmethod
    def resolve_indicators(assessment: RiskAssessment) -> list[dict[str, Any]]:
        rows = sorted(
            assessment.indicators.all(),
            key=lambda row: (
                selectors.CATEGORY_ORDER.get(row.indicator.category, 9),
                row.indicator.position,
                row.indicator.code,
            ),
        )
        return [
            {"code": row.indicator.code, "recency": row.recency, "points": row.points}
            for row in rows
        ]


class ScreeningOut(Schema):
    score: int
    suggested_level: RiskLevel
    rule: str = Field(description="The sentence(s) that produced the suggested level")


class AssessmentCreatedOut(AssessmentOut):
    screening: ScreeningOut
    guidance: list[GuidanceOut] = Field(
        description="Children-first language findings in the rationale (never blocking)"
    )


class RegisterRowOut(Schema):
    id: int = Field(description="The child's id")
    child_ref: str
    name: str
    level: RiskLevel
    assessed_on: date
    next_review_due: date | None
    exploitation_types: list[str]

    @staticmethod
    def resolve_name(child: Child) -> str:
        return child.full_name

    @staticmethod
    def resolve_level(child: Child) -> str:
        return child.risk_level  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_assessed_on(child: Child) -> date:
        return child.risk_assessed_on  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_next_review_due(child: Child) -> date | None:
        return child.risk_next_review  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_exploitation_types(child: Child) -> list[str]:
        return list(child.risk_types or [])  # type: ignore[attr-defined]


class RegisterCountsOut(Schema):
    low: int
    medium: int
    high: int
    total: int


# Helpers -------------------------------------------------------------------------------------


def _caller(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined, return-value]


def _require_caseload(user: User, message: str) -> None:
    if not access.holds_caseload(user):
        raise PermissionDenied(message)


def _assessments(child: Child) -> QuerySet[RiskAssessment]:
    """The child's assessments, newest first, with what the reply shows (4 queries a page).
    The caller has opened the child's record."""
    return (
        RiskAssessment.objects.filter(child=child)
        .select_related("agency", "catalogue_version", "assessor", "assessor__agency")
        .prefetch_related("indicators__indicator")
        .order_by("-assessed_on", "-id")
    )


def _selections(picks: list[IndicatorPickIn]) -> list[tuple[Indicator, str | None]]:
    """The picked codes as catalogue indicators (retired ones too: the service refuses them by
    name). An unknown code is an error on `indicators`."""
    codes = [pick.code for pick in picks]
    by_code = {i.code: i for i in Indicator.objects.filter(code__in=set(codes))}
    unknown = [code for code in dict.fromkeys(codes) if code not in by_code]
    if unknown:
        raise ValidationError(
            {"indicators": [f"There is no indicator with the code {code!r}" for code in unknown]}
        )
    return [(by_code[p.code], p.recency.value if p.recency else None) for p in picks]


def _by_code(model: type[Model], field: str, code: str | None) -> Model | None:
    """A locality, ward or agency named by its code in the query string; 422 if unknown."""
    if not code:
        return None
    found = model._default_manager.filter(code=code).first()
    if found is None:
        raise NinjaValidationError(
            [
                {
                    "loc": ["query", field],
                    "msg": f"There is no {field} with the code {code!r}",
                    "type": "invalid",
                }
            ]
        )
    return found


# A repeatable query parameter, declared on the operation itself so that errors name it as
# ["query", "level", 0] (inside a query Schema ninja would say ["query", "filters", "level", 0]).
LevelQuery = Annotated[
    list[RegisterLevel],
    Query(description="low, medium or high; repeat for several (default: all three)"),
]


class RegisterFilterQuery(Schema):
    exploitation_type: ExploitationType | None = None
    locality: Text | None = Field(None, max_length=16, description="A locality's code")
    ward: Text | None = Field(None, max_length=16, description="A ward's code")
    agency: Text | None = Field(None, max_length=16, description="Code of the recording agency")
    age_band: AgeBand | None = Field(None, description="Age today")
    sex: Sex | None = None
    legal_status: LegalStatus | None = None
    overdue: bool = Field(False, description="Only children whose review is overdue")

    def to_filters(self, levels: Iterable[RegisterLevel] = ()) -> RegisterFilters:
        def value(item: Any) -> str:
            return item.value if isinstance(item, Enum) else (item or "")

        return RegisterFilters(
            levels=tuple(value(level) for level in levels),
            exploitation_type=value(self.exploitation_type),
            locality=_by_code(Locality, "locality", self.locality),
            ward=_by_code(Ward, "ward", self.ward),
            agency=_by_code(Agency, "agency", self.agency),
            age_band=value(self.age_band),
            sex=value(self.sex),
            legal_status=value(self.legal_status),
            overdue=self.overdue,
            sort=value(getattr(self, "sort", "")) or "level",
        )


class RegisterQuery(RegisterFilterQuery):
    sort: RegisterSort = Field(  # type: ignore[valid-type, assignment]
        "level", description="level, name, age, assessed or review; a leading - reverses it"
    )


# Operations ----------------------------------------------------------------------------------


@router.get(
    "/indicators",
    summary="The current indicator catalogue",
    response={200: list[IndicatorOut], **READ_ERRORS, 403: ErrorOut},
    openapi_extra=operation_rule(
        "caseload roles (practitioner, manager, panel member); 403 for other roles; the "
        "catalogue is not about any child, so no access event"
    ),
)
def indicator_list(request: HttpRequest) -> Any:
    _require_caseload(_caller(request), "Your role does not include screening children")
    return selectors.catalogue_indicators()


@router.get(
    "/children/{child_id}/assessments",
    summary="A child's risk assessments, newest first",
    response={200: list[AssessmentOut], **READ_ERRORS},
    openapi_extra=operation_rule(
        "child:view (involved, lead, agency caseload or break glass); 404 otherwise; "
        "one view access event"
    ),
)
@paginate(Pagination)
def assessment_list(request: HttpRequest, child_id: Id) -> Any:
    child, _ = child_selectors.child_get(user=_caller(request), child_id=child_id)
    return _assessments(child)


@router.post(
    "/children/{child_id}/assessments",
    summary="Record a screening with the assessor's level",
    response={201: AssessmentCreatedOut, **WRITE_ERRORS},
    openapi_extra=operation_rule(
        "child:edit (involved, lead or a manager of the agency), as a member of an agency; "
        "404 unseen, 403 read-only; one create access event; the score, suggested level and "
        "floor are computed, never taken from the caller"
    ),
)
def assessment_create(request: HttpRequest, child_id: Id, payload: AssessmentIn) -> Any:
    user = _caller(request)
    child = child_selectors.child_get_for_edit(user=user, child_id=child_id)
    created, guidance = services.risk_assessment_submit(
        actor=user,
        child=child,
        assessed_on=payload.assessed_on,
        selections=_selections(payload.indicators),
        level=payload.level.value,
        exploitation_types=[t.value for t in payload.exploitation_types],
        cin_factors=[f.value for f in payload.cin_factors],
        rationale=payload.rationale,
    )
    assessment = _assessments(child).get(pk=created.pk)
    explanation = selectors.assessment_explanation(assessment)
    assessment.screening = {  # type: ignore[attr-defined]
        "score": explanation.score,
        "suggested_level": explanation.suggested_level,
        "rule": explanation.rule,
    }
    assessment.guidance = guidance  # type: ignore[attr-defined]
    return Status(201, assessment)


@router.get(
    "/register",
    summary="The register: children you may see at low, medium or high",
    response={200: list[RegisterRowOut], **READ_ERRORS, 403: ErrorOut},
    openapi_extra=operation_rule(
        "caseload roles (practitioner, manager, panel member); children the access policy lets "
        "the caller see, never through break glass; 403 for other roles; one list access event"
    ),
)
@paginate(Pagination)
def register_list(
    request: HttpRequest,
    filters: Query[RegisterQuery],
    level: LevelQuery = (),  # type: ignore[assignment]
) -> Any:
    user = _caller(request)
    _require_caseload(user, NO_CASELOAD)
    return selectors.register(user=user, filters=filters.to_filters(level))


@router.get(
    "/register/counts",
    summary="How many children on your register at each level",
    response={200: RegisterCountsOut, **READ_ERRORS, 403: ErrorOut},
    openapi_extra=operation_rule(
        "caseload roles, with the register's scope and filters (the level filter does not "
        "narrow the counts); 403 for other roles; one list access event"
    ),
)
def register_counts(
    request: HttpRequest,
    filters: Query[RegisterFilterQuery],
    level: LevelQuery = (),  # type: ignore[assignment]
) -> Any:
    user = _caller(request)
    _require_caseload(user, NO_CASELOAD)
    chosen = filters.to_filters(level)
    counts = selectors.register_counts(user=user, filters=chosen)
    access_event_record(
        actor=user,
        action=Action.LIST,
        object_type="risk.register_counts",
        detail={
            **{
                k: (str(v) if isinstance(v, Model) else v)
                for k, v in chosen.__dict__.items()
                if v not in (None, "", (), False) and k != "sort"
            },
            "counts": counts,
        },
    )
    return counts
