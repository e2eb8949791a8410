"""Multi-agency exploitation panels for the synthetic county: two panels, two years of monthly
meetings, and the safety and disruption plans they agreed (DOMAIN.md "Multi-agency panels and
plans").

"Synthetshire MACE" hears children at risk of sexual and online exploitation; "Synthetshire
Missing and Exploitation Panel" children at risk of criminal exploitation, county lines and
trafficking, and children with repeat-missing alerts. Each is co-chaired by a police and a
children's services manager (the demo `manager` login co-chairs the MACE) and has members from
police, children's services, health, education, youth justice and the voluntary sector, many of
them demo logins; one member of each panel changed half way through. Each met monthly for the two
years before the anchor (minutes signed off by a chair and circulated to the attendees); the next
meeting, about a week after the anchor, has its agenda published.

A meeting discusses 6 to 15 children (fewer only when fewer are at risk): children whose risk
history puts them at medium or high on the day, new ones first, then those due for review
(CAIRN_PANEL_REVIEW_WEEKS), high before medium; sometimes a child a professional escalated, or
one with a recent repeat-missing alert, who is not (yet) at medium or high. In a large county
the panels hear a sample of the children at risk (`COHORT`), always including those the demo
logins work with. Most members attend; some send apologies and a few are absent.

A child discussed at medium or high has one active safety plan (closed when their risk falls
and stays low), and some a disruption plan naming invented people and places of concern; each
discussion agrees two to four actions across the agencies, due two to eight weeks later. Most
past actions are done (some late), about one in eight is overdue and still open, and recent ones
are open. Disruption plans lead to a few disruption activities (arrests for other offences,
Child Abduction Warning Notices, section 116 notices, visits, closure orders). The demo logins
own a realistic number of actions each (`DEMO_ACTIONS`), so that "my actions" has rows.

Runs after the children are written, reading their risk histories, alerts and involvements back
in a few queries, and writes every row in bulk (cairn.demo.rows) with the dates of the story
(a plan's `created_at` is the meeting's). Drawn from the "panels" random stream, so adding
panels changed nothing else in the county.
"""

from __future__ import annotations

import bisect
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from cairn.accounts.models import Role, User
from cairn.children.models import Child, Involvement, LegalStatus, Sex
from cairn.demo import content as c
from cairn.demo import panels_wording as w
from cairn.demo.plans import Weighted
from cairn.demo.rows import IdBlock, RowTable, sequences_reset
from cairn.missing.models import MissingEpisode, RepeatMissingAlert
from cairn.panels.models import (
    Action,
    AgendaItem,
    AgendaReason,
    Attendance,
    Discussion,
    DisruptionActivity,
    DisruptionTool,
    Escalation,
    Meeting,
    MeetingType,
    MinutesCirculation,
    Panel,
    PanelMember,
    PanelType,
    Plan,
    PlanKind,
)
from cairn.risk.models import RiskAssessment

if TYPE_CHECKING:
    from cairn.core.models import Ward
    from cairn.demo.staff import Staff

MONTHS = 24  # meetings held in the two years before the anchor
PER_MEETING = (6, 15)
COHORT = 320  # at most this many children at risk come to the panels (plus the demo logins')
ALERT_COHORT = 40  # and at most this many children with repeat-missing alerts
LOOKBACK = timedelta(days=120)  # at medium or high this long before the first meeting counts
ALERT_RECENT = timedelta(days=35)  # a repeat-missing alert this recent is a reason to discuss
ESCALATED = 0.3  # a meeting hears a child a professional escalated
REMOVED = 0.15  # a meeting's agenda had a child removed before it
GUEST = 0.3
ACTIONS_PER_DISCUSSION = Weighted([(2, 35), (3, 45), (4, 20)])
DUE_DAYS = (14, 56)
# Of the actions past their due date, still open: more of the recent ones. Open actions on plans
# that closed were cancelled or done by then; about one action in eight is overdue in all.
OVERDUE_RECENT, OVERDUE = 0.45, 0.2
DISRUPTION_FIRST = {"criminal": 0.55, "trafficking": 0.5, "sexual": 0.4, "online": 0.15}
DISRUPTION_LATER = 0.1
ACTIVITIES = Weighted([(0, 30), (1, 45), (2, 25)])
CLOSE_GAP = timedelta(weeks=20)  # no discussion for this long, and risk fell: the plan closes
STAYED_LOW = timedelta(weeks=8)
CHAIR_TAKES = 0.5  # a chair's kind of action: the chair takes it, or a colleague does
DEMO_ACTIONS = (18, 36)  # actions each demo login owns in all (more than 10, fewer than 40)
DEMO_ACTIONS_CAP = 40
DEMO_OPEN_SHARE = 0.4  # of a demo login's actions, about this share still open
DEMO_OWNERS = (
    "manager",
    "practitioner",
    "police.practitioner",
    "panel",
    "health.practitioner",
    "school.lead",
    "outreach.worker",
    "yjs.practitioner",
)
MEDIUM_HIGH = ("medium", "high")
OPEN = ("open", "in_progress")
RANK = {None: -1, "none": 0, "low": 1, "medium": 2, "high": 3}
PRONOUNS: dict[str, tuple[str, str]] = {Sex.FEMALE: ("her", "her"), Sex.MALE: ("him", "his")}
GUESTS = (
    ("housing officer", c.CHILDRENS_SERVICES),
    ("licensing officer", c.CHILDRENS_SERVICES),
    ("community safety officer", c.CHILDRENS_SERVICES),
    ("independent domestic violence adviser", c.VOLUNTARY),
    ("transport police liaison officer", c.POLICE),
)
CHILD_CHUNK = 500


@dataclass(frozen=True)
class PanelSpec:
    name: str
    panel_type: str
    weekday: int  # Monday is 0
    location: int  # index into w.LOCATIONS
    families: frozenset[str]  # what the children it hears are exploited for (w.FAMILY)


PANELS = (
    PanelSpec("Synthetshire MACE", PanelType.MACE, 1, 0, frozenset({w.SEXUAL, w.ONLINE})),
    PanelSpec(
        "Synthetshire Missing and Exploitation Panel",
        PanelType.MISSING_CRIMINAL,
        3,
        1,
        frozenset({w.CRIMINAL, w.TRAFFICKING}),
    ),
)
MACE, MISSING = 0, 1
PANEL_NAMES = tuple(spec.name for spec in PANELS)


# --- the story, in memory -------------------------------------------------------------------------


