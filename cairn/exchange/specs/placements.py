"""placements.csv: where a child lives, keyed by `placement_ref`; `child_ref` names a child in
the same import's children.csv or already in Cairn."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from cairn.children.models import Child, Placement
from cairn.exchange.cells import Boolean, Choice, Code, Date, Text
from cairn.exchange.specs.agencies import AGENCY_TARGET
from cairn.exchange.specs.base import Column, ParsedRow, Spec, Target, child_owned_row_problems
from cairn.exchange.specs.children import CHILD_TARGET, WARD_TARGET

if TYPE_CHECKING:
    from cairn.accounts.models import User

PLACEMENT_TARGET = Target(
    model=Placement,
    field="placement_ref",
    file="placements.csv",
    missing="{value} is not a placement in placements.csv or in Cairn",
)


class PlacementSpec(Spec):
    file_name = "placements.csv"
    model = Placement
    key = "placement_ref"
    columns = (
        Column("placement_ref", Text(), required=True),
        Column("child_ref", Text(), field="child", required=True, target=CHILD_TARGET),
        Column("agency", Code(), required=True, target=AGENCY_TARGET),
        Column("provider_name", Text()),
        Column("placement_type", Choice(), required=True),
        Column("ward_code", Text(), field="ward", target=WARD_TARGET),
        Column("out_of_area", Boolean()),
        Column("start_date", Date(), required=True),
        Column("end_date", Date()),
    )

    def check_row(self, values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
        start, end = values.get("start_date"), values.get("end_date")
        if start is not None and end is not None and end < start:
            yield "end_date", f"{end.isoformat()} is before start_date {start.isoformat()}"

    def authorize(
        self, *, actor: User, rows: list[ParsedRow], import_keys: Mapping[str, Mapping[str, int]]
    ) -> Iterable[tuple[int, str, str]]:
        return child_owned_row_problems(
            actor=actor,
            rows=rows,
            import_keys=import_keys,
            model=Placement,
            key=self.key,
            noun="a placement",
        )

    def export_queryset(self, children: QuerySet[Child] | None) -> QuerySet[Placement]:
        if children is None:
            return Placement.objects.all()
        return Placement.objects.filter(child__in=children.values("pk"))
