"""Generate the synthetic county of Synthetshire into an empty database.

`county_generate(seed=42, children=500, anchor=date(...))` writes the county's map, schools,
agencies, teams and staff, then the children with their placements, involvements, aliases,
identifiers, case notes, views, exploitation risk histories with outcome scores
(cairn.demo.risk), missing episodes with return home interviews and repeat-missing alerts
(cairn.demo.missing) and Philomena profiles (cairn.demo.philomena); and, once the children are
written, two multi-agency exploitation panels with two years of meetings, the children they
discussed and the safety and disruption plans they agreed (cairn.demo.panels). The same seed and
anchor date give the same content every time (names included): every random choice comes from
`random.Random` streams derived from the seed and from a seeded Faker, never from the global
generators or the clock. Database ids and timestamps are the only things that differ.

Rows are written in bulk, in batches, inside one transaction: generation is not a person reading
records, so it writes no access event per row, only one `import` event for the whole run. The
largest tables (assessments and their indicators, missing episodes and interviews) are written as
plain rows (cairn.demo.rows).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from cairn.accounts.models import Agency, Team, User
from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.children.models import (
    CaseNote,
    Child,
    ChildAlias,
    ChildIdentifier,
    ChildVoice,
    Involvement,
    Placement,
)
from cairn.core.models import Division, LocalAuthority, School, Ward
from cairn.demo import content as c
from cairn.demo.geography import LOCAL_AUTHORITY_CODE
from cairn.demo.panels import PANEL_NAMES, panels_create
from cairn.demo.plans import child_plan
from cairn.demo.rows import sequences_reset
from cairn.demo.stories import Batch, County
from cairn.missing.models import (
    InterviewAttempt,
    MissingEpisode,
    PhilomenaProfile,
    RepeatMissingAlert,
    ReturnInterview,
)
from cairn.panels import models as panels
from cairn.risk.models import AssessmentIndicator, Intervention, OutcomeScore, RiskAssessment

if TYPE_CHECKING:
    from cairn.audit.models import AccessEvent

GENERATOR = "cairn.demo"
# 2: exploitation risk histories and outcomes; 3: missing, Philomena; 4: panels, meetings, plans
# and actions
GENERATOR_VERSION = 4
BATCH_SIZE = 1000
MAX_EPISODES_PER_CHILD = 25  # every child is known for at least a month: one episode a day


class CountyNotEmpty(Exception):
    """The database already holds children or parts of the synthetic county."""


@dataclass(frozen=True)
class GenerationResult:
    seed: int
    children: int
    anchor: date
    seconds: float
    counts: dict[str, int]
    event_id: int


def county_blockers() -> list[str]:
    """Why the synthetic county cannot be generated into this database (empty when it can)."""
    problems = []
    if Child.objects.exists():
        problems.append("the database already holds children")
    if LocalAuthority.objects.filter(code=LOCAL_AUTHORITY_CODE).exists():
        problems.append(f"local authority {LOCAL_AUTHORITY_CODE} already exists")
    agencies = sorted(
        Agency.objects.filter(code__in=list(c.AGENCY_BY_CODE)).values_list("code", flat=True)
    )
    if agencies:
        problems.append(f"agencies already exist: {', '.join(agencies)}")
    taken = sorted(
        User.objects.filter(username__in=[d.username for d in c.DEMO_LOGINS]).values_list(
            "username", flat=True
        )
    )
    if taken:
        problems.append(f"demo usernames already taken: {', '.join(taken)}")
    existing = panels.Panel.objects.filter(name__in=PANEL_NAMES)
    names = sorted(existing.values_list("name", flat=True))
    if names:
        problems.append(f"panels already exist: {', '.join(names)}")
    return problems


def county_generate(
    *,
    seed: int,
    children: int,
    anchor: date | None = None,
    actor: User | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    assessments_per_child: int | None = None,
    episodes_per_child: int | None = None,
) -> GenerationResult:
    """Generate the synthetic county into an empty database, all or nothing.

    `anchor` is the county's "today": every date falls on or before it (tests pass a fixed one;
    the demo uses today's date). `progress(done, total)` is called after each batch of children.
    `assessments_per_child` (for benchmarks) gives every child exactly that many risk
    assessments instead of the realistic mix (most children none, the assessed about ten);
    `episodes_per_child` likewise gives every child exactly that many missing episodes (at most
    MAX_EPISODES_PER_CHILD) instead of about one child in ten going missing.
    """
    if children < 0:
        raise ValueError("the number of children cannot be negative")
    if assessments_per_child is not None and assessments_per_child < 0:
        raise ValueError("the number of assessments per child cannot be negative")
    if episodes_per_child is not None and not 0 <= episodes_per_child <= MAX_EPISODES_PER_CHILD:
        raise ValueError(f"the number of episodes per child must be 0 to {MAX_EPISODES_PER_CHILD}")
    anchor = anchor or timezone.localdate()
    started = time.perf_counter()
    with transaction.atomic():
        problems = county_blockers()
        if problems:
            raise CountyNotEmpty("; ".join(problems))
        county = County(
            seed=seed,
            anchor=anchor,
            assessments_per_child=assessments_per_child,
            episodes_per_child=episodes_per_child,
        )
        county.places_create()
        plans = [child_plan(county.plan_rng) for _ in range(children)]
        county.staff_create(plans)
        batch = Batch.empty()
        for number, plan in enumerate(plans, start=1):
            county.child_add(number, plan, batch)
            if number % batch_size == 0 or number == children:
                batch.write()
                batch = Batch.empty()
                if progress is not None:
                    progress(number, children)
        sequences_reset([RiskAssessment, Intervention, MissingEpisode, ReturnInterview])
        panels_create(
            seed=seed,
            anchor=anchor,
            staff=county.staff,
            wards=county.wards,
            first_names=county.female_names + county.male_names,
            family_names=county.family_names,
        )
        event = _generation_record(
            actor=actor,
            seed=seed,
            children=children,
            anchor=anchor,
            assessments_per_child=assessments_per_child,
            episodes_per_child=episodes_per_child,
        )
    _refresh_planner_statistics()
    return GenerationResult(
        seed=seed,
        children=children,
        anchor=anchor,
        seconds=time.perf_counter() - started,
        counts=county_counts(),
        event_id=event.pk,
    )


def _refresh_planner_statistics() -> None:
    """After a bulk load, let the query planner see the new table sizes (PostgreSQL otherwise
    plans a 100,000-child county as if the tables were empty until autovacuum catches up)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _generation_record(
    *,
    actor: User | None,
    seed: int,
    children: int,
    anchor: date,
    assessments_per_child: int | None,
    episodes_per_child: int | None,
) -> AccessEvent:
    return access_event_record(
        actor=actor,
        action=Action.IMPORT,
        object_type="demo.county",
        object_id=LOCAL_AUTHORITY_CODE,
        detail={
            "generator": GENERATOR,
            "version": GENERATOR_VERSION,
            "seed": seed,
            "children": children,
            "anchor": anchor.isoformat(),
            "assessments_per_child": assessments_per_child,
            "episodes_per_child": episodes_per_child,
        },
    )


