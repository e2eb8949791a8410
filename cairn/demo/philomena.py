"""Philomena Protocol profiles for the synthetic county's looked-after children.

Most looked-after children have a profile, reviewed within the last six months
(`CAIRN_PHILOMENA_REVIEW_MONTHS`) and usually since their current placement began; some are
overdue, or were last reviewed before the child moved. Descriptions are plausible for the child's
age, sex and ethnicity and describe no one: heights from typical growth for the age, common hair
and eye colours, ordinary clothes. Phone numbers come from the range Ofcom keeps for drama
(07700 900000 to 900999), social media usernames end in ".sx" and friends appear by initials only
(DOMAIN.md: peers not open to services). No photos. Drawn from the "philomena" random stream.
"""

from __future__ import annotations

import bisect
import random
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings

from cairn.children.models import LegalStatus, Placement, PlacementType, Sex
from cairn.core.models import Ward
from cairn.demo import content as c
from cairn.demo.missing_rows import MissingRows
from cairn.demo.plans import Weighted

if TYPE_CHECKING:
    from cairn.accounts.models import User
    from cairn.demo.risk import RiskHistory, RiskSubject

PROFILE_CHANCE = 0.9
OVERDUE = 0.15
# Typical heights (cm) by age.
HEIGHTS: dict[str, dict[int, int]] = {
    Sex.FEMALE: {8: 128, 9: 133, 10: 138, 11: 144, 12: 151, 13: 156, 14: 159, 15: 161, 16: 162},
    Sex.MALE: {8: 128, 9: 133, 10: 138, 11: 143, 12: 149, 13: 156, 14: 163, 15: 169, 16: 173},
}
TALLEST: dict[str, int] = {Sex.FEMALE: 163, Sex.MALE: 175}
BUILDS = Weighted(
    [("Slim", 35), ("Medium build", 40), ("Stocky", 12), ("Slight", 8), ("Tall and slim", 5)]
)
FAIR_HAIR = Weighted(
    [("Blonde", 15), ("Light brown", 30), ("Dark brown", 35), ("Red", 6), ("Black", 8),
     ("Dyed pink at the ends", 3), ("Dyed blue", 3)]
)  # fmt: skip
DARK_HAIR = Weighted([("Black", 65), ("Dark brown", 35)])
MIXED_HAIR = Weighted([("Dark brown", 40), ("Black", 40), ("Light brown", 20)])
STYLES: dict[str, tuple[str, ...]] = {
    Sex.FEMALE: ("long, usually tied back", "shoulder length", "long, in braids", "short bob",
                 "curly, shoulder length"),
    Sex.MALE: ("short", "short, faded at the sides", "short and curly", "short with a fringe",
               "in short twists"),
}  # fmt: skip
FAIR_EYES = Weighted([("Blue", 35), ("Brown", 35), ("Green", 12), ("Hazel", 18)])
DARK_EYES = Weighted([("Brown", 85), ("Dark brown", 15)])
FEATURES = Weighted(
    [("None known", 45), ("Pierced ears", 20), ("Small scar above the {side} eyebrow", 8),
     ("Freckles across the nose", 7), ("Wears glasses", 8), ("Small scar on the {side} hand", 6),
     ("Nose piercing", 4), ("Birthmark on the back of the {side} hand", 2)]
)  # fmt: skip
CLOTHING = (
    "Usually wears a black puffer jacket, tracksuit and white trainers.",
    "Likes sports clothes: football shirts, joggers and trainers.",
    "Often in a hooded top and jeans, with a cross-body bag.",
    "Dresses up when going out; usually carries a small bag.",
    "School uniform on weekdays and a grey hooded top at weekends.",
    "Dark clothes and a black cap most of the time.",
)
HANDSETS = ("black smartphone in a clear case", "white smartphone with a cracked screen",
            "blue smartphone in a pink case", "black smartphone in a camouflage case")  # fmt: skip
