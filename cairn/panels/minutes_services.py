"""Recording a panel meeting: attendance and apologies, the discussion of each child (an agreed
level feeds the child's risk history), the minutes, sign-off and amendments after it (every change
to signed-off minutes needs a reason and is kept as a MinutesAmendment), circulation by email and
the minutes PDF. As in cairn.panels.services: each function checks who may act, validates before
writing, writes in one transaction and records an access event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.language.services import language_guidance
from cairn.panels import selectors
from cairn.panels.models import (
    AgendaItem,
    Attendance,
    Discussion,
    Meeting,
    MinutesAmendment,
    MinutesCirculation,
)
from cairn.panels.services import (
    AMENDMENT_NEEDED,
    Errors,
    Guidance,
    _add,
    _locked,
    _long_date,
    _not_cancelled,
    _panel_reason,
    _refresh,
    _require_chair,
    _require_recorder,
)
from cairn.risk import scoring
from cairn.risk.models import RiskAssessment, RiskLevel
from cairn.risk.selectors import latest_catalogue_version
from cairn.risk.services import _next_assessment_ref

if TYPE_CHECKING:
    from cairn.accounts.models import Agency, User
    from cairn.children.models import Child


# Attendance ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    """One person at (or absent from) a meeting: a user, or a name and agency without a login."""

    status: str
    user: User | None = None
    name: str = ""
    agency: Agency | None = None

    def describe(self) -> str:
        who = self.user.display_name if self.user is not None else self.name
        agency = f", {self.agency.name}" if self.agency is not None else ""
        return f"{who}{agency}: {Attendance.Status(self.status).label.lower()}"


def _attendance_text(rows: Iterable[Attendance | AttendanceEntry]) -> str:
    lines = []
    for row in rows:
        if isinstance(row, Attendance):
            row = AttendanceEntry(
                status=row.status, user=row.user, name=row.name, agency=row.agency
            )
        lines.append(row.describe())
    return "\n".join(sorted(lines))


def _require_amendment(
    errors: Errors, meeting: Meeting, changed: bool, amendment_reason: str
) -> None:
    if meeting.is_signed_off and changed and not amendment_reason:
        _add(errors, "amendment_reason", AMENDMENT_NEEDED)


def _held_problems(errors: Errors, meeting: Meeting, attended: int) -> None:
    if meeting.status in {Meeting.Status.HELD, Meeting.Status.SIGNED_OFF}:
        return
    if meeting.held_on > timezone.localdate():
        _add(
            errors,
            "held",
            f"The meeting is on {_long_date(meeting.held_on)}: it cannot be held before then",
        )
    if attended == 0:
        _add(
            errors,
            "attendance",
            "A meeting cannot be held with no one attending: record who attended",
        )


def _mark_held(actor: User, meeting: Meeting) -> None:
    if meeting.status in {Meeting.Status.HELD, Meeting.Status.SIGNED_OFF}:
        return
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    access_event_record(
        actor=actor,
        action=Action.UPDATE,
        obj=meeting,
        reason=_panel_reason(meeting.panel),
        detail={"held": True},
    )


@transaction.atomic
def attendance_record(
    *,
    actor: User,
    meeting: Meeting,
    entries: Sequence[AttendanceEntry],
    mark_held: bool = False,
    amendment_reason: str = "",
) -> list[Attendance]:
    """Record who attended, sent apologies or was absent, by person and agency (the chairs and
    members), replacing what was recorded. With `mark_held`, the meeting is marked held: that
    needs at least one person attending. After sign-off, a change needs a reason."""
    locked = _locked(meeting)
    _require_recorder(actor, locked.panel)
    errors: Errors = {}
    _not_cancelled(errors, locked)
    amendment_reason = (amendment_reason or "").strip()
    seen: set[int] = set()
    for entry in entries:
        who = entry.user.display_name if entry.user is not None else entry.name.strip()
        if entry.status not in Attendance.Status.values:
            _add(errors, "attendance", f"Select whether {who or 'each person'} attended")
        if entry.user is None and not entry.name.strip():
            _add(errors, "attendance", "Enter the name of each person without a login")
        if entry.agency is None:
            _add(errors, "attendance", f"Select the agency {who or 'each person'} is from")
        if entry.user is not None:
            if entry.user.pk in seen:
                _add(errors, "attendance", f"{who} is listed more than once")
            seen.add(entry.user.pk)
    attended = sum(1 for entry in entries if entry.status == Attendance.Status.ATTENDED)
    if mark_held:
        _held_problems(errors, locked, attended)
    before = _attendance_text(
        Attendance.objects.filter(meeting=locked).select_related("user__agency", "agency")
    )
    after = _attendance_text(entries)
    _require_amendment(errors, locked, before != after, amendment_reason)
    if (locked.status == Meeting.Status.HELD or locked.is_signed_off) and attended == 0:
        _add(errors, "attendance", "A meeting that was held needs at least one attendee")
    if errors:
        raise ValidationError(errors)
    Attendance.objects.filter(meeting=locked).delete()
    rows = [
        Attendance(
            meeting=locked,
            user=entry.user,
            name="" if entry.user is not None else entry.name.strip()[:150],
            agency=entry.agency,
            status=entry.status,
        )
        for entry in entries
    ]
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)
    Attendance.objects.bulk_create(rows)
    if locked.is_signed_off and before != after:
        MinutesAmendment.objects.create(
            meeting=locked,
            field="attendance",
            before=before,
            after=after,
            reason=amendment_reason,
            amended_by=actor,
        )
    access_event_record(
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        reason=_panel_reason(locked.panel),
        detail={"attendance": len(rows), "attended": attended},
    )
    if mark_held:
        _mark_held(actor, locked)
    _refresh(meeting, locked)
    return rows


@transaction.atomic
def meeting_mark_held(*, actor: User, meeting: Meeting) -> Meeting:
    """Mark the meeting as held (the chairs and members): it needs someone recorded as
    attending, and its date must have come."""
    locked = _locked(meeting)
    _require_recorder(actor, locked.panel)
    errors: Errors = {}
    _not_cancelled(errors, locked)
    if locked.status in {Meeting.Status.HELD, Meeting.Status.SIGNED_OFF}:
        _add(errors, "meeting", "The meeting is already marked as held")
    attended = Attendance.objects.filter(meeting=locked, status=Attendance.Status.ATTENDED).count()
    _held_problems(errors, locked, attended)
    if errors:
        raise ValidationError(errors)
    _mark_held(actor, locked)
    _refresh(meeting, locked)
    return locked


# Discussions ---------------------------------------------------------------------------------

_DISCUSSION_FIELDS = (
    "summary",
    "agreed_level",
    "decisions",
    "nrm_threshold_met",
    "nrm_referral_agreed",
    "outcome",
)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _rationale(meeting: Meeting, discussion: Discussion) -> str:
    said = discussion.decisions.strip() or discussion.summary.strip()
    text = f"Agreed at {meeting.panel.name} on {_long_date(meeting.held_on)}"
    return f"{text}: {said}" if said else text


def _feed_risk_history(actor: User, meeting: Meeting, discussion: Discussion) -> None:
    """Keep the discussion's risk assessment in step with its agreed level: an assessment
    dated the meeting day at the agreed level (the child's current level, if it is their
    latest), changed with the level, removed when the level is cleared."""
    child = discussion.child
    assessment = discussion.risk_assessment
    level = discussion.agreed_level
    if not level:
        if assessment is not None:
            discussion.risk_assessment = None
            discussion.save(update_fields=["risk_assessment"])
            access_event_record(
                actor=actor,
                action=Action.DELETE,
                obj=assessment,
                child=child,
                reason=_panel_reason(meeting.panel),
                detail={"meeting": meeting.meeting_ref, "agreed_level": ""},
            )
            assessment.delete()
        return
    if assessment is None:
        current = RiskAssessment.objects.filter(child=child, is_current=True).first()
        assessment = RiskAssessment(
            assessment_ref=_next_assessment_ref(),
            child=child,
            agency_id=actor.agency_id or child.agency_id,
            assessor=actor,
            assessed_on=meeting.held_on,
            catalogue_version=latest_catalogue_version(),
            score=0,
            suggested_level=current.level if current else level,
            exploitation_types=list(current.exploitation_types) if current else [],
            cin_factors=list(current.cin_factors) if current else [],
        )
        action = Action.CREATE
    else:
        action = Action.UPDATE
    assessment.level = level
    assessment.assessed_on = meeting.held_on
    assessment.rationale = _rationale(meeting, discussion)
    assessment.next_review_due = scoring.review_due(level, meeting.held_on)
    assessment.full_clean()
    assessment.save()  # becomes the child's current assessment if it is their latest
    if discussion.risk_assessment_id != assessment.pk:
        discussion.risk_assessment = assessment
        discussion.save(update_fields=["risk_assessment"])
    access_event_record(
        actor=actor,
        action=action,
        obj=assessment,
        child=child,
        reason=_panel_reason(meeting.panel),
        detail={"meeting": meeting.meeting_ref, "agreed_level": level},
    )


@transaction.atomic
def discussion_record(
    *,
    actor: User,
    meeting: Meeting,
    child: Child,
    summary: str = "",
    agreed_level: str = "",
    decisions: str = "",
    nrm_threshold_met: bool | None = None,
    nrm_referral_agreed: bool | None = None,
    outcome: str = "",
    amendment_reason: str = "",
) -> tuple[Discussion, Guidance]:
    """Record (or correct) what the meeting agreed about a child on its agenda (the chairs and
    members). A child not on the agenda is added to it first. An agreed level (blank: no
    change) becomes an assessment in the child's risk history, dated the meeting day. After
    sign-off, a change needs a reason and each changed field is kept as an amendment."""
    locked = _locked(meeting)
    _require_recorder(actor, locked.panel)
    errors: Errors = {}
    _not_cancelled(errors, locked)
    if locked.held_on > timezone.localdate():
        _add(
            errors,
            "meeting",
            f"The meeting is on {_long_date(locked.held_on)}: record discussions on the day",
        )
    item = AgendaItem.objects.filter(meeting=locked, child=child, removed_at__isnull=True).first()
    if item is None:
        _add(
            errors,
            "child",
            f"{child.full_name} is not on the agenda: the chair adds them to it first",
        )
    values: dict[str, Any] = {
        "summary": (summary or "").strip(),
        "agreed_level": (agreed_level or "").strip(),
        "decisions": (decisions or "").strip(),
        "nrm_threshold_met": nrm_threshold_met,
        "nrm_referral_agreed": nrm_referral_agreed,
        "outcome": (outcome or "").strip(),
    }
    if values["agreed_level"] and values["agreed_level"] not in RiskLevel.values:
        _add(errors, "agreed_level", "Select the agreed level: none, low, medium or high")
    if len(values["outcome"]) > 200:
        _add(errors, "outcome", "The outcome must be 200 characters or fewer")
    if nrm_referral_agreed and nrm_threshold_met is not True:
        _add(
            errors,
            "nrm_referral_agreed",
            "An NRM referral is agreed only when the NRM threshold is met",
        )
    if not any(values[name] for name in ("summary", "decisions", "outcome", "agreed_level")):
        _add(errors, "summary", "Enter a summary of the discussion")
    discussion = (
        Discussion.objects.select_for_update(of=("self",))
        .select_related("risk_assessment")
        .filter(meeting=locked, child=child)
        .first()
    )
    creating = discussion is None
    changes = [
        (name, "" if creating else _shown(getattr(discussion, name)), _shown(value))
        for name, value in values.items()
    ]
    changes = [change for change in changes if change[1] != change[2]]
    amendment_reason = (amendment_reason or "").strip()
    _require_amendment(errors, locked, bool(changes), amendment_reason)
    if errors:
        raise ValidationError(errors)
    if discussion is None:
        discussion = Discussion(meeting=locked, child=child, agenda_item=item)
    if not changes:
        return discussion, []
    for name, value in values.items():
        setattr(discussion, name, value)
    discussion.recorded_by = actor
    discussion.full_clean(validate_unique=False, validate_constraints=False)
    discussion.save()
    if locked.is_signed_off:
        MinutesAmendment.objects.bulk_create(
            [
                MinutesAmendment(
                    meeting=locked,
                    discussion=discussion,
                    field=name,
                    before=before,
                    after=after,
                    reason=amendment_reason,
                    amended_by=actor,
                )
                for name, before, after in changes
            ]
        )
    access_event_record(
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        obj=discussion,
        child=child,
        reason=_panel_reason(locked.panel),
        detail={
            "meeting": locked.meeting_ref,
            "fields": [name for name, _, _ in changes],
            "amended": locked.is_signed_off,
        },
    )
    _feed_risk_history(actor, locked, discussion)
    text = " ".join(values[name] for name in ("summary", "decisions", "outcome"))
    return discussion, language_guidance(text)


# Minutes -------------------------------------------------------------------------------------


@transaction.atomic
def minutes_update(
    *,
    actor: User,
    meeting: Meeting,
    minutes: str,
    themes: str,
    amendment_reason: str = "",
) -> tuple[Meeting, Guidance]:
    """The general minutes and the trends and themes (the chairs and members). After sign-off,
    a change needs a reason and each changed field is kept as an amendment."""
    locked = _locked(meeting)
    _require_recorder(actor, locked.panel)
    errors: Errors = {}
    _not_cancelled(errors, locked)
    values = {"minutes": (minutes or "").strip(), "themes": (themes or "").strip()}
    changes = [
        (name, getattr(locked, name), value)
        for name, value in values.items()
        if getattr(locked, name) != value
    ]
    amendment_reason = (amendment_reason or "").strip()
    _require_amendment(errors, locked, bool(changes), amendment_reason)
    if errors:
        raise ValidationError(errors)
    if not changes:
        return locked, []
    for name, _, value in changes:
        setattr(locked, name, value)
    locked.save(update_fields=[name for name, _, _ in changes])
    if locked.is_signed_off:
        MinutesAmendment.objects.bulk_create(
            [
                MinutesAmendment(
                    meeting=locked,
                    field=name,
                    before=before,
                    after=after,
                    reason=amendment_reason,
                    amended_by=actor,
                )
                for name, before, after in changes
            ]
        )
    access_event_record(
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        reason=_panel_reason(locked.panel),
        detail={"fields": [name for name, _, _ in changes], "amended": locked.is_signed_off},
    )
    _refresh(meeting, locked)
    return locked, language_guidance(" ".join(values.values()))


@transaction.atomic
def minutes_sign_off(*, actor: User, meeting: Meeting) -> Meeting:
    """A chair signs off the minutes of a held meeting. From then on every change needs a
    reason and is kept as an amendment."""
    locked = _locked(meeting)
    _require_chair(actor, locked.panel, "sign off the minutes")
    errors: Errors = {}
    _not_cancelled(errors, locked)
    if locked.is_signed_off:
        _add(errors, "meeting", "The minutes are already signed off")
    elif locked.status != Meeting.Status.HELD:
        _add(errors, "meeting", "Record the attendance and mark the meeting as held first")
    if errors:
        raise ValidationError(errors)
    locked.signed_off_at = timezone.now()
    locked.signed_off_by = actor
    locked.status = Meeting.Status.SIGNED_OFF
    locked.save(update_fields=["signed_off_at", "signed_off_by", "status"])
    access_event_record(
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        reason=_panel_reason(locked.panel),
        detail={"signed_off": True},
    )
    _refresh(meeting, locked)
    return locked


def _circulation_body(meeting: Meeting, link: str) -> str:
    return "\n".join(
        [
            f"The minutes of {meeting.panel.name} on {_long_date(meeting.held_on)} "
            f"({meeting.meeting_ref}) are signed off.",
            "",
            f"Read them in Cairn: {link}",
            "",
            "You can read the parts of the minutes you attended for, or that are about "
            "children you work with. Children are not named in email, and the minutes are "
            "not attached: do not forward this email.",
        ]
    )


def minutes_circulate(*, actor: User, meeting: Meeting, base_url: str) -> list[MinutesCirculation]:
    """Circulate the signed-off minutes (a chair): to the attendees and the lead professionals
    of the children discussed, each recorded and sent an email with a link (never the minutes
    themselves). One access event naming the recipients. Emails go after the records are
    committed."""
    with transaction.atomic():
        locked = _locked(meeting)
        _require_chair(actor, locked.panel, "circulate the minutes")
        if not locked.is_signed_off:
            raise ValidationError({"meeting": "Sign off the minutes before circulating them"})
        recipients = selectors.minutes_recipients(locked)
        if not recipients:
            raise ValidationError({"meeting": "There is no one to circulate the minutes to"})
        circulations = MinutesCirculation.objects.bulk_create(
            [
                MinutesCirculation(meeting=locked, recipient=user, circulated_by=actor)
                for user in recipients
            ]
        )
        access_event_record(
            actor=actor,
            action=Action.CREATE,
            object_type="panels.minutescirculation",
            object_id=locked.pk,
            reason=selectors.minutes_reason(locked),
            detail={"recipients": [user.username for user in recipients]},
        )
    link = base_url.rstrip("/") + reverse("panels:minutes", args=[locked.pk])
    subject = f"Cairn: minutes of {locked.panel.name}, {_long_date(locked.held_on)}"
    body = _circulation_body(locked, link)
    for user in recipients:
        if user.email:
            send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])
    return circulations


@dataclass(frozen=True)
class MinutesPdf:
    content: bytes
    filename: str
    children: list[Child]


def minutes_pdf_generate(*, actor: User, meeting: Meeting) -> MinutesPdf:
    """The minutes as a PDF, holding only what this reader may see (as the page). One export
    event for the meeting and one per child in it, each naming the panel and the meeting."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    minutes = selectors.minutes_for(user=actor, meeting=meeting)
    if minutes is None:
        raise PermissionDenied("You cannot read these minutes")
    context = {
        "minutes": minutes,
        "meeting": meeting,
        "generated_by": actor,
        "generated_at": timezone.localtime(),
        "attendance_groups": selectors.attendance_by_agency(minutes.attendance),
    }
    html = render_to_string("panels/minutes_pdf.html", context)
    css = render_to_string("panels/minutes_pdf.css")
    fetcher = URLFetcher(allowed_protocols={"data"})  # nothing from disk or the network
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=css, url_fetcher=fetcher)]
    )
    assert pdf is not None  # noqa: S101 - write_pdf without a target returns bytes
    reason = minutes.reason
    with transaction.atomic():
        access_event_record(
            actor=actor,
            action=Action.EXPORT,
            obj=meeting,
            reason=reason,
            detail={
                "format": "pdf",
                "attendee": minutes.attendee,
                "children": [child.pk for child in minutes.children],
            },
        )
        for child in minutes.children:
            access_event_record(
                actor=actor,
                action=Action.EXPORT,
                obj=meeting,
                child=child,
                reason=reason,
                detail={"format": "pdf"},
            )
    filename = re.sub(
        r"[^A-Za-z0-9._-]+", "-", f"minutes-{meeting.meeting_ref}-{meeting.held_on}.pdf"
    )
    return MinutesPdf(content=pdf, filename=filename, children=minutes.children)
