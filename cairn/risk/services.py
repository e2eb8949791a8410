"""Writes for exploitation risk: assessments, the indicator catalogue, interventions and outcomes.

Each service checks who may act (cairn.accounts.access), validates everything before writing
(errors name the field: `level`, `rationale`, `assessed_on`, `indicators`, ...; nothing is saved
when any is wrong), writes in one transaction and records one access event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cairn.accounts import access
from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.language.services import language_guidance
from cairn.risk import scoring
from cairn.risk.models import (
    AssessmentIndicator,
    CatalogueVersion,
    CinFactor,
    ExploitationType,
    Indicator,
    IndicatorCategory,
    Intervention,
    OutcomeDomain,
    OutcomeScore,
    OutcomeStage,
    Recency,
    RiskAssessment,
    RiskLevel,
)
from cairn.risk.selectors import latest_catalogue_version

if TYPE_CHECKING:
    from cairn.accounts.models import User
    from cairn.children.models import Child

Errors = dict[str, list[str]]
STAGE_ORDER: tuple[str, ...] = tuple(OutcomeStage.values)  # start, six_weeks, end
RECENCIES = (Recency.WITHIN_6_MONTHS.value, Recency.SIX_TO_12_MONTHS.value)


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# Screening ---------------------------------------------------------------------------------


def selections_check(
    selections: Iterable[tuple[Indicator, str | None]],
) -> tuple[list[scoring.Selection], list[str]]:
    """The selections as scoring input, and what is wrong with them (messages for `indicators`):
    recency required for moderate and significant indicators, none for vulnerabilities; retired
    indicators and repeats refused."""
    chosen: list[scoring.Selection] = []
    problems: list[str] = []
    seen: set[int] = set()
    for indicator, recency in selections:
        recency = recency or ""
        name = f"‘{indicator.wording}’"
        if indicator.pk in seen:
            problems.append(f"{name} is selected more than once")
            continue
        seen.add(indicator.pk)
        if indicator.retired_in_id is not None:
            problems.append(
                f"{name} was retired from the indicator catalogue and cannot be selected"
            )
            continue
        if indicator.category == IndicatorCategory.VULNERABILITY:
            if recency:
                problems.append(f"{name} is a vulnerability: do not say when it was last seen")
                continue
        elif recency not in RECENCIES:
            problems.append(
                f"Say when {name} was last seen: within the last 6 months or 6 to 12 months ago"
            )
            continue
        chosen.append(
            scoring.Selection(indicator.category, recency, indicator.code, indicator.wording)
        )
    return chosen, problems


def screening_for(
    *, child: Child, assessed_on: date, selections: Iterable[tuple[Indicator, str | None]]
) -> scoring.Screening:
    """Score a screening for this child on this date (the form's "calculate" step; no writes).
    Raises ValidationError (on `indicators`) for selections that cannot be scored."""
    chosen, problems = selections_check(selections)
    if problems:
        raise ValidationError({"indicators": problems})
    return scoring.screen(
        chosen,
        age=child.age_on(assessed_on),
        learning_disability=child.learning_disability,
    )


def _next_assessment_ref() -> str:
    last = RiskAssessment.objects.filter(assessment_ref__startswith="RA-").order_by("-id").first()
    number = 1
    if last is not None:
        try:
            number = int(last.assessment_ref.removeprefix("RA-")) + 1
        except ValueError:
            number = RiskAssessment.objects.count() + 1
    while RiskAssessment.objects.filter(assessment_ref=f"RA-{number:06d}").exists():
        number += 1
    return f"RA-{number:06d}"


def _choice_list(
    errors: Errors, field: str, values: Iterable[str], allowed: type[Any], what: str
) -> list[str]:
    values = [str(v) for v in values]
    unknown = [v for v in values if v not in allowed.values]
    if unknown:
        _add(errors, field, f"Not {what}: {', '.join(unknown)}")
    return list(dict.fromkeys(values))


def _below_floor(screening: scoring.Screening, child: Child, day: date) -> str:
    """'Choose medium or high: the child is under 13 on the assessment date and shows a
    significant indicator, so the level cannot be below medium.'"""
    floor = screening.minimum_level
    allowed = [
        lvl for lvl in scoring.LEVELS if scoring.level_rank(lvl) >= scoring.level_rank(floor)
    ]
    reasons = scoring.floor_reasons(
        age=child.age_on(day), learning_disability=child.learning_disability
    )
    clause = scoring.floor_rule(reasons, floor, floor)
    return f"Choose {' or '.join(allowed)}: {clause[0].lower()}{clause[1:]}"


@transaction.atomic
def risk_assessment_submit(
    *,
    actor: User,
    child: Child,
    assessed_on: date | None,
    selections: Sequence[tuple[Indicator, str | None]],
    level: str,
    exploitation_types: Iterable[str] = (),
    cin_factors: Iterable[str] = (),
    rationale: str = "",
    assessment_ref: str | None = None,
) -> tuple[RiskAssessment, list[dict[str, Any]]]:
    """Record a screening with the assessor's final level. Returns the assessment and
    children-first language guidance on the rationale (never blocking).

    The score, suggested level and floor are computed here (scoring.screen), never taken from
    the caller. The level may not be below the floor; a rationale is required when the level
    differs from the suggestion, and always for high. The next review falls due
    `CAIRN_RISK_REVIEW_DAYS[level]` days after `assessed_on` (none for level none)."""
    if not access.child_access(actor, child).edit or actor.agency_id is None:
        raise PermissionDenied("You cannot add an assessment to this record")
    errors: Errors = {}
    today = timezone.localdate()
    if assessed_on is None:
        _add(errors, "assessed_on", "Enter the date of the screening")
    elif assessed_on > today:
        _add(errors, "assessed_on", "The date of the screening cannot be in the future")
    elif child.date_of_birth and assessed_on < child.date_of_birth:
        _add(
            errors,
            "assessed_on",
            "The date of the screening cannot be before the child's date of birth "
            f"({_long_date(child.date_of_birth)})",
        )
    chosen, problems = selections_check(selections)
    for problem in problems:
        _add(errors, "indicators", problem)
    level = str(level or "")
    if level not in RiskLevel.values:
        _add(errors, "level", "Choose a level: none, low, medium or high")
    types = _choice_list(
        errors, "exploitation_types", exploitation_types, ExploitationType, "a type of exploitation"
    )
    factors = _choice_list(
        errors, "cin_factors", cin_factors, CinFactor, "a Children in Need census factor"
    )
    rationale = (rationale or "").strip()
    day = assessed_on or today
    screening = scoring.screen(
        chosen, age=child.age_on(day), learning_disability=child.learning_disability
    )
    if level in RiskLevel.values and not problems:
        if not screening.allows(level):
            _add(errors, "level", _below_floor(screening, child, day))
        elif level == RiskLevel.HIGH and not rationale:
            _add(errors, "rationale", "Explain why the level is high: a rationale is required")
        elif level != screening.suggested_level and not rationale:
            _add(
                errors,
                "rationale",
                f"Explain why the level is {level} when the suggested level is "
                f"{screening.suggested_level}",
            )
    if errors:
        raise ValidationError(errors)
    assert assessed_on is not None  # noqa: S101 - checked above
    assessment = RiskAssessment(
        assessment_ref=assessment_ref or _next_assessment_ref(),
        child=child,
        agency_id=actor.agency_id,
        assessor=actor,
        assessed_on=assessed_on,
        catalogue_version=latest_catalogue_version(),
        score=screening.score,
        suggested_level=screening.suggested_level,
        floor_applied=screening.floor_applied,
        level=level,
        exploitation_types=types,
        cin_factors=factors,
        rationale=rationale,
        next_review_due=scoring.review_due(level, assessed_on),
    )
    assessment.full_clean()
    assessment.save()  # marks it as the child's current assessment if it is the latest
    by_code = {indicator.code: indicator for indicator, _ in selections}
    AssessmentIndicator.objects.bulk_create(
        [
            AssessmentIndicator(
                assessment=assessment,
                indicator=by_code[line.code],
                recency=line.recency,
                points=line.points,
            )
            for line in screening.lines
        ]
    )
    access_event_record(actor=actor, action=Action.CREATE, obj=assessment, child=child)
    return assessment, language_guidance(rationale)


# The indicator catalogue -------------------------------------------------------------------


def _require_administrator(actor: User) -> None:
    if not access.is_administrator(actor):
        raise PermissionDenied("Only administrators change the indicator catalogue")


def _publish_version(note: str) -> CatalogueVersion:
    """A new catalogue version, numbered after the latest (locked, so two changes at once
    cannot take the same number)."""
    latest = CatalogueVersion.objects.select_for_update().order_by("-number").first()
    version = CatalogueVersion(
        number=(latest.number if latest else 0) + 1, published_at=timezone.now(), note=note[:300]
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def catalogue_indicator_add(
    *,
    actor: User,
    code: str,
    category: str,
    wording: str,
    group: str = "",
    exploitation_types: Iterable[str] = (),
    recency_matters: bool | None = None,
) -> Indicator:
    """Add an indicator, publishing a new catalogue version that includes it. Codes are stable
    and never reused (retired indicators keep theirs). `recency_matters` follows the category
    (moderate and significant indicators ask when they were last seen) and may be left out."""
    _require_administrator(actor)
    errors: Errors = {}
    types = _choice_list(
        errors, "exploitation_types", exploitation_types, ExploitationType, "a type of exploitation"
    )
    expected = category != IndicatorCategory.VULNERABILITY
    if recency_matters is None:
        recency_matters = expected
    elif category in IndicatorCategory.values and recency_matters != expected:
        _add(
            errors,
            "recency_matters",
            "Moderate and significant indicators ask when they were last seen; vulnerabilities "
            "do not",
        )
    position = (Indicator.objects.aggregate(last=Max("position"))["last"] or 0) + 1
    indicator = Indicator(
        code=(code or "").strip(),
        category=category,
        wording=(wording or "").strip(),
        group=(group or "").strip(),
        exploitation_types=types,
        recency_matters=recency_matters,
        position=position,
    )
    try:
        indicator.full_clean(exclude=["added_in"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                _add(errors, field, message)
    if errors:
        raise ValidationError(errors)
    indicator.added_in = _publish_version(f"Added {indicator.code}: {indicator.wording}")
    indicator.save()
    access_event_record(
        actor=actor,
        action=Action.CREATE,
        obj=indicator,
        detail={"catalogue_version": indicator.added_in.number},
    )
    return indicator


@transaction.atomic
def catalogue_indicator_retire(*, actor: User, indicator: Indicator) -> Indicator:
    """Retire an indicator: it is no longer offered, and assessments that used it keep it. Publishes
    a new catalogue version."""
    _require_administrator(actor)
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if locked.retired_in_id is not None:
        version = locked.retired_in.number  # type: ignore[union-attr]
        raise ValidationError(
            {"indicator": f"‘{locked.wording}’ was already retired in version {version}"}
        )
    locked.retired_in = _publish_version(f"Retired {locked.code}: {locked.wording}")
    locked.save(update_fields=["retired_in"])
    access_event_record(
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        detail={"retired_in": locked.retired_in.number},
    )
    indicator.retired_in = locked.retired_in
    return locked


# Interventions and outcomes ----------------------------------------------------------------


def _require_edit(actor: User, child: Child) -> None:
    if not access.child_access(actor, child).edit:
        raise PermissionDenied("You cannot add to this record")


@transaction.atomic
def intervention_start(*, actor: User, child: Child, name: str, started_on: date) -> Intervention:
    """Start a piece of work with a child whose outcomes will be scored."""
    _require_edit(actor, child)
    if actor.agency_id is None:
        raise PermissionDenied("Only a member of an agency can start an intervention")
    errors: Errors = {}
    if started_on > timezone.localdate():
        _add(errors, "started_on", "The start date cannot be in the future")
    elif child.date_of_birth and started_on < child.date_of_birth:
        _add(errors, "started_on", "The start date cannot be before the child's date of birth")
    if not (name or "").strip():
        _add(errors, "name", "Enter the name of the intervention")
    if errors:
        raise ValidationError(errors)
    intervention = Intervention(
        child=child, agency_id=actor.agency_id, name=name.strip(), started_on=started_on
    )
    intervention.full_clean()
    intervention.save()
    access_event_record(actor=actor, action=Action.CREATE, obj=intervention, child=child)
    return intervention


@transaction.atomic
def intervention_end(*, actor: User, intervention: Intervention, ended_on: date) -> Intervention:
    locked = (
        Intervention.objects.select_for_update().select_related("child").get(pk=intervention.pk)
    )
    _require_edit(actor, locked.child)
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "The end date cannot be in the future"})
    if ended_on < locked.started_on:
        raise ValidationError({"ended_on": "The end date cannot be before the start date"})
    locked.ended_on = ended_on
    locked.save(update_fields=["ended_on"])
    access_event_record(
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        child=locked.child,
        detail={"fields": ["ended_on"]},
    )
    return locked


def _score_value(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= 5 else None


@transaction.atomic
def outcome_scores_record(
    *,
    actor: User,
    intervention: Intervention,
    stage: str,
    recorded_on: date,
    scores: Mapping[str, int],
) -> list[OutcomeScore]:
    """Record the 1–5 scores of every domain at one stage. Stages come in order (start, 6 weeks,
    end; 6 weeks may be skipped), once each, on or after the intervention's start and the stage
    before. Errors name the stage, the date or the domain."""
    locked = (
        Intervention.objects.select_for_update().select_related("child").get(pk=intervention.pk)
    )
    _require_edit(actor, locked.child)
    errors: Errors = {}
    recorded = {
        row["stage"]: row["recorded_on"]
        for row in OutcomeScore.objects.filter(intervention=locked)
        .values("stage")
        .annotate(recorded_on=Max("recorded_on"))
    }
    if stage not in STAGE_ORDER:
        _add(errors, "stage", "Choose a stage: start, 6 weeks or end")
    else:
        label = OutcomeStage(stage).label.lower()
        later = [s for s in STAGE_ORDER[STAGE_ORDER.index(stage) + 1 :] if s in recorded]
        if stage in recorded:
            _add(errors, "stage", f"The {label} scores are already recorded")
        elif stage != OutcomeStage.START and OutcomeStage.START not in recorded:
            _add(errors, "stage", "Record the start scores first")
        elif later:
            _add(
                errors,
                "stage",
                f"The {OutcomeStage(later[0]).label.lower()} scores are already recorded: "
                f"{label} scores come before them",
            )
    if recorded_on > timezone.localdate():
        _add(errors, "recorded_on", "The date cannot be in the future")
    elif recorded_on < locked.started_on:
        _add(
            errors,
            "recorded_on",
            f"The date cannot be before the intervention started ({_long_date(locked.started_on)})",
        )
    elif stage in STAGE_ORDER:
        earlier = [recorded[s] for s in STAGE_ORDER[: STAGE_ORDER.index(stage)] if s in recorded]
        if earlier and recorded_on < max(earlier):
            _add(
                errors,
                "recorded_on",
                f"The date cannot be before the scores of the stage before "
                f"({_long_date(max(earlier))})",
            )
    unknown = sorted(set(scores) - set(OutcomeDomain.values))
    if unknown:
        _add(errors, "scores", f"Unknown domains: {', '.join(unknown)}")
    values: dict[str, int] = {}
    for domain in OutcomeDomain:
        value = _score_value(scores.get(domain.value))
        if value is None:
            _add(errors, domain.value, f"Give a score from 1 to 5 for {domain.label.lower()}")
        else:
            values[domain.value] = value
    if errors:
        raise ValidationError(errors)
    rows = [
        OutcomeScore(
            intervention=locked,
            stage=stage,
            domain=domain,
            score=value,
            recorded_on=recorded_on,
            recorded_by=actor,
        )
        for domain, value in values.items()
    ]
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)
    created = OutcomeScore.objects.bulk_create(rows)
    access_event_record(
        actor=actor,
        action=Action.CREATE,
        obj=locked,
        child=locked.child,
        detail={"outcome_stage": stage},
    )
    return created


def catalogue_ensure_v1() -> CatalogueVersion:
    """Version 1 of the indicator catalogue, loaded again if the database was emptied (the
    demo's --reset, or a test database flushed between tests). Migration 0002 loads it first."""
    version = CatalogueVersion.objects.filter(number=1).first()
    if version is None or not Indicator.objects.filter(added_in=version).exists():
        import importlib

        from django.apps import apps

        migration = importlib.import_module("cairn.risk.migrations.0002_catalogue_v1")
        migration.load(apps, None)
        version = CatalogueVersion.objects.get(number=1)
    return version
