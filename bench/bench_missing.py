"""Missing episodes (issue 5): import a synthetic missing_episodes.csv (1,000,000 rows by default,
`--episodes N`) and its return_interviews.csv into the generated county, then time the
`missing.*` and `rhi.*` KPIs for a year over everything.

The files are deterministic from the seed and today's date: episodes of the county's children
(weighted, so that some children go missing far more often than others) over the three years to
today, more in summer and in the evening, reported 15 minutes to 12 hours after the child was last
seen; nearly all returned, 20 minutes to 10 days later. About 85% of returns have an interview:
offered within 4 days of the return, then held (70%), declined (15%) or neither.

Each file is imported once with `exchange_import` (episodes, then interviews: two imports, timed
separately), and rows/second is reported for each file and for both together. The imports must
not change the cached county, so on SQLite they go into a copy of it (deleted afterwards) and on
PostgreSQL into a transaction rolled back at the end.
"""

from __future__ import annotations

import csv
import io
import os
import random
import resource
import shutil
import tempfile
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
YEARS = 3
EPISODE_HEADER = [
    "episode_ref", "child_ref", "agency", "placement_ref", "last_seen_at", "reported_at",
    "returned_at", "police_risk", "found_ward_code", "out_of_area", "concerns",
]  # fmt: skip
INTERVIEW_HEADER = [
    "interview_ref", "episode_ref", "agency", "offered_at", "completed_at", "declined",
    "interviewer_agency", "summary",
]  # fmt: skip
# Relative numbers of episodes by month (January first: a summer peak) and by hour of the day.
MONTHS = (0.8, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.3, 1.1, 1.0, 0.8, 0.7)
HOURS = (
    2.0, 1.5, 1.0, 0.6, 0.4, 0.3, 0.3, 0.4, 0.6, 0.8, 0.9, 1.0,
    1.1, 1.2, 1.4, 1.7, 2.0, 2.3, 2.6, 2.9, 3.1, 3.2, 3.0, 2.5,
)  # fmt: skip
RISKS = (("no_apparent_risk", 15), ("low", 35), ("medium", 40), ("high", 10))
CONCERNS = ("exploitation", "sexual", "criminal", "trafficking", "violence", "substance", "other")
SUMMARIES = (
    "Stayed with older friends in town; travelled by bus, fare paid by someone else.",
    'Said she was "just out"; would not say where she slept. Referred to the exploitation team.',
    "Found at a flat linked to drug supply; given a new phone. Intelligence shared with police.",
    "Went to see family; wants more contact. Support plan reviewed with the carer.",
    "",
)


class Files(NamedTuple):
    folder: Path
    episodes: int
    interviews: int
    seconds: float


def _iso(moment: datetime) -> str:
    """As Cairn exports it: London time with its offset, to the second."""
    return moment.astimezone(LONDON).isoformat(timespec="seconds")


def _county() -> dict[str, Any]:
    from cairn.accounts.models import Agency
    from cairn.children.models import Child, Placement
    from cairn.core.models import Ward

    children = list(
        Child.objects.filter(date_of_birth__isnull=False)
        .order_by("child_ref")
        .values_list("child_ref", "date_of_birth")
    )
    placements: dict[str, list[tuple[date, date | None, str]]] = {}
    for child_ref, ref, start, end in Placement.objects.order_by(
        "child__child_ref", "start_date", "placement_ref"
    ).values_list("child__child_ref", "placement_ref", "start_date", "end_date"):
        placements.setdefault(child_ref, []).append((start, end, ref))
    kinds = dict(Agency.objects.values_list("kind", "code").order_by("-code"))
    return {
        "children": children,
        "placements": placements,
        "wards": list(Ward.objects.order_by("code").values_list("code", flat=True)),
        "police": kinds.get("police") or next(iter(kinds.values())),
        "council": kinds.get("children_services") or next(iter(kinds.values())),
        "voluntary": kinds.get("voluntary") or kinds.get("children_services"),
    }


def _placement_on(placements: list[tuple[date, date | None, str]], day: date) -> str:
    starts = [start for start, _, _ in placements]
    index = bisect_right(starts, day) - 1
    if index >= 0:
        start, end, ref = placements[index]
        if end is None or end >= day:
            return ref
    return ""


