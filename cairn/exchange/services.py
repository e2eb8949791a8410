"""Exchange import and export (EXCHANGE.md): the only writes of the exchange app."""

from __future__ import annotations

import csv
import getpass
import io
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from cairn.accounts import access
from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.exchange.cells import neutralise
from cairn.exchange.importer import FileCounts, Progress, run_import
from cairn.exchange.problems import ImportRejected, Problem
from cairn.exchange.sources import open_source
from cairn.exchange.specs import FILE_NAMES, SPECS, Spec

if TYPE_CHECKING:
    from cairn.accounts.models import User
    from cairn.children.models import Child

__all__ = [
    "ExportResult",
    "FileCounts",
    "ImportRejected",
    "ImportResult",
    "Problem",
    "exchange_export",
    "exchange_import",
]


@dataclass(frozen=True)
class ImportResult:
    source: str
    files: dict[str, FileCounts] = field(default_factory=dict)

    @property
    def created(self) -> int:
        return sum(c.created for c in self.files.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.files.values())

    def lines(self) -> list[str]:
        return [
            f"{name}: {_rows(c.rows)} ({c.created} created, {c.updated} updated)"
            for name, c in self.files.items()
        ]


@dataclass(frozen=True)
class ExportResult:
    destination: Path
    files: dict[str, int] = field(default_factory=dict)  # rows written per file

    def lines(self) -> list[str]:
        return [f"{name}: {_rows(rows)}" for name, rows in self.files.items()]


def _rows(count: int) -> str:
    return f"{count} row{'' if count == 1 else 's'}"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _who(actor: User | None) -> dict[str, str]:
    return {} if actor is not None else {"os_user": _os_user()}


def _require_manager(actor: User | None) -> None:
    if actor is not None and not access.can_import(actor):
        raise PermissionDenied("Only managers can import or export exchange files")


def exchange_import(
    *,
    actor: User | None,
    source: Path | str | IO[bytes] | Any,
    ignore_unknown: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a folder, .zip, .xlsx or single .csv of exchange files, all or nothing.

    Everything is checked first; any problem raises `ImportRejected` listing them all (as
    `file:row: column: problem`) and the database is unchanged. Then every file is written in
    one transaction, with one access event. `actor` None means the command line (the operating
    system user is recorded); a signed-in user must be a manager and may change only records
    they could change on screen. `progress(file, rows_done)` is called as rows are written.
    """
    _require_manager(actor)
    with open_source(source, known=FILE_NAMES, ignore_unknown=ignore_unknown) as opened:

        def audit(counts: dict[str, FileCounts]) -> None:
            access_event_record(
                actor=actor,
                action=Action.IMPORT,
                object_type="exchange",
                object_id=opened.name[:64],
                detail={
                    "source": opened.name,
                    "ignore_unknown": ignore_unknown,
                    "files": {
                        name: {"rows": c.rows, "created": c.created, "updated": c.updated}
                        for name, c in counts.items()
                    },
                    **_who(actor),
                },
            )

        counts = run_import(
            source=opened,
            actor=actor,
            ignore_unknown=ignore_unknown,
            progress=progress,
            on_success=audit,
        )
    return ImportResult(source=opened.name, files=counts)


@contextmanager
def _snapshot() -> Iterator[None]:
    """Read every file from one snapshot on PostgreSQL, so placements.csv names only children
    in children.csv even while others write. (SQLite serves one trial server; a transaction
    there would block writers for the length of the export.)"""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _write_csv(text: IO[str], spec: Spec, children: QuerySet[Child] | None) -> int:
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([column.name for column in spec.bound])
    count = 0
    for row in spec.export_rows(children):
        writer.writerow([neutralise(value) for value in row])
        count += 1
    return count


def _export_zip(destination: Path, children: QuerySet[Child] | None) -> dict[str, int]:
    partial = destination.with_name(destination.name + ".part")
    rows: dict[str, int] = {}
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for spec in SPECS:
                with (
                    archive.open(spec.file_name, "w", force_zip64=True) as member,
                    io.TextIOWrapper(member, encoding="utf-8", newline="") as text,
                ):
                    rows[spec.file_name] = _write_csv(text, spec, children)
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)
    return rows


def _export_folder(destination: Path, children: QuerySet[Child] | None) -> dict[str, int]:
    destination.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    for spec in SPECS:
        target = destination / spec.file_name
        partial = destination / f".{spec.file_name}.part"
        try:
            with partial.open("w", encoding="utf-8", newline="") as text:
                rows[spec.file_name] = _write_csv(text, spec, children)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    return rows


def exchange_export(
    *,
    actor: User | None,
    destination: Path | str,
    children: QuerySet[Child] | None = None,
) -> ExportResult:
    """Write agencies.csv, children.csv and placements.csv to a folder, or to a zip when the
    destination ends with .zip. `children` limits the children (and their placements) written;
    a signed-in user only ever exports the children the access policy lets them export.
    Text a spreadsheet could run as a formula is written with a leading single quote."""
    _require_manager(actor)
    destination = Path(destination)
    if actor is not None:
        allowed = access.exportable_children(actor)
        children = allowed if children is None else children.filter(pk__in=allowed.values("pk"))
    as_zip = destination.suffix.lower() == ".zip"
    if not as_zip and destination.exists() and not destination.is_dir():
        raise FileExistsError(f"{destination} is a file: give a folder or a .zip name")
    with _snapshot():
        rows = (_export_zip if as_zip else _export_folder)(destination, children)
    access_event_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="exchange",
        object_id=destination.name[:64],
        detail={"destination": destination.name, "files": rows, **_who(actor)},
    )
    return ExportResult(destination=destination, files=rows)
