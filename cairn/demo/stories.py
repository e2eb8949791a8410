"""Each synthetic child's record and story: identity, placements, professionals, identifiers,
case notes, views, exploitation risk history, missing episodes and (for looked-after children) a
Philomena profile, built in memory and written in bulk batches.

`County` holds the random streams and everything already created (wards, schools, staff);
`County.child_add` appends one child's rows to a `Batch`, and `Batch.write` saves them with
`bulk_create`. Random choices come from streams derived from the seed, one per concern, so that
changing how notes are written never changes the children's names.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from faker import Faker

from cairn.accounts.models import Agency, Team, User
from cairn.children.models import (
    CaseNote,
    Child,
    ChildAlias,
    ChildIdentifier,
    ChildVoice,
    EducationStatus,
    Handling,
    ImmigrationStatus,
    Involvement,
    LegalStatus,
    Placement,
    PlacementType,
    Sex,
)
from cairn.core.models import Division, LocalAuthority, Locality, School, Ward
from cairn.demo import content as c
from cairn.demo.geography import LOCAL_AUTHORITY_CODE, LOCAL_AUTHORITY_NAME, LOCALITIES, county_map
from cairn.demo.identifiers import NHS_TEST_PREFIX, UPN_LA_NUMBER, nhs_check_digit, upn_check_letter
from cairn.demo.missing import MissingHistories
from cairn.demo.missing_rows import MissingRows
from cairn.demo.philomena import PhilomenaProfiles
from cairn.demo.plans import (
    AT_SCHOOL,
    CARE_TYPES,
    ETHNICITIES,
    HANDLING,
    IN_CARE,
    MAX_YEARS_KNOWN,
    MOVES,
    RECORDING_AGENCY,
    UASC_ETHNICITIES,
    UASC_IMMIGRATION,
    ChildPlan,
    Weighted,
)
from cairn.demo.risk import RiskHistories, RiskRows, RiskSubject
from cairn.demo.staff import AgencyStaff, Staff, staff_create

PROVIDERS = {
    PlacementType.FOSTER: c.FOSTER_PROVIDERS,
    PlacementType.KINSHIP: c.KINSHIP_PROVIDERS,
    PlacementType.CHILDRENS_HOME: c.CHILDRENS_HOMES,
    PlacementType.SEMI_INDEPENDENT: c.SEMI_INDEPENDENT_PROVIDERS,
    PlacementType.SECURE: c.SECURE_PROVIDERS,
}
CARERS = {
    PlacementType.HOME: ("mum", "mum", "dad", "nan", "aunt"),
    PlacementType.KINSHIP: ("nan", "aunt", "grandad"),
    PlacementType.FOSTER: ("foster carer",),
    PlacementType.CHILDRENS_HOME: ("key worker",),
    PlacementType.SEMI_INDEPENDENT: ("key worker",),
    PlacementType.SECURE: ("key worker",),
}
PRONOUNS = {
    Sex.FEMALE: ("she", "her", "her"),
    Sex.MALE: ("he", "him", "his"),
}
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _birth_date(rng: random.Random, anchor: date, age: int) -> date:
    latest = _years_before(anchor, age)
    earliest = _years_before(anchor, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randint(0, (latest - earliest).days))


def _name_pool(make: Callable[[], str], draws: int) -> list[str]:
    return list(dict.fromkeys(make() for _ in range(draws)))


@dataclass
class Batch:
    children: list[Child]
    placements: list[Placement]
    involvements: list[Involvement]
    aliases: list[ChildAlias]
    identifiers: list[ChildIdentifier]
    notes: list[CaseNote]
    recipients: list[tuple[CaseNote, User]]
    voices: list[ChildVoice]
    risk: RiskRows = field(default_factory=RiskRows)
    missing: MissingRows = field(default_factory=MissingRows)

    @classmethod
    def empty(cls) -> Batch:
        return cls([], [], [], [], [], [], [], [])

    def write(self) -> None:
        Child.objects.bulk_create(self.children, batch_size=500)
        Placement.objects.bulk_create(self.placements, batch_size=500)
        Involvement.objects.bulk_create(self.involvements, batch_size=500)
        ChildAlias.objects.bulk_create(self.aliases, batch_size=500)
        ChildIdentifier.objects.bulk_create(self.identifiers, batch_size=500)
        CaseNote.objects.bulk_create(self.notes, batch_size=500)
        through = CaseNote.recipients.through
        through.objects.bulk_create(
            [through(casenote_id=note.pk, user_id=user.pk) for note, user in self.recipients],
            batch_size=500,
        )
        ChildVoice.objects.bulk_create(self.voices, batch_size=500)
        self.risk.write()
        self.missing.write()


class County:
    def __init__(
        self,
        *,
        seed: int,
        anchor: date,
        assessments_per_child: int | None = None,
        episodes_per_child: int | None = None,
    ) -> None:
        self.seed = seed
        self.anchor = anchor
        self.assessments_per_child = assessments_per_child
        self.episodes_per_child = episodes_per_child
        # Separate streams, so that changing how notes are written never changes names.
        self.plan_rng = self._rng("plan")
        self.staff_rng = self._rng("staff")
        self.people_rng = self._rng("people")
        self.story_rng = self._rng("story")
        self.text_rng = self._rng("text")
        self.staff_faker = Faker("en_GB")
        self.staff_faker.seed_instance(f"cairn-demo:{seed}:staff-names")
        names = Faker("en_GB")
        names.seed_instance(f"cairn-demo:{seed}:child-names")
        self.female_names = _name_pool(names.first_name_female, 1500)
        self.male_names = _name_pool(names.first_name_male, 1500)
        self.family_names = _name_pool(names.last_name, 3000)
        self.nhs_numbers: set[str] = set()
        self.upn_serials: dict[tuple[str, int], int] = {}
        self.placement_numbers = itertools.count(1)
        self.police_numbers = itertools.count(1)
        self.template_cache: dict[tuple[str, frozenset[str]], list[Any]] = {}

    def _rng(self, stream: str) -> random.Random:
        return random.Random(f"cairn-demo:{self.seed}:{stream}")

    # --- places ---------------------------------------------------------------------------------

    def places_create(self) -> None:
        shapes = county_map()
        authority = LocalAuthority.objects.create(
            code=LOCAL_AUTHORITY_CODE, name=LOCAL_AUTHORITY_NAME
        )
        localities = {
            code: Locality.objects.create(local_authority=authority, code=code, name=name)
            for code, name in LOCALITIES
        }
        divisions = {
            spec.code: Division.objects.create(
                local_authority=authority, code=spec.code, name=spec.name, shape=spec.shape
            )
            for spec in shapes.divisions
        }
        self.wards = [
            Ward.objects.create(
                code=spec.code,
                name=spec.name,
                locality=localities[spec.locality_code],
                division=divisions[spec.division_code],
                shape=spec.shape,
            )
            for spec in shapes.wards
        ]
        self.ward_specs = shapes.wards
        self.ward_choice = Weighted(
            [(index, spec.weight) for index, spec in enumerate(shapes.wards)]
        )
        self.schools = [
            (
                School.objects.create(
                    urn=spec.urn, name=spec.name, phase=spec.phase, ward=self.wards[spec.ward_index]
                ),
                spec,
            )
            for spec in c.SCHOOLS
        ]
        self.schools_by_phase: dict[str, list[tuple[School, c.SchoolSpec]]] = {}
        for school, spec in self.schools:
            self.schools_by_phase.setdefault(spec.phase, []).append((school, spec))

    # --- staff ----------------------------------------------------------------------------------

    def staff_create(self, plans: list[ChildPlan]) -> None:
        demand = {c.CHILDRENS_SERVICES: len(plans)}
        for plan in plans:
            for code, via_team in plan.partners:
                if not via_team:
                    demand[code] = demand.get(code, 0) + 1
        self.staff: Staff = staff_create(demand=demand, rng=self.staff_rng, faker=self.staff_faker)
        self.agency_codes = {s.agency.id: code for code, s in self.staff.agencies.items()}
        self.risk = RiskHistories(
            seed=self.seed,
            anchor=self.anchor,
            agency_codes=self.agency_codes,
            assessments_per_child=self.assessments_per_child,
        )
        self.missing = MissingHistories(
            seed=self.seed,
            anchor=self.anchor,
            staff=self.staff,
            agency_codes=self.agency_codes,
            wards=self.wards,
            episodes_per_child=self.episodes_per_child,
        )
        created_at = self.missing.created_at
        self.philomena = PhilomenaProfiles(
            seed=self.seed, anchor=self.anchor, wards=self.wards, created_at=created_at
        )

    def agency(self, code: str) -> Agency:
        return self.staff.agencies[code].agency

    # --- children -------------------------------------------------------------------------------

    def child_add(self, number: int, plan: ChildPlan, batch: Batch) -> None:
        rp, anchor = self.people_rng, self.anchor
        in_care = plan.legal_status in IN_CARE

        # Who the child is.
        if plan.sex == Sex.FEMALE:
            pool = self.female_names
        elif plan.sex == Sex.MALE:
            pool = self.male_names
        else:
            pool = rp.choice((self.female_names, self.male_names))
        given = rp.choice(pool)
        middle = rp.choice(pool) if rp.random() < 0.35 else ""
        middle = "" if middle == given else middle
        family = rp.choice(self.family_names)
        dob = _birth_date(rp, anchor, plan.age)
        ethnicity = (UASC_ETHNICITIES if plan.uasc else ETHNICITIES).pick(rp)
        if plan.uasc:
            immigration = UASC_IMMIGRATION.pick(rp)
        elif ethnicity == "White Other" and rp.random() < 0.3:
            immigration = ImmigrationStatus.EU_SETTLEMENT
        else:
            immigration = ImmigrationStatus.NOT_APPLICABLE
        ward_index = self.ward_choice.pick(rp)
        ward = self.wards[ward_index]
        postcode = (
            f"{self.ward_specs[ward_index].outward_code} {rp.randint(1, 9)}"
            f"{rp.choice(POSTCODE_LETTERS)}{rp.choice(POSTCODE_LETTERS)}"
        )
        home_authority = LOCAL_AUTHORITY_CODE
        if plan.legal_status == LegalStatus.LOOKED_AFTER and rp.random() < 0.04:
            home_authority = rp.choice(c.OTHER_AUTHORITIES)
        learning_disability = rp.random() < 0.07
        school, status = self._education(rp, plan, learning_disability)
        recorded_by = RECORDING_AGENCY.pick(rp)

        child = Child(
            child_ref=f"C-{number:06d}",
            agency_id=self.agency(recorded_by).id,
            given_name=given,
            family_name=family,
            other_names=middle,
            date_of_birth=dob,
            sex=plan.sex,
            ethnicity=ethnicity,
            postcode=postcode,
            ward_id=ward.id,
            legal_status=plan.legal_status,
            home_authority=home_authority,
            uasc=plan.uasc,
            immigration_status=immigration,
            school_urn=school[0].urn if school else "",
            education_status=status,
            learning_disability=learning_disability,
        )
        batch.children.append(child)
        self._aliases_add(rp, child, batch)

        # The story: when the child became known, where they lived, who worked with them.
        risk = self.risk.plan(plan, dob)
        known_since = self.risk.known_by(risk, self._known_since(dob))
        first_placement = len(batch.placements)
        current = self._placements_add(child, plan, known_since, ward, batch)
        placements = batch.placements[first_placement:]
        lead, authors, previous = self._involvements_add(child, plan, known_since, batch)
        child.lead_professional_id = lead.id
        self._identifiers_add(rp, child, plan, school, known_since, batch)

        # What was written down, and what the child said.
        tags = {"any", "care" if in_care else "home"}
        if plan.concern:
            tags.add("concern")
        if plan.missing:
            tags.add("missing")
        if school and status in AT_SCHOOL:
            tags.add("school")
        self._writing_add(child, plan, frozenset(tags), current, school, authors, batch)

        # Screenings and risk assessments, and any piece of work with outcome scores.
        subject = RiskSubject(
            child=child,
            plan=plan,
            known_since=known_since,
            lead=lead,
            lead_start=authors[0][1],
            previous=previous,
            partners=authors[1:],
            risk=risk,
        )
        history = self.risk.child_add(subject, batch.risk)

        # Missing episodes, return home interviews and alerts; a Philomena profile.
        school_name = school[0].name if school and status in AT_SCHOOL else ""
        self.missing.child_add(subject, history, placements, school_name, batch.missing)
        self.philomena.child_add(subject, history, placements, school_name, batch.missing)

    def _education(
        self, rng: random.Random, plan: ChildPlan, learning_disability: bool
    ) -> tuple[tuple[School, c.SchoolSpec] | None, str]:
        by_phase = self.schools_by_phase
        if plan.age <= 10:
            status = rng.choices(
                (
                    EducationStatus.ON_ROLL,
                    EducationStatus.SUSPENDED,
                    EducationStatus.ELECTIVE_HOME_EDUCATION,
                    EducationStatus.MISSING_EDUCATION,
                ),
                cum_weights=(92, 94, 97, 100),
            )[0]
            phase = "special" if learning_disability and rng.random() < 0.4 else "primary"
        elif plan.age <= 15:
            status = rng.choices(
                (
                    EducationStatus.ON_ROLL,
                    EducationStatus.SUSPENDED,
                    EducationStatus.PERMANENTLY_EXCLUDED,
                    EducationStatus.ALTERNATIVE_PROVISION,
                    EducationStatus.ELECTIVE_HOME_EDUCATION,
                    EducationStatus.MISSING_EDUCATION,
                ),
                cum_weights=(78, 85, 88, 94, 97, 100),
            )[0]
            phase = "special" if learning_disability and rng.random() < 0.4 else "secondary"
        else:
            status = rng.choices(
                (
                    EducationStatus.ON_ROLL,
                    EducationStatus.ALTERNATIVE_PROVISION,
                    EducationStatus.MISSING_EDUCATION,
                    EducationStatus.NOT_APPLICABLE,
                ),
                cum_weights=(76, 82, 87, 100),
            )[0]
            phase = "college" if rng.random() < 0.7 else "secondary"
        if status in (
            EducationStatus.PERMANENTLY_EXCLUDED,
            EducationStatus.ALTERNATIVE_PROVISION,
        ):
            phase = "alternative"
        if status in (
            EducationStatus.ELECTIVE_HOME_EDUCATION,
            EducationStatus.MISSING_EDUCATION,
            EducationStatus.NOT_APPLICABLE,
        ):
            return None, status
        return rng.choice(by_phase[phase]), status

    def _aliases_add(self, rng: random.Random, child: Child, batch: Batch) -> None:
        if rng.random() >= 0.1:
            return
        if rng.random() < 0.6:
            name, note = rng.choice(c.NICKNAMES), rng.choice(c.ALIAS_NOTES)
        else:
            name, note = f"{child.given_name} {rng.choice(self.family_names)}", "Previous surname"
        batch.aliases.append(ChildAlias(child=child, name=name, note=note))

    def _known_since(self, dob: date) -> date:
        """When services first knew the child: mostly in the last two years, at most six."""
        rng, anchor = self.story_rng, self.anchor
        longest = max(45, min(MAX_YEARS_KNOWN * 365, (anchor - dob).days - 7 * 365))
        back = int(rng.triangular(30, longest, min(longest, 540)))
        return anchor - timedelta(days=back)

    def _placement(
        self,
        child: Child,
        kind: str,
        start: date,
        end: date | None,
        home_ward: Ward,
        batch: Batch,
    ) -> Placement:
        if kind == PlacementType.HOME:
            provider, ward = "", home_ward
        else:
            spec = self.story_rng.choice(PROVIDERS[kind])
            provider = spec.name
            ward = self.wards[spec.ward_index] if spec.ward_index is not None else None
        placement = Placement(
            placement_ref=f"P-{next(self.placement_numbers):07d}",
            child=child,
            agency_id=self.agency(c.CHILDRENS_SERVICES).id,
            provider_name=provider,
            placement_type=kind,
            ward_id=ward.id if ward else None,
            out_of_area=ward is None,
            start_date=start,
            end_date=end,
        )
        batch.placements.append(placement)
        return placement

    def _placements_add(
        self, child: Child, plan: ChildPlan, known_since: date, ward: Ward, batch: Batch
    ) -> Placement:
        """Home for most; children in care move through one to four placements. Returns the
        current placement."""
        rng, anchor = self.story_rng, self.anchor
        if plan.legal_status not in IN_CARE:
            kind = PlacementType.KINSHIP if rng.random() < 0.03 else PlacementType.HOME
            return self._placement(child, kind, known_since, None, ward, batch)
        span = (anchor - known_since).days
        if plan.uasc:
            care_start = known_since
        else:
            care_start = known_since + timedelta(days=rng.randint(14, max(14, span - 14)))
            self._placement(
                child,
                PlacementType.HOME,
                known_since,
                care_start - timedelta(days=1),
                ward,
                batch,
            )
        care_days = (anchor - care_start).days
        moves = min(MOVES.pick(rng), care_days // 30)
        cuts = sorted(rng.sample(range(1, care_days), moves)) if moves else []
        starts = [care_start] + [care_start + timedelta(days=d) for d in cuts]
        dob = child.date_of_birth
        assert dob is not None
        placement = None
        for j, start in enumerate(starts):
            last = j == len(starts) - 1
            end = None if last else starts[j + 1] - timedelta(days=1)
            age = _age_on(dob, start)
            leaving = last and plan.legal_status == LegalStatus.CARE_LEAVER
            if (leaving or (age >= 16 and rng.random() < 0.5)) and age >= 16:
                kind = PlacementType.SEMI_INDEPENDENT
            elif plan.uasc:
                kind = PlacementType.FOSTER
            else:
                kind = CARE_TYPES.pick(rng)
            placement = self._placement(child, kind, start, end, ward, batch)
        assert placement is not None
        return placement

    def _involvements_add(
        self, child: Child, plan: ChildPlan, known_since: date, batch: Batch
    ) -> tuple[User, list[tuple[User, date]], User | None]:
        """A lead social worker (sometimes after an earlier one), one to three partner agencies,
        and for some children a partner who worked with them in the past. Returns the lead, the
        current workers with their start dates (the lead first) and any earlier social worker."""
        rng, anchor = self.story_rng, self.anchor
        span = (anchor - known_since).days
        cs = self.staff.agencies[c.CHILDRENS_SERVICES]
        lead = cs.next_worker(rng)
        lead_start = known_since
        earlier = None
        if span > 180 and rng.random() < 0.3:
            switch = known_since + timedelta(days=rng.randint(60, span - 60))
            previous = rng.choice(cs.practitioners)
            if previous != lead:
                self._involve(
                    batch,
                    child,
                    cs,
                    Involvement.Reason.ALLOCATED,
                    known_since,
                    previous,
                    end=switch - timedelta(days=1),
                    detail="Previous social worker",
                )
                lead_start = switch
                earlier = previous
        self._involve(batch, child, cs, Involvement.Reason.LEAD, lead_start, lead)
        authors = [(lead, lead_start)]
        for code, via_team in plan.partners:
            staff = self.staff.agencies[code]
            start = known_since + timedelta(days=rng.randint(0, max(0, span - 7)))
            reason = staff.spec.reason
            if via_team:
                self._involve(batch, child, staff, reason, start, team=rng.choice(staff.teams))
            else:
                user = staff.next_worker(rng)
                self._involve(batch, child, staff, reason, start, user)
                authors.append((user, start))
        if span > 120 and rng.random() < 0.15:
            staff = self.staff.agencies[rng.choice(c.PARTNER_AGENCIES)]
            start = known_since + timedelta(days=rng.randint(0, span - 90))
            end = start + timedelta(days=rng.randint(14, (anchor - start).days - 1))
            self._involve(
                batch,
                child,
                staff,
                staff.spec.reason,
                start,
                rng.choice(staff.practitioners),
                end=end,
            )
        return lead, authors, earlier

    def _involve(
        self,
        batch: Batch,
        child: Child,
        staff: AgencyStaff,
        reason: str,
        start: date,
        user: User | None = None,
        *,
        team: Team | None = None,
        end: date | None = None,
        detail: str = "",
    ) -> None:
        batch.involvements.append(
            Involvement(
                child=child,
                user_id=user.id if user else None,
                team_id=team.id if team else None,
                agency_id=staff.agency.id,
                reason=reason,
                detail=detail or staff.detail_for(user=user, team=team),
                started_on=start,
                ended_on=end,
            )
        )

    def _identifiers_add(
        self,
        rng: random.Random,
        child: Child,
        plan: ChildPlan,
        school: tuple[School, c.SchoolSpec] | None,
        known_since: date,
        batch: Batch,
    ) -> None:
        if rng.random() < 0.97:
            batch.identifiers.append(
                ChildIdentifier(
                    child=child,
                    kind=ChildIdentifier.Kind.NHS_NUMBER,
                    value=self._nhs_number(rng),
                    agency_id=self.agency(c.HEALTH).id,
                )
            )
        if rng.random() < 0.92:
            spec = school[1] if school else rng.choice(self.schools_by_phase["primary"])[1]
            batch.identifiers.append(
                ChildIdentifier(
                    child=child,
                    kind=ChildIdentifier.Kind.SCHOOL_UPN,
                    value=self._upn(spec.establishment, child.date_of_birth),
                    agency_id=self.agency(c.EDUCATION).id,
                )
            )
        if plan.missing or any(code == c.POLICE for code, _ in plan.partners):
            batch.identifiers.append(
                ChildIdentifier(
                    child=child,
                    kind=ChildIdentifier.Kind.POLICE,
                    value=f"SYP-{known_since.year}-{next(self.police_numbers):06d}",
                    agency_id=self.agency(c.POLICE).id,
                )
            )

    def _nhs_number(self, rng: random.Random) -> str:
        while True:
            first_nine = f"{NHS_TEST_PREFIX}{rng.randrange(1_000_000):06d}"
            check = nhs_check_digit(first_nine)
            value = f"{first_nine}{check}"
            if check is not None and value not in self.nhs_numbers:
                self.nhs_numbers.add(value)
                return value

    def _upn(self, establishment: str, dob: date | None) -> str:
        """LA number 999 (no real authority), the school, the year the child started, a serial."""
        year = ((dob.year if dob else self.anchor.year) + 5) % 100
        while self.upn_serials.get((establishment, year), 0) >= 999:
            establishment = f"{(int(establishment) + 37) % 10000:04d}"
        serial = self.upn_serials.get((establishment, year), 0) + 1
        self.upn_serials[(establishment, year)] = serial
        digits = f"{UPN_LA_NUMBER}{establishment}{year:02d}{serial:03d}"
        return upn_check_letter(digits) + digits

    def _templates(self, kind: str, code: str, tags: frozenset[str]) -> list[Any]:
        key = (f"{kind}:{code}", tags)
        if key not in self.template_cache:
            if kind == "note":
                found: list[Any] = [
                    t for t in c.NOTE_TEMPLATES if t.agency == code and t.when in tags
                ]
            else:
                found = [t for t in c.VOICE_TEMPLATES if t.when in tags]
            self.template_cache[key] = found
        return self.template_cache[key]

    def _writing_add(
        self,
        child: Child,
        plan: ChildPlan,
        tags: frozenset[str],
        current: Placement,
        school: tuple[School, c.SchoolSpec] | None,
        authors: list[tuple[User, date]],
        batch: Batch,
    ) -> None:
        rng, anchor = self.text_rng, self.anchor
        they, them, their = PRONOUNS.get(plan.sex, ("they", "them", "their"))
        context = {
            "name": child.given_name,
            "they": they,
            "them": them,
            "their": their,
            "They": they.capitalize(),
            "Their": their.capitalize(),
            "place": rng.choice(self.ward_specs).name,
            "far_place": rng.choice(c.OUT_OF_AREA_TOWNS),
            "school": school[0].name if school else rng.choice(self.schools)[0].name,
            "home": "home" if current.placement_type == PlacementType.HOME else "the placement",
            "carer": rng.choice(CARERS[current.placement_type]),
        }
        lead = authors[0][0]
        for _ in range(rng.randint(2, 6)):
            author, since = (
                authors[0] if len(authors) == 1 or rng.random() < 0.45 else rng.choice(authors[1:])
            )
            code = self.agency_codes[author.agency_id]
            templates = self._templates("note", code, tags)
            if not templates:
                author, since = authors[0]
                templates = self._templates("note", c.CHILDRENS_SERVICES, tags)
            template = rng.choice(templates)
            handling = HANDLING.pick(rng)
            note = CaseNote(
                child=child,
                author_id=author.id,
                agency_id=author.agency_id,
                handling=handling,
                occurred_on=since + timedelta(days=rng.randint(0, (anchor - since).days)),
                subject=template.subject.format_map(context),
                text=template.text.format_map(context),
            )
            batch.notes.append(note)
            if handling == Handling.RESTRICTED and author != lead:
                batch.recipients.append((note, lead))
        for _ in range(rng.randint(1, 3)):
            author, since = authors[0] if rng.random() < 0.7 else rng.choice(authors)
            template = rng.choice(self._templates("voice", "", tags))
            batch.voices.append(
                ChildVoice(
                    child=child,
                    recorded_by_id=author.id,
                    recorded_on=since + timedelta(days=rng.randint(0, (anchor - since).days)),
                    method=template.method,
                    text=template.text.format_map(context),
                )
            )
