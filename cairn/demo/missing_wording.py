"""What the synthetic county writes about missing episodes: where children were last seen and
found, what they told the worker at the return home interview, why an interview did not happen,
and how repeat-missing alerts were followed up.

Written in children-first language (DOMAIN.md): a child who is missing may be being groomed,
controlled or trafficked, and the adults responsible are never the child. A test runs every text
the generator writes through the language checker. Placeholders: {name} (the child's given name),
{they}/{them}/{their} and capitalised {They} (only with verbs that agree with any pronoun: past
tense or "can"/"will"), {place} and {place2} (wards of the county), {far_place} (a town outside
it), {home} ("home" or "the placement"), {carer} ("mum", "foster carer", "key worker", ...).
"""

from __future__ import annotations

from cairn.demo import content as c

# --- going missing ---------------------------------------------------------------------------

LAST_SEEN_AT_PLACEMENT = (
    "Leaving {home} after tea",
    "In {their} bedroom at {home}",
    "Walking away from {home}",
    "At {home}, before going out to see friends",
)
LAST_SEEN_OUT = (
    "{place} town centre",
    "The bus station in {place}",
    "The park in {place}",
    "Outside the shops in {place}",
    "A friend's house in {place}",
    "The retail park in {place}",
)
LAST_SEEN_SCHOOL = ("Leaving {school} at the end of the school day", "The school gates, {school}")
LAST_SEEN_WITH = (
    ("", 20),
    ("Alone", 30),
    ("Two friends of a similar age", 18),
    ("A group of young people", 14),
    ("Getting into a car with adults not known to the family", 6),
    ("Young people the police believe are connected to adults exploiting children", 4),
)
REPORTED_BY = {
    "home": ("Mum", "Mum", "Dad", "Nan", "Aunt", "Stepdad"),
    "kinship": ("Nan", "Aunt", "Grandad"),
    "foster": ("Foster carer",),
    "childrens_home": ("Residential care worker", "Shift leader", "Registered manager"),
    "semi_independent": ("Support worker",),
    "secure": ("Duty manager",),
}
TOPS = (
    "black puffer jacket",
    "grey hooded top",
    "navy tracksuit top",
    "red hooded top",
    "white jacket with a fur-lined hood",
    "green parka",
    "school blazer and white shirt",
    "black bomber jacket",
)
BOTTOMS = (
    "black tracksuit bottoms",
    "grey joggers",
    "blue jeans",
    "black leggings",
    "school trousers",
    "black jeans",
)
SHOES = ("white trainers", "black trainers", "grey trainers", "black school shoes", "sliders")
CARRYING = (
    "carrying a small black cross-body bag",
    "carrying a rucksack",
    "wearing a black cap",
    "carrying a phone in a pink case",
)

# --- returning -------------------------------------------------------------------------------

FOUND_IN_COUNTY = (
    "Came back to {home} on {their} own",
    "Came back to {home} on {their} own",
    "Found by police in {place} town centre",
    "At a friend's house in {place}",
    "Found by a police patrol near the park in {place}",
    "Collected by {their} {carer} from the bus station in {place}",
    "Found by police at an address in {place} linked to concerns",
)
FOUND_OUT_OF_AREA = (
    "Found by police at an address in {far_place}",
    "Stopped by British Transport Police at {far_place} railway station",
    "Found by police in {far_place} town centre",
    "Found at a hotel in {far_place}",
    "Rang {their} {carer} from {far_place} and was collected",
)
FOUND_WITH = (
    ("", 25),
    ("Alone", 30),
    ("Friends of a similar age", 25),
    ("Adults not known to the family", 12),
    ("Adults the police believe may be exploiting children", 8),
)
TRAVEL_LOCAL = ("", "On foot", "On foot", "By bus", "By bus", "Lift from a friend's parent")
TRAVEL_FAR = (
    "By train",
    "By train; the ticket was bought by someone else",
    "Driven by an adult not known to the family",
    "By taxi, paid for by someone else",
    "By coach",
)

