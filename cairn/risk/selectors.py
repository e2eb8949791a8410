"""Reads of exploitation-risk data, already scoped by the access policy (cairn.accounts.access).

A child's level is that of their latest assessment: the greatest `assessed_on`, and of those the
one recorded last (highest id), the same rule as the `register.*` KPIs. That assessment carries
`is_current` (kept by services.current_assessments_refresh), and lists join it once per child
(`annotate_current_assessment`), so a page of the register costs one query however many children
it shows, and the register of a 100,000-child county is read without searching each history.

Audit: opening an assessment (`assessment_get`) writes a view event and listing the register a
list event, as opening and listing child records do (cairn/children/selectors.py). The parts of
the child's page (current level, history, outcomes) are covered by the page's own view event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import OrderBy
from django.http import Http404
from django.utils import timezone

from cairn.accounts import access
from cairn.accounts.models import Role
from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.children.models import Child
from cairn.risk import scoring
from cairn.risk.models import (
    AssessmentIndicator,
    CatalogueVersion,
    Indicator,
    IndicatorCategory,
    Intervention,
    OutcomeDomain,
    OutcomeStage,
    RiskAssessment,
    RiskLevel,
)

if TYPE_CHECKING:
    from cairn.accounts.models import User

ON_REGISTER: tuple[str, ...] = (RiskLevel.LOW.value, RiskLevel.MEDIUM.value, RiskLevel.HIGH.value)
CATEGORY_ORDER = {
    IndicatorCategory.VULNERABILITY.value: 0,
    IndicatorCategory.MODERATE.value: 1,
    IndicatorCategory.SIGNIFICANT.value: 2,
}


# The catalogue -----------------------------------------------------------------------------


def latest_catalogue_version() -> CatalogueVersion:
    """The catalogue version new assessments use."""
    version = CatalogueVersion.objects.order_by("-number").first()
    if version is None:  # pragma: no cover - migration 0002 publishes version 1
        raise RuntimeError("the indicator catalogue has no published version")
    return version


def catalogue_indicators(*, include_retired: bool = False) -> QuerySet[Indicator]:
    """Indicators to offer on the screening form (current ones), in catalogue order."""
    indicators = Indicator.objects.select_related("added_in", "retired_in")
    if not include_retired:
        indicators = indicators.filter(retired_in__isnull=True)
    return indicators.order_by(
        Case(
            *(When(category=c, then=Value(rank)) for c, rank in CATEGORY_ORDER.items()),
            output_field=IntegerField(),
        ),
        "position",
        "code",
    )


# One child's assessments -------------------------------------------------------------------


def annotate_current_assessment(children: QuerySet[Child]) -> QuerySet[Child]:
    """Each child with their latest assessment: `risk_assessment_id`, `risk_level`,
    `risk_rank` (0 none … 3 high; None with no assessment), `risk_assessed_on`,
    `risk_next_review` and `risk_types` (the exploitation types, a list). One outer join on
    the child's current assessment."""
    return (
        children.annotate(
            current_risk=FilteredRelation(
                "risk_assessments", condition=Q(risk_assessments__is_current=True)
            ),
        )
        .annotate(
            risk_assessment_id=F("current_risk__id"),
            risk_level=F("current_risk__level"),
            risk_assessed_on=F("current_risk__assessed_on"),
            risk_next_review=F("current_risk__next_review_due"),
            risk_types=F("current_risk__exploitation_types"),
        )
        .annotate(
            risk_rank=Case(
                *(
                    When(risk_level=lvl, then=Value(rank))
                    for rank, lvl in enumerate(scoring.LEVELS)
                ),
                default=None,
                output_field=IntegerField(),
            )
        )
    )


def current_assessment(child: Child) -> RiskAssessment | None:
    """The child's latest assessment (their current level), or None. The caller has already
    opened the child's record (children.selectors.child_get)."""
    return (
        RiskAssessment.objects.filter(child=child, is_current=True)
        .select_related("assessor", "agency", "catalogue_version")
        .first()
    )


def _require_view(user: User, child: Child) -> access.ChildAccess:
    decision = access.child_access(user, child)
    if not decision.view:
        raise Http404("No such child")
    return decision


@dataclass(frozen=True)
class HistoryPoint:
    """One assessment in a child's history of levels (for the chart and its data table)."""

    assessment_id: int
    assessment_ref: str
    assessed_on: date
    level: str
    level_label: str
    rank: int  # 0 none … 3 high: the chart's y value
    score: int
    suggested_level: str
    assessor: str
    agency: str
    next_review_due: date | None


