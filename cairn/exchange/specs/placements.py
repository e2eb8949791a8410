"""placements.csv: where a child lives, keyed by `placement_ref`; `child_ref` names a child in
the same import's children.csv or already in Cairn."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from cairn.children.models import Child, Placement
from cairn.exchange.cells import Boolean, Choice, Code, Date, Text, show
from cairn.exchange.specs.agencies import AGENCY_TARGET
from cairn.exchange.specs.base import Column, ParsedRow, Spec, editable_child_refs
from cairn.exchange.specs.children import CHILD_TARGET, WARD_TARGET

if TYPE_CHECKING:
    from cairn.accounts.models import User


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
        """Placements may be written only for children the user may change: the child named in
        the row (unless this import's children.csv has it, which is checked there) and, for a
        placement already in Cairn, the child it belongs to now."""
        in_import = import_keys.get("children.csv", {})
        current = dict(
            Placement.objects.filter(placement_ref__in=[r.key for r in rows if r.key]).values_list(
                "placement_ref", "child__child_ref"
            )
        )
        named = {r.values.get("child_ref") for r in rows} - {None} - set(in_import)
        stored = set(
            Child.objects.filter(child_ref__in=named | set(current.values())).values_list(
                "child_ref", flat=True
            )
        )
        allowed = editable_child_refs(actor, stored)
        for row in rows:
            owner = current.get(row.key or "")
            if owner is not None and owner not in allowed:
                yield (
                    row.row,
                    self.key,
                    f"{show(row.key or '')} is a placement of a child whose record you "
                    "cannot change",
                )
                continue
            child_ref = row.values.get("child_ref")
            if child_ref in stored and child_ref not in allowed:
                yield (
                    row.row,
                    "child_ref",
                    f"{show(child_ref)} is a child already in Cairn whose record you cannot change",
                )

    def export_queryset(self, children: QuerySet[Child] | None) -> QuerySet[Placement]:
        if children is None:
            return Placement.objects.all()
        return Placement.objects.filter(child__in=children.values("pk"))
