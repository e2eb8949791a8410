"""`cairn language check`: run the children-first language checker over lines of text.

Reads standard input (or `--input FILE`) and writes one JSON object per input line:
`{"line": 1, "findings": [{"start": 0, "end": 9, "text": "...", "suggestions": [...]}]}`.
"""

from __future__ import annotations

import json
import sys
from argparse import SUPPRESS, ArgumentParser
from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.language.checker import check_text, findings_as_dicts

# Django's own options, repeated on each subcommand so they may follow it:
# `cairn language check --settings=...`. SUPPRESS keeps the top-level defaults.
_COMMON_OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (("-v", "--verbosity"), {"type": int, "choices": [0, 1, 2, 3]}),
    (("--settings",), {}),
    (("--pythonpath",), {}),
    (("--traceback",), {"action": "store_true"}),
    (("--no-color",), {"action": "store_true"}),
    (("--force-color",), {"action": "store_true"}),
)


class Command(BaseCommand):
    help = "Children-first language tools."
    # Tests may pass a text stream: call_command("language", "check", stdin=StringIO(...)).
    stealth_options = ("stdin",)
    # A text filter: no database or URLs needed, so skip the project-wide system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{check}", title="subcommands"
        )
        check = subcommands.add_parser(
            "check",
            help="Check lines of text; print one JSON object per line.",
            description=(
                "Read lines from standard input (or --input FILE) and print one JSON object per "
                'line: {"line": N, "findings": [...]}.'
            ),
        )
        check.add_argument(
            "--input",
            dest="input",
            metavar="FILE",
            help="Read this UTF-8 file instead of standard input.",
        )
        self._add_common_options(check)

    @staticmethod
    def _add_common_options(parser: ArgumentParser) -> None:
        for flags, kwargs in _COMMON_OPTIONS:
            parser.add_argument(*flags, default=SUPPRESS, help=SUPPRESS, **kwargs)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "check":
            self._check(options)

    def _check(self, options: dict[str, Any]) -> None:
        path = options.get("input")
        if not path:
            self._check_lines(options.get("stdin") or sys.stdin)
            return
        try:
            with open(path, encoding="utf-8") as file:
                self._check_lines(file)
        except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"Cannot read {path}: it is not UTF-8 text") from error

    def _check_lines(self, lines: Iterable[str]) -> None:
        for number, raw in enumerate(lines, start=1):
            line = raw.removesuffix("\n").removesuffix("\r")
            record = {"line": number, "findings": findings_as_dicts(check_text(line))}
            self.stdout.write(json.dumps(record))
