"""The exchange import screen and a manager's export download. Thin: the services do the work."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cairn.accounts import access
from cairn.accounts.access import rule
from cairn.exchange.forms import ImportForm
from cairn.exchange.problems import ImportRejected
from cairn.exchange.services import exchange_export, exchange_import

RESULT_KEY = "cairn_exchange_import_result"


@rule("managers only (access.can_import): exchange import; audited")
@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    if not access.can_import(request.user):
        raise PermissionDenied("Only managers can import data")
    problems: list[str] = []
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                imported = exchange_import(
                    actor=request.user,
                    source=form.cleaned_data["file"],
                    ignore_unknown=form.cleaned_data["ignore_unknown"],
                )
            except ImportRejected as rejected:
                problems = [str(problem) for problem in rejected.problems]
                count = len(problems)
                form.add_error(
                    "file",
                    f"The file has {count} problem{'s' if count != 1 else ''}: nothing was "
                    "imported",
                )
            else:
                request.session[RESULT_KEY] = {
                    "source": imported.source,
                    "created": imported.created,
                    "updated": imported.updated,
                    "files": [
                        {"name": name, "rows": c.rows, "created": c.created, "updated": c.updated}
                        for name, c in imported.files.items()
                    ],
                }
                return redirect("exchange:import")
    else:
        form = ImportForm()
        result = request.session.pop(RESULT_KEY, None)
    return render(
        request, "exchange/import.html", {"form": form, "problems": problems, "result": result}
    )


@rule("managers only: a zip of access.exportable_children with their placements; audited")
@login_required
@require_POST
def export_view(request: HttpRequest) -> FileResponse:
    if not access.can_export(request.user):
        raise PermissionDenied("Only managers can export data")
    name = f"cairn-export-{timezone.localdate().isoformat()}.zip"
    with tempfile.TemporaryDirectory(prefix="cairn-export-") as folder:
        path = Path(folder) / name
        exchange_export(actor=request.user, destination=path)
        # The open file outlives the folder: removing it only unlinks the name.
        handle = path.open("rb")
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")
