"""The risk register and the register KPIs (issue 4), as a manager and a practitioner see them."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.accounts.models import User
from cairn.core.models import Division
from cairn.risk.models import RiskAssessment

REGISTER = "/risk/register/"


def run(ctx) -> None:  # type: ignore[no-untyped-def]
    note = f"{RiskAssessment.objects.count()} assessments"
    for username in ("manager", "practitioner"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        ctx.time(f"{username}: register page", lambda c=client: c.get(REGISTER), note=note)
        ctx.time(
            f"{username}: register filtered to high",
            lambda c=client: c.get(REGISTER, {"level": "high"}),
        )
        ctx.time(f"{username}: reviews due", lambda c=client: c.get(reverse("risk:overdue")))

    today = timezone.localdate()
    period = ["--from", (today - timedelta(days=364)).isoformat(), "--to", today.isoformat()]

    def kpi(*extra: str) -> None:
        call_command("kpi", *period, "--json", *extra, stdout=io.StringIO())

    ctx.time("cairn kpi --json (a year, whole county)", kpi, note=note)
    division = Division.objects.order_by("code").first()
    if division is not None:
        ctx.time("cairn kpi --json --area DIVISION", lambda: kpi("--area", division.code))
