"""Screening pages. Thin: bind the form, call the risk services or selectors, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cairn.accounts.access import rule
from cairn.children import selectors as child_selectors
from cairn.children.views import GUIDANCE_KEY
from cairn.core.forms import service_errors_show as _show_errors
from cairn.risk import selectors, services
from cairn.risk.forms import AssessmentForm, InterventionForm, OutcomeScoresForm
from cairn.risk.models import CinFactor


@rule("child:edit; a screening is saved through risk_assessment_submit (one create event)")
@login_required
@require_http_methods(["GET", "POST"])
def screening_view(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_selectors.child_get_for_edit(user=request.user, child_id=child_id)
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        indicators=selectors.catalogue_indicators(),
        cin_choices=CinFactor.choices,
    )
    screening = None
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            # Always show the score and the rule that produced it, also beside any error.
            screening = services.screening_for(
                child=child, assessed_on=data["assessed_on"], selections=data["selections"]
            )
            if request.POST.get("action") == "save":
                assessment, guidance = services.risk_assessment_submit(
                    actor=request.user,
                    child=child,
                    assessed_on=data["assessed_on"],
                    selections=data["selections"],
                    level=data["level"],
                    exploitation_types=data["exploitation_types"],
                    cin_factors=data["cin_factors"],
                    rationale=data["rationale"],
                )
                if guidance:
                    request.session[GUIDANCE_KEY] = guidance
                saved = f"Screening saved: {assessment.get_level_display()}."
                if assessment.next_review_due:
                    saved += f" Next review by {assessment.next_review_due:%-d %B %Y}."
                messages.success(request, saved)
                return redirect("children:detail", child_id=child.pk)
        except ValidationError as error:
            _show_errors(form, error)
    return render(
        request,
        "risk/assessment_form.html",
        {
            "form": form,
            "child": child,
            "age": child.age_on(form.initial["assessed_on"]),
            "screening": screening,
            "catalogue_version": selectors.latest_catalogue_version(),
        },
    )


@rule("child:edit; starts an intervention whose outcomes are scored (one create event)")
@login_required
@require_http_methods(["GET", "POST"])
def intervention_start_view(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_selectors.child_get_for_edit(user=request.user, child_id=child_id)
    form = InterventionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            intervention = services.intervention_start(
                actor=request.user, child=child, **form.cleaned_data
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"‘{intervention.name}’ started. Record the start scores.")
            return redirect("risk:outcome_scores", intervention_id=intervention.pk)
    return render(
        request,
        "children/form.html",
        {"form": form, "child": child, "title": "Start an intervention"},
    )


@rule("child:edit of the intervention's child; records 1–5 scores for a stage (audited)")
@login_required
@require_http_methods(["GET", "POST"])
def outcome_scores_view(request: HttpRequest, intervention_id: int) -> HttpResponse:
    intervention = selectors.intervention_get_for_edit(
        user=request.user, intervention_id=intervention_id
    )
    child = intervention.child
    form = OutcomeScoresForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_scores_record(
                actor=request.user,
                intervention=intervention,
                stage=form.cleaned_data["stage"],
                recorded_on=form.cleaned_data["recorded_on"],
                scores=form.scores(),
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, "The scores have been recorded.")
            return redirect("children:detail", child_id=child.pk)
    return render(
        request,
        "children/form.html",
        {"form": form, "child": child, "title": f"Outcome scores: {intervention.name}"},
    )
