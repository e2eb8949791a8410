"""Where exchange files come from: a folder, a .zip of one, an .xlsx workbook or one .csv file.

A `Source` offers each exchange file it holds as a `Table`: something that can be read from the
start more than once (the importer checks everything, then reads again to write) and yields rows
one at a time, so memory stays flat whatever the file size.
"""

from __future__ import annotations

import csv
import io
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from cairn.exchange.problems import NO_COLUMN, Problem

Row = list[Any]
BinaryOpener = Callable[[], IO[bytes]]


class TableError(Exception):
    """A file cannot be read past this row (broken quoting, a NUL byte, ...)."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


class Table(ABC):
    """One exchange file. `rows()` yields `(row_number, cells)`; the header is row 1."""

    name: str
    #: Rows may be shorter than the header (a spreadsheet drops empty cells at the end).
    ragged: bool = False

    def encoding_problem(self) -> tuple[int, str] | None:
        return None

    @abstractmethod
    def rows(self) -> Iterator[tuple[int, Row]]:
        """Each data row with its row number in the file."""


class _Borrowed(io.RawIOBase):
    """Reads a file object someone else owns, without closing it."""

    def __init__(self, file: Any) -> None:
        self._file = file

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._file.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _borrow(file: Any) -> BinaryOpener:
    def opener() -> IO[bytes]:
        file.seek(0)
        return io.BufferedReader(_Borrowed(file))

    return opener


class CsvTable(Table):
    """A UTF-8 CSV file (a byte-order mark is allowed), RFC 4180 quoting."""

    def __init__(self, name: str, opener: BinaryOpener) -> None:
        self.name = name
        self._open = opener

    def encoding_problem(self) -> tuple[int, str] | None:
        # Lines split on the byte 0x0A, which never occurs inside a UTF-8 sequence.
        with self._open() as stream:
            for number, line in enumerate(stream, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as error:
                    return number, (
                        f"the file is not UTF-8 text (byte 0x{line[error.start]:02X} on line "
                        f"{number}): save it as 'CSV UTF-8' and try again"
                    )
        return None

    def rows(self) -> Iterator[tuple[int, Row]]:
        with self._open() as stream:
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
            reader = csv.reader(text, strict=True)
            while True:
                start = reader.line_num + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    raise TableError(
                        start, f"this row is not valid CSV ({error}): check its quotes"
                    ) from None
                except UnicodeDecodeError:
                    raise TableError(start, "the file is not UTF-8 text") from None
                yield start, cells


class SheetTable(Table):
    """One worksheet of an .xlsx workbook (read-only, values typed by openpyxl)."""

    ragged = True

    def __init__(self, name: str, worksheet: Any) -> None:
        self.name = name
        self._sheet = worksheet

    def rows(self) -> Iterator[tuple[int, Row]]:
        for number, values in enumerate(self._sheet.iter_rows(values_only=True), start=1):
            cells = list(values)
            while cells and (cells[-1] is None or cells[-1] == ""):
                cells.pop()
            yield number, cells


@dataclass
class Source:
    """The exchange files found in what the user gave, by exchange file name."""

    name: str
    tables: dict[str, Table] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    stack: ExitStack = field(default_factory=ExitStack)

    def close(self) -> None:
        self.stack.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def problem(self, file: str, message: str, row: int = 1) -> None:
        self.problems.append(Problem(file, row, NO_COLUMN, message))

    def add(self, table: Table, known: tuple[str, ...], ignore_unknown: bool) -> None:
        if table.name not in known:
            if not ignore_unknown:
                self.problem(
                    table.name,
                    "Cairn does not import this file (it imports "
                    f"{', '.join(known)}): remove it or choose to ignore unknown files",
                )
            return
        if table.name in self.tables:
            self.problem(table.name, "there is more than one file with this name")
            return
        self.tables[table.name] = table


def _is_hidden(path: PurePosixPath) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in path.parts)


def _read_folder(folder: Path, source: Source, known: tuple[str, ...], ignore: bool) -> None:
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() == ".csv" and not path.name.startswith("."):
            source.add(CsvTable(path.name.lower(), _path_opener(path)), known, ignore)


def _path_opener(path: Path) -> BinaryOpener:
    return lambda: path.open("rb")


def _read_zip(file: Any, source: Source, known: tuple[str, ...], ignore: bool) -> None:
    try:
        archive = source.stack.enter_context(zipfile.ZipFile(file))
    except (zipfile.BadZipFile, OSError):
        source.problem(source.name, "this is not a readable .zip file")
        return
    members = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and not _is_hidden(PurePosixPath(info.filename))
        and info.filename.lower().endswith(".csv")
    ]
    folders = {str(PurePosixPath(info.filename).parent) for info in members}
    if len(folders) > 1:
        source.problem(
            source.name,
            "put the .csv files at the top level of the zip or together in one folder "
            f"(found them in: {', '.join(sorted(folders))})",
        )
        return
    for info in members:
        if info.flag_bits & 0x1:
            source.problem(info.filename, "this file in the zip is encrypted")
            continue
        name = PurePosixPath(info.filename).name.lower()
        source.add(CsvTable(name, _zip_opener(archive, info)), known, ignore)


def _zip_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> BinaryOpener:
    return lambda: archive.open(info)


def _read_xlsx(file: Any, source: Source, known: tuple[str, ...], ignore: bool) -> None:
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula comes back as its text ("=...") and is refused, rather
        # than its cached result slipping through.
        workbook = load_workbook(file, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of error for a damaged file
        source.problem(source.name, "this is not a readable .xlsx workbook")
        return
    source.stack.callback(workbook.close)
    for sheet in workbook.worksheets:
        name = sheet.title.strip().lower()
        if not name.endswith(".csv"):
            name += ".csv"
        if name in known:
            source.add(SheetTable(name, sheet), known, ignore)
        elif not ignore and any(any(v not in (None, "") for v in row) for row in sheet.values):
            sheets = ", ".join(n.removesuffix(".csv") for n in known)
            source.problem(
                sheet.title,
                f"Cairn does not import a sheet with this name (it imports {sheets}): rename "
                "or remove it, or choose to ignore unknown files",
            )


def _single_csv(name: str, opener: BinaryOpener, source: Source, known: tuple[str, ...]) -> None:
    name = name.lower()
    if name not in known:
        source.problem(
            name,
            f"name the file after what it holds: one of {', '.join(known)}",
        )
        return
    source.tables[name] = CsvTable(name, opener)


def _kind_of_file(name: str, file: Any) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in (".zip", ".xlsx", ".csv"):
        return suffix
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    if head == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(file) as archive:
                return ".xlsx" if "xl/workbook.xml" in archive.namelist() else ".zip"
        except zipfile.BadZipFile:
            return ""
        finally:
            file.seek(0)
    return ""


def open_source(source: Any, *, known: tuple[str, ...], ignore_unknown: bool = False) -> Source:
    """The exchange files in a folder, .zip, .xlsx or .csv (a path, or an open binary file with
    a `name`, like an upload). Problems finding them are in `Source.problems`."""
    if isinstance(source, str | Path):
        path = Path(source)
        result = Source(name=path.name or str(path))
        if path.is_dir():
            _read_folder(path, result, known, ignore_unknown)
        elif not path.exists():
            result.problem(result.name, f"there is no file or folder at {path}")
        else:
            kind = path.suffix.lower()
            if kind == ".csv":
                _single_csv(path.name, _path_opener(path), result, known)
            elif kind in (".zip", ".xlsx"):
                handle = result.stack.enter_context(path.open("rb"))
                reader = _read_zip if kind == ".zip" else _read_xlsx
                reader(handle, result, known, ignore_unknown)
            else:
                result.problem(result.name, "give a folder, a .zip, an .xlsx or a .csv file")
        if not result.tables and not result.problems:
            result.problem(result.name, f"found none of {', '.join(known)}")
        return result

    name = PurePosixPath(str(getattr(source, "name", "") or "upload")).name
    result = Source(name=name)
    kind = _kind_of_file(name, source)
    if kind == ".csv":
        _single_csv(name, _borrow(source), result, known)
    elif kind == ".zip":
        _read_zip(source, result, known, ignore_unknown)
    elif kind == ".xlsx":
        _read_xlsx(source, result, known, ignore_unknown)
    else:
        result.problem(name, "upload a .zip, an .xlsx or a .csv file")
    if not result.tables and not result.problems:
        result.problem(name, f"found none of {', '.join(known)}")
    return result