def write_files(folder: Path, *, episodes: int, seed: int) -> Files:
    """missing_episodes.csv and return_interviews.csv for the county's children."""
    started = time.perf_counter()
    rng = random.Random(f"bench-missing-{seed}")
    county = _county()
    now = datetime.combine(timezone.localdate(), datetime.min.time(), tzinfo=UTC)
    earliest = now - timedelta(days=365 * YEARS)
    # Only children aged 10 or more by the start of the period, so no episode is before birth.
    children = [
        (ref, dob) for ref, dob in county["children"] if dob <= earliest.date() - timedelta(3652)
    ]
    if not children:
        raise RuntimeError("the county has no children old enough to go missing")
    # Some children go missing far more often than others (a long tail).
    shuffled = children[:]
    rng.shuffle(shuffled)
    weights = [1 / (rank + 10) ** 1.1 for rank in range(len(shuffled))]
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    days = (now - earliest).days
    day_weights = [
        MONTHS[(earliest + timedelta(days=d)).month - 1] for d in range(days - 1)
    ]  # up to the day before today, so nothing is in the future
    day_cumulative = _cumulate(day_weights)
    hour_cumulative = _cumulate(HOURS)
    interviews = 0
    folder.mkdir(parents=True, exist_ok=True)
    with (
        (folder / "missing_episodes.csv").open("w", encoding="utf-8", newline="") as ep_file,
        (folder / "return_interviews.csv").open("w", encoding="utf-8", newline="") as ri_file,
    ):
        episodes_csv = csv.writer(ep_file, lineterminator="\r\n")
        interviews_csv = csv.writer(ri_file, lineterminator="\r\n")
        episodes_csv.writerow(EPISODE_HEADER)
        interviews_csv.writerow(INTERVIEW_HEADER)
        picks = rng.choices(shuffled, cum_weights=cumulative, k=episodes)
        for number, (child_ref, _) in enumerate(picks, start=1):
            day = rng.choices(range(len(day_weights)), cum_weights=day_cumulative)[0]
            hour = rng.choices(range(24), cum_weights=hour_cumulative)[0]
            last_seen = earliest + timedelta(
                days=day, hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60)
            )
            reported = last_seen + timedelta(minutes=15 + int(rng.lognormvariate(4.5, 0.8)) % 705)
            still_missing = (now - last_seen < timedelta(days=7) and rng.random() < 0.3) or (
                rng.random() < 0.002
            )
            returned = None
            if not still_missing:
                hours = min(rng.lognormvariate(2.3, 1.0), 240.0)
                returned = last_seen + timedelta(minutes=20 + int(hours * 60))
                if returned > now - timedelta(hours=1):
                    returned = None
            found = returned is not None and rng.random() < 0.7
            concerns = [c for c in CONCERNS if rng.random() < 0.12]
            ref = f"BME-{number:07d}"
            episodes_csv.writerow(
                [
                    ref,
                    child_ref,
                    county["police"],
                    _placement_on(
                        county["placements"].get(child_ref, []), last_seen.astimezone(LONDON).date()
                    ),
                    _iso(last_seen),
                    _iso(reported),
                    _iso(returned) if returned else "",
                    rng.choices([r for r, _ in RISKS], weights=[w for _, w in RISKS])[0],
                    rng.choice(county["wards"]) if found and county["wards"] else "",
                    "true" if found and rng.random() < 0.2 else "false",
                    ";".join(concerns),
                ]
            )
            if returned is None or rng.random() >= 0.85:
                continue
            offered = returned + timedelta(minutes=rng.randrange(96 * 60))
            if offered > now - timedelta(hours=1):
                continue
            completed = None
            declined = False
            outcome = rng.random()
            if outcome < 0.7:
                completed = offered + timedelta(minutes=rng.randrange(72 * 60))
                if completed > now - timedelta(hours=1):
                    completed = None
            elif outcome < 0.85:
                declined = True
            interviews += 1
            interviews_csv.writerow(
                [
                    f"BRI-{number:07d}",
                    ref,
                    county["council"],
                    _iso(offered),
                    _iso(completed) if completed else "",
                    "true" if declined else "false",
                    county["voluntary"] if completed or declined else "",
                    rng.choice(SUMMARIES) if completed else "",
                ]
            )
    return Files(folder, episodes, interviews, time.perf_counter() - started)


