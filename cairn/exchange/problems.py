"""Problems found in exchange files, reported as `file:row: column: problem`."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Checking stops after this many problems: enough to fix a file, not so many that the report
#: of a wholly wrong file floods the screen.
PROBLEM_CAP = 1000

#: The column of a problem that is about a whole row or file rather than one cell.
NO_COLUMN = "-"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import. `row` is the line in the file where the record starts,
    counting the header as row 1 (for a spreadsheet, the sheet's row number)."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: {self.column}: {self.message}"


class ImportRejected(Exception):  # noqa: N818 - the name says what happened to the import
    """Nothing was imported: `problems` lists everything wrong with the files."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        first = "; ".join(str(p) for p in self.problems[:3])
        more = f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        super().__init__(f"import rejected: {first}{more}")


class TooManyProblems(Exception):
    """Raised inside the checker when the problem cap is reached."""


@dataclass
class ProblemList:
    cap: int = PROBLEM_CAP
    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, row: int, column: str, message: str) -> None:
        self.items.append(Problem(file, row, column or NO_COLUMN, message))
        if len(self.items) >= self.cap:
            raise TooManyProblems

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)
