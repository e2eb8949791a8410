"""Reading and writing single cells: the value types of the exchange format (EXCHANGE.md).

A parser turns the text of a non-empty cell into a Python value or raises `CellError` with a
message for the person fixing the file; `format` turns a stored value back into cell text. Parsers
that need a model field's limits (`max_length`, `choices`) take them from the field with `bind`,
so the exchange format cannot drift from the models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")

# Formula injection (CSV injection): a spreadsheet may run a cell that begins with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_QUOTED_FORMULA_START = re.compile(r"'+[=+\-@\t\r]")
# ...except plain negative numbers and ISO dates, which spreadsheets read as values.
_HARMLESS = re.compile(r"-\d+(\.\d+)?|\d{4}-\d{2}-\d{2}([T ][0-9:.]+([+-]\d{2}:?\d{2}|Z)?)?")
_START_NAMES = {"\t": "a tab", "\r": "a carriage return"}


_VISIBLE = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


class CellError(ValueError):
    """The text of a cell cannot be read as its column's type; the message says why."""


def show(value: str, limit: int = 40) -> str:
    """A cell value quoted for a problem message: one line, shortened."""
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return "'" + "".join(_visible(ch) for ch in text) + "'"


def _visible(ch: str) -> str:
    if ch.isprintable():
        return ch
    return _VISIBLE.get(ch) or ch.encode("unicode_escape").decode("ascii")


def cell_text(raw: str) -> str:
    """The value of a cell as text: surrounding spaces removed; a cell that could run as a
    spreadsheet formula is refused. A single quote in front of such a cell is the usual way to
    say "this is text" (Cairn's exports write it so) and is removed."""
    value = raw.strip()
    if not value:
        return ""
    first = raw[0] if raw[0] in "\t\r" else value[0]
    if first in FORMULA_STARTS and not _HARMLESS.fullmatch(value):
        name = _START_NAMES.get(first, f"'{first}'")
        raise CellError(
            f"{show(raw)} starts with {name}, so a spreadsheet could run it as a formula: "
            "remove that character, or put a single quote (') in front of it to keep it as text"
        )
    if _QUOTED_FORMULA_START.match(value):
        value = value[1:]
    return value


def neutralise(text: str) -> str:
    """Cell text for export: text a spreadsheet could run as a formula gets a leading quote."""
    if text and _FORMULA_START.match(text):
        return "'" + text
    return text


def native_text(value: Any) -> str:
    """Text of a typed spreadsheet cell (openpyxl gives numbers, booleans and datetimes)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Parser:
    """Base parser: any text."""

    def bind(self, field: models.Field | None) -> Parser:
        return self

    def parse(self, text: str) -> Any:
        return text

    def format(self, value: Any) -> str:
        return "" if value is None else str(value)

    def native(self, value: Any) -> str:
        """Text of a typed spreadsheet cell, before `parse`."""
        return native_text(value)


@dataclass(frozen=True)
class Text(Parser):
    max_length: int | None = None

    def bind(self, field: models.Field | None) -> Parser:
        if self.max_length is None and field is not None and field.max_length:
            return replace(self, max_length=field.max_length)
        return self

    def parse(self, text: str) -> str:
        if self.max_length is not None and len(text) > self.max_length:
            raise CellError(
                f"is {len(text)} characters long; the most allowed is {self.max_length}"
            )
        return text


_CODE = re.compile(r"[A-Za-z0-9-]+")


@dataclass(frozen=True)
class Code(Text):
    """An agency's short code: letters, digits and '-'."""

    def parse(self, text: str) -> str:
        if not _CODE.fullmatch(text):
            raise CellError(f"{show(text)} is not a code: use letters, digits and '-' only")
        return super().parse(text)


@dataclass(frozen=True)
class Choice(Parser):
    """One value of a TextChoices list (from the model field unless given)."""

    values: tuple[str, ...] = ()

    def bind(self, field: models.Field | None) -> Parser:
        if not self.values and field is not None and field.choices:
            return replace(self, values=tuple(str(v) for v, _ in field.choices))
        return self

    def parse(self, text: str) -> str:
        value = text.lower()
        if value not in self.values:
            raise CellError(f"{show(text)} is not one of: {', '.join(self.values)}")
        return value


@dataclass(frozen=True)
class ChoiceList(Parser):
    """A `;`-separated list of TextChoices values; stored as a list in the order given."""

    values: tuple[str, ...] = ()

    def parse(self, text: str) -> list[str]:
        items = [item.strip().lower() for item in text.split(";") if item.strip()]
        wrong = [item for item in items if item not in self.values]
        if wrong:
            raise CellError(
                f"{', '.join(show(w) for w in wrong)} not one of: {', '.join(self.values)}"
            )
        seen: list[str] = []
        for item in items:
            if item not in seen:
                seen.append(item)
        return seen

    def format(self, value: Any) -> str:
        return ";".join(value or [])


@dataclass(frozen=True)
class Boolean(Parser):
    def parse(self, text: str) -> bool:
        value = text.lower()
        if value not in ("true", "false"):
            raise CellError(f"{show(text)} is not true or false")
        return value == "true"

    def format(self, value: Any) -> str:
        return "" if value is None else ("true" if value else "false")


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Date(Parser):
    not_future: bool = False

    def parse(self, text: str) -> date:
        if not _DATE.fullmatch(text):
            raise CellError(f"{show(text)} is not a date in the form YYYY-MM-DD, like 2024-03-31")
        try:
            value = date.fromisoformat(text)
        except ValueError:
            raise CellError(f"{show(text)} is not a real date") from None
        if self.not_future and value > timezone.localdate():
            raise CellError(f"{text} is in the future")
        return value

    def format(self, value: Any) -> str:
        return "" if value is None else value.isoformat()


_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(?P<offset>Z|[+-]\d{2}:?\d{2})?"
)


@dataclass(frozen=True)
class DateTime(Parser):
    """ISO 8601 with an offset, or without one meaning Europe/London local time. Stored aware."""

    not_future: bool = False

    def parse(self, text: str) -> datetime:
        value = self._parse(text)
        if self.not_future and value > datetime.now(UTC):
            raise CellError(f"{text} is in the future")
        return value

    def _parse(self, text: str) -> datetime:
        try:
            if not _DATETIME.fullmatch(text):
                raise ValueError(text)
            value = datetime.fromisoformat(text)
        except ValueError:
            raise CellError(
                f"{show(text)} is not a date and time in the form YYYY-MM-DDTHH:MM, like "
                "2024-03-31T18:30 (Europe/London time) or 2024-03-31T17:30+00:00"
            ) from None
        if value.tzinfo is not None:
            return value
        local = value.replace(tzinfo=LONDON)
        if local.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) != value:
            raise CellError(
                f"{text} did not happen in Europe/London (the clocks went forward): "
                "give the time with its offset"
            )
        return local

    def format(self, value: Any) -> str:
        if value is None:
            return ""
        return value.astimezone(LONDON).isoformat(timespec="seconds")

    def native(self, value: Any) -> str:
        if isinstance(value, datetime):
            return value.isoformat(timespec="seconds")
        return native_text(value)


def choices_of(text_choices: type[models.TextChoices]) -> tuple[str, ...]:
    return tuple(str(v) for v in text_choices.values)
