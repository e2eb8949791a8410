"""Shared helpers for the risk tests: the catalogue, a child with professionals, and a screening."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from cairn.accounts.models import Agency, Role, User
from cairn.children.models import Child
from cairn.risk.models import Indicator, RiskAssessment
from cairn.risk.services import risk_assessment_submit
from tests.factories import AgencyFactory, ChildFactory, InvolvementFactory, UserFactory

WITHIN = "within_6_months"
OLDER = "6_to_12_months"


def years_ago(years: int, days: int = 0) -> dt.date:
    """A date of birth for a child who is `years` old today (plus `days` more)."""
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - dt.timedelta(days=days)


@dataclass
class Team:
    agency: Agency
    other: Agency
    lead: User  # practitioner, lead professional of `child`
    colleague: User  # practitioner of the same agency, not involved
    manager: User
    stranger: User  # practitioner of another agency
    child: Child


@pytest.fixture
def team(db) -> Team:  # type: ignore[no-untyped-def]
    agency = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    other = AgencyFactory(code="POL", name="Synthetshire Police", kind=Agency.Kind.POLICE)
    lead = UserFactory(username="lead", agency=agency, password=None)
    colleague = UserFactory(username="colleague", agency=agency, password=None)
    manager = UserFactory(username="manager", agency=agency, role=Role.MANAGER, password=None)
    stranger = UserFactory(username="stranger", agency=other, password=None)
    child = ChildFactory(
        agency=agency, lead_professional=lead, date_of_birth=years_ago(15), sex="male"
    )
    InvolvementFactory(child=child, user=lead, agency=agency)
    return Team(agency, other, lead, colleague, manager, stranger, child)


@pytest.fixture
def catalogue(db) -> dict[str, Indicator]:  # type: ignore[no-untyped-def]
    """The starting catalogue (migration 0002), by code."""
    return {indicator.code: indicator for indicator in Indicator.objects.all()}


VULNERABILITIES = [
    "v-emotional-neglect",
    "v-physical-abuse",
    "v-family-breakdown",
    "v-low-self-esteem",
    "v-isolated",
    "v-looked-after",
]
MODERATE = ["m-staying-out-late", "m-unknown-callers", "m-school-absence", "m-drug-alcohol"]
SIGNIFICANT = ["s-missing", "s-found-out-of-area", "s-multiple-phones", "s-drug-debt"]


def picks(
    catalogue: dict[str, Indicator],
    *,
    vulnerabilities: int = 0,
    moderate: int = 0,
    significant: int = 0,
    recency: str = WITHIN,
) -> list[tuple[Indicator, str]]:
    chosen = [(catalogue[c], "") for c in VULNERABILITIES[:vulnerabilities]]
    chosen += [(catalogue[c], recency) for c in MODERATE[:moderate]]
    chosen += [(catalogue[c], recency) for c in SIGNIFICANT[:significant]]
    return chosen


def submit(actor: User, child: Child, **overrides: Any) -> RiskAssessment:
    """A screening with sensible defaults; returns the assessment."""
    fields: dict[str, Any] = {
        "assessed_on": timezone.localdate(),
        "selections": [],
        "level": "none",
        "exploitation_types": [],
        "cin_factors": [],
        "rationale": "",
    } | overrides
    assessment, _ = risk_assessment_submit(actor=actor, child=child, **fields)
    return assessment
