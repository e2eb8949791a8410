"""The performance matrix page: every KPI for a period and area, small numbers suppressed."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cairn.accounts.access import rule
from cairn.accounts.models import Role, User
from cairn.reporting.forms import PerformanceForm
from cairn.reporting.kpis import KpiError
from cairn.reporting.services import kpis_published

READERS = {Role.MANAGER, Role.ANALYST, Role.SCRUTINY}


@rule("managers, analysts and scrutiny; aggregates only, counts 1-4 suppressed; export event")
@login_required
@require_GET
def performance_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if user.role not in READERS:
        raise PermissionDenied("The performance matrix is for managers, analysts and scrutiny")
    today = timezone.localdate()
    default_from = today.replace(day=1) - timedelta(days=365)
    default_from = default_from.replace(day=1)
    form = PerformanceForm(request.GET or None, initial={"since": default_from, "until": today})
    since, until, area = default_from, today, None
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
        area = form.cleaned_data["area"] or None
    kpis = []
    if not form.errors:
        try:
            kpis = kpis_published(actor=user, date_from=since, date_to=until, area_code=area)
        except KpiError as error:
            form.add_error(None, str(error))
    groups: dict[str, list] = {}
    labels = {
        "missing": "Missing",
        "rhi": "Return home interviews",
        "register": "Risk register",
        "meetings": "Panels and meetings",
        "actions": "Plan actions",
    }
    for kpi in kpis:
        prefix = kpi.code.split(".")[0]
        groups.setdefault(labels.get(prefix, prefix.capitalize()), []).append(kpi)
    return render(
        request,
        "reporting/performance.html",
        {"form": form, "groups": groups, "since": since, "until": until, "area": area},
    )
