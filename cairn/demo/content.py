"""The synthetic county's fixed cast: agencies, teams, schools, care providers, wording.

All of it is invented. Case notes and the children's views are written in children-first language
(DOMAIN.md): a test runs every template through the language checker. Placeholders in the
templates: {name} (the child's given name), {they}/{them}/{their} and capitalised {They}/{Their}
(only with verbs that agree with any pronoun), {place} (a ward of the county), {far_place} (a town
outside it), {school}, {home} ("home" or "the placement") and {carer} ("mum", "dad", "nan",
"foster carer", "key worker").
"""

from __future__ import annotations

from dataclasses import dataclass

# --- agencies and teams ------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamSpec:
    name: str
    job_title: str
    detail: str  # what an involvement of this team's staff is for


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    kind: str
    reason: str  # Involvement.Reason for this agency's involvements (leads are "lead")
    teams: tuple[TeamSpec, ...]
    manager_title: str


CHILDRENS_SERVICES = "SYCS"
POLICE = "SYPOL"
HEALTH = "SYHLTH"
EDUCATION = "SYEDU"
YOUTH_JUSTICE = "SYYJS"
VOLUNTARY = "SYVOL"

AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        CHILDRENS_SERVICES,
        "Synthetshire Children's Services",
        "children_services",
        "allocated",
        (
            TeamSpec("Exploitation and Missing Team", "Social worker", "Allocated social worker"),
            TeamSpec("North Children's Social Care", "Social worker", "Allocated social worker"),
            TeamSpec("West Children's Social Care", "Social worker", "Allocated social worker"),
            TeamSpec("East Children's Social Care", "Social worker", "Allocated social worker"),
            TeamSpec("Children in Care Team", "Social worker", "Allocated social worker"),
            TeamSpec("Leaving Care Team", "Personal adviser", "Personal adviser"),
        ),
        "Team manager",
    ),
    AgencySpec(
        POLICE,
        "Synthetshire Police",
        "police",
        "investigation",
        (
            TeamSpec(
                "Child Exploitation Unit", "Detective constable", "Exploitation investigation"
            ),
            TeamSpec("Missing Persons Unit", "Missing persons coordinator", "Missing episodes"),
            TeamSpec("North Neighbourhood Policing Team", "Police constable", "Neighbourhood"),
            TeamSpec("West Neighbourhood Policing Team", "Police constable", "Neighbourhood"),
            TeamSpec("East Neighbourhood Policing Team", "Police constable", "Neighbourhood"),
        ),
        "Detective sergeant",
    ),
    AgencySpec(
        HEALTH,
        "Synthetshire Health Partnership",
        "health",
        "health",
        (
            TeamSpec("School Nursing", "School nurse", "School nurse"),
            TeamSpec("Child and Adolescent Mental Health Service", "CAMHS practitioner", "CAMHS"),
            TeamSpec("Sexual Health Outreach", "Outreach nurse", "Sexual health outreach"),
            TeamSpec("Looked After Children Health Team", "Specialist nurse", "Health assessments"),
        ),
        "Named nurse for safeguarding",
    ),
    AgencySpec(
        EDUCATION,
        "Synthetshire Education and Inclusion",
        "education",
        "education",
        (
            TeamSpec("Education Welfare Service", "Education welfare officer", "Attendance"),
            TeamSpec("Virtual School", "Virtual school caseworker", "Personal education plan"),
            TeamSpec("Inclusion Team", "Inclusion officer", "Exclusions and inclusion"),
        ),
        "Head of inclusion",
    ),
    AgencySpec(
        YOUTH_JUSTICE,
        "Synthetshire Youth Justice Service",
        "youth_justice",
        "support",
        (
            TeamSpec("Youth Justice Team", "Youth justice officer", "Youth justice"),
            TeamSpec("Prevention and Diversion Team", "Prevention worker", "Prevention"),
        ),
        "Youth justice manager",
    ),
    AgencySpec(
        VOLUNTARY,
        "Synthetshire Young People's Trust",
        "voluntary",
        "support",
        (
            TeamSpec("Exploitation Outreach", "Outreach worker", "Exploitation support"),
            TeamSpec("Mentoring and Family Support", "Mentor", "Mentoring"),
        ),
        "Service manager",
    ),
)
AGENCY_BY_CODE = {agency.code: agency for agency in AGENCIES}
PARTNER_AGENCIES = (POLICE, HEALTH, EDUCATION, YOUTH_JUSTICE, VOLUNTARY)


