"""Thin views over children selectors and services. Every view declares its access rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cairn.accounts import access
from cairn.accounts.access import rule
from cairn.audit.selectors import child_change_history
from cairn.children import selectors, services
from cairn.children.forms import (
    AliasForm,
    BreakGlassForm,
    CaseNoteForm,
    ChildForm,
    ChildVoiceForm,
    IdentifierForm,
    InvolvementForm,
    PlacementForm,
    SearchForm,
)
from cairn.children.models import Child
from cairn.missing.selectors import missing_summary_for
from cairn.panels.plans_selectors import child_plans_summary
from cairn.risk.selectors import child_outcomes, child_risk_summary

GUIDANCE_KEY = "cairn_language_guidance"


def _form_errors_from(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            target = field if field in form.fields else None
            for err in errs:
                form.add_error(target, err)
    else:
        form.add_error(None, error)


@rule("caseload roles; lists only children the access policy lets the user see; audited")
@login_required
def child_list_view(request: HttpRequest) -> HttpResponse:
    if not access.holds_caseload(request.user):
        raise PermissionDenied("Your role does not include reading children's records")
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    children = selectors.child_list(user=request.user, query=query)
    page = Paginator(children, 25).get_page(request.GET.get("page"))
    elsewhere = selectors.child_matches_elsewhere(user=request.user, query=query)[:5]
    return render(
        request,
        "children/list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "elsewhere": elsewhere,
            "can_create": access.can_create_child(request.user),
        },
    )


@rule("practitioners and managers of an agency")
@login_required
@require_http_methods(["GET", "POST"])
def child_create_view(request: HttpRequest) -> HttpResponse:
    if not access.can_create_child(request.user):
        raise PermissionDenied("Only practitioners and managers can add a child")
    form = ChildForm(request.POST if request.method == "POST" else None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.child_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, f"{child.full_name} has been added ({child.child_ref}).")
            return redirect("children:detail", child_id=child.pk)
    return render(request, "children/form.html", {"form": form, "title": "Add a child"})


@rule("child:view (involved, lead, agency caseload or break glass); 404 otherwise; audited")
@login_required
def child_detail_view(request: HttpRequest, child_id: int) -> HttpResponse:
    child, decision = selectors.child_get(user=request.user, child_id=child_id)
    context = selectors.child_summary_context(user=request.user, child=child)
    context.update(
        {
            "access": decision,
            "guidance": request.session.pop(GUIDANCE_KEY, None),
            "can_see_access_log": access.can_see_access_log(request.user, child),
            "risk": child_risk_summary(user=request.user, child=child),
            "outcomes": child_outcomes(child=child),
            "missing": missing_summary_for(child),
            "plans": child_plans_summary(child),
        }
    )
    return render(request, "children/detail.html", context)


@rule("child:edit (involved, lead or manager of the agency); 404 unseen, 403 read-only")
@login_required
@require_http_methods(["GET", "POST"])
def child_edit_view(request: HttpRequest, child_id: int) -> HttpResponse:
    child = selectors.child_get_for_edit(user=request.user, child_id=child_id)
    form = ChildForm(
        request.POST if request.method == "POST" else None, instance=child, actor=request.user
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ChildForm.Meta.fields}
        # The form wrote into the instance while validating; the service works from the database.
        child.refresh_from_db()
        try:
            services.child_update(actor=request.user, child=child, **fields)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, "The child's details have been updated.")
            return redirect("children:detail", child_id=child.pk)
    return render(
        request,
        "children/form.html",
        {"form": form, "title": f"Change {child.full_name}'s details", "child": child},
    )


def _add_to_child(
    request: HttpRequest,
    child_id: int,
    *,
    form_class: type[forms.BaseForm],
    save: Callable[[Child, dict[str, Any]], Any],
    title: str,
    done: str,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """The shared shape of every 'add something to this child' page."""
    child = selectors.child_get_for_edit(user=request.user, child_id=child_id)
    form = form_class(request.POST if request.method == "POST" else None, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        try:
            result = save(child, form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            guidance = result[1] if isinstance(result, tuple) else None
            if guidance:
                request.session[GUIDANCE_KEY] = guidance
            else:
                messages.success(request, done)
            return redirect("children:detail", child_id=child.pk)
    return render(request, "children/form.html", {"form": form, "title": title, "child": child})


@rule("child:edit; guidance from the language checker is shown after saving")
@login_required
@require_http_methods(["GET", "POST"])
def note_create_view(request: HttpRequest, child_id: int) -> HttpResponse:
    return _add_to_child(
        request,
        child_id,
        form_class=CaseNoteForm,
        save=lambda child, data: services.case_note_add(actor=request.user, child=child, **data),
        title="Add a case note",
        done="The note has been added.",
    )


@rule("child:edit")
@login_required
@require_http_methods(["GET", "POST"])
def voice_create_view(request: HttpRequest, child_id: int) -> HttpResponse:
    return _add_to_child(
        request,
        child_id,
        form_class=ChildVoiceForm,
        save=lambda child, data: services.child_voice_add(actor=request.user, child=child, **data),
        title="Record the child's views",
        done="The child's views have been recorded.",
    )


@rule("child:edit")
@login_required
@require_http_methods(["GET", "POST"])
def involvement_create_view(request: HttpRequest, child_id: int) -> HttpResponse:
    return _add_to_child(
        request,
        child_id,
        form_class=InvolvementForm,
        save=lambda child, data: services.involvement_add(actor=request.user, child=child, **data),
        title="Add a professional or team working with the child",
        done="The involvement has been added.",
    )


@rule("child:edit")
@login_required
@require_http_methods(["GET", "POST"])
def placement_create_view(request: HttpRequest, child_id: int) -> HttpResponse:
    return _add_to_child(
        request,
        child_id,
        form_class=PlacementForm,
        save=lambda child, data: services.placement_add(actor=request.user, child=child, **data),
        title="Add a placement",
        done="The placement has been added.",
    )


@rule("child:edit")
@login_required
@require_http_methods(["GET", "POST"])
def identifier_create_view(request: HttpRequest, child_id: int) -> HttpResponse:
    return _add_to_child(
        request,
        child_id,
        form_class=IdentifierForm,
        save=lambda child, data: services.child_identifier_add(
            actor=request.user, child=child, **data
        ),
        title="Add an identifier",
        done="The identifier has been added.",
    )


@rule("child:edit")
@login_required
@require_http_methods(["GET", "POST"])
def alias_create_view(request: HttpRequest, child_id: int) -> HttpResponse:
    return _add_to_child(
        request,
        child_id,
        form_class=AliasForm,
        save=lambda child, data: services.child_alias_add(actor=request.user, child=child, **data),
        title="Add an alias",
        done="The alias has been added.",
    )


@rule("child:edit; ends a professional's or team's involvement (POST)")
@login_required
@require_POST
def involvement_end_view(request: HttpRequest, child_id: int, involvement_id: int) -> HttpResponse:
    child = selectors.child_get_for_edit(user=request.user, child_id=child_id)
    involvement = get_object_or_404(child.involvements, pk=involvement_id, ended_on__isnull=True)
    services.involvement_end(
        actor=request.user, involvement=involvement, ended_on=timezone.localdate()
    )
    who = involvement.user or involvement.team
    messages.success(request, f"{who} is no longer recorded as working with {child.given_name}.")
    return redirect("children:detail", child_id=child.pk)


@rule("child:access-log (managers of an agency working with the child, and the lead)")
@login_required
def access_log_view(request: HttpRequest, child_id: int) -> HttpResponse:
    child, _ = selectors.child_get(user=request.user, child_id=child_id, reason="access log")
    events = selectors.child_access_log(user=request.user, child=child)
    page = Paginator(events.order_by("-seq"), 50).get_page(request.GET.get("page"))
    changes = child_change_history(child=child) if page.number == 1 else []
    return render(
        request, "children/access_log.html", {"child": child, "page": page, "changes": changes}
    )


@rule("caseload roles without access: declare a reason for time-limited read access")
@login_required
@require_http_methods(["GET", "POST"])
def break_glass_view(request: HttpRequest, child_id: int) -> HttpResponse:
    child = selectors.child_get_unaudited_for_break_glass(user=request.user, child_id=child_id)
    if access.child_access(request.user, child).view:
        return redirect("children:detail", child_id=child.pk)
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass_grant(
                actor=request.user, child=child, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            return redirect("children:detail", child_id=child.pk)
    return render(request, "children/break_glass.html", {"form": form, "child_id": child.pk})
