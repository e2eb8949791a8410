from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cairn.accounts import access
from cairn.accounts.access import rule


@rule("managers only: exchange import")
@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    if not access.can_import(request.user):
        raise PermissionDenied("Only managers can import data")
    return render(request, "exchange/import.html", {})
