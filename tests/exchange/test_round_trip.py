"""Property: export, import into an empty database, export again: the files are byte-identical
(meetings.csv included: panels, meetings in any status and their discussions)."""

from __future__ import annotations

import csv
import tempfile
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.accounts.models import Agency
from cairn.children.models import (
    Child,
    EducationStatus,
    LegalStatus,
    Placement,
    PlacementType,
    Sex,
)
from cairn.exchange.services import exchange_export, exchange_import
from cairn.exchange.specs import FILE_NAMES
from cairn.missing.models import Concern, MissingEpisode, PoliceRisk, ReturnInterview
from cairn.panels.models import Discussion, Meeting, MeetingType, Panel, PanelType
from tests.factories import WardFactory

WARD_CODES = ("E05800001", "E05800002")

# Mostly awkward characters: CSV syntax, quotes, line breaks, formula starts, any script.
_CHARS = st.one_of(
    st.sampled_from(list(",\"\n\r;'=+-@ \té中😀ß\u200f")),
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
)


def text(max_size: int, required: bool = False) -> st.SearchStrategy[str]:
    """Valid text as a form would store it: no surrounding spaces."""
    strategy = st.text(_CHARS, max_size=max_size).map(str.strip)
    return strategy.filter(bool) if required else strategy


@st.composite
def partnerships(draw: st.DrawFn) -> dict[str, list[dict]]:
    codes = draw(
        st.lists(st.from_regex(r"[A-Za-z0-9-]{1,12}", fullmatch=True), min_size=1, max_size=3,
                 unique=True)
    )  # fmt: skip
    agencies = [
        {"code": code, "name": draw(text(30, required=True)),
         "kind": draw(st.sampled_from(Agency.Kind.values))}
        for code in codes
    ]  # fmt: skip
    refs = draw(st.lists(text(20, required=True), max_size=5, unique=True))
    children = [
        {
            "child_ref": ref,
            "agency": draw(st.sampled_from(codes)),
            "given_name": draw(text(20, required=True)),
            "family_name": draw(text(20, required=True)),
            "other_names": draw(text(20)),
            "date_of_birth": draw(st.none() | st.dates(date(1990, 1, 1), date(2024, 12, 31))),
            "sex": draw(st.sampled_from(Sex.values)),
            "ethnicity": draw(text(20)),
            "postcode": draw(text(10)),
            "ward": draw(st.sampled_from((None, *WARD_CODES))),
            "legal_status": draw(st.sampled_from(LegalStatus.values)),
            "home_authority": draw(text(16)),
            "uasc": draw(st.booleans()),
            "school_urn": draw(text(12)),
            "education_status": draw(st.sampled_from(["", *EducationStatus.values])),
        }
        for ref in refs
    ]
    placements = []
    if refs:
        for ref in draw(st.lists(text(20, required=True), max_size=5, unique=True)):
            start = draw(st.dates(date(2000, 1, 1), date(2030, 1, 1)))
            end = draw(st.none() | st.integers(0, 800).map(lambda d, s=start: s + timedelta(d)))
            placements.append(
                {
                    "placement_ref": ref,
                    "child": draw(st.sampled_from(refs)),
                    "agency": draw(st.sampled_from(codes)),
                    "provider_name": draw(text(30)),
                    "placement_type": draw(st.sampled_from(PlacementType.values)),
                    "ward": draw(st.sampled_from((None, *WARD_CODES))),
                    "out_of_area": draw(st.booleans()),
                    "start_date": start,
                    "end_date": end,
                }
            )
    episodes, interviews = _missing(draw, codes, refs, placements)
    panels, meetings, discussions = _meetings(draw, refs)
    return {
        "agencies": agencies,
        "children": children,
        "placements": placements,
        "episodes": episodes,
        "interviews": interviews,
        "panels": panels,
        "meetings": meetings,
        "discussions": discussions,
    }


def _meetings(draw: st.DrawFn, refs: list[str]) -> tuple[list[dict], list[dict], list[dict]]:
    """Panels, meetings of them in any status, and discussions of the children (a child once
    per meeting). A meeting without discussions is not in meetings.csv."""
    if not refs:
        return [], [], []
    panels = [
        {"name": name, "panel_type": draw(st.sampled_from(PanelType.values))}
        for name in draw(st.lists(text(40, required=True), min_size=1, max_size=2, unique=True))
    ]
    meetings = [
        {
            "meeting_ref": ref,
            "panel": draw(st.sampled_from([p["name"] for p in panels])),
            "meeting_type": draw(st.sampled_from(MeetingType.values)),
            "held_on": draw(st.dates(date(2000, 1, 1), date(2024, 12, 31))),
            "status": draw(st.sampled_from(Meeting.Status.values)),
        }
        for ref in draw(st.lists(text(20, required=True), max_size=3, unique=True))
    ]
    discussions = [
        {"meeting": m["meeting_ref"], "child": child, "outcome": draw(text(60))}
        for m in meetings
        for child in draw(st.lists(st.sampled_from(refs), max_size=3, unique=True))
    ]
    return panels, meetings, discussions


# Moments to the second, after every date of birth above and before now; some fall in the hours
# around the clock changes, when London local times are skipped or repeated.
_MOMENTS = st.one_of(
    st.datetimes(datetime(2025, 1, 1), datetime(2025, 10, 31)),
    st.sampled_from([datetime(2025, 3, 30), datetime(2025, 10, 26)]).flatmap(
        lambda day: st.integers(-3600, 3 * 3600).map(lambda s, d=day: d + timedelta(seconds=s))
    ),
).map(lambda moment: moment.replace(microsecond=0, tzinfo=UTC))
_DURATIONS = st.integers(0, 10 * 24 * 3600).map(lambda seconds: timedelta(seconds=seconds))