@dataclass
class Kid:
    """A child the panels may hear, with their risk history."""

    id: int
    name: str
    sex: str
    dob: date
    legal_status: str
    lead_id: int | None
    place: str
    days: list[date] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    types: Counter[str] = field(default_factory=Counter)
    involvements: list[tuple[int, int, str, date, date | None]] = field(default_factory=list)
    alerts: list[tuple[date, int]] = field(default_factory=list)  # (raised on, episodes)
    missing: bool = False
    panel: int = MACE
    family: str = w.SEXUAL

    def level_on(self, day: date) -> str | None:
        index = bisect.bisect_right(self.days, day) - 1
        return self.levels[index] if index >= 0 else None

    def context(self) -> dict[str, str]:
        them, their = PRONOUNS.get(self.sex, ("them", "their"))
        return {"name": self.name, "them": them, "their": their, "place": self.place}

    def worker(self, agency_id: int, day: date) -> int | None:
        """The child's worker from the agency on the day (the latest to start)."""
        found = None
        for user_id, agency, _reason, start, end in self.involvements:
            if agency == agency_id and start <= day and (end is None or end >= day):
                found = user_id
        return found

    def age_on(self, day: date) -> int:
        return day.year - self.dob.year - ((day.month, day.day) < (self.dob.month, self.dob.day))

    def alert_before(self, day: date) -> tuple[date, int] | None:
        for raised, episodes in reversed(self.alerts):
            if day - ALERT_RECENT < raised <= day - timedelta(days=2):
                return raised, episodes
        return None