MEDICAL = Weighted(
    [("None known", 70), ("Asthma: carries a blue inhaler", 12),
     ("ADHD: takes medication each morning", 6), ("Eczema: uses a prescribed cream", 5),
     ("Allergic to penicillin", 3), ("Type 1 diabetes: needs insulin every day", 2),
     ("Epilepsy: takes medication twice a day", 2)]
)  # fmt: skip
RISK_WORDS = {
    "sexual": "sexual exploitation",
    "criminal": "criminal exploitation",
    "county_lines": "criminal exploitation through county lines",
    "online": "online grooming",
    "trafficking": "trafficking",
    "labour": "labour exploitation",
}
UASC_LANGUAGES = {
    "Black African": ("Tigrinya", "Amharic", "Somali", "Oromo"),
    "Asian Other": ("Pashto", "Dari"),
    "Other ethnic group": ("Arabic", "Kurdish Sorani", "Farsi"),
    "White Other": ("Albanian",),
}
HOME_LANGUAGES = {
    "Asian Pakistani": ("Urdu", "Punjabi"),
    "Asian Bangladeshi": ("Bengali", "Sylheti"),
    "Asian Indian": ("Gujarati", "Punjabi"),
    "White Other": ("Polish", "Romanian", "Lithuanian"),
}
NOT_IN_EDUCATION = {"permanently_excluded", "missing_education", "alternative_provision"}
LETTERS = "ABCDEGHJKLMNPRSTW"