@dataclass(frozen=True)
class DemoLogin:
    """A memorable login printed by `cairn demo`; `caseload` is how many children it works with."""

    username: str
    role: str
    agency: str | None
    team: str | None
    job_title: str
    caseload: int = 0


DEMO_PASSWORD = "synthetic-county-demo"

DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "practitioner",
        "practitioner",
        CHILDRENS_SERVICES,
        "Exploitation and Missing Team",
        "Social worker",
        18,
    ),
    DemoLogin(
        "manager", "manager", CHILDRENS_SERVICES, "Exploitation and Missing Team", "Team manager"
    ),
    DemoLogin(
        "panel", "panel_member", POLICE, "Child Exploitation Unit", "Detective sergeant (MACE)", 8
    ),
    DemoLogin("analyst", "analyst", POLICE, None, "Intelligence analyst"),
    DemoLogin("scrutiny", "scrutiny", CHILDRENS_SERVICES, None, "Scrutiny officer"),
    DemoLogin("admin", "administrator", None, None, "System administrator"),
    DemoLogin(
        "police.practitioner",
        "practitioner",
        POLICE,
        "Child Exploitation Unit",
        "Detective constable",
        16,
    ),
    DemoLogin("health.practitioner", "practitioner", HEALTH, "School Nursing", "School nurse", 14),
    DemoLogin(
        "school.lead",
        "practitioner",
        EDUCATION,
        "Education Welfare Service",
        "Designated safeguarding lead",
        14,
    ),
    DemoLogin(
        "yjs.practitioner",
        "practitioner",
        YOUTH_JUSTICE,
        "Youth Justice Team",
        "Youth justice officer",
        12,
    ),
    DemoLogin(
        "outreach.worker",
        "practitioner",
        VOLUNTARY,
        "Exploitation Outreach",
        "Outreach worker",
        12,
    ),
)

# --- places ------------------------------------------------------------------------------------

# Towns outside the county, for out-of-area placements and where children are found.
OUT_OF_AREA_TOWNS = (
    "Port Merrow",
    "Kingsmoor",
    "Saltby Bay",
    "Hartley Vale",
    "Brockhampton Cross",
    "Millford Haven Quay",
    "Aldercastle",
    "Drayford",
)

# Other (fictional) local authorities whose children are placed in the county.
OTHER_AUTHORITIES = ("E10000097", "E10000098", "E06000998")


@dataclass(frozen=True)
class SchoolSpec:
    urn: str
    name: str
    phase: str
    ward_index: int  # index into the county's wards
    establishment: str  # DfE establishment number, used in pupils' UPNs


