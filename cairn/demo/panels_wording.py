"""What the synthetic county's exploitation panels write: what was said about each child, what was
decided, the actions agreed and the evidence that they were done, the people and places of
concern in disruption plans, and the meetings' minutes and themes.

Written in children-first language (DOMAIN.md): children cannot consent to their own abuse, and
the adults who exploit them are responsible. A test runs every text the generator writes through
the language checker. Placeholders: {name} (the child's given name), {their}/{them} (never with a
verb that has to agree with the pronoun), {place} and {place2} (wards of the county), {far_place}
(a town outside it), {episodes} (a number of missing episodes), {who} (a professional's agency),
{person} and {where} (a disruption plan's subjects).

People of concern are invented nicknames and descriptions; places are kinds of premises on
invented streets in the county's wards: no real person or business is described.
"""

from __future__ import annotations

from dataclasses import dataclass

from cairn.demo import content as c
from cairn.panels.models import FourP, PlanKind

# What a child is exploited for, as the wording groups it.
CRIMINAL, SEXUAL, ONLINE, TRAFFICKING = "criminal", "sexual", "online", "trafficking"
FAMILY = {
    "criminal": CRIMINAL,
    "county_lines": CRIMINAL,
    "sexual": SEXUAL,
    "online": ONLINE,
    "trafficking": TRAFFICKING,
    "labour": TRAFFICKING,
    "other": SEXUAL,
}

# --- panels and meetings ------------------------------------------------------------------------

TERMS_OF_REFERENCE = {
    "mace": (
        "Monthly multi-agency meeting for children at medium or high risk of sexual or online "
        "exploitation in Synthetshire: the children, the adults who exploit them, the places and "
        "the themes (VOLT). Co-chaired by police and children's services. Every child discussed "
        "has a safety plan; where the adults or places are known, a disruption plan. Minutes go "
        "to attendees only."
    ),
    "missing_criminal": (
        "Monthly multi-agency meeting for children missing from home or care and children at "
        "medium or high risk of criminal exploitation, county lines or trafficking: the "
        "children, the adults who exploit them, the places and the themes (VOLT). Co-chaired by "
        "police and children's services. Minutes go to attendees only."
    ),
}
LOCATIONS = (
    "Police headquarters, {place}: conference room 2",
    "County Hall, {place}: committee room 3",
    "Online (video call)",
    "Children's services offices, {place}: meeting room 1",
)
MINUTES = (
    "Apologies noted. Minutes of the last meeting agreed as accurate. Of the {total} actions "
    "agreed last time, {done} are done; owners of the others gave updates. The chair reminded "
    "members that the minutes go to attendees only.",
    "Apologies noted. Minutes of the last meeting agreed. Action updates taken child by child: "
    "{done} of the {total} actions agreed last time are done. Information shared at this "
    "meeting is for safeguarding purposes only.",
    "Minutes of the last meeting agreed with one correction to the attendance list. {done} of "
    "the {total} actions agreed last time are done. The panel thanked the school nursing team "
    "for the drop-in sessions.",
)
THEMES = (
    "Victims: children identified younger, most aged 13 or 14. Offenders: adults using taxis to "
    "move children between {place} and {far_place}. Locations: the bus station in {place}. "
    "Themes: contact starting on gaming platforms.",
    "Victims: more girls found in {far_place}. Offenders: a group of adults giving children "
    "vapes and phone credit. Locations: the park behind the leisure centre in {place2}. Themes: "
    "children targeted outside school at the end of the day.",
    "Victims: children in care placed near {place}. Offenders: older teenagers controlled by "
    "adults from {far_place}. Locations: a takeaway and a flat in {place}. Themes: debts "
    "created to control children.",
    "Victims: boys found carrying drugs in {far_place}. Offenders: a phone line supplied from "
    "{place2}. Locations: the railway station in {place}. Themes: children moved by train at "
    "weekends.",
    "Victims: children contacted online by adults posing as young people. Offenders: not yet "
    "identified. Locations: none new. Themes: images shared under pressure; school assemblies "
    "planned on sextortion.",
)