def risk_history(*, user: User, child: Child) -> list[HistoryPoint]:
    """The child's levels over time, oldest first. 404 if the user may not see the child."""
    _require_view(user, child)
    return _history(child)


def _history(child: Child) -> list[HistoryPoint]:
    assessments = (
        RiskAssessment.objects.filter(child=child)
        .select_related("assessor", "agency")
        .order_by("assessed_on", "id")
    )
    return [
        HistoryPoint(
            assessment_id=a.pk,
            assessment_ref=a.assessment_ref,
            assessed_on=a.assessed_on,
            level=a.level,
            level_label=a.get_level_display(),
            rank=scoring.level_rank(a.level),
            score=a.score,
            suggested_level=a.suggested_level,
            assessor=str(a.assessor) if a.assessor else "",
            agency=a.agency.code,
            next_review_due=a.next_review_due,
        )
        for a in assessments
    ]


def assessment_get(*, user: User, assessment_id: int) -> RiskAssessment:
    """Open one assessment: 404 if it does not exist or the user may not see the child; writes
    one view event."""
    assessment = (
        RiskAssessment.objects.select_related(
            "child", "assessor", "agency", "catalogue_version", "child__lead_professional"
        )
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment")
    decision = _require_view(user, assessment.child)
    access_event_record(
        actor=user,
        action=Action.VIEW,
        obj=assessment,
        child=assessment.child,
        reason=decision.audit_reason,
    )
    return assessment


@dataclass(frozen=True)
class Explanation:
    """Why an assessment says what it says: the indicators with their points, the rule, the
    floor and the assessor's rationale."""

    assessment: RiskAssessment
    lines: list[scoring.ScoreLine]
    score: int
    score_level: str
    suggested_level: str
    level: str
    rule: str
    score_rule: str
    floor_applied: bool
    floor_rule: str
    rationale: str
    catalogue_version: int

    @property
    def differs(self) -> bool:
        """The assessor's level is not the suggested one."""
        return self.level != self.suggested_level

    @property
    def level_label(self) -> str:
        return RiskLevel(self.level).label

    @property
    def suggested_label(self) -> str:
        return RiskLevel(self.suggested_level).label

    def lines_in(self, category: str) -> list[scoring.ScoreLine]:
        return [line for line in self.lines if line.category == category]


def assessment_explanation(assessment: RiskAssessment) -> Explanation:
    """The reasons for an assessment, from what was recorded (points as stored, whatever the
    catalogue says now). The caller has checked the user may see the child."""
    rows = (
        AssessmentIndicator.objects.filter(assessment=assessment)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__code")
    )
    lines = sorted(
        (
            scoring.ScoreLine(
                category=row.indicator.category,
                recency=row.recency,
                points=row.points,
                code=row.indicator.code,
                wording=row.indicator.wording,
            )
            for row in rows
        ),
        key=lambda line: CATEGORY_ORDER.get(line.category, 9),
    )
    score_rule = scoring.score_rule(lines)
    floor_rule = ""
    if assessment.floor_applied:
        child = assessment.child
        reasons = scoring.floor_reasons(
            age=child.age_on(assessment.assessed_on),
            learning_disability=child.learning_disability,
        )
        floor_level = settings.CAIRN_RISK_FLOOR_LEVEL
        floor_rule = scoring.floor_rule(
            reasons, floor_level, scoring.level_for_score(assessment.score)
        )
    return Explanation(
        assessment=assessment,
        lines=lines,
        score=assessment.score,
        score_level=scoring.level_for_score(assessment.score),
        suggested_level=assessment.suggested_level,
        level=assessment.level,
        rule=f"{score_rule} {floor_rule}" if floor_rule else score_rule,
        score_rule=score_rule,
        floor_applied=assessment.floor_applied,
        floor_rule=floor_rule,
        rationale=assessment.rationale,
        catalogue_version=assessment.catalogue_version.number,
    )


# Reviews -----------------------------------------------------------------------------------


def overdue_reviews(*, user: User, today: date | None = None) -> QuerySet[Child]:
    """Children on the register (latest assessment low, medium or high) whose review date has
    passed: a lead professional's own children, and for a manager their agency's children.
    Most overdue first; annotated as `annotate_current_assessment` describes."""
    if not access.holds_caseload(user):
        return Child.objects.none()
    today = today or timezone.localdate()
    if user.role == Role.MANAGER:
        base = access.visible_children(user, include_break_glass=False)
    else:
        base = Child.objects.filter(lead_professional=user)
    return (
        annotate_current_assessment(base)
        .filter(risk_level__in=ON_REGISTER, risk_next_review__lt=today)
        .select_related("lead_professional", "ward")
        .order_by("risk_next_review", "family_name", "given_name", "id")
    )


# The register ------------------------------------------------------------------------------


class AgeBand(models.TextChoices):
    UNDER_13 = "under_13", "Under 13"
    FROM_13_TO_15 = "13_15", "13 to 15"
    FROM_16_TO_17 = "16_17", "16 to 17"
    ADULT = "18_plus", "18 and over"


#: Sort keys for the register: each is a list of (annotation or field, descending). A leading
#: "-" on a key reverses it.
REGISTER_SORTS: dict[str, list[tuple[str, bool]]] = {
    "level": [("risk_rank", True), ("risk_next_review", False)],
    "name": [("family_name", False), ("given_name", False)],
    "age": [("date_of_birth", True)],
    "assessed": [("risk_assessed_on", True)],
    "review": [("risk_next_review", False)],
}


@dataclass(frozen=True)
class RegisterFilters:
    """What the register can be narrowed by. Empty values do not filter. `locality`, `ward`,
    `agency` (the agency that recorded the child) and `lead_professional` take an instance or a
    primary key."""

    levels: tuple[str, ...] = ()
    exploitation_type: str = ""
    locality: Any = None
    ward: Any = None
    agency: Any = None
    lead_professional: Any = None
    age_band: str = ""
    sex: str = ""
    legal_status: str = ""
    overdue: bool = False
    sort: str = "level"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> RegisterFilters:
        """From a form's cleaned_data (or any mapping); `level` or `levels` may be one value or
        a list."""
        if not data:
            return cls()
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names and v not in (None, "")}
        level = data.get("levels", data.get("level"))
        if isinstance(level, str):
            values["levels"] = (level,) if level else ()
        elif level:
            values["levels"] = tuple(level)
        values["overdue"] = bool(values.get("overdue", False))
        return cls(**values)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_band_q(band: str, today: date) -> Q:
    """Children in an age band today, by date of birth (unknown dates of birth match none)."""
    bounds = {
        AgeBand.UNDER_13: (None, 13),
        AgeBand.FROM_13_TO_15: (13, 16),
        AgeBand.FROM_16_TO_17: (16, 18),
        AgeBand.ADULT: (18, None),
    }
    if band not in bounds:
        raise ValueError(f"unknown age band {band!r}")
    youngest, too_old = bounds[AgeBand(band)]
    q = Q(date_of_birth__isnull=False)
    if youngest is not None:  # at least this old: born on or before this date
        q &= Q(date_of_birth__lte=_years_before(today, youngest))
    if too_old is not None:  # younger than this: born after this date
        q &= Q(date_of_birth__gt=_years_before(today, too_old))
    return q


