"""`cairn createuser`: add a user with a role and agency from the command line."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.accounts.models import Agency, Role, Team
from cairn.accounts.services import user_create


class Command(BaseCommand):
    help = "Create a user with a role (and an agency, except for administrators)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--agency", help="agency code, e.g. SYCS")
        parser.add_argument("--team", help="team name within the agency")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            help="the password (prompted for if omitted; use --no-password for SSO-only users)",
        )
        parser.add_argument("--no-password", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        agency = team = None
        if opts["agency"]:
            agency = Agency.objects.filter(code=opts["agency"]).first()
            if agency is None:
                raise CommandError(f"agency: no agency with code {opts['agency']!r}")
        if opts["team"]:
            if agency is None:
                raise CommandError("team: give --agency with --team")
            team, _ = Team.objects.get_or_create(agency=agency, name=opts["team"])
        password = None
        if not opts["no_password"]:
            password = opts["password"] or getpass.getpass("Password: ")
        try:
            user = user_create(
                username=opts["username"],
                password=password,
                role=opts["role"],
                agency=agency,
                team=team,
                first_name=opts["first_name"],
                last_name=opts["last_name"],
                email=opts["email"],
            )
        except ValidationError as error:
            messages = []
            for field, errs in error.message_dict.items():
                messages.extend(f"{field}: {e}" for e in errs)
            raise CommandError("; ".join(messages)) from None
        self.stdout.write(f"Created {user.username} ({user.get_role_display()}).")
