"""What shapes each synthetic child's story, and how often: ages, statuses, agencies.

The weights are plausible for a county's children known to services (most aged 13 to 17, about a
quarter looked after); they are not statistics about real children. A plan is drawn for every
child before anything is written, so that staff numbers can be sized to the caseloads.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cairn.children.models import (
    EducationStatus,
    Handling,
    ImmigrationStatus,
    LegalStatus,
    PlacementType,
    Sex,
)
from cairn.demo import content as c


class Weighted:
    """A fixed weighted choice, drawn with one call to the stream's random()."""

    def __init__(self, pairs: Sequence[tuple[Any, int]]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random) -> Any:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


AGES = Weighted([(8, 2), (9, 2), (10, 3), (11, 4), (12, 6), (13, 10), (14, 14), (15, 18)])
OLDER_AGES = Weighted([(16, 20), (17, 21)])
AGE_OLDER_SHARE = 41 / 100  # the weight of 16 and 17 among all ages
SEXES = Weighted([(Sex.FEMALE, 52), (Sex.MALE, 46), (Sex.OTHER, 1), (Sex.UNKNOWN, 1)])
UASC_SEXES = Weighted([(Sex.MALE, 90), (Sex.FEMALE, 10)])
LEGAL_STATUSES = Weighted(
    [
        (LegalStatus.NONE, 14),
        (LegalStatus.CHILD_IN_NEED, 35),
        (LegalStatus.CHILD_PROTECTION, 22),
        (LegalStatus.LOOKED_AFTER, 25),
        (LegalStatus.CARE_LEAVER, 4),
    ]
)
ETHNICITIES = Weighted(c.ETHNICITIES)
UASC_ETHNICITIES = Weighted(c.UASC_ETHNICITIES)
UASC_IMMIGRATION = Weighted(
    [
        (ImmigrationStatus.CLAIM_PENDING, 50),
        (ImmigrationStatus.UASC_LEAVE, 20),
        (ImmigrationStatus.REFUGEE, 15),
        (ImmigrationStatus.REFUSED, 10),
        (ImmigrationStatus.HUMANITARIAN, 5),
    ]
)
PARTNER_COUNT = Weighted([(1, 40), (2, 40), (3, 20)])
MOVES = Weighted([(0, 40), (1, 30), (2, 20), (3, 10)])
RECORDING_AGENCY = Weighted([(c.CHILDRENS_SERVICES, 90), (c.POLICE, 6), (c.EDUCATION, 4)])
HANDLING = Weighted([(Handling.STANDARD, 80), (Handling.SENSITIVE, 15), (Handling.RESTRICTED, 5)])
CARE_TYPES = Weighted(
    [
        (PlacementType.FOSTER, 55),
        (PlacementType.KINSHIP, 10),
        (PlacementType.CHILDRENS_HOME, 30),
        (PlacementType.SECURE, 1),
    ]
)
IN_CARE = {LegalStatus.LOOKED_AFTER, LegalStatus.CARE_LEAVER}
MAX_YEARS_KNOWN = 6  # services knew every child for at most six years before the anchor
AT_SCHOOL = {EducationStatus.ON_ROLL, EducationStatus.SUSPENDED}


@dataclass(slots=True)
class ChildPlan:
    """What shapes a child's story, decided up front so that staff can be sized to it."""

    age: int
    sex: str
    legal_status: str
    uasc: bool
    concern: bool
    missing: bool
    partners: tuple[tuple[str, bool], ...]  # (agency code, involved as a team rather than a person)


def child_plan(rng: random.Random) -> ChildPlan:
    age = OLDER_AGES.pick(rng) if rng.random() < AGE_OLDER_SHARE else AGES.pick(rng)
    uasc = age >= 14 and rng.random() < 0.04
    sex = UASC_SEXES.pick(rng) if uasc else SEXES.pick(rng)
    if uasc:
        legal = LegalStatus.LOOKED_AFTER
    else:
        legal = LEGAL_STATUSES.pick(rng)
        if legal == LegalStatus.CARE_LEAVER and age < 16:
            legal = LegalStatus.LOOKED_AFTER
    in_care = legal in IN_CARE
    concern = rng.random() < (0.55 if in_care or age >= 13 else 0.3)
    missing = rng.random() < (0.5 if concern else 0.2) + (0.1 if in_care else 0.0)
    weights = {
        c.POLICE: 6 if concern or missing else 2,
        c.HEALTH: 3,
        c.EDUCATION: 3 if age < 16 else 1,
        c.YOUTH_JUSTICE: 2 if concern and age >= 10 else 0.3,
        c.VOLUNTARY: 2 if concern else 1,
    }
    partners: list[tuple[str, bool]] = []
    for _ in range(PARTNER_COUNT.pick(rng)):
        codes = [code for code in c.PARTNER_AGENCIES if code not in dict(partners)]
        code = rng.choices(codes, weights=[weights[code] for code in codes])[0]
        partners.append((code, rng.random() < 0.05))
    return ChildPlan(age, sex, legal, uasc, concern, missing, tuple(partners))
