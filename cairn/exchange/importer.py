"""The import engine: check every file completely, then write everything in one transaction.

Checking streams through each file once, keeping only the keys seen (to find duplicates and to
resolve references between files); references to records already in Cairn are looked up in
batches. Writing reads each file again and saves it in chunks: new records with one INSERT
statement per chunk (bulk.py), changed ones with bulk_update, adding field-level change history
(django-auditlog) in bulk for the models that keep it (history.py).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from cairn.exchange.bulk import insert, pks_by
from cairn.exchange.cells import CellError, cell_text, show
from cairn.exchange.history import record_history
from cairn.exchange.problems import (
    NO_COLUMN,
    PROBLEM_CAP,
    ImportRejected,
    Problem,
    ProblemList,
    TooManyProblems,
)
from cairn.exchange.sources import Source, Table, TableError
from cairn.exchange.specs import SPECS, ParsedRow, Spec
from cairn.exchange.specs.base import ACTOR, FILE_STATE, Grouped

if TYPE_CHECKING:
    from cairn.accounts.models import User

Progress = Callable[[str, int], None]

CHUNK_SIZE = 1000

#: In a file's state, for a file with several rows per key: the keys whose record is written.
_WRITTEN = "importer:written"


@dataclass(frozen=True)
class FileCounts:
    rows: int
    created: int
    updated: int


class Importer:
    def __init__(
        self,
        *,
        source: Source,
        actor: User | None,
        ignore_unknown: bool = False,
        progress: Progress | None = None,
        cap: int = PROBLEM_CAP,
        specs: tuple[Spec, ...] = SPECS,
        chunk_size: int | None = None,
    ) -> None:
        self.source = source
        self.actor = actor
        self.ignore_unknown = ignore_unknown
        self.progress = progress
        self.problems = ProblemList(cap=cap)
        self.specs = tuple(spec for spec in specs if spec.file_name in source.tables)
        self.all_specs = specs
        self.chunk_size = chunk_size or CHUNK_SIZE
        # Keys seen in each file checked so far, with the row each first appeared on.
        self.keys: dict[str, dict[str, int]] = {}

    # Reading -------------------------------------------------------------------------------

    def _add(self, file: str, row: int, column: str, message: str) -> None:
        self.problems.add(file, row, column, message)

    def _header(self, spec: Spec, row: int, cells: list[Any]) -> dict[str, int]:
        index: dict[str, int] = {}
        for position, cell in enumerate(cells):
            name = "" if cell is None else str(cell).strip().lower()
            if name in spec.by_name:
                if name in index:
                    self._add(spec.file_name, row, name, "this column appears more than once")
                else:
                    index[name] = position
            elif not self.ignore_unknown:
                label = name or f"column {position + 1}"
                message = (
                    "unknown column: remove it or choose to ignore unknown columns"
                    if name
                    else "this column has no name: name it or remove it"
                )
                self._add(spec.file_name, row, label, message)
        for column in spec.bound:
            if column.required and column.name not in index:
                self._add(spec.file_name, row, column.name, "required column is missing")
        return index

    def _rows(self, spec: Spec, table: Table) -> Iterator[ParsedRow]:
        """The data rows of one file, read cell by cell; problems go to `self.problems`."""
        file = spec.file_name
        rows = table.rows()
        try:
            header = next((row for row in rows if not _blank(row[1])), None)
            if header is None:
                self._add(file, 1, NO_COLUMN, "the file is empty: it needs a header row")
                return
            header_row, header_cells = header
            index = self._header(spec, header_row, header_cells)
            width = len(header_cells)
            columns = [(spec.by_name[name], position) for name, position in index.items()]
            for number, cells in rows:
                if _blank(cells):
                    continue
                if len(cells) != width:
                    if table.ragged and len(cells) < width:
                        cells = cells + [None] * (width - len(cells))
                    else:
                        self._add(
                            file,
                            number,
                            NO_COLUMN,
                            f"this row has {len(cells)} values but the header has {width} columns",
                        )
                        continue
                values: dict[str, Any] = {}
                failed = False
                for column, position in columns:
                    raw = cells[position]
                    try:
                        text = cell_text(raw if isinstance(raw, str) else column.parser.native(raw))
                        value = column.parser.parse(text) if text else None
                    except CellError as error:
                        self._add(file, number, column.name, str(error))
                        failed = True
                        continue
                    if value is None and column.required:
                        self._add(file, number, column.name, "a value is required")
                        failed = True
                        continue
                    values[column.name] = value
                yield ParsedRow(number, values.get(spec.key), values, failed)
        except TableError as error:
            self._add(file, error.row, NO_COLUMN, error.message)

    # Checking ------------------------------------------------------------------------------

    def check(self) -> None:
        """Check every file; problems are collected in `self.problems`."""
        try:
            for problem in self.source.problems:
                self._add(problem.file, problem.row, problem.column, problem.message)
            for spec in self.specs:
                self._check_file(spec)
        except TooManyProblems:
            pass

    def _check_file(self, spec: Spec) -> None:
        table = self.source.tables[spec.file_name]
        encoding = table.encoding_problem()
        if encoding is not None:
            self._add(spec.file_name, encoding[0], NO_COLUMN, encoding[1])
            return
        keys = self.keys.setdefault(spec.file_name, {})
        unique: dict[str, dict[Any, int]] = {name: {} for name in spec.unique}
        groups: dict[str, dict[str, tuple[int, Any]]] = {}
        pairs: dict[tuple[str, Any], int] = {}
        chunk: list[ParsedRow] = []
        for parsed in self._rows(spec, table):
            if parsed.key is not None:
                first = keys.setdefault(parsed.key, parsed.row)
                if spec.grouped is not None:
                    self._check_group(spec, spec.grouped, parsed, groups, pairs)
                elif first != parsed.row:
                    self._add(
                        spec.file_name,
                        parsed.row,
                        spec.key,
                        f"{show(parsed.key)} appears more than once in this file "
                        f"(first on row {first})",
                    )
            for name, seen in unique.items():
                value = parsed.values.get(name)
                if (
                    value is not None
                    and (first := seen.setdefault(value, parsed.row)) != parsed.row
                ):
                    self._add(
                        spec.file_name,
                        parsed.row,
                        name,
                        f"{show(str(value))} appears more than once in this file (first on row "
                        f"{first}): {spec.unique[name]}",
                    )
            for column, message in spec.check_row(parsed.values):
                self._add(spec.file_name, parsed.row, column, message)
            chunk.append(parsed)
            if len(chunk) >= self.chunk_size:
                self._check_chunk(spec, chunk)
                chunk = []
        self._check_chunk(spec, chunk)

    def _check_group(
        self,
        spec: Spec,
        grouped: Grouped,
        parsed: ParsedRow,
        groups: dict[str, dict[str, tuple[int, Any]]],
        pairs: dict[tuple[str, Any], int],
    ) -> None:
        """A row of a file with several rows per key: the key and its `by` value appear once,
        and the row repeats the values of the key's first row that gave each `agree` column."""
        key = parsed.key or ""
        by = parsed.values.get(grouped.by)
        if by is not None and (first := pairs.setdefault((key, by), parsed.row)) != parsed.row:
            self._add(
                spec.file_name,
                parsed.row,
                grouped.by,
                f"{show(str(by))} appears more than once for {grouped.noun} {show(key)} in this "
                f"file (first on row {first}): {grouped.reason}",
            )
        agreed = groups.setdefault(key, {})
        for name in grouped.agree:
            if name not in parsed.values:  # unreadable (reported) or the column is absent
                continue
            value = parsed.values[name]
            row, expected = agreed.setdefault(name, (parsed.row, value))
            if value != expected:
                parser = spec.by_name[name].parser
                columns = ", ".join(grouped.agree[:-1]) + " and " + grouped.agree[-1]
                self._add(
                    spec.file_name,
                    parsed.row,
                    name,
                    f"{show(parser.format(value))} differs from row {row} "
                    f"({show(parser.format(expected))}): the rows of {grouped.noun} {show(key)} "
                    f"must agree on {columns}",
                )

    def _check_chunk(self, spec: Spec, chunk: list[ParsedRow]) -> None:
        """References to other files or to records in Cairn, and what the user may change."""
        if not chunk:
            return
        for column in spec.bound:
            target = column.target
            if target is None:
                continue
            in_import = self.keys.get(target.file, {}) if target.file else {}
            pending = [
                (row.row, row.values[column.name])
                for row in chunk
                if row.values.get(column.name) is not None
                and row.values[column.name] not in in_import
            ]
            if not pending:
                continue
            found = pks_by(target.model, target.field, (value for _, value in pending))
            for row, value in pending:
                if value not in found:
                    self._add(spec.file_name, row, column.name, target.problem(value))
        for row, column_name, message in spec.check_chunk(rows=chunk, import_keys=self.keys):
            self._add(spec.file_name, row, column_name, message)
        if self.actor is not None:
            for row, column_name, message in spec.authorize(
                actor=self.actor, rows=chunk, import_keys=self.keys
            ):
                self._add(spec.file_name, row, column_name, message)

    def rejected(self) -> ImportRejected:
        """The problems found, in file and row order."""
        file_rank = {spec.file_name: rank for rank, spec in enumerate(self.all_specs, start=1)}

        def order(problem: Problem) -> tuple[int, int, int]:
            columns = [c.name for c in _spec_named(self.all_specs, problem.file)]
            column_rank = columns.index(problem.column) if problem.column in columns else -1
            return (file_rank.get(problem.file, 0), problem.row, column_rank)

        problems = sorted(self.problems.items, key=order)
        if len(problems) >= self.problems.cap:
            problems.append(
                Problem(
                    self.source.name,
                    1,
                    NO_COLUMN,
                    f"checking stopped after {self.problems.cap} problems: fix these and "
                    "import again",
                )
            )
        return ImportRejected(problems)

    # Writing -------------------------------------------------------------------------------

    def write(self) -> dict[str, FileCounts]:
        """Write every file. Call inside a transaction, after `check` found nothing wrong."""
        counts: dict[str, FileCounts] = {}
        try:
            for spec in self.specs:
                counts[spec.file_name] = self._write_file(spec)
        except TooManyProblems:
            pass
        if self.problems:
            raise self.rejected()
        return counts

    def _write_file(self, spec: Spec) -> FileCounts:
        table = self.source.tables[spec.file_name]
        totals = [0, 0, 0]
        state: dict[str, Any] = {}
        chunk: list[ParsedRow] = []
        for parsed in self._rows(spec, table):
            chunk.append(parsed)
            if len(chunk) >= self.chunk_size:
                self._write_chunk(spec, chunk, totals, state)
                chunk = []
        self._write_chunk(spec, chunk, totals, state)
        if not self.problems:
            spec.after_file(state=state)
        if self.progress is not None and totals[0] % self.chunk_size:
            self.progress(spec.file_name, totals[0])  # the last, part-filled chunk
        return FileCounts(rows=totals[0], created=totals[1], updated=totals[2])

    def _write_chunk(
        self, spec: Spec, chunk: list[ParsedRow], totals: list[int], state: dict[str, Any]
    ) -> None:
        if not chunk or self.problems:
            return
        model = spec.model
        key_field = spec.key_field
        stored = pks_by(model, key_field, (row.key for row in chunk))
        existing = {
            getattr(instance, key_field): instance
            for instance in (
                model._default_manager.select_for_update().filter(pk__in=stored.values())
                if stored
                else ()
            )
        }
        resolved = self._resolve(spec, chunk)
        if resolved is None:
            return
        resolved[FILE_STATE] = state  # type: ignore[assignment]
        resolved[ACTOR] = self.actor  # type: ignore[assignment]
        for row_number, column_name, message in spec.prepare_chunk(rows=chunk, resolved=resolved):
            self._add(spec.file_name, row_number, column_name, message)
        if self.problems:
            return
        saved: dict[str, models.Model] = {}
        creates: list[models.Model] = []
        updates: list[tuple[models.Model, models.Model]] = []
        changed_fields: set[str] = set()
        written: set[str] = state.setdefault(_WRITTEN, set()) if spec.grouped else set()
        for row in chunk:
            if spec.grouped is not None:
                # Several rows per key, which agree: the first row in the file writes the record.
                if row.key in saved:
                    continue
                if row.key in written:  # by an earlier chunk
                    saved[row.key or ""] = existing[row.key]
                    continue
                written.add(row.key or "")
            instance = existing.get(row.key)
            if instance is None:
                instance = saved[row.key or ""] = model()
                spec.assign(instance, row.values, resolved)
                creates.append(instance)
                continue
            saved[row.key or ""] = instance
            before = copy.copy(instance)
            changed = spec.assign(instance, row.values, resolved)
            totals[2] += 1
            if changed:
                updates.append((before, instance))
                changed_fields.update(changed)
        if creates:
            insert(model, creates)
            ids = pks_by(model, key_field, (getattr(instance, key_field) for instance in creates))
            for instance in creates:
                instance.pk = ids[getattr(instance, key_field)]
            totals[1] += len(creates)
        if updates:
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                now = timezone.now()
                for _, instance in updates:
                    instance.updated_at = now  # type: ignore[attr-defined]
                changed_fields.add("updated_at")
            model._default_manager.bulk_update(
                [instance for _, instance in updates], sorted(changed_fields)
            )
        record_history(model, key_field, creates, updates, self.actor)
        spec.after_write(rows=chunk, saved=saved, resolved=resolved)
        totals[0] += len(chunk)
        if self.progress is not None and len(chunk) == self.chunk_size:
            self.progress(spec.file_name, totals[0])

    def _resolve(self, spec: Spec, chunk: list[ParsedRow]) -> dict[str, dict[str, int]] | None:
        """Primary keys of the records each reference column names (written by now)."""
        resolved: dict[str, dict[str, int]] = {}
        missing = False
        for column in spec.bound:
            target = column.target
            if target is None:
                continue
            wanted = {row.values.get(column.name) for row in chunk} - {None}
            resolved[column.name] = pks_by(target.model, target.field, wanted)
            for row in chunk:
                value = row.values.get(column.name)
                if value is not None and value not in resolved[column.name]:
                    # Checked a moment ago: someone removed it since.
                    self._add(spec.file_name, row.row, column.name, target.problem(value))
                    missing = True
        return None if missing else resolved