class PhilomenaProfiles:
    def __init__(self, *, seed: int, anchor: date, wards: list[Ward], created_at: Any) -> None:
        self.anchor = anchor
        self.rng = random.Random(f"cairn-demo:{seed}:philomena")
        self.wards = wards
        self.review_days = int(settings.CAIRN_PHILOMENA_REVIEW_MONTHS * 365.25 / 12)
        self.created_at = created_at

    def child_add(
        self,
        s: RiskSubject,
        history: RiskHistory,
        placements: list[Placement],
        school: str,
        rows: MissingRows,
    ) -> None:
        """Append a profile for a looked-after child (most of them) to `rows`."""
        rng, child = self.rng, s.child
        if child.legal_status != LegalStatus.LOOKED_AFTER or rng.random() >= PROFILE_CHANCE:
            return
        placements = sorted(placements, key=lambda p: p.start_date)
        in_care = [p for p in placements if p.placement_type != PlacementType.HOME]
        care_start = in_care[0].start_date if in_care else s.known_since
        reviewed = self._reviewed_on(care_start, placements[-1].start_date)
        starts = [p.start_date for p in placements]
        placement = placements[max(0, bisect.bisect_right(starts, reviewed) - 1)]
        reviewer: User = (
            s.previous if s.previous is not None and reviewed < s.lead_start else s.lead
        )
        dob = child.date_of_birth
        assert dob is not None
        age = reviewed.year - dob.year - ((reviewed.month, reviewed.day) < (dob.month, dob.day))
        rows.profiles.append(
            [
                child,
                self._height(child.sex, age),
                BUILDS.pick(rng),
                self._hair(child.sex, child.ethnicity),
                (FAIR_EYES if child.ethnicity.startswith("White") else DARK_EYES).pick(rng),
                FEATURES.pick(rng).format(side=rng.choice(("left", "right"))),
                rng.choice(CLOTHING),
                self._phones(history.types),
                self._social_media(child.given_name),
                self._associates(school, history.types),
                self._places(),
                self._risk_locations(history.types),
                MEDICAL.pick(rng),
                self._vulnerabilities(s, history.types),
                self._languages(child.ethnicity, child.uasc),
                reviewed,
                reviewer.id,
                placement,
                self.created_at,
                self.created_at,
            ]
        )

    def _reviewed_on(self, care_start: date, current_start: date) -> date:
        rng, anchor = self.rng, self.anchor
        overdue_from = anchor - timedelta(days=self.review_days + 5)
        if rng.random() < OVERDUE and care_start < overdue_from:
            earliest = max(care_start, anchor - timedelta(days=self.review_days + 150))
            return earliest + timedelta(days=rng.randint(0, (overdue_from - earliest).days))
        earliest = max(care_start, anchor - timedelta(days=self.review_days - 1))
        if current_start > earliest and rng.random() < 0.8:
            earliest = current_start  # reviewed when the child moved
        return earliest + timedelta(days=rng.randint(0, (anchor - earliest).days))

    def _height(self, sex: str, age: int) -> str:
        table = HEIGHTS.get(sex) or HEIGHTS[self.rng.choice((Sex.FEMALE, Sex.MALE))]
        typical = table.get(age, TALLEST.get(sex, 169) if age > 16 else 128)
        cm = round(self.rng.gauss(typical, 6))
        inches = round(cm / 2.54)
        return f"{cm} cm ({inches // 12} ft {inches % 12} in)"

    def _hair(self, sex: str, ethnicity: str) -> str:
        rng = self.rng
        if ethnicity.startswith("White") or ethnicity == "Gypsy or Roma":
            colour = FAIR_HAIR.pick(rng)
        elif ethnicity.startswith("Mixed"):
            colour = MIXED_HAIR.pick(rng)
        else:
            colour = DARK_HAIR.pick(rng)
        styles = STYLES.get(sex) or STYLES[rng.choice((Sex.FEMALE, Sex.MALE))]
        return f"{colour}, {rng.choice(styles)}"

    def _phones(self, types: list[str]) -> str:
        rng = self.rng
        text = f"Mobile 07700 900{rng.randint(0, 999):03d}: {rng.choice(HANDSETS)}."
        if {"criminal", "county_lines"} & set(types) and rng.random() < 0.6:
            text += " Has been seen with a second phone; number not known."
        return text

    def _social_media(self, given: str) -> str:
        rng = self.rng
        if rng.random() < 0.2:
            return ""
        base = "".join(ch for ch in given.lower() if ch.isascii() and ch.isalnum()) or "user"
        names = [f"Snapchat: {base}{rng.randint(10, 99)}.sx"]
        if rng.random() < 0.6:
            names.append(f"Instagram: {base}_{rng.randint(100, 999)}.sx")
        if rng.random() < 0.3:
            names.append(f"TikTok: {base}{rng.choice(('xo', 'x', '_official'))}.sx")
        return "; ".join(names)

    def _associates(self, school: str, types: list[str]) -> str:
        rng = self.rng

        def initials() -> str:
            return f"{rng.choice(LETTERS)}.{rng.choice(LETTERS)}."

        where = f"from {school}" if school else "from the estate"
        text = f"Friends {where}: {initials()} and {initials()}"
        if types:
            text += f"; older young people in {rng.choice(self.wards).name} (names held by police)"
        return text + "."

    def _places(self) -> str:
        rng = self.rng
        first, second = rng.sample(self.wards, 2)
        return (
            f"{first.name} town centre; the skate park in {second.name}; fast food places near "
            f"the bus station in {first.name}."
        )

    def _risk_locations(self, types: list[str]) -> str:
        rng = self.rng
        if not types:
            return ""
        return (
            f"{rng.choice(c.OUT_OF_AREA_TOWNS)} railway station; an address in "
            f"{rng.choice(self.wards).name} linked to concerns (details held by police)."
        )

    def _vulnerabilities(self, s: RiskSubject, types: list[str]) -> str:
        rng, child = self.rng, s.child
        found = []
        if child.learning_disability:
            found.append("Has a learning disability and may not recognise when adults are grooming")
        if types:
            found.append("Assessed at risk of " + " and ".join(RISK_WORDS[t] for t in types))
        if child.uasc:
            found.append("Unaccompanied asylum-seeking child; the people who arranged the journey "
                         "may try to make contact")  # fmt: skip
        if child.education_status in NOT_IN_EDUCATION:
            found.append("Not in full-time education")
        if rng.random() < 0.1:
            found.append("Has self-harmed when distressed")
        return ". ".join(found) + "." if found else "No others recorded."

    def _languages(self, ethnicity: str, uasc: bool) -> str:
        rng = self.rng
        if uasc:
            first = rng.choice(UASC_LANGUAGES.get(ethnicity, ("Arabic",)))
            return f"{first}; {rng.choice(('some English', 'a little English', 'good English'))}"
        if ethnicity in HOME_LANGUAGES and rng.random() < 0.4:
            return f"English and {rng.choice(HOME_LANGUAGES[ethnicity])}"
        return "English"
