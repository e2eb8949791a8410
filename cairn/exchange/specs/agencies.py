"""agencies.csv: `agency, name, kind`. An import may create agencies; a row naming an existing
code updates its name and kind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from cairn.accounts.models import Agency
from cairn.exchange.cells import Choice, Code, Text, show
from cairn.exchange.specs.base import Column, ParsedRow, Spec, Target

if TYPE_CHECKING:
    from cairn.accounts.models import User

AGENCY_TARGET = Target(
    model=Agency,
    field="code",
    file="agencies.csv",
    missing="{value} is not an agency in Cairn or in agencies.csv",
)


class AgencySpec(Spec):
    file_name = "agencies.csv"
    model = Agency
    key = "agency"
    columns = (
        Column("agency", Code(), field="code", required=True),
        Column("name", Text(), required=True),
        Column("kind", Choice(), required=True),
    )

    def authorize(
        self, *, actor: User, rows: list[ParsedRow], import_keys: Mapping[str, Mapping[str, int]]
    ) -> Iterable[tuple[int, str, str]]:
        """A manager's import may add agencies, and may change only their own agency."""
        own = actor.agency.code if actor.agency_id else None
        stored = {
            agency.code: agency
            for agency in Agency.objects.filter(code__in=[r.key for r in rows if r.key])
        }
        for row in rows:
            agency = stored.get(row.key or "")
            if agency is None or agency.code == own:
                continue
            for name, current in (("name", agency.name), ("kind", agency.kind)):
                if name in row.values and row.values[name] != current:
                    yield (
                        row.row,
                        name,
                        f"{show(row.key or '')} is another agency already in Cairn: an import "
                        f"cannot change its {name} (Cairn has {show(current)})",
                    )
