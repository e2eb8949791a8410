"""What an exchange file spec says: its columns, its key, how each cell maps onto the model.

A new file (risk_assessments.csv, missing_episodes.csv, ...) is one new module in this package
holding a `Spec` subclass, added to `SPECS` in `__init__.py` after the files it refers to.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.db.models import QuerySet

from cairn.exchange.cells import Parser, Text, show

if TYPE_CHECKING:
    from cairn.accounts.models import User
    from cairn.children.models import Child


#: The key in each chunk's `resolved` of the dict that lasts for the whole file (`after_file`).
FILE_STATE = "file:state"
#: The key in each chunk's `resolved` of the user importing (None: the command line), for specs
#: that write related records with their change history (`record_history`).
ACTOR = "file:actor"


@dataclass(frozen=True)
class Target:
    """What a reference column names: the key of another exchange file in the same import, or a
    record already in Cairn with that value in `field` (`file` is None for records, like wards,
    that no exchange file creates)."""

    model: type[models.Model]
    field: str
    file: str | None
    missing: str  # problem message; "{value}" is replaced by the value shown

    def problem(self, value: str) -> str:
        return self.missing.format(value=show(value))


@dataclass(frozen=True)
class Column:
    """One column. `field` is the model field it fills (default: the column's name); a column
    with a `target` holds the target's key and fills a foreign key. A `required` column must be
    in the header and have a value in every row. Without a `parser`, the cell is text limited to
    the field's max_length; parsers take choices and lengths from the model field."""

    name: str
    parser: Parser = field(default_factory=Text)
    field: str | None = None
    required: bool = False
    target: Target | None = None

    @property
    def field_name(self) -> str:
        return self.field or self.name


@dataclass(frozen=True)
class Grouped:
    """For a file with several rows per key (meetings.csv: one row per child discussed at a
    meeting, keyed by `meeting_ref`). `by` is the column that tells a key's rows apart: a key and
    a value of `by` appear together once in the file, for `reason`. `agree` are the record's own
    columns, which every row of the key must repeat. `noun` names the record in problems.

    The key's first row in the file creates or updates the record (the rows agree); `after_write`
    writes what each row adds (the discussions). Created and updated count records, not rows."""

    by: str
    agree: tuple[str, ...]
    noun: str
    reason: str


@dataclass
class ParsedRow:
    """One data row: its row number, key and the values of the cells that could be read
    (by column name; None means the cell was empty). `failed` rows had a problem."""

    row: int
    key: str | None
    values: dict[str, Any]
    failed: bool = False


class Spec:
    """One exchange file."""

    file_name: ClassVar[str]
    model: ClassVar[type[models.Model]]
    key: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    #: Other columns whose values must be unique within the file, each with the reason (said in
    #: the problem when a value appears again).
    unique: ClassVar[Mapping[str, str]] = {}
    #: Set for a file with several rows per key (see `Grouped`); None: the key is unique.
    grouped: ClassVar[Grouped | None] = None

    def __repr__(self) -> str:
        return f"<Spec {self.file_name}>"

    @cached_property
    def bound(self) -> tuple[Column, ...]:
        """The columns with parsers bound to their model fields (lengths, choices)."""
        bound = []
        for column in self.columns:
            model_field = self.model_field(column)
            parser = column.parser.bind(None if column.target else model_field)
            bound.append(Column(column.name, parser, column.field, column.required, column.target))
        return tuple(bound)

    @cached_property
    def by_name(self) -> dict[str, Column]:
        return {column.name: column for column in self.bound}

    @cached_property
    def key_field(self) -> str:
        return self.by_name[self.key].field_name

    @cached_property
    def _fields(self) -> dict[str, tuple[Column, models.Field, str]]:
        """Each column's (column, model field, attname), looked up once (`assign` is hot)."""
        return {
            column.name: (column, field, field.attname)
            for column in self.bound
            if (field := self.model_field(column)) is not None
        }

    def model_field(self, column: Column) -> models.Field:
        return self.model._meta.get_field(column.field_name)  # type: ignore[return-value]

    # Checking ------------------------------------------------------------------------------

    def check_row(self, values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
        """Problems across cells of one row, as (column, message). Only cells that could be
        read are in `values`."""
        return ()

    def authorize(
        self, *, actor: User, rows: list[ParsedRow], import_keys: Mapping[str, Mapping[str, int]]
    ) -> Iterable[tuple[int, str, str]]:
        """Rows this user may not write, as (row, column, message). Only called for imports made
        by a signed-in user (the command line is trusted). `import_keys` holds the keys of every
        file checked so far in this import."""
        return ()

    def check_chunk(
        self, *, rows: list[ParsedRow], import_keys: Mapping[str, Mapping[str, int]]
    ) -> Iterable[tuple[int, str, str]]:
        """Problems that need the database, looked up a chunk of rows at a time (one query per
        kind of lookup, not per row), as (row, column, message). Called for every import, after
        the reference columns are checked; rows that had a problem have `failed` set."""
        return ()

    # Writing -------------------------------------------------------------------------------

    def prepare_chunk(
        self, *, rows: list[ParsedRow], resolved: dict[str, Any]
    ) -> Iterable[tuple[int, str, str]]:
        """Before a chunk is assigned and saved, inside the import's transaction (records of the
        files before this one are written by now). A spec may add lookups to `resolved` for
        `assign`, and return problems only visible now, as (row, column, message): they reject
        the whole import."""
        return ()

    def after_write(
        self,
        *,
        rows: list[ParsedRow],
        saved: Mapping[str, models.Model],
        resolved: Mapping[str, Any],
    ) -> None:
        """After a chunk is saved, inside the import's transaction: `saved` maps each row's key
        to its record (with its primary key). Write rows of related tables here."""

    def after_file(self, *, state: dict[str, Any]) -> None:
        """After the last chunk of the file is written, inside the import's transaction.
        `state` is one dict for the whole file, also given to each chunk's hooks as
        `resolved[FILE_STATE]`: a spec collects there what it finishes once per file."""

    def assign(
        self,
        instance: models.Model,
        values: Mapping[str, Any],
        resolved: Mapping[str, Mapping[str, int]],
    ) -> list[str]:
        """Set the fields of the columns in `values` on `instance`; return the fields changed.
        `resolved` maps each reference column's values to primary keys."""
        changed = []
        fields = self._fields
        for name, value in values.items():
            column, model_field, attname = fields[name]
            if value is None:
                new = model_field.get_default()
            elif column.target is not None:
                new = resolved[name][value]
            else:
                new = value
            if getattr(instance, attname) != new or instance._state.adding:
                setattr(instance, attname, new)
                changed.append(model_field.name)
        return changed

    # Exporting -----------------------------------------------------------------------------

    def export_queryset(self, children: QuerySet[Child] | None) -> QuerySet:
        """The records to export; `children` (None: all) limits files about children."""
        return self.model._default_manager.all()

    def export_rows(self, children: QuerySet[Child] | None) -> Iterator[list[str]]:
        lookups = [
            f"{c.field_name}__{c.target.field}" if c.target else c.field_name for c in self.bound
        ]
        rows = (
            self.export_queryset(children)
            .order_by(self.key_field, "pk")
            .values_list(*lookups)
            .iterator(chunk_size=2000)
        )
        parsers = [column.parser for column in self.bound]
        for values in rows:
            yield [parser.format(value) for parser, value in zip(parsers, values, strict=True)]


def editable_child_refs(actor: User, refs: Iterable[str]) -> set[str]:
    """Of these child refs, those whose records the user may change. Imports are for managers
    (access.can_import), who may change every child they can see without breaking glass."""
    from cairn.accounts import access

    refs = list(refs)
    if not refs:
        return set()
    return set(
        access.visible_children(actor, include_break_glass=False)
        .filter(child_ref__in=refs)
        .values_list("child_ref", flat=True)
    )


def child_owned_row_problems(
    *,
    actor: User,
    rows: list[ParsedRow],
    import_keys: Mapping[str, Mapping[str, int]],
    model: type[models.Model],
    key: str,
    noun: str,
) -> Iterator[tuple[int, str, str]]:
    """For files whose rows belong to a child (placements, assessments, ...): a row may be
    written only for a child the user may change: the child named in the row (unless this
    import's children.csv has it, which is checked there) and, for a record already in Cairn,
    the child it belongs to now."""
    from cairn.children.models import Child

    in_import = import_keys.get("children.csv", {})
    current = dict(
        model._default_manager.filter(**{f"{key}__in": [r.key for r in rows if r.key]})
        .order_by()
        .values_list(key, "child__child_ref")
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
                key,
                f"{show(row.key or '')} is {noun} of a child whose record you cannot change",
            )
            continue
        child_ref = row.values.get("child_ref")
        if child_ref in stored and child_ref not in allowed:
            yield (
                row.row,
                "child_ref",
                f"{show(child_ref)} is a child already in Cairn whose record you cannot change",
            )
