"""`cairn import PATH [--ignore-unknown]`: load exchange files (EXCHANGE.md), all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.exchange.problems import ImportRejected
from cairn.exchange.services import exchange_import


class Command(BaseCommand):
    help = (
        "Import exchange files from a folder, a .zip of one, an .xlsx workbook or one .csv file. "
        "Everything is checked first: any problem is printed as file:row: column: problem and "
        "nothing is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="folder, .zip, .xlsx or .csv file")
        parser.add_argument(
            "--ignore-unknown",
            action="store_true",
            help="skip columns and files Cairn does not import instead of refusing them",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        self.stderr.write(f"Checking {path}")

        def progress(file: str, rows_done: int) -> None:
            self.stderr.write(f"{file}: {rows_done} rows written")

        try:
            result = exchange_import(
                actor=None,
                source=path,
                ignore_unknown=options["ignore_unknown"],
                progress=progress,
            )
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            count = len(rejected.problems)
            raise CommandError(
                f"Nothing was imported: {count} problem{'s' if count != 1 else ''} listed above.",
                returncode=1,
            ) from None
        self.stdout.write(f"Imported {result.source}:")
        for line in result.lines():
            self.stdout.write(f"  {line}")
