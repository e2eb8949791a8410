"""`cairn audit verify`: recompute the access log's hash chain and name the first broken event."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.audit.models import AccessEvent
from cairn.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Work with the access log: `verify` checks that no stored event was changed or removed."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Recompute the hash chain from the first event")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            problem = audit_chain_verify()
            if problem is not None:
                raise CommandError(f"Access log is broken at {problem}")
            count = AccessEvent.objects.count()
            self.stdout.write(f"Access log intact: {count} events, hash chain verified.")
