from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cairn.accounts import access
from cairn.accounts.access import rule
from cairn.accounts.models import Role
from cairn.children import selectors
from cairn.reporting.services import register_counts_published


@rule("signed in; caseload holders see their own children, others their role's start page")
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.ADMINISTRATOR:
        return redirect("admin:index")
    if not access.holds_caseload(user):
        return render(request, "core/no_caseload.html", {"register": register_counts_published()})
    children = selectors.child_list(user=user, scope="mine")
    return render(
        request,
        "core/home.html",
        {
            "children": children[:200],
            "count": children.count(),
            "break_glass": selectors.break_glass_on_my_children(user=user),
        },
    )


@rule("public: health check for load balancers, no data")
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
