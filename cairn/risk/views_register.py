"""The register pages: the register with its filters and downloads, and reviews due.

Thin: bind the filter form, call the risk selectors (scoped by the access policy) or
`exports.register_export`, render. Roles without a caseload (scrutiny, analyst, administrator)
get 403: they see the register as counts in reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cairn.accounts import access
from cairn.accounts.access import rule
from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.core.pagination import CountedPaginator
from cairn.risk import exports, selectors
from cairn.risk.forms_register import RegisterFilterForm

PAGE_SIZE = 25
NO_NAMES = "Your role sees the register as counts in reports, not as a list of children"

#: Sortable columns: (sort key, heading, the direction the key sorts in without a "-").
SORTABLE = {
    "name": ("Name", "ascending"),
    "level": ("Level", "descending"),  # high first
    "age": ("Age", "ascending"),  # youngest first
    "assessed": ("Last assessed", "descending"),  # newest first
    "review": ("Next review", "ascending"),  # soonest (most overdue) first
}
OPPOSITE = {"ascending": "descending", "descending": "ascending"}


@dataclass(frozen=True)
class SortLink:
    key: str
    heading: str
    link: str  # the sort value the heading's link asks for
    aria_sort: str  # ascending | descending | none


def _sort_links(current: str) -> dict[str, SortLink]:
    """Each sortable heading: its link reverses the column when it is the sorted one."""
    key, reverse = current.removeprefix("-"), current.startswith("-")
    links = {}
    for name, (heading, natural) in SORTABLE.items():
        if name == key:
            aria = OPPOSITE[natural] if reverse else natural
            link = name if reverse else f"-{name}"
        else:
            aria, link = "none", name
        links[name] = SortLink(name, heading, link, aria)
    return links


def _caseload_only(request: HttpRequest) -> None:
    if not access.holds_caseload(request.user):
        raise PermissionDenied(NO_NAMES)


@rule(
    "caseload roles (practitioner, manager, panel member); children the access policy lets "
    "the user see, never through break glass; one list event"
)
@login_required
@require_GET
def register_view(request: HttpRequest) -> HttpResponse:
    _caseload_only(request)
    today = timezone.localdate()
    form = RegisterFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    children = selectors.register(user=request.user, filters=filters, today=today)
    counts = selectors.register_counts(user=request.user, filters=filters, today=today)
    # The counts by level already say how many children match: no second count of the list.
    paginator = CountedPaginator(
        children, PAGE_SIZE, count=selectors.register_size(counts, filters)
    )
    page = paginator.get_page(request.GET.get("page"))
    filtered = any(value for name, value in request.GET.items() if name not in ("sort", "page"))
    return render(
        request,
        "risk/register.html",
        {
            "form": form,
            "page": page,
            "rows": exports.register_rows(page.object_list, today),
            "counts": counts,
            "outcomes": selectors.outcome_summary(children),
            "sorts": _sort_links(filters.sort),
            "filtered": filtered,
            "can_export": exports.may_export_register(request.user),
        },
    )


@rule(
    "practitioners and managers: their register with the same filters as CSV or XLSX; "
    "one export event"
)
@login_required
@require_GET
def register_export_view(request: HttpRequest) -> HttpResponse:
    _caseload_only(request)
    if not exports.may_export_register(request.user):
        raise PermissionDenied("Only practitioners and managers can download the register")
    export_format = request.GET.get("format", "csv")
    if export_format not in exports.FORMATS:
        return HttpResponseBadRequest("Choose format=csv or format=xlsx")
    form = RegisterFilterForm(request.GET, user=request.user)
    export = exports.register_export(
        user=request.user, filters=form.filters(), export_format=export_format
    )
    return HttpResponse(
        export.content,
        content_type=export.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{export.filename}"',
            "Cache-Control": "no-store",
        },
    )


@rule(
    "caseload roles: children the user leads whose review is overdue, and for a manager "
    "their agency's; one list event"
)
@login_required
@require_GET
def overdue_view(request: HttpRequest) -> HttpResponse:
    _caseload_only(request)
    today = timezone.localdate()
    children = selectors.overdue_reviews(user=request.user, today=today)
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    access_event_record(
        actor=request.user,
        action=Action.LIST,
        object_type="risk.overdue_reviews",
        detail={"page": page.number, "rows": page.paginator.count},
    )
    return render(
        request,
        "risk/overdue.html",
        {
            "page": page,
            "rows": exports.register_rows(page.object_list, today),
            "review_days": settings.CAIRN_RISK_REVIEW_DAYS,
        },
    )
