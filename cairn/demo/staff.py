"""The partnership's agencies, teams and staff, sized to the number of children.

Every agency gets enough practitioners for caseloads of about 12 to 22 children each (more teams
as the county grows), a manager per team, and the memorable demo logins of `DEMO_LOGINS`. Users
are created through `cairn.accounts.services.user_create`; all of them share the demo password,
hashed once (hashing it per user would take most of a second each).
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import check_password, make_password
from faker import Faker

from cairn.accounts.models import Agency, Role, Team, User
from cairn.accounts.services import user_create
from cairn.demo.content import (
    AGENCIES,
    CHILDRENS_SERVICES,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    EDUCATION,
    HEALTH,
    AgencySpec,
    TeamSpec,
)

CASELOAD_RANGE = (12, 22)  # children per practitioner, before team involvements
TEAM_SIZE = 6
EMAIL_DOMAIN = "synthetshire.example"


@dataclass
class AgencyStaff:
    agency: Agency
    spec: AgencySpec
    teams: list[Team] = field(default_factory=list)
    team_specs: dict[int, TeamSpec] = field(default_factory=dict)  # team id -> spec
    practitioners: list[User] = field(default_factory=list)
    slots: list[User] = field(default_factory=list)  # one entry per child still to allocate

    def next_worker(self, rng: random.Random) -> User:
        """The practitioner for the next child: slots run out only if demand was underestimated."""
        if self.slots:
            return self.slots.pop()
        return rng.choice(self.practitioners)

    def detail_for(self, user: User | None = None, team: Team | None = None) -> str:
        team_id = team.id if team is not None else (user.team_id if user is not None else None)
        spec = self.team_specs.get(team_id) if team_id is not None else None
        return spec.detail if spec is not None else self.spec.teams[0].detail


@dataclass
class Staff:
    agencies: dict[str, AgencyStaff]
    users: list[User]


def _ascii(text: str) -> str:
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in flat.lower() if ch.isalnum())


class _Usernames:
    def __init__(self, taken: set[str]) -> None:
        self.taken = set(taken)

    def claim(self, first: str, last: str) -> str:
        base = f"{_ascii(first) or 'staff'}.{_ascii(last) or 'member'}"
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = f"{base}{n}"
        self.taken.add(name)
        return name


def _team_names(spec: AgencySpec, count: int) -> Iterator[tuple[str, TeamSpec]]:
    base = spec.teams
    for k in range(count):
        team_spec = base[k % len(base)]
        suffix = "" if k < len(base) else f" {k // len(base) + 1}"
        yield team_spec.name + suffix, team_spec


def staff_create(*, demand: dict[str, int], rng: random.Random, faker: Faker) -> Staff:
    """Create agencies, teams and users; `demand` is the number of child allocations per agency
    (leads for children's services, other involvements for the rest)."""
    existing = set(User.objects.values_list("username", flat=True))
    usernames = _Usernames(existing)
    users: list[User] = []
    result: dict[str, AgencyStaff] = {}

    def add(
        *,
        username: str,
        role: str,
        agency: Agency | None,
        team: Team | None,
        job_title: str,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> User:
        first = first_name or faker.first_name()
        last = last_name or faker.last_name()
        if username:
            usernames.taken.add(username)
        user = user_create(
            username=username or usernames.claim(first, last),
            password=None,
            role=role,
            agency=agency,
            team=team,
            first_name=first,
            last_name=last,
            email="",
            job_title=job_title,
            validate=False,
        )
        domain = f"{agency.code.lower()}.{EMAIL_DOMAIN}" if agency else EMAIL_DOMAIN
        user.email = f"{user.username}@{domain}"
        users.append(user)
        return user

    for spec in AGENCIES:
        agency = Agency(code=spec.code, name=spec.name, kind=spec.kind)
        agency.full_clean()
        agency.save()
        staff = AgencyStaff(agency=agency, spec=spec)
        result[spec.code] = staff

        named = [login for login in DEMO_LOGINS if login.agency == spec.code and login.caseload]
        capacities = [login.caseload for login in named]
        wanted = demand.get(spec.code, 0)
        generated = 0
        while sum(capacities) < wanted or generated == 0:
            capacities.append(rng.randint(*CASELOAD_RANGE))
            generated += 1
        practitioner_count = len(capacities)
        team_count = max(
            min(len(spec.teams), practitioner_count), math.ceil(practitioner_count / TEAM_SIZE)
        )
        for name, team_spec in _team_names(spec, team_count):
            team = Team(agency=agency, name=name)
            team.full_clean()
            team.save()
            staff.teams.append(team)
            staff.team_specs[team.id] = team_spec
        teams_by_name = {team.name: team for team in staff.teams}

        # The memorable logins with a caseload, then generated practitioners across the teams.
        for login in named:
            team = teams_by_name[login.team] if login.team else staff.teams[0]
            staff.practitioners.append(
                add(
                    username=login.username,
                    role=login.role,
                    agency=agency,
                    team=team,
                    job_title=login.job_title,
                )
            )
        for k in range(generated):
            team = staff.teams[(k + 1) % team_count]
            staff.practitioners.append(
                add(
                    username="",
                    role=Role.PRACTITIONER,
                    agency=agency,
                    team=team,
                    job_title=staff.team_specs[team.id].job_title,
                )
            )
        named_usernames = {login.username for login in named}
        order: list[User] = []
        named_slots: list[User] = []
        for user, capacity in zip(staff.practitioners, capacities, strict=True):
            (named_slots if user.username in named_usernames else order).extend([user] * capacity)
        rng.shuffle(order)
        # The demo logins' slots go among the first `wanted` to be drawn, so they always receive
        # their caseload; other practitioners share any slots left over.
        latest = max(0, min(len(order), wanted - len(named_slots)))
        for user in named_slots:
            order.insert(rng.randint(0, latest), user)
        staff.slots = order[::-1]  # next_worker pops from the end

        # One manager per team; the demo "manager" login manages its agency's first team.
        manager_login = next(
            (d for d in DEMO_LOGINS if d.role == Role.MANAGER and d.agency == spec.code), None
        )
        for index, team in enumerate(staff.teams):
            login = manager_login if index == 0 else None
            add(
                username=login.username if login else "",
                role=Role.MANAGER,
                agency=agency,
                team=team,
                job_title=login.job_title if login else spec.manager_title,
            )

    # Logins without a caseload: panel members without one, analysts, scrutiny, administrator.
    for login in DEMO_LOGINS:
        if login.caseload or login.role == Role.MANAGER:
            continue
        agency_staff = result.get(login.agency) if login.agency else None
        add(
            username=login.username,
            role=login.role,
            agency=agency_staff.agency if agency_staff else None,
            team=None,
            job_title=login.job_title,
        )
    add(
        username="",
        role=Role.ANALYST,
        agency=result[CHILDRENS_SERVICES].agency,
        team=None,
        job_title="Performance analyst",
    )
    for code in (CHILDRENS_SERVICES, HEALTH, EDUCATION):
        add(
            username="",
            role=Role.PANEL_MEMBER,
            agency=result[code].agency,
            team=None,
            job_title="Exploitation panel member",
        )

    # One shared hash of the demo password, and emails, written in two statements.
    password = make_password(DEMO_PASSWORD)
    for user in users:
        user.password = password
    User.objects.bulk_update(users, ["password", "email"], batch_size=500)
    return Staff(agencies=result, users=users)


@dataclass(frozen=True)
class LoginRow:
    username: str
    role: str
    agency: str
    job_title: str
    password: str


def demo_login_rows() -> list[LoginRow]:
    """The demo logins present in this database, in `DEMO_LOGINS` order. The password column
    shows the demo password only while the account still has it."""
    found = {
        user.username: user
        for user in User.objects.filter(
            username__in=[login.username for login in DEMO_LOGINS]
        ).select_related("agency")
    }
    # Accounts made by the generator share one hash: check each distinct hash once.
    still_demo = {
        digest: check_password(DEMO_PASSWORD, digest)
        for digest in {user.password for user in found.values()}
    }
    rows = []
    for login in DEMO_LOGINS:
        user = found.get(login.username)
        if user is None:
            continue
        rows.append(
            LoginRow(
                username=user.username,
                role=Role(user.role).label,
                agency=user.agency.code if user.agency else "—",
                job_title=user.job_title,
                password=DEMO_PASSWORD if still_demo[user.password] else "(changed)",
            )
        )
    return rows