def _cumulate(weights: Any) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


@contextmanager
def scratch_database() -> Iterator[None]:
    """Writes that leave the cached county as it was: a copy of the SQLite file, or a
    PostgreSQL transaction rolled back at the end."""
    if connection.vendor == "sqlite":
        original = connection.settings_dict["NAME"]
        copy = Path(original).with_name(f"scratch-missing-{os.getpid()}.sqlite3")
        connection.close()
        shutil.copyfile(original, copy)
        connection.settings_dict["NAME"] = str(copy)
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["NAME"] = original
            for path in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
                path.unlink(missing_ok=True)
        return
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _import(path: Path) -> tuple[float, float, int]:
    """Seconds to import one file, seconds until its first chunk was written (checking), rows."""
    from cairn.exchange.services import exchange_import

    started = time.perf_counter()
    first: list[float] = []

    def progress(file: str, done: int) -> None:
        if not first:
            first.append(time.perf_counter() - started)

    result = exchange_import(actor=None, source=path, progress=progress)
    seconds = time.perf_counter() - started
    counts = next(iter(result.files.values()))
    return seconds, (first or [seconds])[0], counts.rows


def _missing_kpis() -> Callable[[], object]:
    """Only the missing.* and rhi.* KPIs for the last year, as `kpi_values` computes them."""
    from cairn.reporting import kpis

    today = timezone.localdate()
    period = kpis.Period(today - timedelta(days=364), today)
    codes = [code for code in kpis.KPIS if code.split(".")[0] in ("missing", "rhi")]

    def compute() -> dict[str, object]:
        token = kpis._run_cache.set({})
        try:
            return {code: kpis.KPIS[code].compute(period, None) for code in codes}
        finally:
            kpis._run_cache.reset(token)

    compute.codes = codes  # type: ignore[attr-defined]
    return compute


def run(ctx) -> None:  # type: ignore[no-untyped-def]
    from cairn.missing.models import MissingEpisode, ReturnInterview

    with tempfile.TemporaryDirectory(prefix="cairn-bench-missing-") as folder:
        files = write_files(Path(folder), episodes=ctx.episodes, seed=ctx.seed)
        note = f"{files.episodes} episodes, {files.interviews} interviews"
        print(f"# generated {note} in {files.seconds:.0f} s", flush=True)
        with scratch_database():
            before_rss = _peak_rss_mb()
            timings = []
            for name in ("missing_episodes.csv", "return_interviews.csv"):
                seconds, checking, rows = _import(files.folder / name)
                timings.append((name, seconds, checking, rows))
                ctx.record(f"import {name} ({rows} rows), once", [seconds], note=note)
                ctx.record(
                    f"import {name}: rows per second",
                    [rows / seconds],
                    unit="rows/s",
                    note=f"checking took {checking:.0f} s of {seconds:.0f} s",
                )
            rows = sum(t[3] for t in timings)
            seconds = sum(t[1] for t in timings)
            ctx.record(
                "import both files: rows per second",
                [rows / seconds],
                unit="rows/s",
                note=f"{rows} rows in {seconds:.0f} s; peak RSS {_peak_rss_mb():.0f} MB "
                f"(before the imports {before_rss:.0f} MB)",
            )
            with connection.cursor() as cursor:  # planner statistics, as a county gets
                for table in (MissingEpisode._meta.db_table, ReturnInterview._meta.db_table):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
            stored = (
                f"{MissingEpisode.objects.count()} episodes, "
                f"{ReturnInterview.objects.count()} interviews stored"
            )
            compute = _missing_kpis()
            ctx.time(
                f"missing.* and rhi.* KPIs, a year ({len(compute.codes)} codes)",  # type: ignore[attr-defined]
                compute,
                note=stored,
            )
            today = timezone.localdate()
            period = [
                "--from",
                (today - timedelta(days=364)).isoformat(),
                "--to",
                today.isoformat(),
            ]
            ctx.time(
                "cairn kpi --json (a year, every KPI)",
                lambda: call_command("kpi", *period, "--json", stdout=io.StringIO()),
            )
