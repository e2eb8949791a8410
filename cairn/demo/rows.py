"""Fast bulk inserts of plain rows, for the tables a county holds millions of rows of.

`bulk_create` builds a model instance per row and prepares every value through its field: right
for thousands of rows, slow for the millions of assessment indicators a 100,000-child county with
ten assessments each holds. `RowTable` writes tuples straight to the table instead: `COPY` on
PostgreSQL, `executemany` on SQLite (one prepared statement, looped in C).

Rows carry their primary key, allocated up front by `IdBlock` so that dependent rows (an
assessment's indicators) can refer to it before anything is written; `sequences_reset` then moves
PostgreSQL's sequences past the ids used. Values must already be what the column stores: dates as
`date`, date-times as aware `datetime`, JSON as text (`json_text`), and a `Child` (or any saved
model instance, or None) where its id goes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models


def json_text(value: Any) -> str:
    """A JSONField value as stored (the same text the field writes)."""
    return json.dumps(value)


class IdBlock:
    """Primary keys for new rows of one table, counting on from the largest in use."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        largest = model._default_manager.aggregate(largest=models.Max("pk"))["largest"]
        self.last = int(largest or 0)

    def take(self) -> int:
        self.last += 1
        return self.last


class RowTable:
    """Insert tuples into one model's table. `fields` are model field names (foreign keys by
    their field name: "child" writes "child_id"); `instance_fields` name those whose values are
    model instances saved earlier in the same batch (their `pk` is read at write time);
    `date_fields` and `datetime_fields` name the columns holding dates and aware date-times."""

    def __init__(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        *,
        instance_fields: Sequence[str] = (),
        date_fields: Sequence[str] = (),
        datetime_fields: Sequence[str] = (),
    ) -> None:
        opts = model._meta
        self.table = opts.db_table
        self.columns: list[str] = [
            opts.get_field(name).column  # type: ignore[union-attr,misc]
            for name in fields
        ]
        self.instance_positions = [list(fields).index(name) for name in instance_fields]
        self.date_positions = [list(fields).index(name) for name in date_fields]
        self.datetime_positions = [list(fields).index(name) for name in datetime_fields]

    def _prepared(self, rows: Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
        instances, dates, times = (
            self.instance_positions,
            self.date_positions,
            self.datetime_positions,
        )
        text_dates = connection.vendor != "postgresql"
        if not instances and not ((dates or times) and text_dates):
            return rows
        prepared = []
        for row in rows:
            values = list(row)
            for position in instances:
                instance = values[position]
                values[position] = None if instance is None else instance.pk
            if text_dates:
                for position in dates:
                    day: date | None = values[position]
                    values[position] = None if day is None else day.isoformat()
                for position in times:
                    moment: datetime | None = values[position]
                    # As Django stores it on SQLite: UTC, without an offset.
                    values[position] = (
                        None
                        if moment is None
                        else moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
                    )
            prepared.append(values)
        return prepared

    def insert(self, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in self.columns)
        prepared = self._prepared(rows)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {quote(self.table)} ({columns}) FROM STDIN") as copy:
                    for row in prepared:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})",  # noqa: S608
                    prepared,
                )


def sequences_reset(models_: Sequence[type[models.Model]]) -> None:
    """After rows were written with explicit ids, let the database hand out the next ones."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