def _json_list_has(field_name: str, value: str) -> Q:
    """A JSON list field holds this string (portable: SQLite has no JSON containment)."""
    return Q(**{f"{field_name}__icontains": f'"{value}"'})


def _register_base(
    user: User, filters: RegisterFilters, today: date, *, with_levels: bool
) -> QuerySet[Child]:
    children = annotate_current_assessment(access.visible_children(user, include_break_glass=False))
    levels = [lvl for lvl in filters.levels if lvl in ON_REGISTER] if with_levels else []
    if with_levels and filters.levels and not levels:
        return children.none()
    children = children.filter(risk_level__in=levels or ON_REGISTER)
    if filters.exploitation_type:
        children = children.filter(
            _json_list_has("current_risk__exploitation_types", filters.exploitation_type)
        )
    for name, lookup in (
        ("locality", "ward__locality"),
        ("ward", "ward"),
        ("agency", "agency"),
        ("lead_professional", "lead_professional"),
        ("sex", "sex"),
        ("legal_status", "legal_status"),
    ):
        value = getattr(filters, name)
        if value not in (None, ""):
            children = children.filter(**{lookup: value})
    if filters.age_band:
        children = children.filter(_age_band_q(filters.age_band, today))
    if filters.overdue:
        children = children.filter(risk_next_review__lt=today)
    return children


def _order(sort: str) -> list[OrderBy]:
    reverse = sort.startswith("-")
    terms = REGISTER_SORTS.get(sort.removeprefix("-"), REGISTER_SORTS["level"])
    order = []
    for name, descending in terms:
        if descending != reverse:
            order.append(F(name).desc(nulls_last=True))
        else:
            order.append(F(name).asc(nulls_last=True))
    named = {name for name, _ in terms}
    order += [F(name).asc() for name in ("family_name", "given_name", "id") if name not in named]
    return order


