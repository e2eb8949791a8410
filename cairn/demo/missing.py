"""Missing episodes, return home interviews and repeat-missing alerts for the synthetic county.

About one child in ten goes missing at some point, and most of those once or twice. Who goes
missing follows their story: children whose plan says they go missing, children at risk of
exploitation (their episodes cluster around the months their risk history puts them at low or
above, and just before it: going missing is often what brings a child to notice) and children
living in children's homes. A handful in every 500 children go missing 10 to 30 times from one
children's home placement ("13 episodes, 1 child" in a placement's view); a home has one such run
at a time, so in a large county (which still has ten homes) they are rarer. Episodes peak in the
summer and start mostly in the evening or at night; the police grade most at medium risk, and the
concerns recorded follow what the child is exploited for. A few children are still missing at the
anchor date.

Every return is offered a return home interview, usually within 72 hours, by a worker from the
voluntary sector's outreach team or children's services' exploitation and missing team. The share
completed within 72 hours improves over the years (about 40% six years ago, 80% now); others are
completed late, declined, attempted without success or not held for a recorded reason, and a few
returns have no interview record at all.

Return home interviews are drawn by cairn.demo.interviews and repeat-missing alerts by
cairn.demo.missing_alerts; the rows are written by cairn.demo.missing_rows.

All times fall before the anchor day begins (Europe/London). Everything is drawn from the
"missing" random streams, so adding these records changed nothing else in the county.
"""

from __future__ import annotations

import bisect
import itertools
import random
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from cairn.accounts.models import Role, User
from cairn.children.models import Placement, PlacementType, Sex
from cairn.core.models import Ward
from cairn.demo import content as c
from cairn.demo import missing_wording as w
from cairn.demo.interviews import ReturnInterviews
from cairn.demo.missing_alerts import RepeatAlerts
from cairn.demo.missing_rows import DAY, HOUR, MINUTE, Episode, MissingRows, between, lead_on
from cairn.demo.plans import Weighted
from cairn.demo.risk import RiskHistory, RiskSubject
from cairn.demo.rows import IdBlock, json_text
from cairn.demo.staff import Staff
from cairn.missing.models import MissingEpisode

RANK = {"none": 0, "low": 1, "medium": 2, "high": 3}
HOME, CHILDRENS_HOME = PlacementType.HOME.value, PlacementType.CHILDRENS_HOME.value
# Episodes are likelier in the summer, while at risk, and from a children's home.
MONTH_WEIGHT = (0, 0.75, 0.75, 0.9, 1.0, 1.15, 1.8, 2.0, 1.8, 1.1, 1.0, 0.9, 0.75)
LEVEL_WEIGHT = (1.0, 4.0, 8.0, 12.0)
PLACEMENT_WEIGHT = {CHILDRENS_HOME: 3.0, "semi_independent": 1.6, "foster": 1.2, "secure": 0.3}
RISK_LEAD = timedelta(days=45)  # episodes come shortly before a child is identified at risk
YOUNGEST = 10  # no episodes before this age
MANY_RANGE = (10, 30)
MANY_MIN_DAYS = 120
RUN_GAP = timedelta(days=90)  # between two children's runs of episodes from the same home
FEW = Weighted([(1, 55), (2, 24), (3, 9), (4, 6), (5, 3), (6, 2), (7, 1)])
FEW_AT_RISK = Weighted([(1, 36), (2, 25), (3, 14), (4, 10), (5, 6), (6, 4), (7, 3), (8, 2)])
HOURS = Weighted(
    list(
        zip(
            range(24),
            (4, 3, 2, 1, 1, 1, 1, 2, 3, 2, 2, 2, 3, 3, 3, 5, 6, 7, 9, 10, 11, 10, 8, 6),
            strict=True,
        )
    )
)
DURATION_MINUTES = Weighted([((60, 360), 25), ((360, 1080), 35), ((1080, 2160), 22),
                             ((2160, 4320), 12), ((4320, 10080), 6)])  # fmt: skip
DURATION_FAR = Weighted([((360, 1080), 20), ((1080, 2160), 30), ((2160, 4320), 30),
                         ((4320, 10080), 20)])  # fmt: skip
