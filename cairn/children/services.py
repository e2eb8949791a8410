"""Writes to child records: each runs in a transaction, validates, saves and audits."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cairn.accounts import access
from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.children.models import (
    BreakGlassGrant,
    CaseNote,
    Child,
    ChildAlias,
    ChildIdentifier,
    ChildVoice,
    Handling,
    Involvement,
    Placement,
)
from cairn.language.services import language_guidance

if TYPE_CHECKING:
    from cairn.accounts.models import User

CHILD_FIELDS = (
    "child_ref",
    "given_name",
    "family_name",
    "other_names",
    "date_of_birth",
    "sex",
    "ethnicity",
    "postcode",
    "ward",
    "legal_status",
    "home_authority",
    "uasc",
    "immigration_status",
    "school_urn",
    "education_status",
    "learning_disability",
    "lead_professional",
)


def _next_child_ref() -> str:
    last = Child.objects.filter(child_ref__startswith="C-").order_by("-id").first()
    number = 1
    if last is not None:
        try:
            number = int(last.child_ref.removeprefix("C-")) + 1
        except ValueError:
            number = Child.objects.count() + 1
    while Child.objects.filter(child_ref=f"C-{number:06d}").exists():
        number += 1
    return f"C-{number:06d}"


@transaction.atomic
def child_create(*, actor: User, **fields: Any) -> Child:
    """Record a new child. The creator's agency records it and the creator becomes involved."""
    if not access.can_create_child(actor):
        raise PermissionDenied("Only practitioners and managers of an agency can add children")
    unknown = set(fields) - set(CHILD_FIELDS)
    if unknown:
        raise TypeError(f"unknown child fields: {', '.join(sorted(unknown))}")
    if not fields.get("child_ref"):
        fields["child_ref"] = _next_child_ref()
    child = Child(agency=actor.agency, **fields)
    child.full_clean()
    child.save()
    Involvement.objects.create(
        child=child,
        user=actor,
        agency=actor.agency,
        reason=Involvement.Reason.LEAD
        if child.lead_professional_id == actor.id
        else Involvement.Reason.ALLOCATED,
        started_on=timezone.localdate(),
    )
    access_event_record(actor=actor, action=Action.CREATE, obj=child, child=child)
    return child


@transaction.atomic
def child_update(*, actor: User, child: Child, **fields: Any) -> Child:
    """Change a child's details; the access event lists the fields changed (not their values)."""
    locked = Child.objects.select_for_update().get(pk=child.pk)
    if not access.child_access(actor, locked).edit:
        raise PermissionDenied("You cannot change this record")
    changed = []
    for name, value in fields.items():
        if name not in CHILD_FIELDS:
            raise TypeError(f"unknown child field: {name}")
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            changed.append(name)
    if not changed:
        return locked
    locked.full_clean()
    locked.save(update_fields=[*changed, "updated_at"])
    access_event_record(
        actor=actor, action=Action.UPDATE, obj=locked, child=locked, detail={"fields": changed}
    )
    return locked


def _require_edit(actor: User, child: Child) -> None:
    if not access.child_access(actor, child).edit:
        raise PermissionDenied("You cannot add to this record")


@transaction.atomic
def case_note_add(
    *,
    actor: User,
    child: Child,
    subject: str,
    text: str,
    occurred_on: date,
    handling: str = Handling.STANDARD,
    recipients: list[User] | None = None,
) -> tuple[CaseNote, list[dict[str, Any]]]:
    """Add a case note. Returns the note and children-first language guidance (never blocking)."""
    _require_edit(actor, child)
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "The date of the note cannot be in the future"})
    note = CaseNote(
        child=child,
        author=actor,
        agency=actor.agency,
        subject=subject,
        text=text,
        occurred_on=occurred_on,
        handling=handling,
    )
    note.full_clean()
    note.save()
    if recipients:
        note.recipients.set(recipients)
    access_event_record(actor=actor, action=Action.CREATE, obj=note, child=child)
    return note, language_guidance(f"{subject}\n{text}")