# --- agendas ------------------------------------------------------------------------------------

ESCALATION_REASONS = (
    "Seen getting into cars with adults not known to the family near {place}.",
    "Found in {far_place} with money and a second phone; nobody knows how {name} got there.",
    "{name} told a teacher about an older man who messages {them} late at night.",
    "Police stopped {name} with older young people known to be controlled by adults from "
    "{far_place}.",
    "New gifts, clothes and a phone the family cannot explain; missing from school twice.",
)
REMOVAL_REASONS = (
    "Risk reduced at the review before the meeting: the lead social worker's plan continues.",
    "Discussed at a strategy discussion this week instead; the panel will have the outcome.",
    "{name} has moved out of the county: information passed to the new area's panel.",
)

# --- discussions --------------------------------------------------------------------------------

FIRST: dict[tuple[str, str], tuple[str, ...]] = {
    (CRIMINAL, "high"): (
        "{name} is being criminally exploited: found in {far_place} with cash and a phone the "
        "family did not know about. {name} is a victim and needs protecting; police are working "
        "to identify the adults responsible.",
        "Adults are making {name} carry drugs between {place} and {far_place}. {name} spoke of a "
        "debt the adults say {name} owes. The panel agreed {name} is being controlled and is not "
        "to blame.",
        "{name} was arrested out of area with drugs and is being criminally exploited. The "
        "panel agreed to treat {name} as a victim and to share what is known about the adults "
        "with the county lines task force.",
    ),
    (CRIMINAL, "medium"): (
        "Concerns that adults are grooming {name}: {name} has been seen in {place} late at night "
        "with older young people known to police, and has new clothes nobody can explain.",
        "{name} is likely being groomed for criminal exploitation: unknown callers, time out of "
        "school and a new group of older friends in {place}.",
    ),
    (SEXUAL, "high"): (
        "{name} is being sexually exploited by adults who collect {them} in cars near {place}. "
        "{name} is not to blame; police are working to identify the adults and the cars.",
        "{name} has been sexually abused by an adult {name} met through friends in {place}. "
        "{name} has been found in hotels in {far_place}. The panel agreed this is serious risk.",
        "Evidence that {name} is being sexually exploited: gifts, alcohol and lifts from adults, "
        "and two nights missing found in {far_place}.",
    ),
    (SEXUAL, "medium"): (
        "{name} is likely being groomed by an older male who gives {them} gifts and lifts. "
        "School and the outreach worker are building trust with {name}.",
        "Concerns that adults are targeting {name} in {place}: late-night contact, unexplained "
        "money and time away from home that {name} does not want to talk about.",
    ),
    (ONLINE, "high"): (
        "Adults have been contacting {name} online and have pressured {name} into sharing "
        "images. {name} is frightened of what they will do next; police are investigating.",
        "{name} is being sexually exploited online by an adult posing as a teenager. The images "
        "have been reported for removal and {name} has support from school.",
    ),
    (ONLINE, "medium"): (
        "Unknown adults have been contacting {name} late at night through gaming and social "
        "media apps. {name} has been groomed to keep the contact secret.",
        "{name} may be being groomed online: an adult has been sending {them} gifts and asking "
        "to meet. The family are working with school on online safety.",
    ),
    (TRAFFICKING, "high"): (
        "{name} may be being trafficked: moved between {place} and {far_place} by adults who hold "
        "{their} documents and say {name} owes them for travel.",
        "{name} is not in control of {their} own money and is being moved by adults. The panel "
        "considered the National Referral Mechanism.",
    ),
    (TRAFFICKING, "medium"): (
        "Concerns that adults arranged {name}'s travel to {place} and are controlling {them} "
        "through a debt. {name} is settling with the foster carer.",
    ),
}
REVIEW_BETTER = (
    "{name} has had no missing episodes since the last panel and is attending school most days. "
    "The safety plan is working; it stays in place until the next review.",
    "Some progress: {name} is meeting the outreach worker every week and has told {their} worker "
    "more about the adults in {place}.",
    "{name} has a trusted adult at school and has been home every night since the last panel. "
    "The adults of concern have been disrupted.",
)
REVIEW_SAME = (
    "No change since the last panel: {name} is still in contact with the adults of concern in "
    "{place}. Actions from last time are mostly done; new ones agreed.",
    "{name} is still being exploited and has been missing once since the last panel, found in "
    "{far_place}. The safety plan continues with the actions below.",
)
REVIEW_WORSE = (
    "Risk has increased since the last panel: {name} was found in {far_place} and did not want "
    "to say who took {them} there. Police are following the phone numbers found.",
    "New concerns: {name} has an injury nobody can explain and a new phone. The panel agreed "
    "the adults are controlling {name} through fear.",
)
ESCALATED = (
    "Escalated by {who}: {reason} The panel agreed a full exploitation risk assessment and will "
    "hear the outcome next month.",
    "Brought to the panel by {who}. {reason} The lead social worker will complete a risk "
    "assessment and hold a strategy discussion if the concerns are confirmed.",
)
REPEAT_MISSING = (
    "{name} has been missing {episodes} times in 90 days and each time was found in {place}. The "
    "panel is concerned {name} may be being controlled by adults there.",
    "Repeat-missing alert: {episodes} episodes in 90 days. Return home interviews say {name} "
    "stays with older people in {far_place}; the panel agreed {name} may be being exploited.",
)
DECISIONS_PLAN = (
    "Safety plan agreed with the actions below. Review at the panel in three months or sooner if "
    "{name} goes missing.",
    "Safety plan reviewed and updated; actions below. The lead social worker will share the plan "
    "with {name} and the family.",
    "Actions below agreed. Disruption of the adults of concern to continue; review next month.",
)
DECISIONS_ASSESS = (
    "The lead social worker will complete an exploitation risk assessment within two weeks.",
    "No plan yet: a strategy discussion first, then back to the panel if the risk is medium or "
    "high.",
)
OUTCOMES_FIRST = (
    "Safety plan agreed",
    "Safety plan agreed; police to disrupt the adults responsible",
    "Safety plan and disruption plan agreed",
)
OUTCOMES_REVIEW = (
    "Safety plan updated",
    "Stays on the panel; review in three months",
    "Safety plan updated; disruption continues",
    "Risk reducing; review at the next panel",
)
OUTCOMES_ASSESS = ("Risk assessment to be completed", "Strategy discussion to be held")
OUTCOME_NRM = "NRM referral agreed"
OUTCOME_NRM_NOT_REFERRED = "NRM threshold met; referral not agreed (the reasons recorded)"
DECISION_NRM = (
    " The panel agreed the National Referral Mechanism threshold is met and a referral will be "
    "made."
)
DECISION_NRM_NOT_REFERRED = (
    " The threshold for the National Referral Mechanism is met; the panel agreed to wait for the "
    "outcome of the police investigation before referring, and will review next month."
)

