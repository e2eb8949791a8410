"""Shared fixtures for the panels tests: a MACE panel chaired by a police manager, with members
from children's services and health; two children at risk with their professionals; a meeting
next week. Helpers store assessments, agenda items and meetings directly (the services are tested
on their own)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from cairn.accounts.models import Agency, Role, User
from cairn.children.models import Child
from cairn.panels.models import AgendaItem, AgendaReason, Meeting, Panel, PanelMember
from cairn.risk.models import RiskAssessment
from cairn.risk.services import catalogue_ensure_v1
from tests.factories import AgencyFactory, ChildFactory, InvolvementFactory, UserFactory

_refs = itertools.count(1)


@dataclass
class PanelWorld:
    scc: Agency  # children's services
    police: Agency
    health: Agency
    chair: User  # police manager, chairs the panel
    social_worker: User  # lead professional of both children, sits on the panel
    manager: User  # children's services manager (not on the panel)
    nurse: User  # health practitioner on the panel (role: panel member)
    outsider: User  # police practitioner, not on the panel, involved with nobody
    jordan: Child  # high risk, lead: social_worker
    casey: Child  # medium risk, recorded by health, lead: none
    panel: Panel
    meeting: Meeting  # next week's meeting, agenda not yet published


def assessment(child: Child, level: str, on: dt.date, **fields: Any) -> RiskAssessment:
    """A stored assessment at `level` on `on` (the current flag is kept by save())."""
    values: dict[str, Any] = {
        "assessment_ref": f"RA-P-{next(_refs)}",
        "child": child,
        "agency": child.agency,
        "assessed_on": on,
        "catalogue_version": catalogue_ensure_v1(),
        "suggested_level": level,
        "level": level,
        "exploitation_types": ["criminal"],
    } | fields
    return RiskAssessment.objects.create(**values)


def meeting(panel: Panel, held_on: dt.date, **fields: Any) -> Meeting:
    values: dict[str, Any] = {
        "meeting_ref": f"MT-P-{next(_refs)}",
        "panel": panel,
        "meeting_type": panel.panel_type if panel.panel_type in {"mace", "mase"} else "other",
        "held_on": held_on,
    } | fields
    return Meeting.objects.create(**values)


def on_agenda(
    meeting: Meeting, child: Child, *, published: bool = True, reason: str = AgendaReason.NEW_RISK
) -> AgendaItem:
    """Put the child on the meeting's agenda and (by default) publish it."""
    item = AgendaItem.objects.create(meeting=meeting, child=child, reason=reason)
    if published and meeting.agenda_published_at is None:
        meeting.agenda_published_at = timezone.now()
        meeting.status = Meeting.Status.AGENDA_PUBLISHED
        meeting.save()
    return item


@pytest.fixture
def panel_world(db) -> PanelWorld:  # type: ignore[no-untyped-def]
    scc = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    police = AgencyFactory(code="POL", name="Synthetshire Police", kind=Agency.Kind.POLICE)
    health = AgencyFactory(code="NHS", name="Synthetshire Health", kind=Agency.Kind.HEALTH)
    chair = UserFactory(
        username="chair", first_name="Pat", last_name="Chairwell", agency=police,
        role=Role.MANAGER,
    )  # fmt: skip
    social_worker = UserFactory(username="sw", first_name="Sam", last_name="Brookvale", agency=scc)
    manager = UserFactory(username="scc.manager", agency=scc, role=Role.MANAGER)
    nurse = UserFactory(
        username="nurse", first_name="Nia", last_name="Hale", agency=health,
        role=Role.PANEL_MEMBER,
    )  # fmt: skip
    outsider = UserFactory(username="pc.other", agency=police)
    today = timezone.localdate()
    jordan = ChildFactory(
        agency=scc, given_name="Jordan", family_name="Ashdown", lead_professional=social_worker,
        date_of_birth=today - dt.timedelta(days=15 * 365),
    )  # fmt: skip
    InvolvementFactory(child=jordan, user=social_worker, agency=scc)
    casey = ChildFactory(
        agency=health, given_name="Casey", family_name="Millbrook",
        date_of_birth=today - dt.timedelta(days=14 * 365),
    )  # fmt: skip
    assessment(jordan, "high", today - dt.timedelta(days=10))
    assessment(casey, "medium", today - dt.timedelta(days=20))
    panel = Panel.objects.create(name="Synthetshire MACE", panel_type="mace", cadence_days=28)
    panel.agencies.set([scc, police, health])
    start = today - dt.timedelta(days=365)
    PanelMember.objects.create(panel=panel, user=chair, role="chair", started_on=start)
    PanelMember.objects.create(panel=panel, user=social_worker, started_on=start)
    PanelMember.objects.create(panel=panel, user=nurse, started_on=start)
    next_meeting = meeting(panel, today + dt.timedelta(days=7))
    return PanelWorld(
        scc, police, health, chair, social_worker, manager, nurse, outsider, jordan, casey,
        panel, next_meeting,
    )  # fmt: skip
