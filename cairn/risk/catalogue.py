"""The starting indicator catalogue (DOMAIN.md), version 1. Codes are stable: never reuse one.

Loaded by migration 0002. Later changes are made as data by administrators (add or retire
indicators), each publishing a new catalogue version; assessments record the version they used.
"""

from __future__ import annotations

# (code, wording, exploitation types it points to)
VULNERABILITIES: list[tuple[str, str, list[str]]] = [
    ("v-emotional-neglect", "Emotional neglect", []),
    ("v-physical-abuse", "Physical abuse", []),
    ("v-sexual-abuse", "Sexual abuse", []),
    ("v-family-breakdown", "Family breakdown", []),
    (
        "v-toxic-trio",
        "Domestic abuse, parental substance misuse or mental ill-health",
        [],
    ),
    ("v-low-self-esteem", "Low self-esteem", []),
    ("v-unsuitable-accommodation", "Unsuitable accommodation", []),
    ("v-isolated", "Isolated from peers", []),
    ("v-no-protective-adult", "No protective adult", []),
    ("v-looked-after", "Looked after", []),
    ("v-send", "Special educational needs or learning disability", []),
    ("v-not-in-education", "Excluded or not in education", []),
    ("v-previous-victim", "Previous victim of exploitation", []),
]

MODERATE: list[tuple[str, str, list[str]]] = [
    ("m-staying-out-late", "Staying out late", []),
    ("m-unknown-callers", "Multiple unknown callers", []),
    ("m-phone-internet", "Phone or internet use causing concern", ["online"]),
    ("m-despair-self-harm", "Expressions of despair or self-harm", []),
    ("m-school-absence", "School absence or exclusion", []),
    ("m-disclosure-withdrawal", "Disclosure then withdrawal", []),
    ("m-sti", "Sexually transmitted infection", ["sexual"]),
    ("m-peers-exploited", "Peers involved in exploitation", []),
    ("m-drug-alcohol", "Drug or alcohol use", []),
    ("m-independent-not-engaging", "Living independently and not engaging", []),
]

# (code, wording, group, exploitation types)
SIGNIFICANT: list[tuple[str, str, str, list[str]]] = [
    ("s-missing", "Going missing", "sexual", ["sexual", "criminal"]),
    ("s-older-partner", "Controlling older adult presented as a partner", "sexual", ["sexual"]),
    ("s-picked-up-cars", "Picked up in cars by unknown adults", "sexual", ["sexual"]),
    (
        "s-unexplained-gifts",
        "Unexplained money, gifts, clothes or phone credit",
        "sexual",
        ["sexual", "criminal"],
    ),
    ("s-hotspots", "Seen in hotspot locations", "sexual", ["sexual", "criminal"]),
    ("s-online-grooming", "Online grooming or late-night contact", "sexual", ["sexual", "online"]),
    (
        "s-hotels-taxis",
        "Hotels, taxi firms or takeaways linked to concerns",
        "sexual",
        ["sexual"],
    ),
    ("s-recurring-sti", "Recurring STIs or pregnancy termination", "sexual", ["sexual"]),
    ("s-found-out-of-area", "Found out of area", "criminal", ["criminal", "county_lines"]),
    ("s-arrested-out-of-area", "Arrested out of area", "criminal", ["criminal", "county_lines"]),
    (
        "s-drugs-cash-weapons",
        "Drugs, cash or weapons found",
        "criminal",
        ["criminal", "county_lines"],
    ),
    ("s-multiple-phones", "Multiple phones or SIMs", "criminal", ["criminal", "county_lines"]),
    (
        "s-internal-concealment",
        "Made to conceal drugs internally",
        "criminal",
        ["criminal", "county_lines"],
    ),
    ("s-unexplained-injuries", "Unexplained injuries", "criminal", ["criminal"]),
    (
        "s-hotel-keys-tickets",
        "Hotel keys or travel tickets",
        "criminal",
        ["criminal", "county_lines"],
    ),
    ("s-fear-of-reprisal", "Fear of reprisal", "criminal", ["criminal"]),
    ("s-drug-debt", "Drug debt", "criminal", ["criminal", "county_lines"]),
    ("s-rewarded-for-peers", "Rewarded for introducing peers", "criminal", ["criminal"]),
    (
        "s-gang-association",
        "Controlled by a gang or organised crime group",
        "criminal",
        ["criminal"],
    ),
    ("s-images-under-pressure", "Sharing of images under pressure", "online", ["online", "sexual"]),
    ("s-unknown-adult-contact", "Contact from unknown adults online", "online", ["online"]),
    ("s-sextortion", "Sextortion", "online", ["online", "sexual"]),
    (
        "s-movement-arranged",
        "Movement across areas or borders arranged by others",
        "trafficking",
        ["trafficking"],
    ),
    ("s-documents-held", "Documents held by others", "trafficking", ["trafficking", "labour"]),
    ("s-travel-debt", "Owes a debt for travel", "trafficking", ["trafficking", "labour"]),
    (
        "s-no-control-money",
        "Not in control of own money",
        "trafficking",
        ["trafficking", "labour"],
    ),
]