REPORT_DELAY_MINUTES = Weighted([((10, 60), 45), ((60, 180), 40), ((180, 480), 15)])
POLICE_RISK = (
    Weighted([("no_apparent_risk", 15), ("low", 25), ("medium", 55), ("high", 5)]),
    Weighted([("no_apparent_risk", 5), ("low", 20), ("medium", 65), ("high", 10)]),
    Weighted([("low", 10), ("medium", 65), ("high", 25)]),
    Weighted([("low", 5), ("medium", 50), ("high", 45)]),
)
CONCERN_FOR_TYPE = {
    "sexual": "sexual",
    "online": "sexual",
    "criminal": "criminal",
    "county_lines": "criminal",
    "trafficking": "trafficking",
    "labour": "trafficking",
}
CONCERN_ORDER = ("exploitation", "sexual", "criminal", "trafficking", "violence", "substance")
CARER_WORDS = {
    HOME: ("mum", "mum", "dad", "nan"),
    "kinship": ("nan", "aunt"),
    "foster": ("foster carer",),
    CHILDRENS_HOME: ("key worker",),
    "semi_independent": ("support worker",),
    "secure": ("key worker",),
}
PRONOUNS: dict[str, tuple[str, str, str]] = {
    Sex.FEMALE: ("she", "her", "her"),
    Sex.MALE: ("he", "him", "his"),
}
LAST_SEEN_WITH = Weighted(w.LAST_SEEN_WITH)
FOUND_WITH = Weighted(w.FOUND_WITH)


def _short(provider: str) -> str:
    return provider.split(" (")[0]


class _Story:
    """A child's risk rank and placement on any day, looked up by bisection."""

    def __init__(self, history: RiskHistory, placements: list[Placement]) -> None:
        steps = sorted(history.steps, key=lambda step: step.day)
        self.step_days = [step.day for step in steps]
        self.step_ranks = [RANK[step.level] for step in steps]
        self.placements = sorted(placements, key=lambda p: p.start_date)
        self.starts = [p.start_date for p in self.placements]
        self.peak = max(self.step_ranks, default=0)
        self.kinds = {p.placement_type for p in self.placements}

    def rank_on(self, day: date) -> int:
        index = bisect.bisect_right(self.step_days, day) - 1
        return self.step_ranks[index] if index >= 0 else 0

    def rank_around(self, day: date) -> int:
        return max(self.rank_on(day), self.rank_on(day + RISK_LEAD))

    def placement_on(self, day: date) -> Placement:
        return self.placements[max(0, bisect.bisect_right(self.starts, day) - 1)]

    def weight(self, day: date) -> float:
        kind = self.placement_on(day).placement_type
        return (
            MONTH_WEIGHT[day.month]
            * LEVEL_WEIGHT[self.rank_around(day)]
            * PLACEMENT_WEIGHT.get(kind, 1.0)
        )

    def bound(self) -> float:
        return (
            max(MONTH_WEIGHT)
            * LEVEL_WEIGHT[self.peak]
            * max(PLACEMENT_WEIGHT.get(kind, 1.0) for kind in self.kinds)
        )


