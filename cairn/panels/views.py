"""Panel pages: panels and members, meetings, the agenda builder, attendance, discussions,
minutes (page and PDF), sign-off, circulation, and escalating a child to a panel. Thin: bind the
form, call a panels service or selector (scoped by the access policy), render or redirect."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cairn.accounts import access
from cairn.accounts.access import rule
from cairn.accounts.models import User
from cairn.children import selectors as child_selectors
from cairn.children.views import GUIDANCE_KEY
from cairn.core.forms import service_errors_show as _show_errors
from cairn.panels import minutes_services, selectors, services
from cairn.panels.forms import (
    AddChildForm,
    AttendanceForm,
    DiscussionForm,
    EscalationForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    PanelForm,
    RemoveForm,
    tristate_initial,
)
from cairn.panels.models import AgendaItem, Meeting, PanelMember

PROPOSALS_PAGE_SIZE = 50


class AuthedRequest(HttpRequest):
    """A request past `login_required`: its user is signed in."""

    user: User  # type: ignore[assignment]


PRIVATE = {"Cache-Control": "private, no-store"}


def _keep_guidance(request: AuthedRequest, guidance: list[dict[str, Any]]) -> None:
    if guidance:
        request.session[GUIDANCE_KEY] = guidance


def _post_or_none(request: AuthedRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _form_page(request: AuthedRequest, form: Form, **context: Any) -> HttpResponse:
    return render(request, "panels/form.html", {"form": form, **context})


def _meeting_back(meeting: Meeting) -> dict[str, Any]:
    return {
        "back_url": reverse("panels:meeting", args=[meeting.pk]),
        "back_label": f"Back to the meeting on {meeting.held_on:%-d %B %Y}",
        "caption": meeting.panel.name,
    }


# Panels --------------------------------------------------------------------------------------


@rule("caseload roles: panels the user sits on now; managers: every panel")
@login_required
@require_GET
def panel_list_view(request: AuthedRequest) -> HttpResponse:
    if not access.holds_caseload(request.user):
        raise PermissionDenied("Your role does not sit on panels")
    return render(
        request,
        "panels/list.html",
        {
            "panels": selectors.panel_list(user=request.user),
            "can_create": selectors.can_manage_panel(request.user),
            "access_days": settings.CAIRN_PANEL_ACCESS_DAYS,
        },
    )


@rule("managers set up panels (403 for others)")
@login_required
@require_http_methods(["GET", "POST"])
def panel_create_view(request: AuthedRequest) -> HttpResponse:
    if not selectors.can_manage_panel(request.user):
        raise PermissionDenied("Only managers can set up a panel")
    form = PanelForm(_post_or_none(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            panel = services.panel_create(
                actor=request.user,
                name=data["name"],
                panel_type=data["panel_type"],
                cadence_days=data["cadence_days"],
                agencies=data["agencies"],
                terms_of_reference=data["terms_of_reference"],
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"{panel.name} set up. Add its chairs and members.")
            return redirect("panels:detail", panel_id=panel.pk)
    return _form_page(
        request,
        form,
        title="Set up a panel",
        back_url=reverse("panels:list"),
        back_label="Back to panels",
    )


@rule("panel members (now) and managers; 404 for anyone else")
@login_required
@require_GET
def panel_detail_view(request: AuthedRequest, panel_id: int) -> HttpResponse:
    panel, role = selectors.panel_get(user=request.user, panel_id=panel_id)
    upcoming, past = selectors.panel_meetings(panel)
    return render(
        request,
        "panels/detail.html",
        {
            "panel": panel,
            "role": role,
            "members": list(selectors.current_members(panel)),
            "agencies": list(panel.agencies.all()),
            "upcoming": upcoming,
            "past": past,
        },
    )


@rule("managers and the panel's chairs change it (404 unseen, 403 for members)")
@login_required
@require_http_methods(["GET", "POST"])
def panel_edit_view(request: AuthedRequest, panel_id: int) -> HttpResponse:
    panel, role = selectors.panel_get(user=request.user, panel_id=panel_id)
    if not role.can_manage:
        raise PermissionDenied("Only managers and the panel's chairs can change it")
    form = PanelForm(_post_or_none(request), initial=PanelForm.initial_for(panel), editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.panel_update(
                actor=request.user,
                panel=panel,
                name=data["name"],
                panel_type=data["panel_type"],
                cadence_days=data["cadence_days"],
                agencies=data["agencies"],
                terms_of_reference=data["terms_of_reference"],
                is_active=data["is_active"],
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, "Panel details saved.")
            return redirect("panels:detail", panel_id=panel.pk)
    return _form_page(
        request,
        form,
        title=f"Change {panel.name}",
        back_url=reverse("panels:detail", args=[panel.pk]),
        back_label=f"Back to {panel.name}",
    )


@rule("managers and the panel's chairs add members or change a role (audited)")
@login_required
@require_http_methods(["GET", "POST"])
def member_add_view(request: AuthedRequest, panel_id: int) -> HttpResponse:
    panel, role = selectors.panel_get(user=request.user, panel_id=panel_id)
    if not role.can_manage:
        raise PermissionDenied("Only managers and the panel's chairs can change its members")
    form = MemberForm(_post_or_none(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.panel_member_add(
                actor=request.user,
                panel=panel,
                user=data["user"],
                role=data["role"],
                started_on=data["started_on"],
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(
                request,
                f"{member.user.get_full_name() or member.user.username} is a "
                f"{member.get_role_display().lower()} of {panel.name}.",
            )
            return redirect("panels:detail", panel_id=panel.pk)
    return _form_page(
        request,
        form,
        title=f"Add a member to {panel.name}",
        intro="Adding someone who is already a member changes their role.",
        back_url=reverse("panels:detail", args=[panel.pk]),
        back_label=f"Back to {panel.name}",
    )


@rule("managers and the panel's chairs end a membership (audited)")
@login_required
@require_POST
def member_end_view(request: AuthedRequest, panel_id: int, member_id: int) -> HttpResponse:
    panel, role = selectors.panel_get(user=request.user, panel_id=panel_id)
    if not role.can_manage:
        raise PermissionDenied("Only managers and the panel's chairs can change its members")
    member = get_object_or_404(
        PanelMember.objects.select_related("user"), pk=member_id, panel=panel
    )
    try:
        services.panel_member_end(actor=request.user, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{member.user.get_full_name() or member.user.username} has left the panel."
        )
    return redirect("panels:detail", panel_id=panel.pk)


@rule("the panel's chairs schedule meetings (404 unseen, 403 for members and managers)")
@login_required
@require_http_methods(["GET", "POST"])
def meeting_new_view(request: AuthedRequest, panel_id: int) -> HttpResponse:
    panel, role = selectors.panel_get(user=request.user, panel_id=panel_id)
    if not role.chair:
        raise PermissionDenied("Only the panel's chairs can schedule a meeting")
    default_type = panel.panel_type if panel.panel_type in {"mace", "mase"} else "other"
    form = MeetingForm(_post_or_none(request), initial={"meeting_type": default_type})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                actor=request.user,
                panel=panel,
                held_on=data["held_on"],
                meeting_type=data["meeting_type"],
                location=data["location"],
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"Meeting on {meeting.held_on:%-d %B %Y} scheduled.")
            return redirect("panels:meeting", meeting_id=meeting.pk)
    return _form_page(
        request,
        form,
        title="Schedule a meeting",
        caption=panel.name,
        back_url=reverse("panels:detail", args=[panel.pk]),
        back_label=f"Back to {panel.name}",
    )


# The meeting and its agenda ------------------------------------------------------------------


@rule(
    "panel members and managers (404 otherwise); the agenda's children: chairs always, "
    "members once published (one list event); proposals: chairs (one list event)"
)
@login_required
@require_GET
def meeting_view(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting, role = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    show_agenda = selectors.agenda_visible(meeting, role)
    agenda: list[AgendaItem] = []
    removed: list[AgendaItem] = []
    if show_agenda:
        agenda = selectors.agenda_items(meeting)
        if role.chair:
            removed = selectors.agenda_items(meeting, removed=True)
        selectors.agenda_list_event(user=request.user, meeting=meeting, count=len(agenda))
    proposals = None
    building = (
        role.chair and not meeting.is_signed_off and meeting.status != Meeting.Status.CANCELLED
    )
    if building:
        found = selectors.agenda_proposals(meeting=meeting)
        proposals = Paginator(found, PROPOSALS_PAGE_SIZE).get_page(request.GET.get("page"))
        selectors.attach_lead_professionals(proposals)
        selectors.proposals_event(user=request.user, meeting=meeting, count=len(found))
    attendance = selectors.attendance_for(meeting)
    can_discuss = (
        role.can_record
        and meeting.held_on <= timezone.localdate()
        and meeting.status != Meeting.Status.CANCELLED
    )
    return render(
        request,
        "panels/meeting.html",
        {
            "meeting": meeting,
            "panel": meeting.panel,
            "role": role,
            "show_agenda": show_agenda,
            "agenda": agenda,
            "removed": removed,
            "proposals": proposals,
            "building": building,
            "attendance_groups": selectors.attendance_by_agency(attendance),
            "minutes_readable": meeting.status in {Meeting.Status.HELD, Meeting.Status.SIGNED_OFF}
            and selectors.minutes_readable(user=request.user, meeting=meeting),
            "can_discuss": can_discuss,
            "can_mark_held": can_discuss
            and bool(attendance)
            and meeting.status in {Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED},
            "guidance": request.session.pop(GUIDANCE_KEY, None),
            "review_weeks": settings.CAIRN_PANEL_REVIEW_WEEKS,
            "access_days": settings.CAIRN_PANEL_ACCESS_DAYS,
        },
    )


def _chair_meeting(request: AuthedRequest, meeting_id: int) -> Meeting:
    meeting, role = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    if not role.chair:
        raise PermissionDenied("Only the panel's chairs can do this")
    return meeting


def _recorder_meeting(
    request: AuthedRequest, meeting_id: int
) -> tuple[Meeting, selectors.PanelRole]:
    meeting, role = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    if not role.can_record:
        raise PermissionDenied("Only the panel's chairs and members can record the meeting")
    return meeting, role


@rule("the panel's chairs add proposed children to the agenda (audited per child)")
@login_required
@require_POST
def agenda_add_view(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = _chair_meeting(request, meeting_id)
    ids = [int(value) for value in request.POST.getlist("child") if value.isdigit()]
    try:
        items = services.agenda_proposals_add(actor=request.user, meeting=meeting, child_ids=ids)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        names = ", ".join(item.child.full_name for item in items)
        messages.success(request, f"Added to the agenda: {names}.")
    return redirect("panels:meeting", meeting_id=meeting.pk)


@rule("the panel's chairs add any child by reference, saying why (audited)")
@login_required
@require_http_methods(["GET", "POST"])
def agenda_child_add_view(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = _chair_meeting(request, meeting_id)
    form = AddChildForm(_post_or_none(request))
    if request.method == "POST" and form.is_valid():
        try:
            item, guidance = services.agenda_child_add(
                actor=request.user,
                meeting=meeting,
                child_ref=form.cleaned_data["child_ref"],
                reason_detail=form.cleaned_data["reason_detail"],
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            _keep_guidance(request, guidance)
            messages.success(request, f"{item.child.full_name} added to the agenda.")
            return redirect("panels:meeting", meeting_id=meeting.pk)
    return _form_page(request, form, title="Add a child to the agenda", **_meeting_back(meeting))


@rule("the panel's chairs take a child off the agenda with a reason (kept; audited)")
@login_required
@require_http_methods(["GET", "POST"])
def agenda_remove_view(request: AuthedRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = _chair_meeting(request, meeting_id)
    item = get_object_or_404(
        AgendaItem.objects.select_related("child"),
        pk=item_id,
        meeting=meeting,
        removed_at__isnull=True,
    )
    form = RemoveForm(_post_or_none(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_remove(
                actor=request.user, item=item, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"{item.child.full_name} taken off the agenda.")
            return redirect("panels:meeting", meeting_id=meeting.pk)
    return _form_page(
        request,
        form,
        title=f"Take {item.child.full_name} off the agenda",
        submit="Take off the agenda",
        **_meeting_back(meeting),
    )


@rule("the panel's chairs publish the agenda: its children open to the panel's members")
@login_required
@require_POST
def agenda_publish_view(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = _chair_meeting(request, meeting_id)
    try:
        services.agenda_publish(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Agenda published. Panel members can now read these children's records until "
            f"{settings.CAIRN_PANEL_ACCESS_DAYS} days after the meeting.",
        )
    return redirect("panels:meeting", meeting_id=meeting.pk)


# Recording the meeting -----------------------------------------------------------------------


@rule("the panel's chairs and members record attendance and mark the meeting held (audited)")
@login_required
@require_http_methods(["GET", "POST"])
def attendance_view(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting, _ = _recorder_meeting(request, meeting_id)
    members = list(selectors.current_members(meeting.panel))
    recorded = selectors.attendance_for(meeting)
    form = AttendanceForm(
        _post_or_none(request), meeting=meeting, members=members, recorded=recorded
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entries = [
            minutes_services.AttendanceEntry(status=data[name], user=user, agency=agency)
            for name, (user, agency) in form.people.items()
            if data.get(name)
        ]
        for number in range(form.guest_count):
            name = (data.get(f"guest_{number}_name") or "").strip()
            if name:
                entries.append(
                    minutes_services.AttendanceEntry(
                        status=data.get(f"guest_{number}_status") or "attended",
                        name=name,
                        agency=data.get(f"guest_{number}_agency"),
                    )
                )
        try:
            minutes_services.attendance_record(
                actor=request.user,
                meeting=meeting,
                entries=entries,
                mark_held=bool(data.get("held")),
                amendment_reason=data.get("amendment_reason", ""),
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            held = " The meeting is marked as held." if data.get("held") else ""
            messages.success(request, f"Attendance recorded.{held}")
            return redirect("panels:meeting", meeting_id=meeting.pk)
    return render(
        request,
        "panels/attendance.html",
        {"form": form, "meeting": meeting, "panel": meeting.panel},
    )


@rule("the panel's chairs and members mark the meeting held (it needs an attendee)")
@login_required
@require_POST
def meeting_held_view(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting, _ = _recorder_meeting(request, meeting_id)
    try:
        minutes_services.meeting_mark_held(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The meeting is marked as held.")
    return redirect("panels:meeting", meeting_id=meeting.pk)


@rule(
    "the panel's chairs and members record the discussion of an agenda child; an agreed level "
    "adds to the child's risk history (audited)"
)
@login_required
@require_http_methods(["GET", "POST"])
def discussion_view(request: AuthedRequest, meeting_id: int, child_id: int) -> HttpResponse:
    meeting, role = _recorder_meeting(request, meeting_id)
    if not selectors.agenda_visible(meeting, role):
        raise Http404("The agenda is not published yet")
    item = selectors.agenda_item_get(meeting, child_id)
    child = item.child
    existing = selectors.discussion_for(meeting, child)
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {
            "summary": existing.summary,
            "agreed_level": existing.agreed_level,
            "decisions": existing.decisions,
            "nrm_threshold_met": tristate_initial(existing.nrm_threshold_met),
            "nrm_referral_agreed": tristate_initial(existing.nrm_referral_agreed),
            "outcome": existing.outcome,
        }
    form = DiscussionForm(_post_or_none(request), initial=initial, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            _, guidance = minutes_services.discussion_record(
                actor=request.user, meeting=meeting, child=child, **form.values()
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            _keep_guidance(request, guidance)
            messages.success(request, f"Discussion of {child.full_name} recorded.")
            return redirect("panels:meeting", meeting_id=meeting.pk)
    selectors.attach_levels([child])
    return render(
        request,
        "panels/discussion.html",
        {"form": form, "meeting": meeting, "panel": meeting.panel, "item": item, "child": child},
    )


@rule("the panel's chairs and members write the general minutes and themes (audited)")
@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit_view(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting, _ = _recorder_meeting(request, meeting_id)
    form = MinutesForm(
        _post_or_none(request),
        initial={"minutes": meeting.minutes, "themes": meeting.themes},
        meeting=meeting,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _, guidance = minutes_services.minutes_update(
                actor=request.user,
                meeting=meeting,
                minutes=data["minutes"],
                themes=data["themes"],
                amendment_reason=data.get("amendment_reason", ""),
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            _keep_guidance(request, guidance)
            messages.success(request, "Minutes saved.")
            return redirect("panels:meeting", meeting_id=meeting.pk)
    return _form_page(request, form, title="General minutes and themes", **_meeting_back(meeting))


@rule("the panel's chairs sign off the minutes of a held meeting (audited)")
@login_required
@require_POST
def sign_off_view(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = _chair_meeting(request, meeting_id)
    try:
        minutes_services.minutes_sign_off(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, "Minutes signed off. From now on, changes need a reason and are kept."
        )
    return redirect("panels:meeting", meeting_id=meeting.pk)


@rule("the panel's chairs circulate signed-off minutes: a link by email to attendees and leads")
@login_required
@require_POST
def circulate_view(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = _chair_meeting(request, meeting_id)
    try:
        sent = minutes_services.minutes_circulate(
            actor=request.user, meeting=meeting, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Minutes circulated to {len(sent)} {'person' if len(sent) == 1 else 'people'}.",
        )
    return redirect("panels:meeting", meeting_id=meeting.pk)


# Minutes -------------------------------------------------------------------------------------


@rule(
    "attendees (attended or apologies) read all; a child's own professionals (lead, involved, "
    "agency; not via a panel or break glass) their children's sections; 404 otherwise; audited"
)
@login_required
@require_GET
def minutes_view(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    minutes = selectors.minutes_get(user=request.user, meeting_id=meeting_id)
    meeting = minutes.meeting
    role = selectors.panel_role(request.user, meeting.panel)
    return render(
        request,
        "panels/minutes.html",
        {
            "minutes": minutes,
            "meeting": meeting,
            "panel": meeting.panel,
            "role": role,
            "attendance_groups": selectors.attendance_by_agency(minutes.attendance),
            "circulations": list(selectors.circulations_for(meeting)) if role.chair else [],
        },
    )


@rule("as the minutes page; one export event, and one per child in the PDF")
@login_required
@require_GET
def minutes_pdf_view(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_for_minutes(user=request.user, meeting_id=meeting_id)
    pdf = minutes_services.minutes_pdf_generate(actor=request.user, meeting=meeting)
    return HttpResponse(
        pdf.content,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{pdf.filename}"', **PRIVATE},
    )


# Escalation ----------------------------------------------------------------------------------


@rule("child:edit (lead, involved, agency manager): escalate the child to a panel (audited)")
@login_required
@require_http_methods(["GET", "POST"])
def escalate_view(request: AuthedRequest, child_id: int) -> HttpResponse:
    child = child_selectors.child_get_for_edit(user=request.user, child_id=child_id)
    panels = selectors.escalation_panels(child)
    form = EscalationForm(_post_or_none(request), panels=panels)
    if request.method == "POST" and form.is_valid():
        try:
            escalation, guidance = services.escalation_raise(
                actor=request.user,
                panel=form.cleaned_data["panel"],
                child=child,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            _keep_guidance(request, guidance)
            messages.success(
                request,
                f"{child.full_name} escalated to {escalation.panel.name}. Its chairs will see "
                "this when they build the next agenda.",
            )
            return redirect("children:detail", child_id=child.pk)
    return render(
        request,
        "panels/escalate.html",
        {
            "form": form,
            "child": child,
            "has_panels": panels.exists(),
            "open": list(selectors.open_escalations(child)),
        },
    )
