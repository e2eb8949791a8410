"""`cairn export PATH`: write exchange files to a folder, or to a zip if PATH ends .zip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.exchange.services import exchange_export


class Command(BaseCommand):
    help = (
        "Export agencies.csv, children.csv and placements.csv (every child) to a folder, or to "
        "a zip when PATH ends with .zip."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="folder to write, or a .zip file name")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            result = exchange_export(actor=None, destination=path)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror or error}") from None
        self.stdout.write(f"Exported to {result.destination}:")
        for line in result.lines():
            self.stdout.write(f"  {line}")
