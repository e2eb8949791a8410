"""Plans, actions and the disruption log pages: my actions, overdue actions, children at medium
or high risk without a safety plan, a child's plans, the action and plan forms, and the
disruption log. Thin: bind the form, call a plans service or selector (scoped by the access
policy and the plan rule in plans_selectors), render or redirect."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cairn.accounts import access
from cairn.accounts.access import rule
from cairn.accounts.models import User
from cairn.children.views import GUIDANCE_KEY
from cairn.core.forms import service_errors_show as _show_errors
from cairn.panels import plans_selectors as selectors
from cairn.panels import plans_services as services
from cairn.panels.forms_actions import (
    ActionForm,
    ActionStatusForm,
    DisruptionFilterForm,
    DisruptionForm,
    OverdueFilterForm,
    PlanCloseForm,
    PlanForm,
)
from cairn.panels.models import PlanKind


class SignedInRequest(HttpRequest):
    """A request behind @login_required: the user is signed in."""

    user: User


def _page(request: SignedInRequest, items: Any) -> Any:
    return Paginator(items, settings.CAIRN_PAGE_SIZE).get_page(request.GET.get("page"))


def _keep_guidance(request: SignedInRequest, guidance: list[dict[str, Any]]) -> None:
    if guidance:
        request.session[GUIDANCE_KEY] = guidance


def _action_prefix(plan_id: int) -> str:
    return f"plan-{plan_id}"


# Lists -----------------------------------------------------------------------------------------


@rule("any signed-in user; their own open actions; children named only if visible (list event)")
@login_required
@require_GET
def mine_view(request: SignedInRequest) -> HttpResponse:
    page = _page(request, selectors.my_actions(user=request.user))
    return render(
        request,
        "panels/actions/mine.html",
        {
            "page": page,
            "rows": selectors.action_rows(request.user, page),
            "guidance": request.session.pop(GUIDANCE_KEY, None),
            "can_see_overdue": selectors.can_see_overdue(request.user),
        },
    )


@rule(
    "managers (actions owned by their agency) and panel chairs (actions agreed at their "
    "panels' meetings); 403 for anyone else (list event)"
)
@login_required
@require_GET
def overdue_view(request: SignedInRequest) -> HttpResponse:
    form = OverdueFilterForm(request.GET or None)
    agency, category = None, ""
    if form.is_bound and form.is_valid():
        agency, category = form.cleaned_data["agency"], form.cleaned_data["category"]
    # Raises PermissionDenied for anyone who is neither a manager nor a chair.
    overdue = selectors.overdue_actions(user=request.user, agency=agency, category=category)
    page = _page(request, overdue.actions)
    return render(
        request,
        "panels/actions/overdue.html",
        {
            "form": form,
            "overdue": overdue,
            "page": page,
            "rows": selectors.action_rows(request.user, page),
            "filtered": bool(agency or category),
        },
    )


@rule("caseload roles; visible children at medium or high risk with no safety plan (list event)")
@login_required
@require_GET
def without_safety_plan_view(request: SignedInRequest) -> HttpResponse:
    if not access.holds_caseload(request.user):
        raise PermissionDenied("Your role sees plans as counts in reports, not as a list")
    page = _page(request, selectors.children_without_safety_plan(user=request.user))
    return render(request, "panels/actions/without_safety_plan.html", {"page": page})


# A child's plans -------------------------------------------------------------------------------


@rule(
    "plan:view (child:view, or chair of a panel that had the child on its agenda); 404 "
    "otherwise; one view event"
)
@login_required
@require_GET
def child_plans_view(request: SignedInRequest, child_id: int) -> HttpResponse:
    child, decision = selectors.plan_child_get(user=request.user, child_id=child_id)
    plans = selectors.child_plans(child, user=request.user, decision=decision)
    active = [plan for plan in plans if plan.status == plan.Status.ACTIVE]
    forms = {}
    if decision.edit:
        meeting = selectors.default_meeting_for(request.user, child)
        for plan in active:
            forms[plan.pk] = ActionForm(
                prefix=_action_prefix(plan.pk),
                child=child,
                initial={"meeting": meeting.pk if meeting else None},
            )
    for plan in active:
        plan.action_form = forms.get(plan.pk)  # type: ignore[attr-defined]
    active_kinds = {plan.kind for plan in active}
    return render(
        request,
        "panels/actions/child.html",
        {
            "child": child,
            "decision": decision,
            "active": active,
            "closed": [plan for plan in plans if plan.status != plan.Status.ACTIVE],
            "missing_kinds": [kind for kind in PlanKind if kind not in active_kinds],
            "guidance": request.session.pop(GUIDANCE_KEY, None),
            "can_record_disruption": selectors.can_record_disruption(request.user),
        },
    )


@rule("plan:edit (child:edit, or chair of a panel that had the child on its agenda); audited")
@login_required
@require_http_methods(["GET", "POST"])
def plan_new_view(request: SignedInRequest, child_id: int) -> HttpResponse:
    child = selectors.plan_child_get_for_edit(user=request.user, child_id=child_id)
    kind = request.GET.get("kind")
    meeting = selectors.default_meeting_for(request.user, child)
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        child=child,
        initial={
            "kind": kind if kind in PlanKind.values else None,
            "meeting": meeting.pk if meeting else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan, guidance = services.plan_create(
                actor=request.user,
                child=child,
                kind=data["kind"],
                summary=data["summary"],
                subjects=data["subjects"],
                meeting=data["meeting"],
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            _keep_guidance(request, guidance)
            messages.success(request, f"{plan.get_kind_display()} started for {child.full_name}.")
            return redirect("actions:child", child_id=child.pk)
    return render(
        request,
        "panels/actions/form.html",
        {"form": form, "child": child, "title": "Start a plan", "button": "Start the plan"},
    )


@rule("plan:edit of the plan's child; closes an active plan with no open actions (audited)")
@login_required
@require_http_methods(["GET", "POST"])
def plan_close_view(request: SignedInRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_edit(user=request.user, plan_id=plan_id)
    form = PlanCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_close(actor=request.user, plan=plan)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"{plan.get_kind_display()} closed.")
            return redirect("actions:child", child_id=plan.child_id)
    return render(
        request,
        "panels/actions/plan_close.html",
        {"form": form, "plan": plan, "child": plan.child, "ref": selectors.plan_ref(plan)},
    )


@rule("plan:edit of the plan's child; adds an action through action_create (audited)")
@login_required
@require_http_methods(["GET", "POST"])
def action_new_view(request: SignedInRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for_edit(user=request.user, plan_id=plan_id)
    meeting = selectors.default_meeting_for(request.user, plan.child)
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        prefix=_action_prefix(plan.pk),
        child=plan.child,
        initial={"meeting": meeting.pk if meeting else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action, guidance = services.action_create(
                actor=request.user,
                plan=plan,
                text=data["text"],
                owner=data["owner"],
                due_on=data["due_on"],
                category=data["category"],
                meeting=data["meeting"],
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            _keep_guidance(request, guidance)
            messages.success(
                request, f"Action added for {action.owner} ({action.owner_agency.name})."
            )
            return redirect("actions:child", child_id=plan.child_id)
    return render(
        request,
        "panels/actions/form.html",
        {
            "form": form,
            "child": plan.child,
            "title": f"Add an action to the {plan.get_kind_display().lower()}",
            "button": "Add the action",
        },
    )


@rule(
    "the action's owner, a manager of the owner's agency, or plan:edit of the child; 403 "
    "for readers of the plan, 404 otherwise; audited"
)
@login_required
@require_http_methods(["GET", "POST"])
def action_update_view(request: SignedInRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get_for_update(user=request.user, action_id=action_id)
    row = selectors.action_rows(request.user, [action])[0]
    form = ActionStatusForm(
        request.POST if request.method == "POST" else None,
        initial={
            "status": action.status,
            "evidence": action.evidence,
            "completed_on": action.completed_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action, guidance = services.action_update_status(
                actor=request.user,
                action=action,
                status=data["status"],
                evidence=data["evidence"],
                completed_on=data["completed_on"],
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            _keep_guidance(request, guidance)
            messages.success(request, f"Action updated: {action.get_status_display().lower()}.")
            if action.owner_id == request.user.pk:
                return redirect("actions:mine")
            if row.can_open_plan:
                return redirect("actions:child", child_id=action.plan.child_id)
            return redirect("actions:overdue")
    return render(request, "panels/actions/update.html", {"form": form, "row": row})


# The disruption log ----------------------------------------------------------------------------


@rule(
    "caseload roles; activities linked to visible children or recorded by the user's agency; "
    "other children are counted, not named (list event)"
)
@login_required
@require_GET
def disruption_list_view(request: SignedInRequest) -> HttpResponse:
    if not access.holds_caseload(request.user):
        raise PermissionDenied("Your role sees disruption as counts in reports, not as a log")
    form = DisruptionFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "tool": form.cleaned_data["tool"],
            "since": form.cleaned_data["since"],
            "until": form.cleaned_data["until"],
        }
    page = _page(request, selectors.disruption_list(user=request.user, **filters))
    return render(
        request,
        "panels/actions/disruption_list.html",
        {
            "form": form,
            "page": page,
            "guidance": request.session.pop(GUIDANCE_KEY, None),
            "can_record": selectors.can_record_disruption(request.user),
        },
    )


@rule(
    "police and children's services practitioners and managers; links only children the "
    "user may see (audited)"
)
@login_required
@require_http_methods(["GET", "POST"])
def disruption_new_view(request: SignedInRequest) -> HttpResponse:
    if not selectors.can_record_disruption(request.user):
        raise PermissionDenied("Police and children's services staff record disruption")
    plan = None
    if request.GET.get("plan", "").isdigit():
        plan = selectors.plan_get_for_disruption(
            user=request.user, plan_id=int(request.GET["plan"])
        )
    initial: dict[str, Any] = {"agency": request.user.agency_id}
    if plan is not None:
        initial["children"] = plan.child.child_ref
    form = DisruptionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity, guidance = services.disruption_record(
                actor=request.user,
                tool=data["tool"],
                occurred_on=data["occurred_on"],
                agency=data["agency"],
                child_refs=data["children"],
                person=data["person"],
                place=data["place"],
                offence=data["offence"],
                detail=data["detail"],
                plan=plan,
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            _keep_guidance(request, guidance)
            messages.success(request, f"{activity.get_tool_display()} recorded.")
            if plan is not None:
                return redirect("actions:child", child_id=plan.child_id)
            return redirect("actions:disruption")
    return render(
        request,
        "panels/actions/form.html",
        {
            "form": form,
            "child": plan.child if plan else None,
            "title": "Record a disruption activity",
            "button": "Record it",
            "plan_ref": selectors.plan_ref(plan) if plan else "",
        },
    )
