"""`cairn generate`: generate the synthetic county at any size, for benchmarks.

    cairn generate --children 100000 --seed 1 [--anchor YYYY-MM-DD] [--reset]
                   [--assessments-per-child N] [--episodes-per-child N]

Writes into the current database, which must not hold children (or use `--reset`, which empties
the whole database first, access log included). Prints progress, the time taken and row counts.
`--assessments-per-child N` gives every child exactly N risk assessments spread over time (the
register benchmarks use 10); without it, most children have none and the assessed about ten.
`--episodes-per-child N` likewise gives every child exactly N missing episodes (at most 25; 10
gives the 1,000,000 episodes of a 100,000-child benchmark county), with their return home
interviews and alerts; without it, about one child in ten goes missing.
Refuses to run with CAIRN_ENV=production.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.demo.cli import anchor_date, positive_int, refuse_production, write_result
from cairn.demo.generator import (
    BATCH_SIZE,
    MAX_EPISODES_PER_CHILD,
    CountyNotEmpty,
    county_generate,
    database_flush,
)


class Command(BaseCommand):
    help = "Generate the synthetic county into an empty database and report timings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--children", type=positive_int, required=True, help="Children to generate."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--anchor",
            type=anchor_date,
            default=None,
            help="The county's 'today', YYYY-MM-DD (default: today).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the whole database, access log included, before generating.",
        )
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=BATCH_SIZE,
            help=f"Children written per batch ({BATCH_SIZE}).",
        )
        parser.add_argument(
            "--assessments-per-child",
            type=positive_int,
            default=None,
            metavar="N",
            help="Give every child exactly N risk assessments spread over time, for benchmarks "
            "(default: a realistic mix, most children never assessed).",
        )
        parser.add_argument(
            "--episodes-per-child",
            type=positive_int,
            default=None,
            metavar="N",
            help=f"Give every child exactly N missing episodes (at most {MAX_EPISODES_PER_CHILD}), "
            "for benchmarks (default: about one child in ten goes missing).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_production("generate")
        episodes = options["episodes_per_child"]
        if episodes is not None and episodes > MAX_EPISODES_PER_CHILD:
            raise CommandError(f"--episodes-per-child can be at most {MAX_EPISODES_PER_CHILD}.")
        if options["reset"]:
            database_flush()
        started = time.perf_counter()
        total = options["children"]
        step = max(options["batch_size"], total // 10)

        def progress(done: int, total: int) -> None:
            if done % step < options["batch_size"] or done == total:
                elapsed = time.perf_counter() - started
                self.stderr.write(f"  {done:,} / {total:,} children ({elapsed:.1f} s)")

        try:
            result = county_generate(
                seed=options["seed"],
                children=total,
                anchor=options["anchor"],
                progress=progress if options["verbosity"] >= 1 else None,
                batch_size=max(1, options["batch_size"]),
                assessments_per_child=options["assessments_per_child"],
                episodes_per_child=episodes,
            )
        except CountyNotEmpty as error:
            raise CommandError(f"Cannot generate: {error}. Use --reset.") from error
        write_result(self.stdout, result)
