"""`cairn kpi`: the performance matrix (DOMAIN.md) for a period, as JSON or a table.

cairn kpi --from 2024-04-01 --to 2025-03-31 --json [--area WARD_OR_DIVISION_CODE]
cairn kpi --list
"""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.reporting.kpis import KPIS, KpiError, Value
from cairn.reporting.services import kpi_export

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(option: str, raw: str | None) -> date:
    if raw is None:
        raise CommandError(f"{option} is required (a date written YYYY-MM-DD, like 2024-04-01).")
    if not _ISO_DATE.match(raw):
        raise CommandError(f"{option} '{raw}' is not a date written YYYY-MM-DD, like 2024-04-01.")
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise CommandError(f"{option} '{raw}' is not a real date: {error}.") from None


def _shown(value: Value, unit: str) -> str:
    if value is None:
        return "no data (denominator 0)"
    return f"{value:.1f}%" if unit == "percent" else str(value)


class Command(BaseCommand):
    help = (
        "Print the performance-matrix KPIs for a period of Europe/London dates (inclusive), "
        "as JSON (--json) or a table; --list prints every KPI's definition."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
        parser.add_argument(
            "--area", metavar="CODE", help="Restrict to the children of a ward or a division"
        )
        parser.add_argument(
            "--json", action="store_true", help="Print one JSON object: {kpi code: value}"
        )
        parser.add_argument(
            "--list", action="store_true", help="Print each KPI's code, name and definition"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
            return
        date_from = _date("--from", options["date_from"])
        date_to = _date("--to", options["date_to"])
        area = options["area"]
        try:
            values = kpi_export(
                actor=None,
                date_from=date_from,
                date_to=date_to,
                area_code=area,
                output="json" if options["json"] else "table",
            )
        except KpiError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(values, indent=2))
            return
        where = f", area {area}" if area is not None else ""
        self.stdout.write(f"KPIs for {date_from.isoformat()} to {date_to.isoformat()}{where}")
        rows = [(code, KPIS[code].name, _shown(v, KPIS[code].unit)) for code, v in values.items()]
        widths = [max(len(row[i]) for row in [("Code", "Name", "Value"), *rows]) for i in range(3)]
        for row in [("Code", "Name", "Value"), *rows]:
            cells = (cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())

    def _list(self) -> None:
        for kpi in KPIS.values():
            self.stdout.write(f"{kpi.code}  ({kpi.unit})")
            self.stdout.write(f"  {kpi.name}")
            self.stdout.write(
                textwrap.fill(kpi.definition, 96, initial_indent="  ", subsequent_indent="  ")
            )
            self.stdout.write("")