# --- the return home interview ---------------------------------------------------------------

MEETING_PLACES = (
    "at {home}",
    "at a café in {place}, which {name} chose",
    "at school, in a quiet room",
    "at the youth centre in {place}",
    "on a walk in the park in {place}",
)
SUMMARY_OPENINGS = (
    "Met {name} {meeting} the day after {they} came back.",
    "Met {name} {meeting}.",
    "Spoke with {name} {meeting}, with {their} {carer} nearby at first.",
)
SUMMARY_MIDDLES = (
    "{name} talked openly about where {they} went and who with.",
    "{name} did not want to say much about where {they} stayed but said {they} felt able to "
    "talk to the worker.",
    "{name} said {they} wanted to get away for a night after a difficult week.",
    "{name} was tired and quiet but agreed to talk for twenty minutes.",
    "{name} said nobody had shouted when {they} came back and that made it easier to talk.",
)
SUMMARY_CLOSINGS = (
    "We agreed {name} will text the worker if anything worries {them}.",
    "{name} can call the outreach worker at any time; the number is saved in {their} phone.",
    "We agreed a plan with {name} and {their} {carer} for the next time {name} wants to leave.",
    "The worker will meet {name} again next week.",
)
SUMMARY_RISK = (
    "There are concerns that adults are controlling where {name} goes.",
    "What {name} shared suggests {they} may have been groomed by adults in {far_place}.",
    "The worker is worried that {name} may be being exploited and shared this the same day.",
)
PUSH_FACTORS = (
    "Arguments at {home} about {their} phone and coming in on time.",
    "{name} said {they} felt nobody listened at {home}.",
    "Boredom and nothing to do in the evenings.",
    "Worries about school and falling behind.",
    "A falling-out with a friend at school.",
    "None identified: {name} said things at {home} are fine.",
)
PUSH_FACTORS_CARE = (
    "Feeling unsettled after a move of placement.",
    "Upset after a family visit was cancelled.",
    "{name} said {they} missed {their} family.",
    "{name} said {they} did not get on with another young person at the placement.",
)
PULL_FACTORS = (
    "Wanted to see friends in {place}.",
    "A party {they} had heard about from friends.",
    "Wanted to see family in {place2}.",
    "Wanted to see a friend who had moved to {far_place}.",
)
PULL_FACTORS_RISK = {
    "sexual": (
        "Adults in {far_place} had given {them} gifts, alcohol and a place to stay.",
        "An adult {they} met through friends had been messaging {them} and offered a lift.",
        "Adults had been contacting {them} on social media and arranged to meet.",
    ),
    "criminal": (
        "Older young people told {name} {they} owed a debt and would have to pay it off.",
        "Adults had given {them} money, trainers and a phone, and then called {them} to come.",
        "{name} said {they} felt frightened of what would happen if {they} did not go.",
    ),
    "trafficking": (
        "Adults arranged {their} travel to {far_place} and kept hold of {their} phone.",
        "{name} said {they} owed money for {their} journey to this country.",
    ),
}
WHERE_STAYED = (
    "At a friend's house in {place}.",
    "Walked around {place} town centre and then stayed at a friend's house.",
    "At {their} older sister's home in {place2}.",
    "Outside, in the park in {place}, for most of the night.",
    "{name} did not want to say.",
)
WHERE_STAYED_RISK = (
    "At a flat in {far_place} {they} had not been to before.",
    "In a hotel room in {far_place} booked by an adult.",
    "At an address in {place} known to police.",
    "Moved between two addresses in {far_place}.",
)
WITH_WHOM = (
    "Friends of a similar age.",
    "On {their} own.",
    "Young people {they} knew from school.",
    "{name} did not want to say.",
)
WITH_WHOM_RISK = (
    "Adults {they} did not want to name.",
    "Older young people and adults the police believe are exploiting children in {place}.",
    "An adult {they} met through friends, and two other young people.",
)
HARM_DETAIL = {
    "sexual": (
        "{name} disclosed that an adult at the address sexually assaulted {them}. Police were "
        "told the same day; a strategy discussion was held and a medical was arranged.",
        "{name} said {they} had been given alcohol and that adults took photos of {them}. "
        "Police informed and a strategy discussion held.",
    ),
    "criminal": (
        "{name} said adults made {them} carry drugs and cash to {far_place} and threatened "
        "{them} when {they} wanted to leave.",
        "{name} had bruising to {their} arm and said an adult grabbed {them} when {they} tried "
        "to leave the address.",
    ),
    "trafficking": (
        "{name} said adults took {their} phone and told {them} where to go and when.",
        "{name} said {they} had been made to work long hours and had not been paid.",
    ),
    "any": (
        "{name} said {they} slept outside and felt cold and frightened.",
        "{name} had a cut to {their} hand and said another young person pushed {them} over.",
    ),
}
SUPPORT_OFFERED = (
    "Weekly sessions with the outreach worker.",
    "Help to talk to {their} {carer} about what happened.",
    "A referral to the emotional health and wellbeing service.",
    "Support from a trusted adult at school.",
    "A sexual health appointment, if {name} wants one.",
    "The safety plan was updated with {name} and {their} {carer}.",
)
SUPPORT_OFFERED_RISK = (
    "A referral to the exploitation panel and an updated safety plan.",
    "Daily check-ins from the outreach worker this week.",
    "A strategy discussion to agree how adults around {name} will be disrupted.",
)
INTELLIGENCE_SHARED_WITH = (
    "Synthetshire Police Child Exploitation Unit",
    "Synthetshire Police Missing Persons Unit",
    "The exploitation panel (MACE)",
)
DECLINED_REASONS = (
    "{name} said {they} did not want to talk to another worker and already talks to {their} "
    "{carer}.",
    "{name} did not want to meet and asked for the worker to check in by text instead.",
    "{name} said talking about it again would be upsetting; the offer stays open.",
    "{name} said no through {their} {carer}; the worker will offer again next week.",
)
NOT_HELD_REASONS = (
    "{name} came back within two hours with {their} {carer}; the team manager agreed that a "
    "welfare conversation with {their} social worker was enough this time.",
    "An interview was held two days earlier for another episode; the manager agreed to cover "
    "both in that piece of work.",
    "{name} was in hospital after coming back; the allocated social worker agreed to see "
    "{them} there instead.",
    "{name} moved to a placement in another area the next day; the interview was passed to the "
    "host authority.",
)
NOT_HELD_AFTER_ATTEMPTS = (
    "Several attempts over two weeks; the team manager closed the offer and {their} social "
    "worker will talk with {name} about the episode at the next visit.",
    "{name} was not available on any of the visits; agreed with the manager to close the offer "
    "and pick up the conversation through {their} {carer}.",
)
ATTEMPT_NOTES = (
    "Visited {home}; {name} was out.",
    "Phoned {name}; no answer. Left a message.",
    "{name} was asleep and staff asked the worker to come back later.",
    "Arranged to meet at school; {name} was not in school that day.",
    "{name} said it was not a good day to talk; rearranged.",
)

# --- repeat-missing alerts -------------------------------------------------------------------

ALERT_NOTES = (
    "Strategy discussion held; the risk assessment was reviewed and the safety plan updated.",
    "Discussed at the exploitation panel; police and the outreach service will share where "
    "{name} is found.",
    "Risk review booked with the independent reviewing officer and the placement.",
    "Spoke with {their} {carer}; every return home interview has been offered and the plan stands.",
)

INTERVIEW_TEAMS = {
    c.VOLUNTARY: "Exploitation Outreach",
    c.CHILDRENS_SERVICES: "Exploitation and Missing Team",
}