def county_counts() -> dict[str, int]:
    """Rows per kind of record, for the commands' summaries."""
    return {
        "wards": Ward.objects.count(),
        "divisions": Division.objects.count(),
        "schools": School.objects.count(),
        "agencies": Agency.objects.count(),
        "teams": Team.objects.count(),
        "users": User.objects.count(),
        "children": Child.objects.count(),
        "placements": Placement.objects.count(),
        "involvements": Involvement.objects.count(),
        "aliases": ChildAlias.objects.count(),
        "identifiers": ChildIdentifier.objects.count(),
        "case notes": CaseNote.objects.count(),
        "child's views": ChildVoice.objects.count(),
        "risk assessments": RiskAssessment.objects.count(),
        "assessment indicators": AssessmentIndicator.objects.count(),
        "interventions": Intervention.objects.count(),
        "outcome scores": OutcomeScore.objects.count(),
        "missing episodes": MissingEpisode.objects.count(),
        "return interviews": ReturnInterview.objects.count(),
        "interview attempts": InterviewAttempt.objects.count(),
        "repeat-missing alerts": RepeatMissingAlert.objects.count(),
        "Philomena profiles": PhilomenaProfile.objects.count(),
        "panels": panels.Panel.objects.count(),
        "members of panels": panels.PanelMember.objects.count(),
        "meetings": panels.Meeting.objects.count(),
        "agenda items": panels.AgendaItem.objects.count(),
        "attendance records": panels.Attendance.objects.count(),
        "discussions": panels.Discussion.objects.count(),
        "safety and disruption plans": panels.Plan.objects.count(),
        "plan actions": panels.Action.objects.count(),
        "disruption activities": panels.DisruptionActivity.objects.count(),
    }


def database_flush() -> None:
    """Empty every table, the access log included: only for a demo or benchmark database."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # Inside a transaction (as in tests) PostgreSQL will not TRUNCATE tables with deferred
        # foreign key checks pending: run those checks now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
