"""risk_assessments.csv: exploitation-risk assessments, keyed by `assessment_ref`.

`assessment_ref, child_ref, agency, assessed_on, level, exploitation_types, indicators, rationale`

- `indicators` is a `;`-separated list of indicator codes from the catalogue (retired codes are
  accepted: older assessments used them); any other code is a problem.
- Cairn scores an imported assessment as the screening form does (cairn/risk/scoring.py), counting
  each imported moderate or significant indicator as seen within the last 6 months. An indicator
  the assessment already had keeps the recency recorded with it, so exporting and importing again
  changes nothing.
- A level below the floor (a child under 13 or with a learning disability showing a significant
  indicator) is a problem, as is an assessment dated before the child's date of birth. For a
  child in the same import's children.csv these are found once the children are written; the
  import is still all or nothing.
- New assessments record the latest catalogue version; an update keeps the version its
  assessment had unless the indicators change. Imported assessments have no assessor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db import models
from django.db.models import QuerySet

from cairn.children.models import Child
from cairn.exchange.cells import (
    CellError,
    Choice,
    ChoiceList,
    Code,
    Date,
    Parser,
    Text,
    choices_of,
    show,
)
from cairn.exchange.specs.agencies import AGENCY_TARGET
from cairn.exchange.specs.base import Column, ParsedRow, Spec, child_owned_row_problems
from cairn.exchange.specs.children import CHILD_TARGET
from cairn.risk import scoring
from cairn.risk.models import (
    AssessmentIndicator,
    ExploitationType,
    Indicator,
    IndicatorCategory,
    Recency,
    RiskAssessment,
    current_assessments_refresh,
)
from cairn.risk.selectors import latest_catalogue_version

if TYPE_CHECKING:
    from cairn.accounts.models import User

_INDICATOR_CODE = re.compile(r"[A-Za-z0-9_-]+")
_PLANS = "risk_assessments:plans"  # the key of this file's lookups in `resolved`
_VERSION = "risk_assessments:version"


@dataclass(frozen=True)
class CodeList(Parser):
    """A `;`-separated list of indicator codes, in the order given, without repeats."""

    def parse(self, text: str) -> list[str]:
        items = [item.strip() for item in text.split(";") if item.strip()]
        for item in items:
            if not _INDICATOR_CODE.fullmatch(item):
                raise CellError(
                    f"{show(item)} is not an indicator code: codes use letters, digits, '-' and "
                    "'_', separated by ';'"
                )
        return list(dict.fromkeys(items))

    def format(self, value: Any) -> str:
        return ";".join(value or [])


@dataclass(frozen=True)
class _Plan:
    """What one row becomes: its indicators (id, recency, points) and its screening."""

    indicators: list[tuple[int, str, int]]
    screening: scoring.Screening
    write_indicators: bool  # a new assessment, or its indicators changed


def _floor_problem(
    *,
    level: str,
    assessed_on: date,
    date_of_birth: date | None,
    learning_disability: bool,
    has_significant: bool,
) -> tuple[str, str] | None:
    """(column, message) when the date is before the child's birth or the level is below the
    floor."""
    if date_of_birth is not None and assessed_on < date_of_birth:
        return (
            "assessed_on",
            f"{assessed_on.isoformat()} is before the child's date of birth "
            f"({date_of_birth.isoformat()})",
        )
    if not has_significant:
        return None
    reasons = scoring.floor_reasons(
        age=scoring.age_on(date_of_birth, assessed_on), learning_disability=learning_disability
    )
    floor = str(settings.CAIRN_RISK_FLOOR_LEVEL)
    if not reasons or scoring.level_rank(level) >= scoring.level_rank(floor):
        return None
    rule = scoring.floor_rule(reasons, floor, floor)
    return "level", f"{show(level)} is below the floor: {rule[0].lower()}{rule[1:-1]}"


class RiskAssessmentSpec(Spec):
    file_name = "risk_assessments.csv"
    model = RiskAssessment
    key = "assessment_ref"
    columns = (
        Column("assessment_ref", Text(), required=True),
        Column("child_ref", Text(), field="child", required=True, target=CHILD_TARGET),
        Column("agency", Code(), required=True, target=AGENCY_TARGET),
        Column("assessed_on", Date(not_future=True), required=True),
        Column("level", Choice(), required=True),
        Column("exploitation_types", ChoiceList(values=choices_of(ExploitationType))),
        Column("indicators", CodeList()),
        Column("rationale", Text()),
    )

    def model_field(self, column: Column) -> models.Field:
        if column.name == "indicators":  # rows of AssessmentIndicator, not a field
            return None  # type: ignore[return-value]
        return super().model_field(column)

    # Checking ------------------------------------------------------------------------------

    def check_chunk(
        self, *, rows: list[ParsedRow], import_keys: Mapping[str, Mapping[str, int]]
    ) -> Iterable[tuple[int, str, str]]:
        """Unknown indicator codes; and, for children already in Cairn (and not in this
        import's children.csv), dates before birth and levels below the floor."""
        codes = {code for row in rows for code in row.values.get("indicators") or []}
        categories = dict(Indicator.objects.filter(code__in=codes).values_list("code", "category"))
        for row in rows:
            for code in row.values.get("indicators") or []:
                if code not in categories:
                    yield row.row, "indicators", f"unknown indicator code {show(code)}"
        in_import = import_keys.get("children.csv", {})
        checkable = [
            row
            for row in rows
            if not row.failed
            and "indicators" in row.values
            and row.values.get("child_ref") not in in_import
        ]
        children = {
            ref: (dob, disability)
            for ref, dob, disability in Child.objects.filter(
                child_ref__in={row.values["child_ref"] for row in checkable}
            ).values_list("child_ref", "date_of_birth", "learning_disability")
        }
        for row in checkable:
            child = children.get(row.values["child_ref"])
            if child is None:
                continue
            problem = _floor_problem(
                level=row.values["level"],
                assessed_on=row.values["assessed_on"],
                date_of_birth=child[0],
                learning_disability=child[1],
                has_significant=any(
                    categories.get(code) == IndicatorCategory.SIGNIFICANT
                    for code in row.values.get("indicators") or []
                ),
            )
            if problem is not None:
                yield (row.row, *problem)

    def authorize(
        self, *, actor: User, rows: list[ParsedRow], import_keys: Mapping[str, Mapping[str, int]]
    ) -> Iterable[tuple[int, str, str]]:
        return child_owned_row_problems(
            actor=actor,
            rows=rows,
            import_keys=import_keys,
            model=RiskAssessment,
            key=self.key,
            noun="an assessment",
        )

    def prepare_chunk(
        self, *, rows: list[ParsedRow], resolved: dict[str, Any]
    ) -> Iterable[tuple[int, str, str]]:
        """Score every row (the children are written by now), and find dates before birth and
        levels below the floor for children created by this import."""
        refs = [row.key for row in rows if row.key]
        existing = set(
            RiskAssessment.objects.filter(assessment_ref__in=refs).values_list(
                "assessment_ref", flat=True
            )
        )
        stored: dict[str, dict[str, str]] = {}
        for ref, code, recency in AssessmentIndicator.objects.filter(
            assessment__assessment_ref__in=refs
        ).values_list("assessment__assessment_ref", "indicator__code", "recency"):
            stored.setdefault(ref, {})[code] = recency
        wanted = {code for row in rows for code in row.values.get("indicators") or []}
        wanted |= {code for codes in stored.values() for code in codes}
        catalogue = {
            code: (pk, category)
            for pk, code, category in Indicator.objects.filter(code__in=wanted).values_list(
                "pk", "code", "category"
            )
        }
        child_ids = resolved["child_ref"]
        children = {
            pk: (dob, disability)
            for pk, dob, disability in Child.objects.filter(
                pk__in=set(child_ids.values())
            ).values_list("pk", "date_of_birth", "learning_disability")
        }
        plans: dict[str, _Plan] = {}
        problems: list[tuple[int, str, str]] = []
        for row in rows:
            ref = row.key or ""
            values = row.values
            before = stored.get(ref, {})
            codes = (values.get("indicators") or []) if "indicators" in values else list(before)
            dob, disability = children[child_ids[values["child_ref"]]]
            assessed_on: date = values["assessed_on"]
            selections = []
            for code in codes:
                _, category = catalogue[code]
                recency = ""
                if category != IndicatorCategory.VULNERABILITY:
                    recency = before.get(code) or Recency.WITHIN_6_MONTHS.value
                selections.append(scoring.Selection(category, recency, code))
            problem = _floor_problem(
                level=values["level"],
                assessed_on=assessed_on,
                date_of_birth=dob,
                learning_disability=disability,
                has_significant=any(
                    s.category == IndicatorCategory.SIGNIFICANT for s in selections
                ),
            )
            if problem is not None:
                problems.append((row.row, *problem))
                continue
            screening = scoring.screen(
                selections,
                age=scoring.age_on(dob, assessed_on),
                learning_disability=disability,
            )
            plans[ref] = _Plan(
                indicators=[
                    (catalogue[line.code][0], line.recency, line.points) for line in screening.lines
                ],
                screening=screening,
                write_indicators=ref not in existing or set(codes) != set(before),
            )
        resolved[_PLANS] = plans
        resolved[_VERSION] = latest_catalogue_version().pk
        return problems

    def assign(
        self,
        instance: models.Model,
        values: Mapping[str, Any],
        resolved: Mapping[str, Mapping[str, Any]],
    ) -> list[str]:
        assert isinstance(instance, RiskAssessment)  # noqa: S101 - for the type checker
        columns = {name: value for name, value in values.items() if name != "indicators"}
        adding = instance._state.adding
        changed = super().assign(instance, columns, resolved)
        plan: _Plan = resolved[_PLANS][values["assessment_ref"]]
        screening = plan.screening
        derived: dict[str, Any] = {
            "score": screening.score,
            "suggested_level": screening.suggested_level,
            "floor_applied": screening.floor_applied,
            "next_review_due": scoring.review_due(instance.level, instance.assessed_on),
        }
        if plan.write_indicators:  # a new assessment, or its indicators changed
            derived["catalogue_version_id"] = resolved[_VERSION]
        for attname, value in derived.items():
            if adding or getattr(instance, attname) != value:
                setattr(instance, attname, value)
                changed.append(attname.removesuffix("_id"))
        return changed

    def after_write(
        self,
        *,
        rows: list[ParsedRow],
        saved: Mapping[str, models.Model],
        resolved: Mapping[str, Any],
    ) -> None:
        """Replace the indicators of new assessments and of those whose indicators changed, and
        mark each affected child's latest assessment as current."""
        written = [cast(RiskAssessment, saved[row.key or ""]) for row in rows]
        moved_from = RiskAssessment.objects.filter(
            pk__in=[a.pk for a in written], is_current=True
        ).values_list("child_id", flat=True)  # an assessment moved to another child
        current_assessments_refresh({a.child_id for a in written} | set(moved_from))
        plans: dict[str, _Plan] = resolved[_PLANS]
        rewrite = {saved[ref].pk: plan for ref, plan in plans.items() if plan.write_indicators}
        if not rewrite:
            return
        AssessmentIndicator.objects.filter(assessment_id__in=list(rewrite)).delete()
        AssessmentIndicator.objects.bulk_create(
            [
                AssessmentIndicator(
                    assessment_id=assessment_id,
                    indicator_id=indicator_id,
                    recency=recency,
                    points=points,
                )
                for assessment_id, plan in rewrite.items()
                for indicator_id, recency, points in plan.indicators
            ],
            batch_size=2000,
        )

    # Exporting -----------------------------------------------------------------------------

    def export_queryset(self, children: QuerySet[Child] | None) -> QuerySet[RiskAssessment]:
        if children is None:
            return RiskAssessment.objects.all()
        return RiskAssessment.objects.filter(child__in=children.values("pk"))

    def export_rows(self, children: QuerySet[Child] | None) -> Iterator[list[str]]:
        """Rows in reference order; each row's indicator codes in catalogue order."""
        rows = (
            self.export_queryset(children)
            .order_by("assessment_ref", "pk")
            .values_list(
                "pk",
                "assessment_ref",
                "child__child_ref",
                "agency__code",
                "assessed_on",
                "level",
                "exploitation_types",
                "rationale",
            )
            .iterator(chunk_size=2000)
        )
        parsers = {column.name: column.parser for column in self.bound}
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 2000:
                yield from self._export_batch(batch, parsers)
                batch = []
        yield from self._export_batch(batch, parsers)

    def _export_batch(
        self, batch: list[tuple[Any, ...]], parsers: Mapping[str, Parser]
    ) -> Iterator[list[str]]:
        if not batch:
            return
        codes: dict[int, list[str]] = {}
        for assessment_id, code in (
            AssessmentIndicator.objects.filter(assessment_id__in=[row[0] for row in batch])
            .order_by("indicator__position", "indicator__code")
            .values_list("assessment_id", "indicator__code")
        ):
            codes.setdefault(assessment_id, []).append(code)
        for pk, ref, child_ref, agency, assessed_on, level, types, rationale in batch:
            cells = {
                "assessment_ref": ref,
                "child_ref": child_ref,
                "agency": agency,
                "assessed_on": assessed_on,
                "level": level,
                "exploitation_types": types,
                "indicators": codes.get(pk, []),
                "rationale": rationale,
            }
            yield [parsers[column.name].format(cells[column.name]) for column in self.columns]
