"""What the synthetic county's assessors write: rationales for risk levels, and the names of the
pieces of work whose outcomes are scored.

Written in children-first language (DOMAIN.md): the adults who exploit children are responsible,
never the child. A test runs every rationale the generator writes through the language checker.
Placeholders: {name} (the child's given name), {their}/{them} (never with a verb that would have
to agree with the pronoun), {reasons} (what was seen, e.g. "found out of area and drug debt"),
{reason} (one significant indicator), {level}, {suggested}, {floor_age}.
"""

from __future__ import annotations

from cairn.demo import content as c

RATIONALE_HIGH = (
    "{name} is being exploited: {reasons}. A strategy discussion has been held and {name} is on "
    "the agenda for the next exploitation panel.",
    "Serious risk. Adults are controlling {name}; what has been seen: {reasons}. A multi-agency "
    "safety plan is in place and police are working to disrupt the adults responsible.",
    "{name} spoke to {their} worker about {reasons}. {name} is not to blame and needs protecting "
    "now; daily contact agreed and the exploitation panel informed.",
    "Evidence that {name} is being exploited: {reasons}. Statutory multi-agency response; the "
    "adults responsible are the focus of police disruption.",
)
RATIONALE_MEDIUM = (
    "{name} is likely being groomed: {reasons}. Safety plan agreed with {name} and the family.",
    "Significant risk: {reasons}. Weekly contact from the exploitation outreach worker and a "
    "review in six weeks.",
    "Concerns that adults are targeting {name}: {reasons}. Information shared with police and "
    "the school's designated safeguarding lead.",
)
RATIONALE_LOW = (
    "Early signs: {reasons}. {name} has a trusted adult at school and wants help to stay safe.",
    "Emerging risk from {reasons}. Support through school and family support; review in three "
    "months.",
    "Vulnerable to exploitation: {reasons}. {name} knows who to contact for help.",
)
RATIONALE_OVERRIDE = (
    "The score suggests {suggested}; raised to {level} because police intelligence links "
    "{name} to adults known to target children.",
    "The score suggests {suggested}; raised to {level} because {name} has been seen with adults "
    "already identified as exploiting children.",
    "The score suggests {suggested}; raised to {level} because the concerns are escalating "
    "quickly and {name} is frightened of the adults who contact {them}.",
    "The score suggests {suggested}; raised to {level} on the professional judgement of the "
    "network: {name} is hard to reach and the adults around {them} are not known.",
)
RATIONALE_FLOOR_AGE = (
    "{name} is under {floor_age} and shows a significant indicator ({reason}), so the level "
    "cannot be below {level}.",
)
RATIONALE_FLOOR_DISABILITY = (
    "{name} has a learning disability and shows a significant indicator ({reason}), so the "
    "level cannot be below {level}.",
)
RATIONALE_CLOSED = (
    "No current indicators of exploitation. {name} is settled; closed to the exploitation "
    "pathway with support continuing from universal services.",
    "Risk has reduced over the last review period. The safety plan has ended and {name} knows "
    "how to ask for help.",
    "The adults who targeted {name} have been disrupted and no indicators have been seen for "
    "six months. Closed with the agreement of {name} and the family.",
)
RATIONALE_SCREENED = (
    "Screened after a concern raised by school; no indicators of exploitation found.",
    "Screened at referral: vulnerabilities noted and support offered, no exploitation indicators.",
    "Screened after a missing from home report; no indicators of exploitation at present.",
)

# Outcomes ("distance travelled"): what the piece of work is called, by the agency doing it.
INTERVENTIONS: dict[str, tuple[str, ...]] = {
    c.CHILDRENS_SERVICES: (
        "Direct work with the allocated social worker",
        "Family network meetings",
    ),
    c.VOLUNTARY: ("One-to-one exploitation support", "Mentoring programme"),
    c.YOUTH_JUSTICE: ("Prevention and diversion programme",),
    c.HEALTH: ("Emotional wellbeing sessions", "Sexual health outreach"),
    c.EDUCATION: ("In-school mentoring and attendance support",),
}
