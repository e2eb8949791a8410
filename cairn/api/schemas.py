"""Types shared by every router: identifiers, text, errors and pagination."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import BeforeValidator, ConfigDict, Strict

MAX_ID = 2**63 - 1  # the largest primary key SQLite and PostgreSQL hold
MAX_PAGE = 100
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def clean_text(value: Any) -> Any:
    """Trim text as the web forms do, and refuse what no database stores (NUL, lone surrogates)."""
    if not isinstance(value, str):
        return value
    if "\x00" in value:
        raise ValueError("Text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("Text must be valid Unicode") from error
    return value.strip()


def iso_date(value: Any) -> Any:
    """Dates as the exchange format writes them, YYYY-MM-DD (not numbers or other spellings)."""
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise ValueError("Use a date in the form YYYY-MM-DD")
    if not isinstance(value, str | date):
        raise ValueError("Use a date in the form YYYY-MM-DD")
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]  # in a path or query string
BodyId = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]  # in JSON: a number, not "12"
Flag = Annotated[bool, Strict()]  # in JSON: true or false, not "yes" or 1
Day = Annotated[date, BeforeValidator(iso_date)]
Text = Annotated[str, BeforeValidator(clean_text)]


def drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def optional(**constraints: Any) -> Any:
    """A PATCH field that may be left out but, unlike a nullable field, not sent as null."""
    return Field(None, json_schema_extra=drop_default, **constraints)


class BodyIn(Schema):
    """A request body: a JSON object with only the documented fields (a misspelt or read-only
    field is an error, not silently ignored; so is a body that is not an object)."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(description='Where the problem is, e.g. ["body", "sex"]')
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: ErrorOut, 403: ErrorOut}


class Pagination(LimitOffsetPagination):
    """`limit` (1 to 100, default 25) and `offset`; the reply holds `items` and `count`."""

    class Input(Schema):
        limit: int = Field(25, ge=1, le=MAX_PAGE, description="How many items (at most 100)")
        offset: int = Field(0, ge=0, le=10**9, description="How many items to skip")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)