class MissingHistories:
    """Draws each child's missing episodes, interviews and alerts and appends their rows."""

    def __init__(
        self,
        *,
        seed: int,
        anchor: date,
        staff: Staff,
        agency_codes: dict[int, str],
        wards: list[Ward],
        episodes_per_child: int | None = None,
    ) -> None:
        self.anchor = anchor
        self.per_child = episodes_per_child
        self.rng = random.Random(f"cairn-demo:{seed}:missing")
        self.text_rng = random.Random(f"cairn-demo:{seed}:missing-text")
        self.tz = timezone.get_default_timezone()
        self.horizon = datetime.combine(anchor, time(0), tzinfo=self.tz).astimezone(UTC)
        self.wards = wards
        self.ward_names = {ward.id: ward.name for ward in wards}
        self.ward_ids = {ward.name: ward.id for ward in wards}
        agencies = staff.agencies
        self.police = agencies[c.POLICE].agency
        self.childrens_services = agencies[c.CHILDRENS_SERVICES].agency
        self.recorders = self._team(staff, c.POLICE, "Missing Persons Unit")
        self.managers = [
            user
            for user in staff.users
            if user.role == Role.MANAGER and user.agency_id == self.childrens_services.id
        ]
        self.episode_ids = IdBlock(MissingEpisode)
        self.police_numbers = itertools.count(1)
        self.created_at = connection.ops.adapt_datetimefield_value(timezone.now())
        self.json: dict[tuple[str, ...], str] = {}
        self.runs: dict[str, list[tuple[date, date]]] = {}  # home -> runs of many episodes
        self.interviews = ReturnInterviews(
            seed=seed,
            horizon=self.horizon,
            interviewers={
                code: self._team(staff, code, team) for code, team in w.INTERVIEW_TEAMS.items()
            },
            childrens_services=self.childrens_services,
            agency_codes=agency_codes,
            created_at=self.created_at,
        )
        self.alerts = RepeatAlerts(
            seed=seed, horizon=self.horizon, managers=self.managers, tz=self.tz
        )

    @staticmethod
    def _team(staff: Staff, code: str, team: str) -> list[User]:
        agency = staff.agencies[code]
        members = [
            user
            for user in agency.practitioners
            if user.team_id is not None and agency.team_specs[user.team_id].name == team
        ]
        return members or agency.practitioners

    # --- how many episodes, and when -------------------------------------------------------

    def _window(self, s: RiskSubject) -> tuple[date, date]:
        dob = s.child.date_of_birth
        assert dob is not None
        if self.per_child is not None:
            return s.known_since, self.anchor - DAY
        try:
            youngest = dob.replace(year=dob.year + YOUNGEST)
        except ValueError:  # 29 February
            youngest = dob.replace(year=dob.year + YOUNGEST, day=28)
        return max(s.known_since, youngest), self.anchor - DAY

    def _days(
        self, story: _Story, start: date, end: date, count: int, *, cluster: bool = False
    ) -> list[date]:
        """`count` different days in [start, end], likelier where `story.weight` is higher;
        with `cluster`, within about two months of one such day."""
        rng = self.rng
        span = (end - start).days
        if span < 0 or count <= 0:
            return []
        bound = story.bound()
        if cluster and span > 120:
            centre = self._days(story, start, end, 1)[0]
            start = max(start, centre - timedelta(days=60))
            end = min(end, centre + timedelta(days=60))
            span = (end - start).days
        chosen: set[int] = set()
        tries, patience = 0, 60 * count + 200
        while len(chosen) < min(count, span + 1):
            offset = rng.randint(0, span)
            tries += 1
            weight = story.weight(start + DAY * offset)
            if offset in chosen or (tries < patience and rng.random() * bound > weight):
                continue
            chosen.add(offset)
        return [start + DAY * offset for offset in sorted(chosen)]

    def _plan(self, s: RiskSubject, story: _Story) -> list[date]:
        rng, plan = self.rng, s.plan
        start, end = self._window(s)
        if self.per_child is not None:
            return self._days(story, start, end, self.per_child)
        if (end - start).days < 14:
            return []
        homes = [
            p
            for p in story.placements
            if p.placement_type == CHILDRENS_HOME
            and (min(p.end_date or end, end) - max(p.start_date, start)).days >= MANY_MIN_DAYS
        ]
        if homes and rng.random() < (0.2 if story.peak >= 2 else 0.1):
            # Usually the latest such placement, and its latest months: escalating until now.
            home = homes[-1] if rng.random() < 0.7 else rng.choice(homes)
            first, last = max(home.start_date, start), min(home.end_date or end, end)
            if (last - first).days > 270:
                length = rng.randint(120, 270)
                if rng.random() < 0.5:
                    first = last - DAY * length
                else:
                    first += DAY * rng.randint(0, (last - first).days - length)
                    last = first + DAY * length
            runs = self.runs.setdefault(home.provider_name, [])
            if not any(first - RUN_GAP <= b and a <= last + RUN_GAP for a, b in runs):
                runs.append((first, last))
                days = self._days(story, first, last, rng.randint(*MANY_RANGE))
                if rng.random() < 0.4:
                    others = self._days(story, start, end, rng.randint(1, 3))
                    days = sorted(set(days) | {d for d in others if story.placement_on(d) != home})
                return days
        chance = 0.01 + (0.13 if plan.missing else 0.0) + 0.07 * (story.peak >= 1)
        chance += 0.08 * (story.peak >= 2) + 0.1 * (CHILDRENS_HOME in story.kinds)
        # Known for longer, more time to go missing in (full chance from two years).
        chance *= min(1.0, 0.3 + 0.7 * (end - start).days / 730)
        if s.child.date_of_birth and (self.anchor - s.child.date_of_birth).days < 12 * 365:
            chance *= 0.4
        if rng.random() >= chance:
            return []
        count = (FEW_AT_RISK if story.peak >= 2 else FEW).pick(rng)
        return self._days(story, start, end, count, cluster=count >= 3 and rng.random() < 0.6)

    # --- the child ------------------------------------------------------------------------

    def child_add(
        self,
        s: RiskSubject,
        history: RiskHistory,
        placements: list[Placement],
        school: str,
        rows: MissingRows,
    ) -> None:
        """Append the child's episodes, their interviews and any alerts to `rows`."""
        story = _Story(history, placements)
        days = self._plan(s, story)
        if not days:
            return
        rng = self.rng
        last_seen = [
            datetime.combine(day, time(HOURS.pick(rng), rng.randint(0, 59)), tzinfo=self.tz)
            .astimezone(UTC)
            for day in days
        ]  # fmt: skip
        still_missing = False
        if self.per_child is None and rng.random() < (0.12 if story.peak >= 2 else 0.03):
            # Still missing at the anchor: last seen in the last few days.
            recent = self.horizon - between(rng, 3 * HOUR, 4 * DAY)
            if recent > last_seen[-1] + 2 * DAY:
                last_seen.append(recent)
                still_missing = True
        episodes = self._episodes(s, story, history, last_seen, still_missing, school, rows)
        self.alerts.add(s, episodes, rows)

    def _episodes(
        self,
        s: RiskSubject,
        story: _Story,
        history: RiskHistory,
        last_seen: list[datetime],
        still_missing: bool,
        school: str,
        rows: MissingRows,
    ) -> list[Episode]:
        rng, horizon = self.rng, self.horizon
        episodes: list[Episode] = []
        for index, seen in enumerate(last_seen):
            if episodes:
                before = episodes[-1]
                if before.returned is None:
                    break  # still missing
                seen = max(seen, before.returned + HOUR)
                if seen >= horizon - 10 * MINUTE:
                    seen = before.returned + (horizon - before.returned) / 2
            day = seen.astimezone(self.tz).date()
            placement = story.placement_on(day)
            rank = story.rank_around(day)
            types = history.types if rank else []
            far_chance = 0.08 + (0.35 if set(types) & {"county_lines", "trafficking"} else 0.0)
            far_chance += 0.15 * (rank >= 2) + 0.5 * placement.out_of_area
            far = rng.random() < far_chance
            minutes = (DURATION_FAR if far else DURATION_MINUTES).pick(rng)
            returned: datetime | None = seen + MINUTE * rng.randint(*minutes)
            assert returned is not None
            if index + 1 < len(last_seen):
                following = last_seen[index + 1]
                returned = max(seen + 20 * MINUTE, min(returned, following - 30 * MINUTE))
            delay = MINUTE * rng.randint(*REPORT_DELAY_MINUTES.pick(rng))
            if placement.placement_type == CHILDRENS_HOME:
                delay /= 2
            reported = seen + min(delay, (returned - seen) * 0.8)
            reported = min(reported.replace(second=0, microsecond=0) + MINUTE, horizon - MINUTE)
            reported = max(seen, reported)
            if returned >= horizon or (still_missing and index == len(last_seen) - 1):
                returned = None
            context = self._context(s, placement)
            episode = Episode(
                self.episode_ids.take(), seen, reported, returned, placement, rank, far, context
            )
            episodes.append(episode)
            self._episode_row(s, episode, types, school, rows)
            if returned is not None:
                self.interviews.add(s, episode, types, rows)
        return episodes

    def _context(self, s: RiskSubject, placement: Placement) -> dict[str, str]:
        rng = self.text_rng
        they, them, their = PRONOUNS.get(s.plan.sex, ("they", "them", "their"))
        kind = placement.placement_type
        if placement.out_of_area:
            place = rng.choice(c.OUT_OF_AREA_TOWNS)
        elif placement.ward_id is not None and rng.random() < 0.6:
            place = self.ward_names[placement.ward_id]
        else:
            place = rng.choice(self.wards).name
        return {
            "name": s.child.given_name,
            "they": they,
            "them": them,
            "their": their,
            "They": they.capitalize(),
            "place": place,
            "place2": rng.choice(self.wards).name,
            "far_place": rng.choice(c.OUT_OF_AREA_TOWNS),
            "home": "home" if kind in (HOME, "kinship") else "the placement",
            "carer": rng.choice(CARER_WORDS.get(kind, ("carer",))),
        }

    def _concerns(self, types: list[str], rank: int) -> str:
        """The concerns recorded, as the JSON text stored."""
        rng = self.rng
        found = {CONCERN_FOR_TYPE[t] for t in types if t in CONCERN_FOR_TYPE}
        if rank and rng.random() < 0.3:
            found.add("exploitation")
        if rng.random() < (0.18 if rank else 0.1):
            found.add("substance")
        if rng.random() < (0.1 if "criminal" in found else 0.03):
            found.add("violence")
        concerns = [concern for concern in CONCERN_ORDER if concern in found]
        if not concerns and rng.random() < 0.15:
            concerns = ["other"]
        key = tuple(concerns)
        if key not in self.json:
            self.json[key] = json_text(concerns)
        return self.json[key]

    def _episode_row(
        self,
        s: RiskSubject,
        e: Episode,
        types: list[str],
        school: str,
        rows: MissingRows,
    ) -> None:
        rng, text, ctx = self.rng, self.text_rng, e.context
        kind = e.placement.placement_type
        local = e.last_seen.astimezone(self.tz)
        where = {HOME: "home", "kinship": "home", "foster": "the foster home"}.get(
            kind, _short(e.placement.provider_name)
        )
        if school and local.weekday() < 5 and 14 <= local.hour <= 16 and text.random() < 0.5:
            seen_place = text.choice(w.LAST_SEEN_SCHOOL).format(school=school)
        elif text.random() < 0.45:
            seen_place = text.choice(w.LAST_SEEN_AT_PLACEMENT).format_map(ctx | {"home": where})
        else:
            seen_place = text.choice(w.LAST_SEEN_OUT).format_map(ctx)
        seen_with = LAST_SEEN_WITH.pick(text)
        clothing = ""
        if text.random() < (0.7 if kind != HOME else 0.35):
            clothing = f"{text.choice(w.TOPS)}, {text.choice(w.BOTTOMS)}, {text.choice(w.SHOES)}"
            if text.random() < 0.4:
                clothing += f"; {text.choice(w.CARRYING)}"
            clothing = clothing[0].upper() + clothing[1:]
        police = rng.random() < 0.6
        if police:
            agency, recorder = self.police, text.choice(self.recorders)
        else:
            agency, recorder = self.childrens_services, lead_on(s, local.date())
        found_place = found_with = travel = ""
        found_ward = None
        if e.returned is not None:
            if e.far:
                found_place = text.choice(w.FOUND_OUT_OF_AREA).format_map(ctx)
                travel = text.choice(w.TRAVEL_FAR)
            else:
                found_place = text.choice(w.FOUND_IN_COUNTY).format_map(ctx)
                found_ward = self.ward_ids.get(ctx["place"])
                travel = text.choice(w.TRAVEL_LOCAL)
            found_with = FOUND_WITH.pick(text)
        e.travel = travel
        local_reported = e.reported.astimezone(self.tz)
        rows.episodes.append(
            [
                e.id,
                f"ME-{e.id:06d}",
                s.child,
                agency.id,
                recorder.id,
                e.placement,
                e.last_seen,
                seen_place[:200],
                seen_with,
                clothing,
                e.reported,
                text.choice(w.REPORTED_BY.get(kind, ("Carer",))),
                f"SYP-MP-{local_reported.year}-{next(self.police_numbers):06d}",
                POLICE_RISK[e.rank].pick(rng),
                self._concerns(types, e.rank),
                e.returned,
                found_place[:200],
                found_ward,
                e.returned is not None and (e.far or e.placement.out_of_area),
                found_with,
                travel,
                self.created_at,
                self.created_at,
            ]
        )