# --- plans --------------------------------------------------------------------------------------

SAFETY_SUMMARIES = (
    "Keep {name} safe from the adults who exploit {them}: trusted adults at home and at school, "
    "a plan for when {name} goes missing, and support {name} has chosen.",
    "{name}'s safety plan: who {name} can call, the places and people of concern, what the "
    "carers do if {name} is late home, and the work each agency is doing.",
)
DISRUPTION_SUMMARIES = (
    "Disrupt the adults exploiting {name} and make the places they use unsafe for them.",
    "Identify and disrupt the people and places of concern around {name}.",
)
NICKNAMES = ("Dex", "Tiny", "Ghost", "Blue", "Kash", "Moss", "Junior", "Zed", "Biggs", "Sonny",
             "Flex", "Rook", "Milo", "Tank", "Jinx", "Nova")  # fmt: skip
PEOPLE = (
    "an adult known as '{nick}', in his twenties",
    "an older man known as '{nick}' who drives a {car}",
    "the driver of a {car} seen near {place}",
    "adults supplying the '{nick}' phone line from {far_place}",
    "a woman known as '{nick}' who arranges lifts for children",
    "an adult known as '{nick}' who controls older teenagers in {place}",
)
CARS = ("black hatchback", "silver saloon", "white van", "grey estate car", "blue hatchback")
STREETS = ("Mill Lane", "Station Road", "Quarry Street", "Canal Walk", "Foundry Row",
           "Orchard Way", "Tannery Yard", "Bridge Street")  # fmt: skip
