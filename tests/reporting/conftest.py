"""A small, hand-checked register for the `register.*` KPIs.

Geography: division EAST holds wards A and B, division WEST holds ward C, ward D has no division.

Histories (levels on dates; "→" separates assessments in the order they were recorded):

| key            | ward | history                                                 |
|----------------|------|---------------------------------------------------------|
| rising         | A    | none 2023-01-10 → low 2024-05-15                        |
| long_standing  | A    | medium 2023-06-01 → high 2024-02-01                     |
| future_only    | A    | low 2024-07-01                                          |
| unassessed     | A    | (no assessments)                                        |
| fell_before    | B    | high 2024-01-10 → none 2024-06-20                       |
| fell_after     | B    | medium 2024-03-01 → none 2024-07-01                     |
| eve            | B    | low 2024-03-31                                          |
| same_day       | C    | low 2024-06-30 → high 2024-06-30 (same date)            |
| same_day_off   | C    | medium 2024-04-01 → none 2024-04-01 (same date)         |
| same_day_down  | C    | high 2023-09-09 → low 2023-09-09 (same date)            |
| never          | C    | none 2024-05-01                                         |
| returning      | D    | low 2022-05-01 → none 2023-01-01 → medium 2024-05-01    |
| no_ward        | -    | low 2024-04-15                                          |

Expected figures are worked out next to each test.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest

from cairn.accounts.models import Agency
from cairn.children.models import Child
from cairn.core.models import Division, LocalAuthority, Locality, Ward
from cairn.risk.models import CatalogueVersion, RiskAssessment

_refs = itertools.count(1)


def assess(child: Child, on: str | dt.date, level: str, agency: Agency) -> RiskAssessment:
    """An assessment at `level` on `on`, built directly (no scoring): score and suggestion match."""
    day = dt.date.fromisoformat(on) if isinstance(on, str) else on
    return RiskAssessment.objects.create(
        assessment_ref=f"RA-T-{next(_refs):06d}",
        child=child,
        agency=agency,
        assessed_on=day,
        catalogue_version=CatalogueVersion.objects.get(number=1),
        score={"none": 0, "low": 3, "medium": 8, "high": 14}[level],
        suggested_level=level,
        level=level,
    )


@dataclass
class Register:
    agency: Agency
    wards: dict[str, Ward]
    divisions: dict[str, Division]
    children: dict[str, Child]


HISTORIES: dict[str, tuple[str | None, list[tuple[str, str]]]] = {
    "rising": ("A", [("2023-01-10", "none"), ("2024-05-15", "low")]),
    "long_standing": ("A", [("2023-06-01", "medium"), ("2024-02-01", "high")]),
    "future_only": ("A", [("2024-07-01", "low")]),
    "unassessed": ("A", []),
    "fell_before": ("B", [("2024-01-10", "high"), ("2024-06-20", "none")]),
    "fell_after": ("B", [("2024-03-01", "medium"), ("2024-07-01", "none")]),
    "eve": ("B", [("2024-03-31", "low")]),
    "same_day": ("C", [("2024-06-30", "low"), ("2024-06-30", "high")]),
    "same_day_off": ("C", [("2024-04-01", "medium"), ("2024-04-01", "none")]),
    "same_day_down": ("C", [("2023-09-09", "high"), ("2023-09-09", "low")]),
    "never": ("C", [("2024-05-01", "none")]),
    "returning": (
        "D",
        [("2022-05-01", "low"), ("2023-01-01", "none"), ("2024-05-01", "medium")],
    ),
    "no_ward": (None, [("2024-04-15", "low")]),
}


def geography() -> tuple[dict[str, Division], dict[str, Ward]]:
    la = LocalAuthority.objects.create(code="E10000099", name="Synthetshire County Council")
    locality = Locality.objects.create(local_authority=la, code="N", name="North")
    divisions = {
        key: Division.objects.create(local_authority=la, code=code, name=f"{key.title()} division")
        for key, code in (("EAST", "E58000001"), ("WEST", "E58000002"))
    }
    homes = {"A": "EAST", "B": "EAST", "C": "WEST", "D": None}
    wards = {
        key: Ward.objects.create(
            code=f"E0500000{n}",
            name=f"Ward {key}",
            locality=locality,
            division=divisions[home] if home else None,
        )
        for n, (key, home) in enumerate(homes.items(), start=1)
    }
    return divisions, wards


@pytest.fixture
def register(db) -> Register:  # type: ignore[no-untyped-def]
    agency = Agency.objects.create(code="SCC", name="Synthetshire Children's Services")
    divisions, wards = geography()
    children: dict[str, Child] = {}
    for n, (key, (ward, history)) in enumerate(HISTORIES.items(), start=1):
        child = Child.objects.create(
            child_ref=f"C-{n:03d}",
            agency=agency,
            given_name="Testchild",
            family_name=key.replace("_", " ").title(),
            ward=wards[ward] if ward else None,
        )
        for on, level in history:
            assess(child, on, level, agency)
        children[key] = child
    return Register(agency=agency, wards=wards, divisions=divisions, children=children)