SCHOOLS: tuple[SchoolSpec, ...] = (
    SchoolSpec("990101", "Carnford Castle Primary School", "primary", 2, "2101"),
    SchoolSpec("990102", "St Aidan's CofE Primary School", "primary", 6, "3102"),
    SchoolSpec("990103", "Kettlewick Village Primary School", "primary", 2, "2103"),
    SchoolSpec("990104", "Hollin Green Primary School", "primary", 5, "2104"),
    SchoolSpec("990105", "Wren Hill Community Primary School", "primary", 12, "2105"),
    SchoolSpec("990106", "Millbeck Primary School", "primary", 13, "2106"),
    SchoolSpec("990107", "Wexley Meadows Primary Academy", "primary", 28, "2107"),
    SchoolSpec("990108", "Tollbridge Junior School", "primary", 15, "2108"),
    SchoolSpec("990109", "Our Lady of the Fields Catholic Primary", "primary", 23, "3109"),
    SchoolSpec("990110", "Eastmere Quay Primary School", "primary", 24, "2110"),
    SchoolSpec("990111", "Saltings Primary School", "primary", 18, "2111"),
    SchoolSpec("990112", "Marram Sands Primary School", "primary", 32, "2112"),
    SchoolSpec("990113", "Pennyfold Primary School", "primary", 39, "2113"),
    SchoolSpec("990114", "Fairbrook Primary School", "primary", 36, "2114"),
    SchoolSpec("990201", "Carnford Academy", "secondary", 6, "4201"),
    SchoolSpec("990202", "Carnford Riverside School", "secondary", 10, "4202"),
    SchoolSpec("990203", "Northmoor High School", "secondary", 0, "4203"),
    SchoolSpec("990204", "Wexley Castle Academy", "secondary", 21, "4204"),
    SchoolSpec("990205", "Wexley Park School", "secondary", 22, "4205"),
    SchoolSpec("990206", "Dunholm Park High School", "secondary", 29, "4206"),
    SchoolSpec("990207", "Eastmere Academy", "secondary", 16, "4207"),
    SchoolSpec("990208", "Eastmere Docks School", "secondary", 31, "4208"),
    SchoolSpec("990209", "Heronsgate High School", "secondary", 26, "4209"),
    SchoolSpec("990210", "Bishop Fenwick Catholic High School", "secondary", 25, "4610"),
    SchoolSpec("990301", "Brackenfield Special School", "special", 4, "7001"),
    SchoolSpec("990302", "Greywater Special School", "special", 30, "7002"),
    SchoolSpec("990401", "Synthetshire Pupil Referral Unit (Carnford)", "alternative", 7, "1101"),
    SchoolSpec("990402", "Synthetshire Pupil Referral Unit (Eastmere)", "alternative", 27, "1102"),
    SchoolSpec("990501", "Carnford College", "college", 11, "4901"),
    SchoolSpec("990502", "Eastmere and Wexley College", "college", 24, "4902"),
)


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    ward_index: int | None  # None: outside the county


CHILDRENS_HOMES: tuple[ProviderSpec, ...] = (
    ProviderSpec("Oakfield House (Brightwater Care)", 5),
    ProviderSpec("The Willows (Synthetshire County Council)", 9),
    ProviderSpec("Larkspur Lodge (Meadowbank Children's Services)", 14),
    ProviderSpec("Fernhill Cottage (Brightwater Care)", 20),
    ProviderSpec("Juniper House (Synthetshire County Council)", 25),
    ProviderSpec("Birchwood (Meadowbank Children's Services)", 33),
    ProviderSpec("Rowan Lodge (Heathland Homes)", 37),
    ProviderSpec("Harbour House, Saltby Bay (Seabright Care Group)", None),
    ProviderSpec("Kestrel Court, Kingsmoor (Northern Pathways)", None),
    ProviderSpec("Moorview, Hartley Vale (Heathland Homes)", None),
)
FOSTER_PROVIDERS: tuple[ProviderSpec, ...] = (
    ProviderSpec("Synthetshire Fostering Service", 1),
    ProviderSpec("Synthetshire Fostering Service", 17),
    ProviderSpec("Synthetshire Fostering Service", 27),
    ProviderSpec("Kestrel Fostering (independent fostering agency)", 22),
    ProviderSpec("Harbourlight Fostering (independent fostering agency)", None),
    ProviderSpec("Brightstar Family Placements (independent fostering agency)", None),
)
KINSHIP_PROVIDERS: tuple[ProviderSpec, ...] = (
    ProviderSpec("Family and friends carers", 3),
    ProviderSpec("Family and friends carers", 19),
    ProviderSpec("Family and friends carers", None),
)
SEMI_INDEPENDENT_PROVIDERS: tuple[ProviderSpec, ...] = (
    ProviderSpec("Canal Street Supported Lodgings", 10),
    ProviderSpec("Carnford Foyer", 6),
    ProviderSpec("Eastmere Young People's Housing", 31),
    ProviderSpec("Drayford Supported Accommodation", None),
)
SECURE_PROVIDERS: tuple[ProviderSpec, ...] = (ProviderSpec("Hilltop Secure Children's Home", None),)

