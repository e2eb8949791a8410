"""`cairn remind_actions`: email each owner their actions due within CAIRN_ACTION_REMINDER_DAYS
days and overdue, at most once a day. Run it daily (cron or a scheduled task)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from cairn.panels.plans_services import action_reminders_send

DEFAULT_BASE_URL = "http://localhost:8000"


class Command(BaseCommand):
    help = (
        "Email each action owner, at most once a day, the open actions due within "
        "CAIRN_ACTION_REMINDER_DAYS days and those overdue, with links."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "CAIRN_BASE_URL", DEFAULT_BASE_URL),
            help="Where people open Cairn, for the links (default: settings.CAIRN_BASE_URL, "
            f"else {DEFAULT_BASE_URL})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = action_reminders_send(base_url=options["base_url"])
        self.stdout.write(f"Sent {sent} action reminder{'s' if sent != 1 else ''}.")