# (template, kind): hotels take section 116 notices; premises, closure orders; open spaces, patrols.
# No business is named: a place is a kind of premises on an invented street in a county ward.
PLACES = (
    ("a flat on {street}, {place}", "premises"),
    ("the hotel by the ring road in {place}", "hotel"),
    ("a guest house on {street}, {place}", "hotel"),
    ("the takeaway on {street}, {place}", "premises"),
    ("the park behind the leisure centre in {place}", "open"),
    ("the underpass by the railway station in {place}", "open"),
    ("a house on {street}, {far_place}", "premises"),
)


@dataclass(frozen=True)
class ActionText:
    agency: str
    category: str
    kind: str  # PlanKind
    route: str  # who owns it: lead | own (the child's worker in the agency) | rep | chair
    when: str  # any | criminal | sexual | online | trafficking | care | missing | nrm | cawn
    # | hotel | premises (disruption plans: the place of concern)
    text: str
    evidence: str


S, D = PlanKind.SAFETY.value, PlanKind.DISRUPTION.value
PURSUE, PREVENT, PROTECT, PREPARE = (p.value for p in FourP)
CS, POL, HLTH, EDU, YJS, VOL = (c.CHILDRENS_SERVICES, c.POLICE, c.HEALTH, c.EDUCATION,
                                c.YOUTH_JUSTICE, c.VOLUNTARY)  # fmt: skip

