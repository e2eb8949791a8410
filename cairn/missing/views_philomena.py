"""Philomena Protocol pages: the profile, its photos, the police pack and the reviews due.
Thin: bind the form, call philomena_selectors or philomena_services, render or redirect."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cairn.accounts import access
from cairn.accounts.access import rule
from cairn.children.views import GUIDANCE_KEY
from cairn.core.forms import service_errors_show as _show_errors
from cairn.missing import philomena_selectors as selectors
from cairn.missing import philomena_services as services
from cairn.missing.forms_philomena import (
    PhilomenaProfileForm,
    PhilomenaReviewForm,
    ProfilePhotoForm,
)

PRIVATE = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


@rule(
    "philomena:view: child:view (lead, involved, agency caseload; break glass read-only) or a "
    "police responder while the child has an open missing episode; 404 otherwise; audited"
)
@login_required
@require_GET
def profile_view(request: HttpRequest, child_id: int) -> HttpResponse:
    context = selectors.profile_page(user=request.user, child_id=child_id)
    context["guidance"] = request.session.pop(GUIDANCE_KEY, None)
    return render(request, "missing/philomena/profile.html", context)


@rule("child:edit of a child in care; 404 unseen, 403 read-only; one create event")
@login_required
@require_http_methods(["GET", "POST"])
def profile_create_view(request: HttpRequest, child_id: int) -> HttpResponse:
    child, profile = selectors.profile_get_for_edit(user=request.user, child_id=child_id)
    if profile is not None:
        return redirect("philomena:edit", child_id=child.pk)
    problem = services.eligibility_problem(child)
    form = PhilomenaProfileForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not problem and form.is_valid():
        try:
            _, guidance = services.philomena_profile_create(
                actor=request.user, child=child, **form.cleaned_data
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            if guidance:
                request.session[GUIDANCE_KEY] = guidance
            messages.success(request, f"{child.given_name}'s Philomena profile has been saved.")
            return redirect("philomena:profile", child_id=child.pk)
    return render(
        request,
        "missing/philomena/form.html",
        {
            "form": form,
            "child": child,
            "problem": problem,
            "title": "Create a Philomena profile",
        },
    )


@rule("child:edit of a child in care; 404 unseen, 403 read-only; one update event")
@login_required
@require_http_methods(["GET", "POST"])
def profile_edit_view(request: HttpRequest, child_id: int) -> HttpResponse:
    child, profile = selectors.profile_get_for_edit(user=request.user, child_id=child_id)
    if profile is None:
        return redirect("philomena:create", child_id=child.pk)
    problem = services.eligibility_problem(child)
    form = PhilomenaReviewForm(request.POST if request.method == "POST" else None, instance=profile)
    if request.method == "POST" and not problem and form.is_valid():
        data = dict(form.cleaned_data)
        reviewed = bool(data.pop("reviewed", False))
        try:
            _, guidance = services.philomena_profile_update(
                actor=request.user, profile=profile, reviewed=reviewed, **data
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            if guidance:
                request.session[GUIDANCE_KEY] = guidance
            done = "reviewed" if reviewed else "updated"
            messages.success(request, f"{child.given_name}'s Philomena profile has been {done}.")
            return redirect("philomena:profile", child_id=child.pk)
    return render(
        request,
        "missing/philomena/form.html",
        {
            "form": form,
            "child": child,
            "problem": problem,
            "title": "Change the Philomena profile",
            "profile": profile,
        },
    )


@rule("child:edit of a child in care with a profile; 404 unseen, 403 read-only; one create event")
@login_required
@require_http_methods(["GET", "POST"])
def photo_add_view(request: HttpRequest, child_id: int) -> HttpResponse:
    child, profile = selectors.profile_get_for_edit(user=request.user, child_id=child_id)
    if profile is None:
        return redirect("philomena:create", child_id=child.pk)
    problem = services.eligibility_problem(child)
    posted = request.method == "POST"
    form = ProfilePhotoForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and not problem and form.is_valid():
        try:
            services.profile_photo_add(
                actor=request.user,
                profile=profile,
                photo=form.cleaned_data["photo"],
                taken_on=form.cleaned_data["taken_on"],
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, "The photo has been added.")
            return redirect("philomena:profile", child_id=child.pk)
    return render(
        request,
        "missing/philomena/form.html",
        {
            "form": form,
            "child": child,
            "problem": problem,
            "title": "Add a photo",
            "multipart": True,
        },
    )


@rule(
    "philomena:view of the photo's child (as the profile page); 404 otherwise; audited; "
    "private, no-store"
)
@login_required
@require_GET
def photo_view(request: HttpRequest, photo_id: int) -> FileResponse:
    photo, path = selectors.photo_get(user=request.user, photo_id=photo_id)
    response = FileResponse(path.open("rb"), content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    for header, value in PRIVATE.items():
        response[header] = value
    return response


@rule(
    "police pack: the child's professionals (not break glass: 403) and police responders "
    "while the child has an open missing episode; 404 otherwise; one export event (POST)"
)
@login_required
@require_POST
def police_pack_view(request: HttpRequest, child_id: int) -> HttpResponse:
    child = selectors.police_pack_child_get(user=request.user, child_id=child_id)
    try:
        pack = services.police_pack_generate(actor=request.user, child=child)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("philomena:profile", child_id=child.pk)
    return HttpResponse(
        pack.content,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{pack.filename}"', **PRIVATE},
    )


@rule(
    "caseload roles: profiles due for review of the children a practitioner leads, or of a "
    "manager's agency caseload (never break glass); one list event"
)
@login_required
@require_GET
def reviews_due_view(request: HttpRequest) -> HttpResponse:
    if not access.holds_caseload(request.user):
        raise PermissionDenied("Your role does not include reading children's records")
    due = selectors.profiles_due(user=request.user)
    without = list(selectors.children_in_care_without_profile(user=request.user)[:100])
    selectors.reviews_due_list_event(user=request.user, due=len(due), without_profile=len(without))
    return render(
        request,
        "missing/philomena/reviews_due.html",
        {
            "rows": due,
            "without": without,
            "due_soon_days": selectors.DUE_SOON_DAYS,
            "review_months": settings.CAIRN_PHILOMENA_REVIEW_MONTHS,
        },
    )