def _missing(
    draw: st.DrawFn, codes: list[str], refs: list[str], placements: list[dict]
) -> tuple[list[dict], list[dict]]:
    """Episodes of the children (from one of their placements, or none) and interviews of some
    of the returned ones, in an order of events the import accepts."""
    episodes: list[dict] = []
    interviews: list[dict] = []
    if not refs:
        return episodes, interviews
    for ref in draw(st.lists(text(20, required=True), max_size=4, unique=True)):
        child = draw(st.sampled_from(refs))
        own = [p["placement_ref"] for p in placements if p["child"] == child]
        last_seen = draw(_MOMENTS)
        returned = draw(st.none() | _DURATIONS.map(lambda d, s=last_seen: s + d))
        episodes.append(
            {
                "episode_ref": ref,
                "child": child,
                "agency": draw(st.sampled_from(codes)),
                "placement": draw(st.sampled_from([None, *own])),
                "last_seen_at": last_seen,
                "reported_at": last_seen + draw(_DURATIONS),
                "returned_at": returned,
                "police_risk": draw(st.sampled_from(PoliceRisk.values)),
                "found_ward": draw(st.sampled_from((None, *WARD_CODES))),
                "out_of_area": draw(st.booleans()),
                "concerns": draw(st.lists(st.sampled_from(Concern.values), unique=True)),
            }
        )
        if returned is None or not draw(st.booleans()):
            continue
        offered = draw(st.none() | _DURATIONS.map(lambda d, r=returned: r + d))
        completed = draw(st.none() | _DURATIONS.map(lambda d, r=offered or returned: r + d))
        interviews.append(
            {
                "interview_ref": draw(text(20, required=True)),
                "episode": ref,
                "agency": draw(st.sampled_from(codes)),
                "offered_at": offered,
                "completed_at": completed,
                "declined": completed is None and draw(st.booleans()),
                "interviewer_agency": draw(st.sampled_from([None, *codes])),
                "summary": draw(text(60)),
            }
        )
    unique_refs = {i["interview_ref"] for i in interviews}
    if len(unique_refs) < len(interviews):  # refs are keys: unique within the file
        interviews = list({i["interview_ref"]: i for i in interviews}.values())
    return episodes, interviews


def _store(data: dict[str, list[dict]]) -> None:
    agencies = {a["code"]: Agency.objects.create(**a) for a in data["agencies"]}
    wards = {ward.code: ward for ward in WardFactory._meta.model.objects.all()}
    children = {}
    for row in data["children"]:
        values = row | {"agency": agencies[row["agency"]], "ward": wards.get(row["ward"])}
        children[row["child_ref"]] = Child.objects.create(**values)
    placements = {}
    for row in data["placements"]:
        placements[row["placement_ref"]] = Placement.objects.create(
            **row
            | {
                "child": children[row["child"]],
                "agency": agencies[row["agency"]],
                "ward": wards.get(row["ward"]),
            }
        )
    episodes = {}
    for row in data["episodes"]:
        episodes[row["episode_ref"]] = MissingEpisode.objects.create(
            **row
            | {
                "child": children[row["child"]],
                "agency": agencies[row["agency"]],
                "placement": placements.get(row["placement"]),
                "found_ward": wards.get(row["found_ward"]),
            }
        )
    for row in data["interviews"]:
        ReturnInterview.objects.create(
            **row
            | {
                "episode": episodes[row["episode"]],
                "agency": agencies[row["agency"]],
                "interviewer_agency": agencies.get(row["interviewer_agency"]),
            }
        )
    panels = {row["name"]: Panel.objects.create(**row) for row in data["panels"]}
    meetings = {
        row["meeting_ref"]: Meeting.objects.create(**row | {"panel": panels[row["panel"]]})
        for row in data["meetings"]
    }
    for row in data["discussions"]:
        Discussion.objects.create(
            meeting=meetings[row["meeting"]], child=children[row["child"]], outcome=row["outcome"]
        )


class _Rollback(Exception):
    pass


@pytest.fixture
def wards(db):  # type: ignore[no-untyped-def]
    return [WardFactory(code=code) for code in WARD_CODES]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=partnerships())
def test_export_import_export_gives_identical_files(wards, data) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder) / "first", Path(folder) / "second.zip"
        try:
            with transaction.atomic():
                _store(data)
                exchange_export(actor=None, destination=first)
                Meeting.objects.all().delete()
                Panel.objects.all().delete()
                MissingEpisode.objects.all().delete()
                Placement.objects.all().delete()
                Child.objects.all().delete()
                Agency.objects.all().delete()

                exchange_import(actor=None, source=first)
                exchange_export(actor=None, destination=second)
                raise _Rollback
        except _Rollback:
            pass
        with zipfile.ZipFile(second) as archive:
            for name in FILE_NAMES:
                assert archive.read(name) == (first / name).read_bytes(), name
        with (first / "children.csv").open(encoding="utf-8", newline="") as f:
            assert len(list(csv.reader(f))) == 1 + len(data["children"])
        for name, key in (
            ("placements.csv", "placements"),
            ("missing_episodes.csv", "episodes"),
            ("return_interviews.csv", "interviews"),
            ("meetings.csv", "discussions"),
        ):
            with (first / name).open(encoding="utf-8", newline="") as f:
                assert len(list(csv.reader(f))) == 1 + len(data[key]), name
