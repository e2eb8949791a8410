"""children.csv: one row per child, keyed by `child_ref`. Children created by an import are
recorded by the row's agency."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from cairn.children.models import Child
from cairn.core.models import Ward
from cairn.exchange.cells import Boolean, Choice, Code, Date, Text, show
from cairn.exchange.specs.agencies import AGENCY_TARGET
from cairn.exchange.specs.base import Column, ParsedRow, Spec, Target, editable_child_refs

if TYPE_CHECKING:
    from cairn.accounts.models import User

WARD_TARGET = Target(
    model=Ward, field="code", file=None, missing="{value} is not a ward code known to Cairn"
)
CHILD_TARGET = Target(
    model=Child,
    field="child_ref",
    file="children.csv",
    missing="{value} is not a child in children.csv or in Cairn",
)


class ChildSpec(Spec):
    file_name = "children.csv"
    model = Child
    key = "child_ref"
    columns = (
        Column("child_ref", Text(), required=True),
        Column("agency", Code(), required=True, target=AGENCY_TARGET),
        Column("given_name", Text(), required=True),
        Column("family_name", Text(), required=True),
        Column("other_names", Text()),
        Column("date_of_birth", Date(not_future=True)),
        Column("sex", Choice()),
        Column("ethnicity", Text()),
        Column("postcode", Text()),
        Column("ward_code", Text(), field="ward", target=WARD_TARGET),
        Column("legal_status", Choice()),
        Column("home_authority", Text()),
        Column("uasc", Boolean()),
        Column("school_urn", Text()),
        Column("education_status", Choice()),
    )

    def authorize(
        self, *, actor: User, rows: list[ParsedRow], import_keys: Mapping[str, Mapping[str, int]]
    ) -> Iterable[tuple[int, str, str]]:
        refs = {row.key for row in rows if row.key}
        existing = set(Child.objects.filter(child_ref__in=refs).values_list("child_ref", flat=True))
        forbidden = existing - editable_child_refs(actor, existing)
        for row in rows:
            if row.key in forbidden:
                yield (
                    row.row,
                    self.key,
                    f"{show(row.key)} is a child already in Cairn whose record you cannot change",
                )

    def export_queryset(self, children: QuerySet[Child] | None) -> QuerySet[Child]:
        return Child.objects.all() if children is None else children
