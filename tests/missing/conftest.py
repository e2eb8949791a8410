"""Shared fixtures for the missing tests: a child in care in a children's home, their
professionals in children's services, police officers of the partnership, and helpers to record
episodes directly (the services are tested on their own)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from cairn.accounts.models import Agency, Role, User
from cairn.children.models import Child, Placement
from cairn.missing.models import MissingEpisode
from tests.factories import (
    AgencyFactory,
    ChildFactory,
    InvolvementFactory,
    PlacementFactory,
    UserFactory,
)

_refs = itertools.count(1)


def at(text: str) -> dt.datetime:
    """An aware date-time from 'YYYY-MM-DD HH:MM' in Europe/London local time."""
    naive = dt.datetime.strptime(text, "%Y-%m-%d %H:%M")
    return timezone.make_aware(naive, timezone.get_default_timezone())


@dataclass
class Partnership:
    scc: Agency  # children's services
    police: Agency
    health: Agency
    lead: User  # social worker, lead professional of `child`
    manager: User  # children's services manager
    colleague: User  # children's services practitioner, not involved
    officer: User  # police practitioner, not involved with the child
    police_manager: User
    nurse: User  # health practitioner, not involved
    interviewer: User  # children's services practitioner who holds return interviews
    child: Child  # looked after, in a children's home
    home: Placement


@pytest.fixture
def partnership(db) -> Partnership:  # type: ignore[no-untyped-def]
    scc = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    police = AgencyFactory(code="POL", name="Synthetshire Police", kind=Agency.Kind.POLICE)
    health = AgencyFactory(code="NHS", name="Synthetshire Health", kind=Agency.Kind.HEALTH)
    lead = UserFactory(username="lead", agency=scc, password=None)
    manager = UserFactory(username="manager", agency=scc, role=Role.MANAGER, password=None)
    colleague = UserFactory(username="colleague", agency=scc, password=None)
    officer = UserFactory(username="officer", agency=police, password=None)
    police_manager = UserFactory(
        username="sergeant", agency=police, role=Role.MANAGER, password=None
    )
    nurse = UserFactory(username="nurse", agency=health, password=None)
    interviewer = UserFactory(username="interviewer", agency=scc, password=None)
    child = ChildFactory(
        agency=scc,
        lead_professional=lead,
        legal_status="looked_after",
        given_name="Jordan",
        family_name="Ashdown",
        date_of_birth=timezone.localdate() - dt.timedelta(days=15 * 365),
    )
    InvolvementFactory(child=child, user=lead, agency=scc)
    home = PlacementFactory(
        child=child,
        agency=scc,
        provider_name="Oakfield House",
        placement_type="childrens_home",
        start_date=timezone.localdate() - dt.timedelta(days=400),
    )
    return Partnership(
        scc,
        police,
        health,
        lead,
        manager,
        colleague,
        officer,
        police_manager,
        nurse,
        interviewer,
        child,
        home,
    )


def episode(
    child: Child, *, reported: str, returned: str | None = None, **fields: Any
) -> MissingEpisode:
    """An episode stored directly: last seen an hour before it was reported."""
    reported_at = at(reported)
    values: dict[str, Any] = {
        "episode_ref": f"ME-T-{next(_refs)}",
        "child": child,
        "agency": child.agency,
        "last_seen_at": reported_at - dt.timedelta(hours=1),
        "reported_at": reported_at,
        "returned_at": at(returned) if returned else None,
        "police_risk": "medium",
    } | fields
    return MissingEpisode.objects.create(**values)
