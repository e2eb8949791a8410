"""The register as rows: for its page, and as a CSV or XLSX download.

`register_rows` turns register children (annotated by `selectors.register`) into rows the page
and the downloads share. `register_export` builds a download of the user's filtered register and
records one export event (who, the filters, the format and the number of rows).

Spreadsheets run cells that look like formulas. The CSV puts a quote in front of such text
(`cairn.exchange.cells.neutralise`, as the exchange export does); the XLSX stores every text
cell as a string cell, which a spreadsheet never evaluates, so names read exactly as recorded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from cairn.accounts import access
from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.exchange.cells import neutralise
from cairn.risk.models import ExploitationType, RiskLevel
from cairn.risk.selectors import RegisterFilters, register

if TYPE_CHECKING:
    from cairn.accounts.models import User
    from cairn.children.models import Child

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEVEL_TAGS = {"high": "govuk-tag--red", "medium": "govuk-tag--orange", "low": "govuk-tag--yellow"}


def _type_label(value: str) -> str:
    return ExploitationType(value).label if value in ExploitationType.values else value


@dataclass(frozen=True)
class RegisterRow:
    """One child on the register, as the page and the downloads show them."""

    child: Child
    level: str
    level_label: str
    types: list[str]  # labels of the exploitation types of the latest assessment
    age: int | None
    assessed_on: date | None
    next_review: date | None
    days_overdue: int  # 0 unless the review date has passed

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def level_tag(self) -> str:
        """The GOV.UK tag colour of the level."""
        return LEVEL_TAGS.get(self.level, "govuk-tag--grey")


def register_row(child: Child, today: date) -> RegisterRow:
    """A row for a child annotated by `selectors.annotate_current_assessment`."""
    level = child.risk_level or ""  # type: ignore[attr-defined]
    review: date | None = child.risk_next_review  # type: ignore[attr-defined]
    return RegisterRow(
        child=child,
        level=level,
        level_label=RiskLevel(level).label if level in RiskLevel.values else level,
        types=[_type_label(t) for t in (child.risk_types or [])],  # type: ignore[attr-defined]
        age=child.age_on(today),
        assessed_on=child.risk_assessed_on,  # type: ignore[attr-defined]
        next_review=review,
        days_overdue=max((today - review).days, 0) if review else 0,
    )


def register_rows(children: Iterable[Child], today: date | None = None) -> list[RegisterRow]:
    today = today or timezone.localdate()
    return [register_row(child, today) for child in children]


# Downloads ---------------------------------------------------------------------------------

COLUMNS = (
    "Child reference",
    "Given name",
    "Family name",
    "Date of birth",
    "Age",
    "Sex",
    "Level",
    "Exploitation types",
    "Last assessed",
    "Next review",
    "Review overdue",
    "Days overdue",
    "Lead professional",
    "Ward",
    "Locality",
    "Recorded by",
    "Legal status",
)

Value = str | int | date | None


def _values(row: RegisterRow) -> list[Value]:
    child = row.child
    ward = child.ward
    lead = child.lead_professional
    return [
        child.child_ref,
        child.given_name,
        child.family_name,
        child.date_of_birth,
        row.age,
        child.get_sex_display(),
        row.level_label,
        "; ".join(row.types),
        row.assessed_on,
        row.next_review,
        "Yes" if row.overdue else "No",
        row.days_overdue,
        str(lead) if lead else "",
        ward.name if ward else "",
        ward.locality.name if ward else "",
        child.agency.name,
        child.get_legal_status_display(),
    ]


def _table(children: Iterable[Child], today: date) -> Iterator[list[Value]]:
    for child in children:
        yield _values(register_row(child, today))


def _csv_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return neutralise(value)


def register_csv(children: Iterable[Child], *, today: date) -> tuple[bytes, int]:
    """UTF-8 with a byte-order mark (so Excel reads the names right); returns (content, rows)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    rows = 0
    for values in _table(children, today):
        writer.writerow([_csv_text(v) for v in values])
        rows += 1
    return ("\ufeff" + text.getvalue()).encode("utf-8"), rows


def register_xlsx(children: Iterable[Child], *, today: date) -> tuple[bytes, int]:
    """One sheet, "Risk register", written with openpyxl's write-only mode; returns
    (content, rows). Text cells are string cells, never formulas."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Risk register")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: Value, *, header: bool = False) -> Any:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # openpyxl makes text starting "=" a formula
        if header:
            written.font = bold
        return written

    sheet.append([cell(name, header=True) for name in COLUMNS])
    rows = 0
    for values in _table(children, today):
        sheet.append([cell(v) for v in values])
        rows += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), rows


FORMATS = {"csv": (register_csv, CSV_TYPE), "xlsx": (register_xlsx, XLSX_TYPE)}


def may_export_register(user: User) -> bool:
    """The access policy's rule (access.can_export_register)."""
    return access.can_export_register(user)


def filters_detail(filters: RegisterFilters) -> dict[str, Any]:
    """The filters in use, for the access log (records by their primary key and name)."""
    detail: dict[str, Any] = {}
    for item in fields(filters):
        value = getattr(filters, item.name)
        if value in (None, "", (), False):
            continue
        if isinstance(value, models.Model):
            value = {"id": value.pk, "name": str(value)}
        elif isinstance(value, tuple):
            value = list(value)
        detail[item.name] = value
    return detail


@dataclass(frozen=True)
class RegisterExport:
    content: bytes
    content_type: str
    filename: str
    rows: int


def register_export(
    *,
    user: User,
    filters: RegisterFilters,
    export_format: str,
    today: date | None = None,
) -> RegisterExport:
    """The user's register with these filters as CSV or XLSX, and one export event in the
    access log. Raises ValueError for an unknown format; the caller checks
    `may_export_register` first."""
    if export_format not in FORMATS:
        raise ValueError(f"unknown export format {export_format!r}")
    today = today or timezone.localdate()
    build, content_type = FORMATS[export_format]
    children = register(user=user, filters=filters, audit=False, today=today)
    content, rows = build(children.iterator(chunk_size=2000), today=today)
    access_event_record(
        actor=user,
        action=Action.EXPORT,
        object_type="risk.register",
        detail={"format": export_format, "filters": filters_detail(filters), "rows": rows},
    )
    return RegisterExport(
        content=content,
        content_type=content_type,
        filename=f"risk-register-{today.isoformat()}.{export_format}",
        rows=rows,
    )