# --- people ------------------------------------------------------------------------------------

# (label, weight). Uses the census style of words; weights are roughly a county's children.
ETHNICITIES: tuple[tuple[str, int], ...] = (
    ("White British", 690),
    ("White Irish", 5),
    ("White Other", 50),
    ("Gypsy or Roma", 8),
    ("Mixed White and Black Caribbean", 30),
    ("Mixed White and Black African", 12),
    ("Mixed White and Asian", 20),
    ("Mixed Other", 20),
    ("Asian Indian", 30),
    ("Asian Pakistani", 40),
    ("Asian Bangladeshi", 10),
    ("Asian Other", 12),
    ("Black African", 30),
    ("Black Caribbean", 15),
    ("Black Other", 5),
    ("Chinese", 5),
    ("Other ethnic group", 10),
    ("Not known", 8),
)
UASC_ETHNICITIES: tuple[tuple[str, int], ...] = (
    ("Black African", 45),
    ("Asian Other", 20),
    ("Other ethnic group", 25),
    ("White Other", 10),
)

NICKNAMES = ("Jay", "Bex", "Kaz", "Tee", "Mo", "Lou", "Frankie", "Sunny", "Red", "Bee", "Dee")
ALIAS_NOTES = ("Name used with friends", "Name used on social media", "Name given to police")

# --- case notes and the child's views ----------------------------------------------------------


@dataclass(frozen=True)
class NoteTemplate:
    agency: str  # agency code whose staff write it
    when: str  # any | care | home | concern | missing | school
    subject: str
    text: str