@dataclass
class Member:
    user: User
    role: str
    started_on: date
    ended_on: date | None = None

    def active_on(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


@dataclass
class MeetingRow:
    id: int
    panel: int
    held_on: date
    held: bool  # False: the next meeting, agenda published
    chair: User
    location: str
    items: list[ItemRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    ref: str = ""


@dataclass
class ItemRow:
    id: int
    kid: Kid
    reason: str
    detail: str
    level: str | None
    removed: str = ""  # the removal reason
    escalation: tuple[User, datetime, str] | None = None
    discussion: list[Any] | None = None  # what was said and agreed, once the meeting is held


@dataclass
class PlanRow:
    id: int
    kid: Kid
    kind: str
    meeting: MeetingRow
    summary: str
    subjects: str = ""
    person: str = ""
    where: str = ""
    place_kind: str = ""
    closed_on: date | None = None
    actions: list[ActionRow] = field(default_factory=list)


@dataclass
class ActionRow:
    plan: PlanRow
    meeting: MeetingRow
    text: str
    category: str
    agency: str
    route: str
    owner: User | None
    due_on: date
    status: str
    completed_on: date | None
    evidence: str
    done_evidence: str  # what the evidence says once it is done


# --- dates ----------------------------------------------------------------------------------------


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, min(day.day, 28))


def _on_weekday(day: date, weekday: int) -> date:
    """The nearest day to `day` that falls on `weekday`."""
    shift = (weekday - day.weekday()) % 7
    return day + timedelta(days=shift if shift <= 3 else shift - 7)


def _level_word(level: str | None) -> str:
    return (level or "no").capitalize()


# --- the pass -------------------------------------------------------------------------------------


class PanelHistories:
    def __init__(
        self,
        *,
        seed: int,
        anchor: date,
        staff: Staff,
        wards: Sequence[Ward],
        first_names: Sequence[str],
        family_names: Sequence[str],
    ) -> None:
        self.rng = random.Random(f"cairn-demo:{seed}:panels")
        self.anchor = anchor
        self.staff = staff
        self.tz = timezone.get_default_timezone()
        self.ward_names = {ward.id: ward.name for ward in wards}
        self.places = sorted(self.ward_names.values())
        self.first_names = first_names
        self.family_names = family_names
        self.review = timedelta(weeks=settings.CAIRN_PANEL_REVIEW_WEEKS)
        self.agency_ids = {code: s.agency.id for code, s in staff.agencies.items()}
        self.agency_codes = {agency_id: code for code, agency_id in self.agency_ids.items()}
        self.users = {user.id: user for user in staff.users}
        self.by_username = {user.username: user for user in staff.users}
        # The next meeting of each panel, about a week after the anchor, and the 24 before it.
        self.next_on = [
            _on_weekday(anchor + timedelta(days=7 + index * 2), spec.weekday)
            for index, spec in enumerate(PANELS)
        ]
        self.held_on = [
            sorted(_on_weekday(_months_before(upcoming, k), spec.weekday)
                   for k in range(1, MONTHS + 1))
            for upcoming, spec in zip(self.next_on, PANELS, strict=True)
        ]  # fmt: skip
        self.start = min(days[0] for days in self.held_on)
        self.middle = self.start + timedelta(days=(anchor - self.start).days // 2)
        self.meetings: list[MeetingRow] = []
        self.plans: list[PlanRow] = []
        self.activities: list[list[Any]] = []
        self.open_escalations: list[tuple[int, Kid, User, datetime, str]] = []

    def code(self, user: User) -> str:
        """The code of the user's agency (every member of staff has one)."""
        assert user.agency_id is not None
        return self.agency_codes[user.agency_id]

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.tz)

    # --- who sits on the panels -------------------------------------------------------------------

    def people(self) -> None:
        users = self.staff.users
        demo = {login.username for login in c.DEMO_LOGINS}

        def managers(code: str) -> list[User]:
            agency_id = self.agency_ids[code]
            return [u for u in users if u.role == Role.MANAGER and u.agency_id == agency_id]

        def panel_member(code: str) -> User:
            agency_id = self.agency_ids[code]
            found = [
                u
                for u in users
                if u.role == Role.PANEL_MEMBER and u.agency_id == agency_id
                and u.username not in demo
            ]  # fmt: skip
            return found[0] if found else managers(code)[0]

        def login(username: str, code: str) -> User:
            return self.by_username.get(username) or managers(code)[0]

        cs, police = managers(c.CHILDRENS_SERVICES), managers(c.POLICE)
        since = self.start - timedelta(days=30)
        turnover = self.middle
        mace = [
            Member(login("manager", c.CHILDRENS_SERVICES), PanelMember.Role.CHAIR, since),
            Member(police[0], PanelMember.Role.CHAIR, since),
            Member(login("panel", c.POLICE), PanelMember.Role.MEMBER, since),
            Member(login("practitioner", c.CHILDRENS_SERVICES), PanelMember.Role.MEMBER, since),
            Member(panel_member(c.HEALTH), PanelMember.Role.MEMBER, since),
            Member(panel_member(c.EDUCATION), PanelMember.Role.MEMBER, since, turnover),
            Member(
                login("school.lead", c.EDUCATION),
                PanelMember.Role.MEMBER,
                turnover + timedelta(days=1),
            ),
            Member(login("outreach.worker", c.VOLUNTARY), PanelMember.Role.MEMBER, since),
            Member(managers(c.YOUTH_JUSTICE)[0], PanelMember.Role.MEMBER, since),
        ]
        missing = [
            Member(cs[1 % len(cs)], PanelMember.Role.CHAIR, since),
            Member(police[1 % len(police)], PanelMember.Role.CHAIR, since),
            Member(login("panel", c.POLICE), PanelMember.Role.MEMBER, since),
            Member(login("police.practitioner", c.POLICE), PanelMember.Role.MEMBER, since),
            Member(panel_member(c.CHILDRENS_SERVICES), PanelMember.Role.MEMBER, since),
            Member(panel_member(c.HEALTH), PanelMember.Role.MEMBER, since, turnover),
            Member(
                login("health.practitioner", c.HEALTH),
                PanelMember.Role.MEMBER,
                turnover + timedelta(days=1),
            ),
            Member(managers(c.EDUCATION)[0], PanelMember.Role.MEMBER, since),
            Member(login("yjs.practitioner", c.YOUTH_JUSTICE), PanelMember.Role.MEMBER, since),
            Member(managers(c.VOLUNTARY)[0], PanelMember.Role.MEMBER, since),
        ]
        self.members = [mace, missing]
        # Chairs by agency, for the actions a chair takes.
        self.chairs = [
            {self.code(m.user): m.user for m in panel if m.role == "chair"}
            for panel in self.members
        ]

    # --- the children the panels hear -------------------------------------------------------------

    def cohort(self) -> None:
        rng, anchor = self.rng, self.anchor
        candidates = list(
            RiskAssessment.objects.filter(
                level__in=MEDIUM_HIGH,
                assessed_on__gte=self.start - LOOKBACK,
                assessed_on__lte=anchor,
            )
            .order_by("child_id")
            .values_list("child_id", flat=True)
            .distinct()
        )
        demo_ids = [self.by_username[u].id for u in DEMO_OWNERS if u in self.by_username]
        linked = set(
            Child.objects.filter(lead_professional_id__in=demo_ids).values_list("id", flat=True)
        ) | set(Involvement.objects.filter(user_id__in=demo_ids).values_list("child_id", flat=True))
        chosen = [pk for pk in candidates if pk in linked]
        others = [pk for pk in candidates if pk not in linked]
        if len(others) > COHORT:
            others = sorted(rng.sample(others, COHORT))
        alerts: dict[int, list[tuple[date, int]]] = defaultdict(list)
        since = self.at(self.start - ALERT_RECENT, 0)
        for child_id, raised, episodes in (
            RepeatMissingAlert.objects.filter(
                raised_at__gte=since, raised_at__lt=self.at(anchor, 0)
            )
            .order_by("raised_at", "id")
            .values_list("child_id", "raised_at", "episodes")
        ):
            alerts[child_id].append((timezone.localtime(raised, self.tz).date(), episodes))
        alerted = sorted(alerts)
        if len(alerted) > ALERT_COHORT:
            alerted = sorted(rng.sample(alerted, ALERT_COHORT))
        ids = sorted(set(chosen) | set(others) | set(alerted))

        kids: dict[int, Kid] = {}
        for start in range(0, len(ids), CHILD_CHUNK):
            chunk = ids[start : start + CHILD_CHUNK]
            for pk, name, sex, dob, status, lead, ward in Child.objects.filter(
                id__in=chunk
            ).values_list(
                "id", "given_name", "sex", "date_of_birth", "legal_status",
                "lead_professional_id", "ward_id",
            ):  # fmt: skip
                kids[pk] = Kid(
                    id=pk,
                    name=name,
                    sex=sex,
                    dob=dob or anchor - timedelta(days=14 * 365),
                    legal_status=status,
                    lead_id=lead,
                    place=self.ward_names.get(ward) or rng.choice(self.places),
                )
            for child_id, day, level, types in (
                RiskAssessment.objects.filter(child_id__in=chunk, assessed_on__lte=anchor)
                .order_by("child_id", "assessed_on", "id")
                .values_list("child_id", "assessed_on", "level", "exploitation_types")
            ):
                kid = kids[child_id]
                kid.days.append(day)
                kid.levels.append(level)
                if level in MEDIUM_HIGH:
                    kid.types.update(w.FAMILY.get(t, w.SEXUAL) for t in types or ())
            for child_id, user_id, agency_id, reason, started, ended in (
                Involvement.objects.filter(child_id__in=chunk, user_id__isnull=False)
                .order_by("child_id", "started_on", "id")
                .values_list("child_id", "user_id", "agency_id", "reason", "started_on", "ended_on")
            ):
                kids[child_id].involvements.append((user_id, agency_id, reason, started, ended))
            for child_id in (
                MissingEpisode.objects.filter(child_id__in=chunk)
                .order_by("child_id")
                .values_list("child_id", flat=True)
                .distinct()
            ):
                kids[child_id].missing = True
        for pk in ids:
            kid = kids[pk]
            kid.alerts = alerts.get(pk, [])
            criminal = kid.types[w.CRIMINAL] + kid.types[w.TRAFFICKING]
            sexual = kid.types[w.SEXUAL] + kid.types[w.ONLINE]
            if criminal > sexual or (not sexual and not criminal):
                kid.panel = MISSING
            elif criminal == sexual:
                kid.panel = rng.choice((MACE, MISSING))
            else:
                kid.panel = MACE
            families = [f for f, _ in kid.types.most_common() if f in PANELS[kid.panel].families]
            kid.family = families[0] if families else (w.CRIMINAL if kid.panel else w.SEXUAL)
        self.kids = [kids[pk] for pk in ids]
        self.by_panel = [[k for k in self.kids if k.panel == index] for index in range(2)]

    # --- meetings and agendas ---------------------------------------------------------------------

    def agendas(self) -> None:
        """Choose who each meeting hears, in date order across both panels."""
        rng = self.rng
        ids = IdBlock(Meeting)
        item_ids = IdBlock(AgendaItem)
        schedule = sorted(
            [(day, index, True) for index, days in enumerate(self.held_on) for day in days]
            + [(day, index, False) for index, day in enumerate(self.next_on)]
        )
        self.last: list[dict[int, tuple[date, str | None]]] = [{}, {}]
        for day, index, held in schedule:
            spec = PANELS[index]
            chairs = [m.user for m in self.members[index] if m.role == "chair"]
            location = w.LOCATIONS[spec.location] if rng.random() < 0.75 else w.LOCATIONS[2]
            meeting = MeetingRow(
                id=ids.take(),
                panel=index,
                held_on=day,
                held=held,
                chair=chairs[0] if rng.random() < 0.6 else chairs[-1],
                location=location.format(place=self.places[index % len(self.places)]),
            )
            self.meetings.append(meeting)
            as_of = day if held else self.anchor
            last = self.last[index]
            urgent, recent = [], []
            for kid in self.by_panel[index]:
                level = kid.level_on(as_of)
                if level not in MEDIUM_HIGH:
                    continue
                before = last.get(kid.id)
                high = level == "high"
                if before is None:
                    urgent.append((0 if high else 1, rng.random(), kid, level))
                elif before[0] <= day - self.review:
                    urgent.append((2 if high else 3, rng.random(), kid, level))
                else:
                    recent.append((4 if high else 5, rng.random(), kid, level))
            urgent.sort(key=lambda row: row[:2])
            recent.sort(key=lambda row: row[:2])
            wanted = rng.randint(*PER_MEETING)
            picked = urgent[:wanted]
            if len(picked) < PER_MEETING[0]:
                picked += recent[: PER_MEETING[0] - len(picked)]
            taken = {kid.id for _, _, kid, _ in picked}
            for klass, _, kid, level in picked:
                alert = kid.alert_before(day)
                previous = last.get(kid.id)
                if alert is not None:
                    reason = AgendaReason.REPEAT_MISSING
                    detail = f"Repeat-missing alert: {alert[1]} episodes in 90 days"
                elif klass <= 1:
                    reason = AgendaReason.NEW_RISK
                    detail = f"{_level_word(level)} risk, never discussed at this panel"
                elif klass <= 3:
                    assert previous is not None
                    reason = AgendaReason.REVIEW_DUE
                    detail = f"{_level_word(level)} risk, last discussed {previous[0]:%-d %b %Y}"
                else:
                    reason = AgendaReason.ADDED_BY_CHAIR
                    detail = "Update on the actions agreed at the last meeting"
                meeting.items.append(ItemRow(item_ids.take(), kid, reason, detail, level))
            # Now and then a child who is not (yet) at medium or high: escalated by a
            # professional, or (at the missing panel) a recent repeat-missing alert.
            quiet = [
                kid
                for kid in self.by_panel[index]
                if kid.id not in taken
                and kid.level_on(as_of) not in MEDIUM_HIGH
                and (kid.id not in last or last[kid.id][0] <= day - self.review)
            ]
            if index == MISSING:
                alerted = [kid for kid in quiet if kid.alert_before(day)]
                for kid in alerted[:2]:
                    if rng.random() < 0.6:
                        raised, episodes = kid.alert_before(day)  # type: ignore[misc]
                        meeting.items.append(
                            ItemRow(
                                item_ids.take(),
                                kid,
                                AgendaReason.REPEAT_MISSING,
                                f"Repeat-missing alert: {episodes} episodes in 90 days",
                                kid.level_on(as_of),
                            )
                        )
                        taken.add(kid.id)
            quiet = [kid for kid in quiet if kid.id not in taken]
            if quiet and rng.random() < ESCALATED:
                kid = rng.choice(quiet)
                raiser = self._escalator(kid, as_of)
                raised_at = self.at(day - timedelta(days=rng.randint(9, 20)), rng.randint(9, 16))
                reason_text = rng.choice(w.ESCALATION_REASONS).format_map(
                    {**kid.context(), "far_place": rng.choice(c.OUT_OF_AREA_TOWNS)}
                )
                if held or rng.random() < 0.5:
                    item = ItemRow(
                        item_ids.take(),
                        kid,
                        AgendaReason.ESCALATED,
                        self._cut(
                            f"Escalated by {self._name(raiser)} on {raised_at:%-d %b %Y}: "
                            f"{reason_text}"
                        ),
                        kid.level_on(as_of),
                        escalation=(raiser, raised_at, reason_text),
                    )
                    meeting.items.append(item)
                    taken.add(kid.id)
                else:  # raised this week: not yet on an agenda
                    raised_at = self.at(self.anchor - timedelta(days=rng.randint(1, 5)), 11)
                    self.open_escalations.append((index, kid, raiser, raised_at, reason_text))
            # Sometimes a child was on the agenda and taken off before the meeting.
            spare = [kid for _, _, kid, _ in urgent[wanted:] + recent if kid.id not in taken]
            if held and spare and rng.random() < REMOVED:
                kid = rng.choice(spare)
                meeting.items.append(
                    ItemRow(
                        item_ids.take(),
                        kid,
                        AgendaReason.REVIEW_DUE if kid.id in last else AgendaReason.NEW_RISK,
                        f"{_level_word(kid.level_on(as_of))} risk",
                        kid.level_on(as_of),
                        removed=rng.choice(w.REMOVAL_REASONS).format_map(kid.context()),
                    )
                )
            if held:
                for item in meeting.items:
                    if not item.removed:
                        last[item.kid.id] = (day, item.level)

    def _escalator(self, kid: Kid, day: date) -> User:
        """Who escalates a child: one of their workers, most often the lead social worker."""
        workers = [
            user_id
            for user_id, _agency, _reason, start, end in kid.involvements
            if start <= day and (end is None or end >= day) and user_id in self.users
        ]
        if kid.lead_id in self.users and (not workers or self.rng.random() < 0.5):
            return self.users[kid.lead_id]  # type: ignore[index]
        if workers:
            return self.users[self.rng.choice(workers)]
        return self.members[kid.panel][0].user

    @staticmethod
    def _name(user: User) -> str:
        return f"{user.first_name} {user.last_name}".strip() or user.username

    @staticmethod
    def _cut(text: str, limit: int = 300) -> str:
        return text if len(text) <= limit else text[: limit - 1] + "…"

    # --- discussions, plans and actions -----------------------------------------------------------

    def discussions(self) -> None:
        rng = self.rng
        plan_ids = IdBlock(Plan)
        safety: dict[int, PlanRow] = {}  # each child's active plans
        disruption: dict[int, PlanRow] = {}
        last_heard: dict[int, date] = {}
        nrm_done: set[int] = set()
        previous: dict[tuple[int, int], str | None] = {}  # (panel, child): level when last heard
        for meeting in self.meetings:
            if not meeting.held:
                continue
            day = meeting.held_on
            for item in meeting.items:
                if item.removed:
                    continue
                kid, level = item.kid, item.level
                context = self._context(kid)
                at_risk = level in MEDIUM_HIGH
                before = previous.get((meeting.panel, kid.id))
                first = (meeting.panel, kid.id) not in previous
                previous[(meeting.panel, kid.id)] = level
                if item.reason == AgendaReason.ESCALATED and item.escalation is not None:
                    raiser = item.escalation[0]
                    who = c.AGENCY_BY_CODE[self.code(raiser)].name
                    summary = rng.choice(w.ESCALATED).format_map(
                        {**context, "who": who, "reason": item.escalation[2]}
                    )
                elif item.reason == AgendaReason.REPEAT_MISSING:
                    alert = kid.alert_before(day)
                    summary = rng.choice(w.REPEAT_MISSING).format_map(
                        {**context, "episodes": alert[1] if alert else 3}
                    )
                elif first or before not in MEDIUM_HIGH:
                    options = (
                        w.FIRST.get((kid.family, level or "medium"))
                        or w.FIRST[(kid.family, "medium")]
                    )
                    summary = rng.choice(options).format_map(context)
                else:
                    change = RANK[level] - RANK[before]
                    if change < 0 or (change == 0 and rng.random() < 0.4):
                        summary = rng.choice(w.REVIEW_BETTER).format_map(context)
                    elif change == 0:
                        summary = rng.choice(w.REVIEW_SAME).format_map(context)
                    else:
                        summary = rng.choice(w.REVIEW_WORSE).format_map(context)
                nrm_met = nrm_referred = None
                if (
                    at_risk
                    and kid.id not in nrm_done
                    and kid.family in (w.CRIMINAL, w.TRAFFICKING)
                    and rng.random() < (0.6 if kid.family == w.TRAFFICKING else 0.2)
                ):
                    nrm_done.add(kid.id)
                    nrm_met, nrm_referred = True, rng.random() < 0.8
                elif at_risk and first and kid.family == w.CRIMINAL and rng.random() < 0.1:
                    nrm_met = False
                if at_risk:
                    decisions = rng.choice(w.DECISIONS_PLAN).format_map(context)
                    outcome = rng.choice(
                        w.OUTCOMES_FIRST if kid.id not in safety else w.OUTCOMES_REVIEW
                    )
                else:
                    decisions = rng.choice(w.DECISIONS_ASSESS).format_map(context)
                    outcome = rng.choice(w.OUTCOMES_ASSESS)
                if nrm_met and nrm_referred:
                    decisions += w.DECISION_NRM
                    outcome = w.OUTCOME_NRM
                elif nrm_met:
                    decisions += w.DECISION_NRM_NOT_REFERRED.format_map(context)
                    outcome = w.OUTCOME_NRM_NOT_REFERRED
                agreed = level if level and rng.random() < (0.6 if at_risk else 0.3) else ""
                item.discussion = [
                    summary, agreed or "", decisions, nrm_met, nrm_referred, outcome[:200],
                ]  # fmt: skip
                if not at_risk:
                    continue

                # The child's plans: closed if their risk fell and stayed low since the last
                # discussion, then a new one.
                for plans in (safety, disruption):
                    plan = plans.get(kid.id)
                    if plan is not None and plan.closed_on is None:
                        closed = self._closed_on(kid, last_heard[kid.id], until=day)
                        if closed is not None:
                            plan.closed_on = closed
                            del plans[kid.id]
                new_safety = kid.id not in safety
                if new_safety:
                    safety[kid.id] = self._plan(plan_ids.take(), kid, PlanKind.SAFETY, meeting)
                if kid.id not in disruption and rng.random() < (
                    DISRUPTION_FIRST.get(kid.family, 0.3) if new_safety else DISRUPTION_LATER
                ):
                    disruption[kid.id] = self._plan(
                        plan_ids.take(), kid, PlanKind.DISRUPTION, meeting
                    )
                last_heard[kid.id] = day
                self._actions(
                    meeting,
                    kid,
                    safety[kid.id],
                    disruption.get(kid.id),
                    nrm=bool(nrm_met and nrm_referred),
                )
        # Plans of children whose risk has fallen and stayed low since they were last heard.
        for plans in (safety, disruption):
            for child_id, plan in plans.items():
                closed = self._closed_on(plan.kid, last_heard[child_id], until=self.anchor)
                if closed is not None:
                    plan.closed_on = closed

    def _closed_on(self, kid: Kid, heard: date, *, until: date) -> date | None:
        """When a plan closes: two weeks after the child's risk fell below medium (and stayed
        there for STAYED_LOW, or until `until`), if they were not heard for CLOSE_GAP."""
        if until - heard < CLOSE_GAP:
            return None
        index = bisect.bisect_right(kid.days, heard)
        while index < len(kid.days) and kid.days[index] < until:
            if kid.levels[index] in MEDIUM_HIGH:
                index += 1
                continue
            fell = kid.days[index]
            back = next(
                (j for j in range(index + 1, len(kid.days)) if kid.levels[j] in MEDIUM_HIGH),
                None,
            )
            if back is None or kid.days[back] >= until or kid.days[back] - fell >= STAYED_LOW:
                closed = fell + timedelta(days=14)
                return closed if closed < until else None
            index = back
        return None

    def _context(self, kid: Kid) -> dict[str, str]:
        rng = self.rng
        return {
            **kid.context(),
            "far_place": rng.choice(c.OUT_OF_AREA_TOWNS),
            "place2": rng.choice(self.places),
        }

    def _plan(self, plan_id: int, kid: Kid, kind: str, meeting: MeetingRow) -> PlanRow:
        rng = self.rng
        context = self._context(kid)
        if kind == PlanKind.SAFETY:
            plan = PlanRow(
                plan_id, kid, kind, meeting, rng.choice(w.SAFETY_SUMMARIES).format_map(context)
            )
        else:
            values = {
                **context,
                "nick": rng.choice(w.NICKNAMES),
                "car": rng.choice(w.CARS),
                "street": rng.choice(w.STREETS),
            }
            person = rng.choice(w.PEOPLE).format_map(values)
            where, place_kind = rng.choice(w.PLACES)
            where = where.format_map(values)
            plan = PlanRow(
                plan_id,
                kid,
                kind,
                meeting,
                rng.choice(w.DISRUPTION_SUMMARIES).format_map(context),
                subjects=f"{person[0].upper()}{person[1:]}\n{where[0].upper()}{where[1:]}",
                person=person,
                where=where,
                place_kind=place_kind,
            )
        self.plans.append(plan)
        return plan

    def _tags(self, kid: Kid, plan: PlanRow, day: date, nrm: bool) -> set[str]:
        tags = {"any", kid.family}
        if kid.legal_status == LegalStatus.LOOKED_AFTER:
            tags.add("care")
        if kid.missing or kid.alerts:
            tags.add("missing")
        if nrm:
            tags.add("nrm")
        if plan.kind == PlanKind.DISRUPTION:
            age = kid.age_on(day)
            if age < 16 or (age < 18 and kid.legal_status == LegalStatus.LOOKED_AFTER):
                tags.add("cawn")
            if plan.place_kind == "hotel":
                tags.update({"hotel", "premises"})
            elif plan.place_kind == "premises":
                tags.add("premises")
        return tags

    def _actions(
        self,
        meeting: MeetingRow,
        kid: Kid,
        safety: PlanRow,
        disruption: PlanRow | None,
        *,
        nrm: bool,
    ) -> None:
        rng, day = self.rng, meeting.held_on
        count = ACTIONS_PER_DISCUSSION.pick(rng)
        on_disruption = 0 if disruption is None else (2 if count == 4 else 1)
        wanted = [(safety, count - on_disruption)]
        if disruption is not None:
            wanted.append((disruption, on_disruption))
        context = self._context(kid)
        for plan, n in wanted:
            tags = self._tags(kid, plan, day, nrm)
            used = {action.text for action in plan.actions}
            choices = [t for t in w.ACTIONS if t.kind == plan.kind and t.when in tags]
            if nrm and plan.kind == PlanKind.SAFETY:
                must = [t for t in choices if t.when == "nrm"]
            else:
                must = []
            rng.shuffle(choices)
            # Fresh actions before repeats, and a spread of agencies.
            values = {**context, "person": plan.person, "where": plan.where}
            choices.sort(key=lambda t: t.text.format_map(values) in used)
            picked = list(must)
            agencies = {t.agency for t in picked}
            for template in choices:
                if len(picked) >= n:
                    break
                if template in picked or (template.agency in agencies and len(agencies) < 3):
                    continue
                picked.append(template)
                agencies.add(template.agency)
            for template in choices:
                if len(picked) >= n:
                    break
                if template not in picked:
                    picked.append(template)
            for template in picked[: max(n, len(must))]:
                self._action(meeting, kid, plan, template, context)

    def _action(
        self,
        meeting: MeetingRow,
        kid: Kid,
        plan: PlanRow,
        template: w.ActionText,
        context: dict[str, str],
    ) -> None:
        rng, day, anchor = self.rng, meeting.held_on, self.anchor
        values = {**context, "person": plan.person, "where": plan.where}
        agency_id = self.agency_ids[template.agency]
        owner: User | None = None
        if template.route == "lead":
            owner_id = kid.worker(self.agency_ids[c.CHILDRENS_SERVICES], day) or kid.lead_id
            owner = self.users.get(owner_id) if owner_id else None
        elif template.route == "own":
            owner_id = kid.worker(agency_id, day)
            owner = self.users.get(owner_id) if owner_id else None
        elif template.route == "chair" and rng.random() < CHAIR_TAKES:
            owner = self.chairs[meeting.panel].get(template.agency)
        due = day + timedelta(days=rng.randint(*DUE_DAYS))
        completed: date | None = None
        if due >= anchor:
            status = rng.choices(("open", "in_progress", "done"), cum_weights=(50, 88, 100))[0]
            if status == "done":
                completed = day + timedelta(days=rng.randint(1, max(1, (anchor - day).days - 1)))
        else:
            overdue = OVERDUE_RECENT if anchor - due <= timedelta(days=60) else OVERDUE
            roll = rng.random()
            if roll < overdue:
                status = rng.choice(("open", "in_progress", "in_progress"))
            elif roll < overdue + 0.03:
                status = "cancelled"
            else:
                status = "done"
                if rng.random() < 0.8:
                    completed = day + timedelta(days=rng.randint(3, (due - day).days))
                else:
                    late = due + timedelta(days=rng.randint(1, 42))
                    completed = min(late, anchor - timedelta(days=1))
        evidence = template.evidence.format_map(values)
        action = ActionRow(
            plan=plan,
            meeting=meeting,
            text=template.text.format_map(values),
            category=template.category,
            agency=template.agency,
            route=template.route,
            owner=owner,
            due_on=due,
            status=status,
            completed_on=completed,
            evidence=evidence if status == "done" else "",
            done_evidence=evidence,
        )
        plan.actions.append(action)
        meeting.actions.append(action)

    def close_actions(self) -> None:
        """A closed plan has no open actions: done by the day it closed, or cancelled."""
        for plan in self.plans:
            if plan.closed_on is None:
                continue
            for action in plan.actions:
                if action.status in ("open", "in_progress"):
                    if self.rng.random() < 0.5:
                        action.status = "cancelled"
                    else:
                        action.status = "done"
                        action.completed_on = plan.closed_on
                        action.evidence = action.done_evidence
                elif action.status == "done" and action.completed_on is not None:
                    action.completed_on = min(action.completed_on, plan.closed_on)
            latest = max(
                (a.completed_on for a in plan.actions if a.completed_on is not None),
                default=plan.closed_on,
            )
            plan.closed_on = max(plan.closed_on, latest, plan.meeting.held_on)

    # --- who owns the actions ---------------------------------------------------------------------

    def owners(self) -> None:
        """Actions a child's own worker or a chair takes are theirs; the rest go to the agency's
        staff, with each demo login taking a realistic share (DEMO_ACTIONS)."""
        rng = self.rng
        actions = [a for meeting in self.meetings for a in meeting.actions]
        counts: Counter[int] = Counter(a.owner.id for a in actions if a.owner is not None)
        generated = {
            code: [u for u in s.practitioners if u.username not in DEMO_OWNERS] or s.practitioners
            for code, s in self.staff.agencies.items()
        }
        for username in DEMO_OWNERS:
            user = self.by_username.get(username)
            if user is None or user.agency_id is None:
                continue
            code = self.agency_codes[user.agency_id]
            mine = [a for a in actions if a.owner is not None and a.owner.id == user.id]
            if len(mine) > DEMO_ACTIONS_CAP:  # hand the rest to colleagues
                for action in rng.sample(mine, len(mine) - DEMO_ACTIONS_CAP):
                    action.owner = rng.choice(generated[code])
                counts[user.id] = DEMO_ACTIONS_CAP
            target = rng.randint(*DEMO_ACTIONS)
            need = target - counts[user.id]
            pool = [a for a in actions if a.owner is None and a.agency == code]
            if need <= 0 or not pool:
                continue
            # Some of them still open (recent or overdue), as anyone's list of actions has.
            has_open = sum(1 for a in actions if a.owner is user and a.status in OPEN)
            still_open = [a for a in pool if a.status in OPEN]
            closed = [a for a in pool if a.status not in OPEN]
            share = max(0, min(need, len(still_open), round(target * DEMO_OPEN_SHARE) - has_open))
            taken = rng.sample(still_open, share)
            taken += rng.sample(closed, min(len(closed), need - share))
            for action in taken:
                action.owner = user
            counts[user.id] += len(taken)
        for action in actions:
            if action.owner is None:
                action.owner = rng.choice(generated[action.agency])

    # --- the disruption log -----------------------------------------------------------------------

    def disruption_log(self) -> None:
        rng, anchor = self.rng, self.anchor
        ids = IdBlock(DisruptionActivity)
        police = self.staff.agencies[c.POLICE].practitioners
        demo_police = self.by_username.get("police.practitioner")
        for plan in self.plans:
            if plan.kind != PlanKind.DISRUPTION:
                continue
            kid, start = plan.kid, plan.meeting.held_on
            end = min(plan.closed_on or anchor, anchor) - timedelta(days=1)
            if end <= start:
                continue
            days = sorted(
                start + timedelta(days=rng.randint(1, (end - start).days))
                for _ in range(ACTIVITIES.pick(rng))
            )
            for number, day in enumerate(days):
                age = kid.age_on(day)
                tools = [DisruptionTool.ARREST, DisruptionTool.LOCATION, DisruptionTool.PEER_GROUP]
                if age < 16 or (age < 18 and kid.legal_status == LegalStatus.LOOKED_AFTER):
                    tools += [DisruptionTool.CAWN, DisruptionTool.CAWN]
                if plan.place_kind == "hotel":
                    tools += [DisruptionTool.S116_NOTICE, DisruptionTool.S116_NOTICE,
                              DisruptionTool.ENGAGEMENT_VISIT]  # fmt: skip
                elif plan.place_kind == "premises":
                    tools += [DisruptionTool.ENGAGEMENT_VISIT, DisruptionTool.CLOSURE_ORDER]
                # A hotel of concern is served a section 116 notice first.
                first_at_hotel = number == 0 and plan.place_kind == "hotel"
                tool = (
                    DisruptionTool.S116_NOTICE.value if first_at_hotel else rng.choice(tools).value
                )
                offence = rng.choice(w.OFFENCES) if tool == DisruptionTool.ARREST.value else ""
                by = demo_police if demo_police and rng.random() < 0.3 else rng.choice(police)
                detail = w.DISRUPTION_DETAIL[tool].format(
                    person=plan.person, where=plan.where, place=kid.place
                )
                self.activities.append(
                    [
                        ids.take(),
                        tool,
                        day,
                        self.agency_ids[c.POLICE],
                        plan.person[0].upper() + plan.person[1:]
                        if tool in (DisruptionTool.ARREST.value, DisruptionTool.CAWN.value)
                        else "",
                        plan.where[0].upper() + plan.where[1:],
                        offence,
                        detail,
                        plan.id,
                        by.id,
                        self.at(day, 18),
                        kid.id,
                    ]
                )

    # --- writing ----------------------------------------------------------------------------------

    def write(self) -> None:
        rng, anchor = self.rng, self.anchor
        panel_ids = IdBlock(Panel)
        panels = [panel_ids.take() for _ in PANELS]
        created = self.at(self.start - timedelta(days=30), 9)
        _table(Panel, ("id", "name", "panel_type", "cadence_days", "terms_of_reference",
                       "is_active", "created_at")).insert(
            [
                [pk, spec.name, spec.panel_type, 28, w.TERMS_OF_REFERENCE[spec.panel_type],
                 True, created]
                for pk, spec in zip(panels, PANELS, strict=True)
            ]
        )  # fmt: skip
        agencies = sorted(self.agency_ids.values())
        _table(Panel.agencies.through, ("panel", "agency")).insert(
            [[pk, agency] for pk in panels for agency in agencies]
        )
        _table(PanelMember, ("panel", "user", "role", "started_on", "ended_on")).insert(
            [
                [panels[index], m.user.id, m.role, m.started_on, m.ended_on]
                for index, members in enumerate(self.members)
                for m in members
            ]
        )

        # Meetings, in date order, numbered as the app numbers them (MT-000001).
        existing = (
            Meeting.objects.filter(meeting_ref__regex=r"^MT-[0-9]{6}$")
            .order_by("-meeting_ref")
            .values_list("meeting_ref", flat=True)
            .first()
        )
        number = int(existing.rsplit("-", 1)[1]) if existing else 0
        meetings, items, escalations, attendance, discussions, circulations = ([] for _ in range(6))
        anchor_start = self.at(anchor, 0)
        for meeting in self.meetings:
            number += 1
            meeting.ref = f"MT-{number:06d}"
            day, index, chair = meeting.held_on, meeting.panel, meeting.chair
            published = (
                self.at(day - timedelta(days=7), 15)
                if meeting.held
                else self.at(anchor - timedelta(days=1), 15)
            )
            status = Meeting.Status.AGENDA_PUBLISHED
            minutes = themes = ""
            signed_at: datetime | None = None
            start = self.at(day, 10)
            if meeting.held:
                signed_at = self.at(day + timedelta(days=rng.randint(3, 12)), 16)
                status = Meeting.Status.SIGNED_OFF
                if signed_at >= anchor_start:
                    signed_at, status = None, Meeting.Status.HELD
                places = rng.sample(self.places, 2) if len(self.places) > 1 else self.places * 2
                themes = rng.choice(w.THEMES).format(
                    place=places[0], place2=places[1], far_place=rng.choice(c.OUT_OF_AREA_TOWNS)
                )
                before = [m for m in self.meetings if m.panel == index and m.held_on < day]
                agreed = before[-1].actions if before else []
                done = sum(1 for a in agreed if a.completed_on and a.completed_on <= day)
                minutes = rng.choice(w.MINUTES).format(done=done, total=len(agreed))
            meetings.append(
                [meeting.id, meeting.ref, panels[index], MeetingType.MACE, day, meeting.location,
                 status, published, chair.id, minutes, themes, signed_at,
                 chair.id if signed_at else None, published - timedelta(days=14)]
            )  # fmt: skip
            for position, item in enumerate(meeting.items, start=1):
                removed_at = published + timedelta(days=rng.randint(1, 5)) if item.removed else None
                items.append(
                    [item.id, meeting.id, item.kid.id, item.reason, item.detail, position,
                     chair.id, published - timedelta(hours=1), removed_at,
                     chair.id if item.removed else None, item.removed]
                )  # fmt: skip
                if item.escalation is not None:
                    raiser, raised_at, reason = item.escalation
                    escalations.append([panels[index], item.kid.id, raiser.id, raised_at, reason,
                                        item.id])  # fmt: skip
                if item.discussion is not None:
                    summary, agreed_level, decisions, met, referred, outcome = item.discussion
                    discussions.append(
                        [meeting.id, item.kid.id, item.id, summary, agreed_level, decisions,
                         met, referred, outcome, chair.id,
                         start + timedelta(minutes=10 * position)]
                    )  # fmt: skip
            if not meeting.held:
                continue
            present = []
            for member in self.members[index]:
                if not member.active_on(day):
                    continue
                state: str
                if member.user == chair:
                    state = "attended"
                elif member.role == "chair":
                    state = "attended" if rng.random() < 0.9 else "apologies"
                else:
                    state = rng.choices(
                        ("attended", "apologies", "absent"), cum_weights=(82, 95, 100)
                    )[0]
                attendance.append([meeting.id, member.user.id, "", member.user.agency_id, state])
                if state != "absent":
                    present.append(member.user.id)
            if rng.random() < GUEST and self.first_names and self.family_names:
                role, code = rng.choice(GUESTS)
                name = f"{rng.choice(self.first_names)} {rng.choice(self.family_names)}"
                attendance.append(
                    [meeting.id, None, f"{name}, {role}", self.agency_ids[code], "attended"]
                )
            if signed_at is not None:
                for recipient in present:
                    circulations.append(
                        [meeting.id, recipient, chair.id, signed_at + timedelta(minutes=30)]
                    )
        for index, kid, raiser, raised_at, reason in self.open_escalations:
            escalations.append([panels[index], kid.id, raiser.id, raised_at, reason, None])

        _table(Meeting, ("id", "meeting_ref", "panel", "meeting_type", "held_on", "location",
                         "status", "agenda_published_at", "agenda_published_by", "minutes",
                         "themes", "signed_off_at", "signed_off_by", "created_at")
               ).insert(meetings)  # fmt: skip
        _table(AgendaItem, ("id", "meeting", "child", "reason", "reason_detail", "position",
                            "added_by", "added_at", "removed_at", "removed_by", "removal_reason")
               ).insert(items)  # fmt: skip
        _table(Escalation, ("panel", "child", "raised_by", "raised_at", "reason", "agenda_item")
               ).insert(escalations)  # fmt: skip
        _table(Attendance, ("meeting", "user", "name", "agency", "status")).insert(attendance)
        _table(Discussion, ("meeting", "child", "agenda_item", "summary", "agreed_level",
                            "decisions", "nrm_threshold_met", "nrm_referral_agreed", "outcome",
                            "recorded_by", "created_at")).insert(discussions)  # fmt: skip
        _table(MinutesCirculation, ("meeting", "recipient", "circulated_by", "circulated_at")
               ).insert(circulations)  # fmt: skip

        # Plans and their actions.
        plans, actions = [], []
        for plan in self.plans:
            chair = plan.meeting.chair
            plans.append(
                [plan.id, plan.kid.id, plan.kind,
                 Plan.Status.CLOSED if plan.closed_on else Plan.Status.ACTIVE, plan.summary,
                 plan.subjects, plan.meeting.id, chair.id,
                 self.at(plan.meeting.held_on, 12), plan.closed_on]
            )  # fmt: skip
            for action in plan.actions:
                assert action.owner is not None
                actions.append(
                    [plan.id, action.text, action.owner.id, action.owner.agency_id,
                     action.due_on, action.category, action.status, action.completed_on,
                     action.evidence, action.meeting.id, action.meeting.chair.id,
                     self.at(action.meeting.held_on, 12, 30)]
                )  # fmt: skip
        _table(Plan, ("id", "child", "kind", "status", "summary", "subjects", "meeting",
                      "created_by", "created_at", "closed_on")).insert(plans)  # fmt: skip
        _table(Action, ("plan", "text", "owner", "owner_agency", "due_on", "category", "status",
                        "completed_on", "evidence", "meeting", "created_by", "created_at")
               ).insert(actions)  # fmt: skip
        _table(DisruptionActivity, ("id", "tool", "occurred_on", "agency", "person", "place",
                                    "offence", "detail", "plan", "recorded_by", "created_at")
               ).insert([row[:-1] for row in self.activities])  # fmt: skip
        _table(DisruptionActivity.children.through, ("disruptionactivity", "child")).insert(
            [[row[0], row[-1]] for row in self.activities]
        )
        sequences_reset([Panel, Meeting, AgendaItem, Plan, DisruptionActivity])


def _table(model: Any, fields: Iterable[str]) -> RowTable:
    """A RowTable for `fields` of `model`, with its date and date-time columns found."""
    fields = tuple(fields)
    opts = model._meta
    kinds = {name: opts.get_field(name).get_internal_type() for name in fields}
    return RowTable(
        model,
        fields,
        date_fields=[name for name, kind in kinds.items() if kind == "DateField"],
        datetime_fields=[name for name, kind in kinds.items() if kind == "DateTimeField"],
    )


def panels_create(
    *,
    seed: int,
    anchor: date,
    staff: Staff,
    wards: Sequence[Ward],
    first_names: Sequence[str] = (),
    family_names: Sequence[str] = (),
) -> None:
    """Write the county's panels, meetings, plans and actions (after its children)."""
    histories = PanelHistories(
        seed=seed,
        anchor=anchor,
        staff=staff,
        wards=wards,
        first_names=first_names,
        family_names=family_names,
    )
    histories.people()
    histories.cohort()
    histories.agendas()
    histories.discussions()
    histories.close_actions()
    histories.owners()
    histories.disruption_log()
    histories.write()