def _blank(cells: list[Any]) -> bool:
    return not any(cell is not None and str(cell).strip() for cell in cells)


def _spec_named(specs: tuple[Spec, ...], file: str) -> tuple[Any, ...]:
    for spec in specs:
        if spec.file_name == file:
            return spec.bound
    return ()


def run_import(
    *,
    source: Source,
    actor: User | None,
    ignore_unknown: bool,
    progress: Progress | None,
    on_success: Callable[[dict[str, FileCounts]], None],
) -> dict[str, FileCounts]:
    """Check, then write in one transaction; `on_success` runs inside it (the audit event)."""
    importer = Importer(
        source=source, actor=actor, ignore_unknown=ignore_unknown, progress=progress
    )
    with _page_cache():
        importer.check()
        if importer.problems:
            raise importer.rejected()
        with transaction.atomic():
            counts = importer.write()
            on_success(counts)
    return counts


#: SQLite's page cache for an import, in KiB (its default is 2 MiB per connection).
SQLITE_CACHE_KIB = 256 * 1024


@contextmanager
def _page_cache() -> Iterator[None]:
    """On SQLite, a bigger page cache while importing: with the default, a large import reads
    the same index pages again and again, and its one transaction writes each changed page to
    the write-ahead log many times over as the cache overflows. PostgreSQL has shared buffers."""
    connection = transaction.get_connection()
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(SQLITE_CACHE_KIB)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