def register(
    *,
    user: User,
    filters: RegisterFilters | Mapping[str, Any] | None = None,
    audit: bool = True,
    today: date | None = None,
) -> QuerySet[Child]:
    """Every child the user may see (never through break glass) whose latest assessment is low,
    medium or high, filtered and sorted, annotated as `annotate_current_assessment` describes.
    Writes one list event (pass audit=False when the caller records its own, e.g. an export)."""
    if not isinstance(filters, RegisterFilters):
        filters = RegisterFilters.from_mapping(filters)
    today = today or timezone.localdate()
    children = _register_base(user, filters, today, with_levels=True).select_related(
        "ward", "ward__locality", "lead_professional", "agency"
    )
    if audit:
        access_event_record(
            actor=user,
            action=Action.LIST,
            object_type="risk.register",
            detail={
                k: (str(v) if isinstance(v, models.Model) else v)
                for k, v in filters.__dict__.items()
                if v not in (None, "", (), False)
            },
        )
    return children.order_by(*_order(filters.sort))


def register_counts(
    *,
    user: User,
    filters: RegisterFilters | Mapping[str, Any] | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Children on the user's register by level, with the other filters applied but not the
    level filter (so each count says what choosing that level would show): {"low": n,
    "medium": n, "high": n, "total": n}. One query."""
    if not isinstance(filters, RegisterFilters):
        filters = RegisterFilters.from_mapping(filters)
    today = today or timezone.localdate()
    children = _register_base(user, filters, today, with_levels=False)
    counts = children.aggregate(
        **{level: Count("pk", filter=Q(risk_level=level)) for level in ON_REGISTER}
    )
    counts = {level: counts[level] or 0 for level in ON_REGISTER}
    counts["total"] = sum(counts.values())
    return counts


def register_size(counts: Mapping[str, int], filters: RegisterFilters) -> int:
    """How many children `register` lists, from `register_counts` for the same filters (which
    leave out only the level filter)."""
    levels = [level for level in filters.levels if level in ON_REGISTER]
    if filters.levels:
        return sum(counts[level] for level in levels)
    return counts["total"]


# Outcomes ("distance travelled") -----------------------------------------------------------


@dataclass(frozen=True)
class DomainChange:
    domain: str
    label: str
    start: int | None
    latest: int | None
    change: int | None  # latest - start: positive is better (5 is safe and well)


@dataclass(frozen=True)
class OutcomeChange:
    """Change from the start scores to the latest stage's, per domain and overall."""

    intervention: Intervention
    latest_stage: str | None  # six_weeks or end; None until a stage after the start
    domains: list[DomainChange] = field(default_factory=list)
    start_total: int | None = None
    latest_total: int | None = None

    @property
    def change(self) -> int | None:
        if self.start_total is None or self.latest_total is None:
            return None
        return self.latest_total - self.start_total

    @property
    def direction(self) -> str | None:
        """improved, stayed or worsened (overall); None until there is a later stage."""
        return _direction(self.change)

    @property
    def latest_stage_label(self) -> str:
        return OutcomeStage(self.latest_stage).label if self.latest_stage else ""


def _direction(change: int | None) -> str | None:
    if change is None:
        return None
    return "improved" if change > 0 else "worsened" if change < 0 else "stayed"


def outcome_change(intervention: Intervention) -> OutcomeChange:
    """Per domain and overall, start → latest stage. Uses prefetched `scores` when present."""
    by_stage: dict[str, dict[str, int]] = {}
    for score in intervention.scores.all():
        by_stage.setdefault(score.stage, {})[score.domain] = score.score
    start = by_stage.get(OutcomeStage.START.value, {})
    latest_stage = next(
        (s for s in (OutcomeStage.END.value, OutcomeStage.SIX_WEEKS.value) if s in by_stage),
        None,
    )
    latest = by_stage.get(latest_stage, {}) if latest_stage else {}
    domains = []
    for domain in OutcomeDomain:
        before, after = start.get(domain.value), latest.get(domain.value)
        change = after - before if before is not None and after is not None else None
        domains.append(DomainChange(domain.value, domain.label, before, after, change))
    complete = len(start) == len(OutcomeDomain) and len(latest) == len(OutcomeDomain)
    return OutcomeChange(
        intervention=intervention,
        latest_stage=latest_stage,
        domains=domains,
        start_total=sum(start.values()) if start else None,
        latest_total=sum(latest.values()) if complete else None,
    )


def interventions_for(*, user: User, child: Child) -> list[OutcomeChange]:
    """The child's interventions, newest first, each with its change. Two queries."""
    _require_view(user, child)
    return child_outcomes(child=child)


def child_outcomes(*, child: Child) -> list[OutcomeChange]:
    """As `interventions_for`, for a record the caller has already opened (and audited)."""
    interventions = (
        Intervention.objects.filter(child=child)
        .select_related("agency")
        .prefetch_related("scores")
        .order_by("-started_on", "-id")
    )
    return [outcome_change(intervention) for intervention in interventions]


def outcome_summary(children: QuerySet[Child] | Iterable[Child]) -> dict[str, int]:
    """How many of these children improved, stayed the same or worsened overall, from the start
    to the latest stage of their most recent intervention that has a later stage. One query.
    {"improved": n, "stayed": n, "worsened": n, "children": n} (children: those counted)."""
    if isinstance(children, QuerySet):
        ids: Any = children.values("pk")
    else:
        ids = [child.pk for child in children]
    totals = (
        Intervention.objects.filter(child__in=ids)
        .values("id", "child_id", "started_on", "scores__stage")
        .annotate(total=Sum("scores__score"), domains=Count("scores"))
        .filter(domains=len(OutcomeDomain))
        .order_by()
    )
    per_intervention: dict[int, dict[str, Any]] = {}
    for row in totals:
        entry = per_intervention.setdefault(
            row["id"], {"child": row["child_id"], "started_on": row["started_on"], "stages": {}}
        )
        entry["stages"][row["scores__stage"]] = row["total"]
    chosen: dict[int, tuple[tuple[date, int], int]] = {}
    for intervention_id, entry in per_intervention.items():
        stages = entry["stages"]
        later = stages.get(OutcomeStage.END.value, stages.get(OutcomeStage.SIX_WEEKS.value))
        if OutcomeStage.START.value not in stages or later is None:
            continue
        key = (entry["started_on"], intervention_id)
        change = later - stages[OutcomeStage.START.value]
        if entry["child"] not in chosen or key > chosen[entry["child"]][0]:
            chosen[entry["child"]] = (key, change)
    summary = {"improved": 0, "stayed": 0, "worsened": 0}
    for _, change in chosen.values():
        summary[_direction(change) or "stayed"] += 1
    summary["children"] = len(chosen)
    return summary


@dataclass(frozen=True)
class ChildRiskSummary:
    """What a child's record shows about exploitation risk: the current level with its reasons,
    and the history of levels as a chart and a table."""

    current: RiskAssessment | None
    explanation: Explanation | None
    history: list[HistoryPoint]
    chart: str
    overdue: bool


def child_risk_summary(*, user: User, child: Child, today: date | None = None) -> ChildRiskSummary:
    """The risk panel of a child's record. The caller has opened the record (and audited it)."""
    from cairn.core.charts import StepPoint, step_chart

    today = today or timezone.localdate()
    history = _history(child)
    current = (
        RiskAssessment.objects.filter(pk=history[-1].assessment_id)
        .select_related("assessor", "assessor__agency", "catalogue_version")
        .first()
        if history
        else None
    )
    explanation = assessment_explanation(current) if current is not None else None
    chart = ""
    if len(history) > 1:
        first, last = history[0], history[-1]
        chart = step_chart(
            [StepPoint(p.assessed_on, p.rank) for p in history],
            levels=["None", "Low", "Medium", "High"],
            title=f"Risk level over time for {child.given_name}",
            description=(
                f"{len(history)} assessments from {first.assessed_on:%-d %B %Y} to "
                f"{last.assessed_on:%-d %B %Y}; now {last.level_label.lower()}."
            ),
            until=today,
            chart_id="risk-history",
        )
    overdue = bool(
        current is not None
        and current.next_review_due is not None
        and current.next_review_due < today
    )
    return ChildRiskSummary(current, explanation, history, chart, overdue)


def intervention_get_for_edit(*, user: User, intervention_id: int) -> Intervention:
    """An intervention whose child the user may change: 404 unseen, 403 read-only."""
    from django.core.exceptions import PermissionDenied

    intervention = (
        Intervention.objects.select_related("child", "agency").filter(pk=intervention_id).first()
    )
    if intervention is None:
        raise Http404("No such intervention")
    decision = access.child_access(user, intervention.child)
    if not decision.view:
        raise Http404("No such intervention")
    if not decision.edit:
        raise PermissionDenied("You can read this record but not change it")
    return intervention
