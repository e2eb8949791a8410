"""Inserting many new records quickly, for imports of up to millions of rows.

`QuerySet.bulk_create` compiles SQL for every value of every row; at a million rows with two dozen
fields that costs more than the database's own work. `insert` prepares each value as
`bulk_create` does (`pre_save`, then `get_db_prep_save`; skipped for text, numbers and booleans,
which it returns unchanged) and sends the rows with COPY on PostgreSQL and one `executemany` on
SQLite. It sends no signals and does not set the new primary keys: the importer reads them back
by key (`pks_by`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from operator import attrgetter
from typing import Any

from django.db import connections, models, router

BATCH = 2000


#: Fields whose values the database drivers take as they are (a `str`, `bool` or `int`):
#: `get_db_prep_save` would return them unchanged.
_AS_IS = (
    models.AutoField, models.BigAutoField, models.BigIntegerField, models.BooleanField,
    models.CharField, models.IntegerField, models.PositiveBigIntegerField,
    models.PositiveIntegerField, models.PositiveSmallIntegerField, models.SmallIntegerField,
    models.TextField,
)  # fmt: skip
_KEYS = (models.AutoField, models.BigAutoField)


@cache
def _statement(model: type[models.Model], alias: str) -> tuple[str, tuple[models.Field, ...]]:
    quote = connections[alias].ops.quote_name
    fields = tuple(
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and isinstance(field, models.AutoField))
    )
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model, quoted
    return sql, fields


def _as_is(field: models.Field) -> bool:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return False
    if isinstance(field, models.ForeignKey):
        return type(field.target_field) in _KEYS
    return type(field) in _AS_IS


@cache
def _readers(model: type[models.Model], alias: str) -> tuple[Any, tuple[bool, ...]]:
    """How to read a record's values for `_statement`: all attributes at once, and which of
    them go to the database as they are."""
    _, fields = _statement(model, alias)
    read = attrgetter(*[field.attname for field in fields])
    getter: Any = (lambda instance: (read(instance),)) if len(fields) == 1 else read
    return getter, tuple(_as_is(field) for field in fields)


def insert(model: type[models.Model], instances: Sequence[models.Model]) -> None:
    """Insert these new records of `model` (with no primary key set) in as few statements as
    the driver allows. Fields with `auto_now`/`auto_now_add` are set, as `save()` would."""
    if not instances:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    sql, fields = _statement(model, alias)
    getter, as_is = _readers(model, alias)
    plan = list(zip(fields, as_is, strict=True))
    rows = []
    for instance in instances:
        values = getter(instance)
        rows.append(
            [
                value
                if plain
                else field.get_db_prep_save(field.pre_save(instance, True), connection)
                for (field, plain), value in zip(plan, values, strict=True)
            ]
        )
        instance._state.adding = False
        instance._state.db = alias
    _send(model, alias, sql, rows)


def _send(model: type[models.Model], alias: str, sql: str, rows: list[list[Any]]) -> None:
    """The prepared rows to the database: with COPY on PostgreSQL (one stream, no statement per
    row), with `executemany` elsewhere."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _, fields = _statement(model, alias)
            quote = connection.ops.quote_name
            columns = ", ".join(quote(field.column) for field in fields)
            copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def insert_rows(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    same: Mapping[str, Any],
) -> None:
    """Insert new records of `model` given as values by attname: `same` holds the values every
    row shares (prepared once), each row the rest; fields in neither take their default."""
    if not rows:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    sql, fields = _statement(model, alias)
    varying = set(rows[0])
    prepared: list[Any] = []  # per field: its prepared value, or the field itself if it varies
    for field in fields:
        if field.attname in varying:
            prepared.append(field)
        else:
            value = same[field.attname] if field.attname in same else field.get_default()
            prepared.append(_Value(field.get_db_prep_save(value, connection)))
    values = [
        [
            item.value
            if type(item) is _Value
            else item.get_db_prep_save(row[item.attname], connection)
            for item in prepared
        ]
        for row in rows
    ]
    _send(model, alias, sql, values)


class _Value:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def pks_by(model: type[models.Model], field_name: str, values: Iterable[Any]) -> dict[Any, Any]:
    """{value: primary key} of the records of `model` whose `field_name` is one of `values`.
    A plain SELECT on the table, without the ORM's work for each value of the IN list (for
    reference columns: text or integer fields, on models without a filtering default manager).
    """
    wanted = list(set(values) - {None})
    if not wanted:
        return {}
    alias = router.db_for_read(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.Field)  # noqa: S101 - a column, not a relation's other side
    pk = model._meta.pk
    assert pk is not None  # noqa: S101 - for the type checker
    found: dict[Any, Any] = {}
    select = (
        f"SELECT {quote(field.column)}, {quote(pk.column)} "  # noqa: S608 - names from the model, quoted
        f"FROM {quote(model._meta.db_table)} WHERE {quote(field.column)} "
    )
    if connection.vendor == "postgresql":  # one array parameter, however many values
        with connection.cursor() as cursor:
            cursor.execute(select + "= ANY(%s)", [wanted])
            return dict(cursor.fetchall())
    size = connection.features.max_query_params or len(wanted)
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), size):
            batch = wanted[start : start + size]
            cursor.execute(select + f"IN ({', '.join(['%s'] * len(batch))})", batch)
            found.update(cursor.fetchall())
    return found