NOTE_TEMPLATES: tuple[NoteTemplate, ...] = (
    # Children's services
    NoteTemplate(
        CHILDRENS_SERVICES,
        "home",
        "Home visit",
        "Visited {name} at home. {They} showed me {their} room and talked about school and "
        "friends. {Their} {carer} said the last month has been calmer. Next visit in two weeks.",
    ),
    NoteTemplate(
        CHILDRENS_SERVICES,
        "care",
        "Statutory visit",
        "Visited {name} at the placement and spoke with {them} alone. {name} said the staff "
        "listen and that {they} would like more time with {their} brothers and sisters. "
        "Bedroom seen; no concerns about the home's conditions.",
    ),
    NoteTemplate(
        CHILDRENS_SERVICES,
        "any",
        "Direct work session",
        "Met {name} after school at the library in {place}. We drew a safety map of the places "
        "where {name} feels safe and the places where {name} does not. {name} named two trusted "
        "adults: {their} {carer} and a teaching assistant.",
    ),
    NoteTemplate(
        CHILDRENS_SERVICES,
        "concern",
        "Strategy discussion",
        "Strategy discussion with police, health and education following information that "
        "{name} may be being criminally exploited. Agreed: the safety plan is updated, police "
        "will share what is known about the adults seen with {them}, and school will offer a "
        "named trusted adult.",
    ),
    NoteTemplate(
        CHILDRENS_SERVICES,
        "concern",
        "Exploitation concern",
        "Information received that {name} may have been groomed by adults in {place}. {name} is "
        "a child and is not responsible for what adults do to {them}. Shared with police the "
        "same day and referred to the exploitation panel.",
    ),
    NoteTemplate(
        CHILDRENS_SERVICES,
        "care",
        "Looked after review",
        "Review chaired by the independent reviewing officer. {name} joined for the first half "
        "and said {they} would like to stay in {their} current home. Care plan agreed; contact "
        "with family continues every other weekend.",
    ),
    NoteTemplate(
        CHILDRENS_SERVICES,
        "home",
        "Child protection conference",
        "Review child protection conference held. The plan continues. {name}'s views were "
        "shared by {their} advocate, and {their} {carer} agreed to the actions on the plan.",
    ),
    NoteTemplate(
        CHILDRENS_SERVICES,
        "missing",
        "Return home interview arranged",
        "{name} was missing overnight and was found by police in {far_place}. An independent "
        "return home interview has been offered within 72 hours. There are concerns that adults "
        "may be controlling where {name} goes.",
    ),
    # Police
    NoteTemplate(
        POLICE,
        "missing",
        "Missing person report",
        "{name} was reported missing from {home} at 22:10. Police risk assessment: medium. "
        "{name} was found the next morning in {far_place} with adults not known to the family "
        "and was brought {home}. A safe and well check was completed.",
    ),
    NoteTemplate(
        POLICE,
        "missing",
        "Safe and well check",
        "Officers spoke with {name} after {their} return. {They} said someone had bought "
        "{them} a train ticket and that {they} did not want to say who. Information shared "
        "with children's services.",
    ),
    NoteTemplate(
        POLICE,
        "concern",
        "Intelligence shared",
        "A car linked to adults of concern has been seen near {school}. Shared with the school "
        "and children's services to support {name}'s safety plan.",
    ),
    NoteTemplate(
        POLICE,
        "concern",
        "Child Abduction Warning Notice",
        "A Child Abduction Warning Notice was served on an adult who has been found with "
        "{name} on three occasions. {name}'s {carer} knows to call 999 if the adult is seen "
        "near {them} again.",
    ),
    NoteTemplate(
        POLICE,
        "concern",
        "Stop in {far_place}",
        "{name} was stopped in {far_place} with cash and two phones. {name} is treated as a "
        "possible victim of criminal exploitation and a National Referral Mechanism referral "
        "is being considered with children's services.",
    ),
    NoteTemplate(
        POLICE,
        "any",
        "Neighbourhood visit",
        "Neighbourhood officer called in to introduce themselves to {name} and {their} {carer}. "
        "{name} was given the officer's direct number.",
    ),
    # Health
    NoteTemplate(
        HEALTH,
        "any",
        "School nurse drop-in",
        "{name} came to the school nurse drop-in to talk about sleep and worries at {home}. "
        "Advice given and a follow-up booked for next month.",
    ),
    NoteTemplate(
        HEALTH,
        "any",
        "CAMHS assessment",
        "Initial CAMHS assessment. {name} described feeling anxious at night and finding it "
        "hard to concentrate in lessons. Offered six sessions; {name} agreed to try them.",
    ),
    NoteTemplate(
        HEALTH,
        "concern",
        "Sexual health outreach",
        "The outreach nurse met {name} with {their} key worker. The nurse is worried that "
        "{name} may be being sexually exploited and shared this with children's services and "
        "the safeguarding lead the same day.",
    ),
    NoteTemplate(
        HEALTH,
        "care",
        "Review health assessment",
        "Review health assessment completed. Immunisations are up to date and a dental "
        "appointment is booked. {name} asked for help with {their} sleep.",
    ),
    NoteTemplate(
        HEALTH,
        "concern",
        "Emergency department attendance",
        "{name} came to the emergency department with a hand injury and did not want to say how "
        "it happened. Safeguarding referral made to children's services.",
    ),
    # Education
    NoteTemplate(
        EDUCATION,
        "school",
        "Attendance",
        "{name}'s attendance this half term is 71%, with most absences on Mondays. Meeting "
        "arranged with {their} {carer} to agree support.",
    ),
    NoteTemplate(
        EDUCATION,
        "school",
        "Suspension",
        "{name} was suspended for two days after an incident in class. A reintegration meeting "
        "is booked and {their} mentor will check in each morning.",
    ),
    NoteTemplate(
        EDUCATION,
        "care",
        "Personal education plan",
        "Personal education plan review with the virtual school. {name} is doing well in English "
        "and asked for extra help with maths. Tutoring agreed for this term.",
    ),
    NoteTemplate(
        EDUCATION,
        "concern",
        "Safeguarding concern",
        "Staff noticed that {name} has new expensive trainers and a second phone. The "
        "designated safeguarding lead has shared this with children's services as a possible "
        "sign of exploitation.",
    ),
    NoteTemplate(
        EDUCATION,
        "any",
        "Transition meeting",
        "Transition meeting held before {name}'s move to {school}. {Their} new form tutor will "
        "be {their} named trusted adult.",
    ),
    # Youth justice
    NoteTemplate(
        YOUTH_JUSTICE,
        "any",
        "Prevention session",
        "Session with {name} about staying safe in the town centre and who to call when under "
        "pressure. {name} saved the numbers in {their} phone.",
    ),
    NoteTemplate(
        YOUTH_JUSTICE,
        "concern",
        "Out of court disposal",
        "{name} was arrested in {far_place}. The arrest is recorded as a possible sign of "
        "criminal exploitation and {name} is treated as a victim first. Outcome: a youth "
        "conditional caution with support.",
    ),
    NoteTemplate(
        YOUTH_JUSTICE,
        "any",
        "Referral order panel",
        "{name} attended the referral order panel with {their} {carer}. {name} chose to join a "
        "boxing programme as part of {their} plan.",
    ),
    # Voluntary sector
    NoteTemplate(
        VOLUNTARY,
        "any",
        "Outreach session",
        "Met {name} at the youth centre in {place}. We played pool and talked about college. "
        "{name} said {they} would like help to find a part-time job.",
    ),
    NoteTemplate(
        VOLUNTARY,
        "concern",
        "Mentoring session",
        "Weekly mentoring session. {name} talked about pressure from older young people in "
        "{their} area and we practised safe ways to say no and who to call.",
    ),
    NoteTemplate(
        VOLUNTARY,
        "home",
        "Family support",
        "Supported {name}'s family to attend the parents' group. {Their} {carer} said the "
        "sessions help the family understand grooming and how to respond.",
    ),
)


