"""What `cairn demo` and `cairn generate` share: refusing production, options, summaries."""

from __future__ import annotations

import argparse
from datetime import date

from django.conf import settings
from django.core.management.base import CommandError, OutputWrapper

from cairn.demo.generator import GenerationResult
from cairn.demo.staff import LoginRow

DEMO_URL = "http://127.0.0.1:8000"


def refuse_production(command: str) -> None:
    if settings.CAIRN_ENV == "production":
        raise CommandError(
            f"cairn {command} writes synthetic children and refuses to run with "
            "CAIRN_ENV=production."
        )


def anchor_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date in the form YYYY-MM-DD"
        ) from error


def positive_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def write_result(out: OutputWrapper, result: GenerationResult) -> None:
    out.write(
        f"Generated Synthetshire: {result.children} children, seed {result.seed}, "
        f"anchor {result.anchor.isoformat()}, in {result.seconds:.1f} s."
    )
    width = max(len(name) for name in result.counts)
    for name, count in result.counts.items():
        out.write(f"  {name.ljust(width)}  {count:>10,}")


def write_logins(out: OutputWrapper, rows: list[LoginRow]) -> None:
    if not rows:
        out.write("This database has none of the demo logins (it was not loaded by cairn demo).")
        return
    header = ("Username", "Role", "Agency", "Job title", "Password")
    table = [header] + [(r.username, r.role, r.agency, r.job_title, r.password) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    out.write("Demo logins:")
    for index, row in enumerate(table):
        out.write("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if index == 0:
            out.write("  " + "  ".join("-" * w for w in widths))