@transaction.atomic
def child_voice_add(
    *, actor: User, child: Child, text: str, recorded_on: date, method: str
) -> tuple[ChildVoice, list[dict[str, Any]]]:
    _require_edit(actor, child)
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": "The date cannot be in the future"})
    voice = ChildVoice(
        child=child, recorded_by=actor, text=text, recorded_on=recorded_on, method=method
    )
    voice.full_clean()
    voice.save()
    access_event_record(actor=actor, action=Action.CREATE, obj=voice, child=child)
    return voice, language_guidance(text)


@transaction.atomic
def involvement_add(
    *,
    actor: User,
    child: Child,
    reason: str,
    started_on: date,
    user: User | None = None,
    team: Any = None,
    detail: str = "",
) -> Involvement:
    _require_edit(actor, child)
    if user is None and team is None:
        raise ValidationError({"user": "Choose a person or a team"})
    agency = user.agency if user is not None else team.agency
    if agency is None:
        raise ValidationError({"user": "That person does not belong to an agency"})
    involvement = Involvement(
        child=child,
        user=user,
        team=team,
        agency=agency,
        reason=reason,
        started_on=started_on,
        detail=detail,
    )
    involvement.full_clean()
    involvement.save()
    access_event_record(actor=actor, action=Action.CREATE, obj=involvement, child=child)
    return involvement


@transaction.atomic
def involvement_end(*, actor: User, involvement: Involvement, ended_on: date) -> Involvement:
    _require_edit(actor, involvement.child)
    if ended_on < involvement.started_on:
        raise ValidationError({"ended_on": "The end date must not be before the start date"})
    involvement.ended_on = ended_on
    involvement.full_clean()
    involvement.save(update_fields=["ended_on"])
    access_event_record(actor=actor, action=Action.UPDATE, obj=involvement, child=involvement.child)
    return involvement


@transaction.atomic
def placement_add(*, actor: User, child: Child, **fields: Any) -> Placement:
    _require_edit(actor, child)
    if not fields.get("placement_ref"):
        fields["placement_ref"] = f"{child.child_ref}-P{child.placements.count() + 1}"
    placement = Placement(child=child, agency=actor.agency, **fields)
    placement.full_clean()
    placement.save()
    access_event_record(actor=actor, action=Action.CREATE, obj=placement, child=child)
    return placement


@transaction.atomic
def child_alias_add(*, actor: User, child: Child, name: str, note: str = "") -> ChildAlias:
    _require_edit(actor, child)
    alias = ChildAlias(child=child, name=name, note=note)
    alias.full_clean()
    alias.save()
    access_event_record(actor=actor, action=Action.CREATE, obj=alias, child=child)
    return alias


@transaction.atomic
def child_identifier_add(*, actor: User, child: Child, kind: str, value: str) -> ChildIdentifier:
    _require_edit(actor, child)
    identifier = ChildIdentifier(child=child, kind=kind, value=value.strip(), agency=actor.agency)
    identifier.full_clean()
    identifier.save()
    access_event_record(actor=actor, action=Action.CREATE, obj=identifier, child=child)
    return identifier


@transaction.atomic
def break_glass_grant(*, actor: User, child: Child, reason: str) -> BreakGlassGrant:
    """Grant time-limited read access with a declared reason; audited and shown to the lead."""
    if not access.can_break_glass(actor, child):
        raise PermissionDenied("You cannot request emergency access to this record")
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError(
            {"reason": "Give the reason you need this record (10 characters or more)"}
        )
    now = timezone.now()
    grant = BreakGlassGrant(
        child=child,
        user=actor,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(minutes=settings.CAIRN_BREAK_GLASS_MINUTES),
    )
    grant.full_clean()
    grant.save()
    access_event_record(
        actor=actor, action=Action.BREAK_GLASS, obj=grant, child=child, reason=reason
    )
    return grant
