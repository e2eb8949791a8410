"""Missing pages: the currently missing board, interviews due, alerts, placements, and the
episode pages (record, return, interview). Thin: bind the form, call the missing services or
selectors (scoped by the access policy), render."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cairn.accounts import access
from cairn.accounts.access import rule
from cairn.children import selectors as child_selectors
from cairn.children.views import GUIDANCE_KEY
from cairn.core.forms import service_errors_show as _show_errors
from cairn.missing import selectors, services
from cairn.missing.forms import (
    AcknowledgeForm,
    EpisodeForm,
    InterviewForm,
    PeriodForm,
    ReturnForm,
)
from cairn.missing.services import Outcome

PAGE_SIZE = 25
NO_LIST = "Your role sees missing episodes as counts in reports, not as a list of children"


def _caseload_only(request: HttpRequest) -> None:
    if not access.holds_caseload(request.user):
        raise PermissionDenied(NO_LIST)


def _page(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


@rule(
    "caseload roles; open episodes of children the user may see (one list event); police "
    "responders also see other missing children's Philomena profiles (one list event)"
)
@login_required
@require_GET
def board_view(request: HttpRequest) -> HttpResponse:
    _caseload_only(request)
    page = _page(request, selectors.currently_missing(user=request.user))
    return render(
        request,
        "missing/board.html",
        {
            "page": page,
            "now": timezone.now(),
            "philomena_for_police": selectors.philomena_missing_for_police(user=request.user),
        },
    )


@rule("caseload roles; returned episodes of visible children with interviews to do (list event)")
@login_required
@require_GET
def due_view(request: HttpRequest) -> HttpResponse:
    _caseload_only(request)
    page = _page(request, selectors.interviews_due(user=request.user))
    return render(
        request,
        "missing/due.html",
        {"page": page, "rows": selectors.due_rows(page), "hours": settings.CAIRN_RHI_HOURS},
    )


@rule("caseload roles; open repeat-missing alerts for the lead's or manager's children")
@login_required
@require_GET
def alerts_view(request: HttpRequest) -> HttpResponse:
    _caseload_only(request)
    page = _page(request, selectors.open_alerts(user=request.user))
    return render(
        request,
        "missing/alerts.html",
        {
            "page": page,
            "threshold": settings.CAIRN_REPEAT_MISSING_EPISODES,
            "days": settings.CAIRN_REPEAT_MISSING_DAYS,
        },
    )


@rule("child:edit of the alert's child; acknowledges with a note (audited)")
@login_required
@require_http_methods(["GET", "POST"])
def alert_acknowledge_view(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_get_for_edit(user=request.user, alert_id=alert_id)
    form = AcknowledgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_acknowledge(
                actor=request.user, alert=alert, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"Alert for {alert.child.full_name} acknowledged.")
            return redirect("missing:alerts")
    return render(
        request,
        "children/form.html",
        {
            "form": form,
            "child": alert.child,
            "title": f"Acknowledge: {alert.episodes} episodes in {alert.window_days} days",
        },
    )


@rule("caseload roles; episodes and distinct children per placement and ward (list event)")
@login_required
@require_GET
def placements_view(request: HttpRequest) -> HttpResponse:
    _caseload_only(request)
    today = timezone.localdate()
    form = PeriodForm(
        request.GET or None,
        initial={"since": today - timedelta(days=364), "until": today},
    )
    since, until = today - timedelta(days=364), today
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
        if until < since:
            form.add_error("until", "The end of the period must be after its start")
            since, until = until, since
    return render(
        request,
        "missing/placements.html",
        {
            "form": form,
            "since": since,
            "until": until,
            "placements": selectors.episodes_by_placement(
                user=request.user, since=since, until=until
            ),
            "wards": selectors.episodes_by_found_ward(user=request.user, since=since, until=until),
        },
    )


@rule("child:view; the child's episodes, interviews and alerts (one child view event)")
@login_required
@require_GET
def child_missing_view(request: HttpRequest, child_id: int) -> HttpResponse:
    child, decision = child_selectors.child_get(user=request.user, child_id=child_id)
    return render(
        request,
        "missing/child.html",
        {
            "child": child,
            "decision": decision,
            "episodes": selectors.child_episodes(child),
            "alerts": selectors.child_alerts(child),
            "summary": selectors.missing_summary_for(child),
        },
    )


@rule("child:edit; records an episode through episode_record (one create event)")
@login_required
@require_http_methods(["GET", "POST"])
def episode_new_view(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_selectors.child_get_for_edit(user=request.user, child_id=child_id)
    form = EpisodeForm(request.POST if request.method == "POST" else None, child=child)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            episode = services.episode_record(
                actor=request.user,
                child=child,
                last_seen_at=data["last_seen_at"],
                reported_at=data["reported_at"],
                police_risk=data["police_risk"],
                last_seen_place=data["last_seen_place"],
                last_seen_with=data["last_seen_with"],
                clothing_worn=data["clothing_worn"],
                reported_by=data["reported_by"],
                police_reference=data["police_reference"],
                concerns=data["concerns"],
                placement=data["placement"],
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"Missing episode {episode.episode_ref} recorded.")
            return redirect("missing:episode", episode_id=episode.pk)
    return render(
        request,
        "children/form.html",
        {"form": form, "child": child, "title": "Record a missing episode"},
    )


@rule("child:view; one episode with its interview (one view event)")
@login_required
@require_GET
def episode_view(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = selectors.episode_get(user=request.user, episode_id=episode_id)
    decision = access.child_access(request.user, episode.child)
    interview = selectors.interview_for(episode)
    due = None
    if episode.returned_at is not None:
        due = selectors.due_rows([episode])[0]
    return render(
        request,
        "missing/episode.html",
        {
            "episode": episode,
            "child": episode.child,
            "decision": decision,
            "interview": interview,
            "due": due,
            "hours": settings.CAIRN_RHI_HOURS,
            "guidance": request.session.pop(GUIDANCE_KEY, None),
            "police_pack": episode.is_open
            and selectors.has_philomena_profile(episode.child)
            and access.can_generate_police_pack(request.user, episode.child),
            "interview_open": interview is None
            or not (interview.completed_at or interview.declined or interview.not_held_reason),
        },
    )


@rule("child:edit of the episode's child; records the return (audited)")
@login_required
@require_http_methods(["GET", "POST"])
def return_view(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = selectors.episode_get_for_edit(user=request.user, episode_id=episode_id)
    initial: dict[str, Any] = {}
    if episode.returned_at:
        local = timezone.localtime(episode.returned_at)
        initial = {
            "returned_at_on": local.date(),
            "returned_at_time": local.strftime("%H:%M"),
            "found_place": episode.found_place,
            "found_ward": episode.found_ward_id,
            "out_of_area": episode.out_of_area,
            "found_with": episode.found_with,
            "travel": episode.travel,
        }
    form = ReturnForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.episode_return_record(
                actor=request.user,
                episode=episode,
                returned_at=data["returned_at"],
                found_place=data["found_place"],
                found_ward=data["found_ward"],
                out_of_area=data["out_of_area"],
                found_with=data["found_with"],
                travel=data["travel"],
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            due = services.interview_due_at(episode)
            messages.success(
                request,
                f"Return recorded. The return home interview is due by {due:%-d %B %Y at %H:%M}."
                if due
                else "Return recorded.",
            )
            return redirect("missing:episode", episode_id=episode.pk)
    return render(
        request,
        "children/form.html",
        {
            "form": form,
            "child": episode.child,
            "title": f"Record the return: {episode.episode_ref}",
        },
    )


def _interview_initial(episode: Any) -> dict[str, Any]:
    interview = selectors.interview_for(episode)
    if interview is None:
        return {}
    initial: dict[str, Any] = {
        name: getattr(interview, name)
        for name in (
            "declined_reason",
            "not_held_reason",
            "interviewer_name",
            "push_factors",
            "pull_factors",
            "where_stayed",
            "with_whom",
            "travel",
            "harm_disclosed",
            "harm_detail",
            "support_offered",
            "intelligence_shared",
            "intelligence_shared_with",
            "summary",
        )
    }
    if interview.offered_at:
        local = timezone.localtime(interview.offered_at)
        initial |= {"offered_at_on": local.date(), "offered_at_time": local.strftime("%H:%M")}
    return initial


@rule("child:edit of the episode's child; records the return home interview (audited)")
@login_required
@require_http_methods(["GET", "POST"])
def interview_view(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = selectors.episode_get_for_edit(user=request.user, episode_id=episode_id)
    form = InterviewForm(
        request.POST if request.method == "POST" else None, initial=_interview_initial(episode)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = {
            name: data[name]
            for name in (
                "push_factors",
                "pull_factors",
                "where_stayed",
                "with_whom",
                "travel",
                "harm_detail",
                "support_offered",
                "intelligence_shared_with",
                "summary",
            )
        }
        try:
            _, guidance = services.return_interview_record(
                actor=request.user,
                episode=episode,
                outcome=data["outcome"],
                offered_at=data["offered_at"],
                happened_at=data["happened_at"],
                declined_reason=data["declined_reason"],
                not_held_reason=data["not_held_reason"],
                interviewer_name=data["interviewer_name"],
                harm_disclosed=data["harm_disclosed"],
                intelligence_shared=data["intelligence_shared"],
                attempt_note=data["attempt_note"],
                **content,
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            if guidance:
                request.session[GUIDANCE_KEY] = guidance
            said = dict(Outcome.choices)[data["outcome"]]
            messages.success(request, f"Return home interview recorded: {said.lower()}.")
            return redirect("missing:episode", episode_id=episode.pk)
    return render(
        request,
        "children/form.html",
        {
            "form": form,
            "child": episode.child,
            "title": f"Return home interview: {episode.episode_ref}",
            "episode": episode,
        },
    )