ACTIONS: tuple[ActionText, ...] = (
    # Safety plans: children's services.
    ActionText(
        CS,
        PROTECT,
        S,
        "lead",
        "any",
        "Visit {name} at least weekly and update the safety plan with {name} and the family.",
        "Weekly visits held; the safety plan was updated with {name}.",
    ),
    ActionText(
        CS,
        PROTECT,
        S,
        "lead",
        "any",
        "Hold a safety planning meeting with {name}'s carers about the times and places "
        "{name} is most at risk.",
        "Meeting held with the carers; the plan names the evenings of most concern.",
    ),
    ActionText(
        CS,
        PREPARE,
        S,
        "lead",
        "care",
        "Update {name}'s Philomena profile with a recent photo and the places {name} has "
        "been found.",
        "Profile reviewed with a new photo and two new places.",
    ),
    ActionText(
        CS,
        PREPARE,
        S,
        "lead",
        "missing",
        "Make sure a return home interview is offered within 72 hours of every return.",
        "Interviews offered after each return; the last one was held within 72 hours.",
    ),
    ActionText(
        CS,
        PREVENT,
        S,
        "rep",
        "any",
        "Offer {name} direct work on exploitation and healthy relationships through the "
        "Exploitation and Missing Team.",
        "Six sessions of direct work held; {name} chose to carry on.",
    ),
    ActionText(
        CS,
        PREPARE,
        S,
        "rep",
        "any",
        "Arrange an independent advocate for {name}.",
        "Advocate allocated and met {name} at school.",
    ),
    ActionText(
        CS,
        PROTECT,
        S,
        "rep",
        "missing",
        "Convene a strategy discussion the same day if {name} is missing again.",
        "Strategy discussion held after the next episode; actions shared.",
    ),
    ActionText(
        CS,
        PREPARE,
        S,
        "rep",
        "nrm",
        "Submit the National Referral Mechanism referral as first responder and give the "
        "panel the reference.",
        "Referral submitted; reference shared with the panel.",
    ),
    ActionText(
        CS,
        PROTECT,
        S,
        "chair",
        "care",
        "Write to the placement provider asking for a review of night-time staffing.",
        "Provider replied: a waking night worker added at weekends.",
    ),
    ActionText(
        CS,
        PREVENT,
        S,
        "chair",
        "any",
        "Ask the head of service to approve funding for the activity {name} has chosen.",
        "Funding approved; {name} started in the second week.",
    ),
    # Safety plans: police.
    ActionText(
        POL,
        PURSUE,
        S,
        "own",
        "any",
        "Gather intelligence on the adults seen with {name} near {place} and bring it to "
        "the next panel.",
        "Intelligence report submitted and summarised at the panel.",
    ),
    ActionText(
        POL,
        PROTECT,
        S,
        "own",
        "any",
        "Flag {name}'s home address so that calls from it are treated as urgent.",
        "Address flagged on the command and control system.",
    ),
    ActionText(
        POL,
        PROTECT,
        S,
        "rep",
        "missing",
        "Brief the neighbourhood team on where to look for {name} in {place} when "
        "{name} is missing.",
        "Briefing given to all shifts; locations added to the missing persons plan.",
    ),
    ActionText(
        POL,
        PREPARE,
        S,
        "rep",
        "any",
        "Record the places {name} has been found as risk-assessed locations.",
        "Locations recorded on the missing persons system.",
    ),
    ActionText(
        POL,
        PURSUE,
        S,
        "rep",
        "criminal",
        "Check the phone numbers found on {name} against known county lines.",
        "Two numbers linked to a line supplied from {far_place}; shared with the task force.",
    ),
    ActionText(
        POL,
        PURSUE,
        S,
        "chair",
        "criminal",
        "Ask the county lines task force to prioritise the line linked to {name}.",
        "Task force accepted the line as a priority.",
    ),
    # Safety plans: health.
    ActionText(
        HLTH,
        PROTECT,
        S,
        "own",
        "sexual",
        "Offer {name} an appointment with the sexual health outreach nurse.",
        "Appointment offered and attended.",
    ),
    ActionText(
        HLTH,
        PROTECT,
        S,
        "own",
        "any",
        "Offer {name} an appointment with the child and adolescent mental health service.",
        "Referral accepted; first appointment held.",
    ),
    ActionText(
        HLTH,
        PREPARE,
        S,
        "rep",
        "any",
        "Check {name}'s health records for injuries or attendances that suggest "
        "exploitation and share what is relevant.",
        "Records checked; one emergency department attendance shared with the lead.",
    ),
    ActionText(
        HLTH,
        PREVENT,
        S,
        "rep",
        "any",
        "Ask the GP to flag {name}'s record so that attendances are shared with the lead "
        "social worker.",
        "GP record flagged.",
    ),
    # Safety plans: education.
    ActionText(
        EDU,
        PROTECT,
        S,
        "own",
        "any",
        "Agree a timetable with {name}'s school that keeps {name} on site at lunchtimes.",
        "Timetable agreed with {name} and the school.",
    ),
    ActionText(
        EDU,
        PREVENT,
        S,
        "own",
        "any",
        "Name a trusted adult at school for {name} to check in with each morning.",
        "Trusted adult named; {name} checks in most mornings.",
    ),
    ActionText(
        EDU,
        PROTECT,
        S,
        "rep",
        "any",
        "Report any absence from school to the lead social worker the same day.",
        "Absences reported the same day since the panel.",
    ),
    ActionText(
        EDU,
        PREVENT,
        S,
        "rep",
        "any",
        "Find {name} an education place with a full timetable and confirm the start date.",
        "Place found; {name} started at the beginning of the month.",
    ),
    # Safety plans: youth justice and the voluntary sector.
    ActionText(
        YJS,
        PREVENT,
        S,
        "own",
        "criminal",
        "Offer {name} the prevention and diversion programme.",
        "{name} accepted and has attended four sessions.",
    ),
    ActionText(
        YJS,
        PREPARE,
        S,
        "rep",
        "criminal",
        "Share what is known about the peer group around {name} with the police exploitation unit.",
        "Information shared and added to the peer map.",
    ),
    ActionText(
        VOL,
        PREVENT,
        S,
        "own",
        "any",
        "Offer {name} weekly one-to-one support from the exploitation outreach worker.",
        "Weekly sessions under way; {name} has attended most of them.",
    ),
    ActionText(
        VOL,
        PREVENT,
        S,
        "rep",
        "any",
        "Introduce {name} to a mentor and a weekend activity {name} has chosen.",
        "Mentor matched; {name} goes to the Saturday boxing club.",
    ),
    ActionText(
        VOL,
        PROTECT,
        S,
        "rep",
        "any",
        "Offer {name}'s parents or carers support to spot exploitation and know what to do.",
        "Four sessions held with the carers.",
    ),
    # Disruption plans.
    ActionText(
        POL,
        PURSUE,
        D,
        "rep",
        "any",
        "Identify the adults of concern around {name} and consider every disruption "
        "tool, arrest for other offences included.",
        "Two adults identified; disruption options agreed with the inspector.",
    ),
    ActionText(
        POL,
        PURSUE,
        D,
        "own",
        "any",
        "Patrol {where} on Friday and Saturday evenings and stop the vehicles of concern.",
        "Patrols carried out for six weeks; one vehicle stopped and searched.",
    ),
    ActionText(
        POL,
        PURSUE,
        D,
        "rep",
        "cawn",
        "Serve a Child Abduction Warning Notice on {person} if the legal test is met.",
        "Notice served and recorded in the disruption log.",
    ),
    ActionText(
        POL,
        PURSUE,
        D,
        "rep",
        "hotel",
        "Give {where} a section 116 notice if children are taken there.",
        "Notice served; guest records requested.",
    ),
    ActionText(
        POL,
        PURSUE,
        D,
        "chair",
        "premises",
        "Consider a closure order for {where} with the council's legal team.",
        "Closure order granted for three months.",
    ),
    ActionText(
        POL,
        PREVENT,
        D,
        "rep",
        "any",
        "Share the description of the vehicle of concern with roads policing.",
        "Vehicle flagged; roads policing briefed.",
    ),
    ActionText(
        CS,
        PREVENT,
        D,
        "rep",
        "any",
        "Ask licensing to visit the taxi firms, hotels and takeaways named in the plan.",
        "Licensing visits completed; staff given the exploitation awareness leaflet.",
    ),
    ActionText(
        VOL,
        PREVENT,
        D,
        "rep",
        "any",
        "Run detached youth work in {place} on the evenings the adults of concern are seen there.",
        "Detached sessions held for six weeks; contact made with eight young people.",
    ),
    ActionText(
        EDU,
        PROTECT,
        D,
        "rep",
        "any",
        "Share the descriptions of the adults and vehicles of concern with school staff "
        "on gate duty.",
        "Staff briefed; two sightings reported to police.",
    ),
)

# --- the disruption log -------------------------------------------------------------------------

OFFENCES = (
    "Possession with intent to supply class A drugs",
    "Possession of an offensive weapon in a public place",
    "Being concerned in the supply of cannabis",
    "Driving while disqualified",
    "Possession of criminal property (cash)",
)
DISRUPTION_DETAIL = {
    "arrest": "Arrested at {where}; the arrest disrupts the adults exploiting children in {place}.",
    "cawn": "Child Abduction Warning Notice served on {person}; breach is an offence.",
    "s116_notice": "Section 116 notice served on {where} to require guest information.",
    "engagement_visit": "Licensing and police visit to {where}: staff briefed on signs of "
    "exploitation and who to call.",
    "closure_order": "Closure order granted for {where} for three months.",
    "location": "Patrols and a dispersal order around {where} on weekend evenings.",
    "peer_group": "Peer-group mapping meeting with schools and youth workers about the children "
    "seen at {where}.",
}