@dataclass(frozen=True)
class VoiceTemplate:
    method: str  # ChildVoice.Method
    when: str  # any | care | home | concern | missing | school
    text: str


VOICE_TEMPLATES: tuple[VoiceTemplate, ...] = (
    VoiceTemplate("spoken", "any", "I like my friends and I want to see them more."),
    VoiceTemplate(
        "spoken", "any", "I don't like having to tell my story to lots of different workers."
    ),
    VoiceTemplate("written", "any", "I want to go to college and learn to be a mechanic."),
    VoiceTemplate("spoken", "any", "My phone is really important to me, please don't take it."),
    VoiceTemplate("spoken", "any", "I want my social worker to stay the same one."),
    VoiceTemplate("written", "any", "Nobody asked me what I wanted before the meeting."),
    VoiceTemplate("spoken", "home", "I want to keep living at home with my {carer}."),
    VoiceTemplate("spoken", "home", "Things are better at home since we started the sessions."),
    VoiceTemplate("spoken", "care", "I feel safe where I live now. The staff listen to me."),
    VoiceTemplate("written", "care", "I don't want to move again. Every move means a new school."),
    VoiceTemplate("spoken", "care", "I want to see my brother and sister more often."),
    VoiceTemplate("spoken", "school", "School is alright. I like art and PE best."),
    VoiceTemplate(
        "spoken", "missing", "When I came back nobody shouted at me. That made it easier to talk."
    ),
    VoiceTemplate(
        "spoken", "concern", "I'm scared of what will happen if I stop answering my phone."
    ),
    VoiceTemplate(
        "advocate",
        "any",
        "Through the advocate, {name} said {they} would like meetings after school and not "
        "at the police station.",
    ),
    VoiceTemplate(
        "observed",
        "any",
        "{name} smiled and relaxed when talking about football and went quiet when asked about "
        "weekends.",
    ),
)
