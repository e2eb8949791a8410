"""`cairn demo`: load the synthetic county into an empty database and print the demo logins.

    cairn demo [--seed 42] [--children 500] [--anchor YYYY-MM-DD] [--reset]

Loads nothing when the database already holds children, so running it twice is harmless.
`--reset` empties the whole database first (the access log too) and loads a fresh county.
Refuses to run with CAIRN_ENV=production.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cairn.children.models import Child
from cairn.demo.cli import (
    DEMO_URL,
    anchor_date,
    positive_int,
    refuse_production,
    write_logins,
    write_result,
)
from cairn.demo.generator import CountyNotEmpty, county_generate, database_flush
from cairn.demo.staff import demo_login_rows


class Command(BaseCommand):
    help = "Load the synthetic county (when the database has no children) and print demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--children", type=positive_int, default=500, help="Children to generate (500)."
        )
        parser.add_argument(
            "--anchor",
            type=anchor_date,
            default=None,
            help="The county's 'today', YYYY-MM-DD (default: today).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the whole database, access log included, and load a fresh county.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_production("demo")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("Applying database migrations…")
            call_command("migrate", interactive=False, verbosity=0)
        if options["reset"]:
            self.stdout.write("Emptying the database (--reset)…")
            database_flush()
        existing = Child.objects.count()
        if existing:
            self.stdout.write(
                f"The database already holds {existing:,} children: nothing loaded "
                "(use --reset to start again)."
            )
        else:
            self.stdout.write(
                f"Loading the synthetic county of Synthetshire ({options['children']} children)…"
            )
            try:
                result = county_generate(
                    seed=options["seed"], children=options["children"], anchor=options["anchor"]
                )
            except CountyNotEmpty as error:
                raise CommandError(f"Cannot load the demo: {error}. Use --reset.") from error
            write_result(self.stdout, result)
        self.stdout.write("")
        write_logins(self.stdout, demo_login_rows())
        self.stdout.write("")
        self.stdout.write(f"Start the server with `cairn runserver`, then open {DEMO_URL}")
