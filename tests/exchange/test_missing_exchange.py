"""missing_episodes.csv and return_interviews.csv: import reads times in London time or with an
offset, refuses impossible orders of events and a second interview for an episode, raises
repeat-missing alerts, re-imports idempotently, keeps managers to their own children and exports
in the documented column order."""

from __future__ import annotations

import csv
import datetime as dt
from datetime import UTC

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from cairn.exchange import importer
from cairn.exchange.cells import LONDON
from cairn.exchange.problems import ImportRejected
from cairn.exchange.services import exchange_export, exchange_import
from cairn.missing.models import MissingEpisode, RepeatMissingAlert, ReturnInterview
from tests.exchange.conftest import AGENCIES, CHILDREN, PLACEMENTS, snapshot, write_files
from tests.factories import ChildFactory, PlacementFactory, UserFactory

EPISODE_HEADER = (
    "episode_ref,child_ref,agency,placement_ref,last_seen_at,reported_at,returned_at,police_risk,"
    "found_ward_code,out_of_area,concerns"
)
INTERVIEW_HEADER = (
    "interview_ref,episode_ref,agency,offered_at,completed_at,declined,interviewer_agency,summary"
)
GOOD = {"agencies.csv": AGENCIES, "children.csv": CHILDREN, "placements.csv": PLACEMENTS}


def csv_text(header: str, *rows: str) -> str:
    return header + "\r\n" + "".join(row + "\r\n" for row in rows)


def episodes(*rows: str) -> str:
    return csv_text(EPISODE_HEADER, *rows)


def interviews(*rows: str) -> str:
    return csv_text(INTERVIEW_HEADER, *rows)


def episode(ref: str = "ME-1", **cells: str) -> str:
    """A summer episode (British Summer Time) from C-1's foster placement, in London time."""
    values = {
        "episode_ref": ref,
        "child_ref": "C-1",
        "agency": "SCC",
        "placement_ref": "P-2",
        "last_seen_at": "2024-07-01T21:30",
        "reported_at": "2024-07-01T23:05:00+01:00",
        "returned_at": "2024-07-02T08:15:00Z",
        "police_risk": "high",
        "found_ward_code": "E05900002",
        "out_of_area": "true",
        "concerns": "criminal;substance",
    } | cells
    return ",".join(values[name] for name in EPISODE_HEADER.split(","))


def interview(ref: str = "RI-1", **cells: str) -> str:
    values = {
        "interview_ref": ref,
        "episode_ref": "ME-1",
        "agency": "SCC",
        "offered_at": "2024-07-02T12:00",
        "completed_at": "2024-07-03T10:00",
        "declined": "false",
        "interviewer_agency": "HYP",
        "summary": '"Stayed with older friends; travelled by train, ticket paid by someone else."',
    } | cells
    return ",".join(values[name] for name in INTERVIEW_HEADER.split(","))


def london(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def missing_snapshot() -> tuple[object, ...]:
    return (
        snapshot(),
        list(MissingEpisode.objects.order_by("episode_ref").values()),
        list(ReturnInterview.objects.order_by("interview_ref").values()),
        list(RepeatMissingAlert.objects.order_by("id").values()),
    )


def import_files(tmp_path, files, name="in", actor=None):  # type: ignore[no-untyped-def]
    return exchange_import(actor=actor, source=write_files(tmp_path / name, files))


def problems_of(tmp_path, files, actor=None) -> list[str]:  # type: ignore[no-untyped-def]
    before = missing_snapshot()
    folder = tmp_path / f"bad-{len(list(tmp_path.glob('bad-*')))}"
    with pytest.raises(ImportRejected) as caught:
        exchange_import(actor=actor, source=write_files(folder, files))
    assert missing_snapshot() == before, "a rejected import must leave the database unchanged"
    return [str(problem) for problem in caught.value.problems]


WINTER = episode(
    "ME-2", child_ref="C-2", agency="HYP", placement_ref="", last_seen_at="2024-01-10T18:00",
    reported_at="2024-01-10T19:00", returned_at="", police_risk="no_apparent_risk",
    found_ward_code="", out_of_area="", concerns="",
)  # fmt: skip


# Importing -----------------------------------------------------------------------------------


def test_import_creates_episodes_and_interviews(partnership, tmp_path) -> None:
    files = GOOD | {
        "missing_episodes.csv": episodes(episode(), WINTER),
        "return_interviews.csv": interviews(interview()),
    }
    result = import_files(tmp_path, files)

    counts = {name: (c.rows, c.created, c.updated) for name, c in result.files.items()}
    assert counts["missing_episodes.csv"] == (2, 2, 0)
    assert counts["return_interviews.csv"] == (1, 1, 0)
    summer = MissingEpisode.objects.get(episode_ref="ME-1")
    assert summer.child.child_ref == "C-1"
    assert summer.agency == partnership.scc
    assert summer.placement.placement_ref == "P-2"
    assert summer.recorded_by is None
    # London time in summer is an hour ahead of UTC; offsets are taken as given.
    assert summer.last_seen_at == dt.datetime(2024, 7, 1, 20, 30, tzinfo=UTC)
    assert summer.reported_at == dt.datetime(2024, 7, 1, 22, 5, tzinfo=UTC)
    assert summer.returned_at == dt.datetime(2024, 7, 2, 8, 15, tzinfo=UTC)
    assert (summer.police_risk, summer.found_ward, summer.out_of_area) == (
        "high",
        partnership.wards[1],
        True,
    )
    assert summer.concerns == ["criminal", "substance"]
    winter = MissingEpisode.objects.get(episode_ref="ME-2")
    assert winter.last_seen_at == dt.datetime(2024, 1, 10, 18, 0, tzinfo=UTC)  # GMT: no change
    assert (winter.placement, winter.returned_at, winter.found_ward) == (None, None, None)
    assert (winter.out_of_area, winter.concerns, winter.police_risk) == (
        False,
        [],
        "no_apparent_risk",
    )
    rhi = ReturnInterview.objects.get()
    assert (rhi.interview_ref, rhi.episode, rhi.agency.code) == ("RI-1", summer, "SCC")
    assert rhi.offered_at == dt.datetime(2024, 7, 2, 11, 0, tzinfo=UTC)
    assert rhi.completed_at == london("2024-07-03T10:00")
    assert (rhi.declined, rhi.interviewer_agency.code) == (False, "HYP")
    assert rhi.summary.startswith("Stayed with older friends; travelled by train")
    assert LogEntry.objects.get_for_object(summer).count() == 1  # change history
    assert LogEntry.objects.get_for_object(rhi).count() == 1


def test_an_autumn_time_without_offset_is_the_first_of_the_two(partnership, tmp_path) -> None:
    """01:30 happens twice when the clocks go back: a time without an offset is the first (BST);
    an export always writes the offset, so it imports back exactly."""
    files = GOOD | {
        "missing_episodes.csv": episodes(
            episode(last_seen_at="2024-10-27T01:30", reported_at="2024-10-27T01:30:00+00:00",
                    returned_at="")
        )
    }  # fmt: skip
    import_files(tmp_path, files)
    stored = MissingEpisode.objects.get()
    assert stored.last_seen_at == dt.datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
    assert stored.reported_at == dt.datetime(2024, 10, 27, 1, 30, tzinfo=UTC)

    exchange_export(actor=None, destination=tmp_path / "out")
    with (tmp_path / "out" / "missing_episodes.csv").open(encoding="utf-8", newline="") as f:
        row = list(csv.reader(f))[1]
    assert row[4:6] == ["2024-10-27T01:30:00+01:00", "2024-10-27T01:30:00+00:00"]


def test_importing_the_same_files_again_changes_nothing(partnership, tmp_path) -> None:
    files = GOOD | {
        "missing_episodes.csv": episodes(episode(), WINTER),
        "return_interviews.csv": interviews(interview()),
    }
    import_files(tmp_path, files)
    before = missing_snapshot()
    history = LogEntry.objects.count()

    result = import_files(tmp_path, files, name="again")

    counts = {name: (c.created, c.updated) for name, c in result.files.items()}
    assert counts["missing_episodes.csv"] == (0, 2)
    assert counts["return_interviews.csv"] == (0, 1)
    assert missing_snapshot()[1:] == before[1:], "nothing changed, not even updated_at"
    assert LogEntry.objects.count() == history


def test_a_reimport_records_a_return_and_keeps_what_the_format_does_not_carry(
    partnership, tmp_path
) -> None:
    import_files(tmp_path, GOOD | {"missing_episodes.csv": episodes(WINTER)})
    MissingEpisode.objects.filter(episode_ref="ME-2").update(found_place="Bus station")

    returned = WINTER.replace(",2024-01-10T19:00,,", ",2024-01-10T19:00,2024-01-11T07:00,")
    import_files(tmp_path, {"missing_episodes.csv": episodes(returned)}, name="returned")

    stored = MissingEpisode.objects.get()
    assert stored.returned_at == dt.datetime(2024, 1, 11, 7, 0, tzinfo=UTC)
    assert stored.found_place == "Bus station"


def test_import_raises_repeat_missing_alerts(partnership, tmp_path, monkeypatch) -> None:
    """Once the whole file is written, whichever chunks the child's episodes came in."""
    monkeypatch.setattr(importer, "CHUNK_SIZE", 2)
    now = timezone.now().replace(microsecond=0)

    def recent(ref: str, days: int) -> str:
        seen = (now - dt.timedelta(days=days)).isoformat()
        return episode(ref, last_seen_at=seen, reported_at=seen, returned_at="")

    rows = [recent("ME-12", 10), recent("ME-10", 30), WINTER, recent("ME-11", 20)]
    import_files(tmp_path, GOOD | {"missing_episodes.csv": episodes(*rows)})

    alert = RepeatMissingAlert.objects.get()
    assert (alert.child.child_ref, alert.episode.episode_ref, alert.episodes) == ("C-1", "ME-12", 3)


# Refusing bad rows ---------------------------------------------------------------------------

BAD_EPISODES = {
    "returned before last seen": (
        {"returned_at": "2024-07-01T20:00"},
        "missing_episodes.csv:2: returned_at: 2024-07-01T20:00:00+01:00 is before last_seen_at "
        "2024-07-01T21:30:00+01:00",
    ),
    "reported before last seen": (
        {"reported_at": "2024-07-01T20:29:00Z"},
        "missing_episodes.csv:2: reported_at: 2024-07-01T21:29:00+01:00 is before last_seen_at "
        "2024-07-01T21:30:00+01:00",
    ),
    "future return": (
        {"returned_at": "2999-01-01T10:00"},
        "missing_episodes.csv:2: returned_at: 2999-01-01T10:00 is in the future",
    ),
    "not a time": (
        {"last_seen_at": "01/07/2024 21:30"},
        "missing_episodes.csv:2: last_seen_at: '01/07/2024 21:30' is not a date and time in the "
        "form YYYY-MM-DDTHH:MM",
    ),
    "a London time that did not happen": (
        {"last_seen_at": "2024-03-31T01:30", "reported_at": "2024-03-31T03:00"},
        "missing_episodes.csv:2: last_seen_at: 2024-03-31T01:30 did not happen in Europe/London",
    ),
    "no time last seen": (
        {"last_seen_at": ""},
        "missing_episodes.csv:2: last_seen_at: a value is required",
    ),
    "unknown police risk": (
        {"police_risk": "absent"},
        "missing_episodes.csv:2: police_risk: 'absent' is not one of: no_apparent_risk, low, "
        "medium, high",
    ),
    "unknown concern": (
        {"concerns": "criminal;gangs"},
        "missing_episodes.csv:2: concerns: 'gangs' not one of: exploitation, sexual, criminal",
    ),
    "unknown child": (
        {"child_ref": "C-404"},
        "missing_episodes.csv:2: child_ref: 'C-404' is not a child in children.csv or in Cairn",
    ),
    "unknown placement": (
        {"placement_ref": "P-404"},
        "missing_episodes.csv:2: placement_ref: 'P-404' is not a placement in placements.csv or "
        "in Cairn",
    ),
    "unknown ward": (
        {"found_ward_code": "E05999999"},
        "missing_episodes.csv:2: found_ward_code: 'E05999999' is not a ward code known to Cairn",
    ),
    "unknown agency": (
        {"agency": "NOPE"},
        "missing_episodes.csv:2: agency: 'NOPE' is not an agency in Cairn or in agencies.csv",
    ),
    "bad boolean": (
        {"out_of_area": "yes"},
        "missing_episodes.csv:2: out_of_area: 'yes' is not true or false",
    ),
    "another child's placement": (
        {"placement_ref": "P-OTHER"},
        "missing_episodes.csv:2: placement_ref: 'P-OTHER' is not a placement of child 'C-1'",
    ),
    "before birth": (
        {"last_seen_at": "2010-01-01T10:00", "reported_at": "2010-01-01T11:00"},
        "missing_episodes.csv:2: last_seen_at: 2010-01-01T10:00:00+00:00 is before the child's "
        "date of birth (2010-04-01)",
    ),
}


@pytest.mark.parametrize("case", list(BAD_EPISODES), ids=list(BAD_EPISODES))
def test_bad_episode_rows_are_refused_and_nothing_changes(partnership, tmp_path, case) -> None:
    """Against children and placements already in Cairn (the checks made before writing)."""
    child = ChildFactory(child_ref="C-1", agency=partnership.scc, date_of_birth=dt.date(2010, 4, 1))
    PlacementFactory(placement_ref="P-2", child=child)
    PlacementFactory(placement_ref="P-OTHER", child=ChildFactory(agency=partnership.scc))
    cells, expected = BAD_EPISODES[case]
    problems = problems_of(tmp_path, {"missing_episodes.csv": episodes(episode(**cells))})
    assert any(p.startswith(expected) for p in problems), problems


def test_a_placement_of_another_child_in_the_same_import_is_refused(partnership, tmp_path) -> None:
    placements = PLACEMENTS + "P-3,C-2,HYP,,foster,,false,2023-01-01,\r\n"
    files = GOOD | {
        "placements.csv": placements,
        "missing_episodes.csv": episodes(episode(), episode("ME-2", placement_ref="P-3")),
    }
    assert problems_of(tmp_path, files) == [
        "missing_episodes.csv:3: placement_ref: 'P-3' is not a placement of child 'C-1'"
    ]


def test_an_episode_before_the_birth_of_a_child_in_the_same_import_is_refused(
    partnership, tmp_path
) -> None:
    early = episode(last_seen_at="2010-03-31T23:30", reported_at="2010-04-01T00:30")
    files = GOOD | {"missing_episodes.csv": episodes(early)}
    assert problems_of(tmp_path, files) == [
        "missing_episodes.csv:2: last_seen_at: 2010-03-31T23:30:00+01:00 is before the child's "
        "date of birth (2010-04-01)"
    ]


def test_duplicate_episode_refs_are_refused(partnership, tmp_path) -> None:
    files = GOOD | {"missing_episodes.csv": episodes(episode(), WINTER, episode())}
    assert problems_of(tmp_path, files) == [
        "missing_episodes.csv:4: episode_ref: 'ME-1' appears more than once in this file "
        "(first on row 2)"
    ]


def test_an_episode_with_an_interview_keeps_a_return_before_it(partnership, tmp_path) -> None:
    files = GOOD | {
        "missing_episodes.csv": episodes(episode()),
        "return_interviews.csv": interviews(interview()),
    }
    import_files(tmp_path, files)

    reopened = {"missing_episodes.csv": episodes(episode(returned_at=""))}
    assert problems_of(tmp_path, reopened) == [
        "missing_episodes.csv:2: returned_at: is empty, but the episode has a return home "
        "interview ('RI-1'), which follows a return"
    ]
    later = {"missing_episodes.csv": episodes(episode(returned_at="2024-07-02T13:00"))}
    assert problems_of(tmp_path, later) == [
        "missing_episodes.csv:2: returned_at: 2024-07-02T13:00:00+01:00 is after the episode's "
        "return home interview ('RI-1') was offered at 2024-07-02T12:00:00+01:00: correct the "
        "interview first"
    ]


BAD_INTERVIEWS = {
    "unknown episode": (
        {"episode_ref": "ME-404"},
        "return_interviews.csv:2: episode_ref: 'ME-404' is not an episode in "
        "missing_episodes.csv or in Cairn",
    ),
    "completed and declined": (
        {"declined": "true"},
        "return_interviews.csv:2: declined: is true, but completed_at is set: an interview is "
        "either completed or declined",
    ),
    "offered before the return": (
        {"offered_at": "2024-07-02T09:00"},
        "return_interviews.csv:2: offered_at: 2024-07-02T09:00:00+01:00 is before the episode's "
        "returned_at 2024-07-02T09:15:00+01:00",
    ),
    "completed before the return": (
        {"offered_at": "", "completed_at": "2024-07-02T08:00:00Z"},
        "return_interviews.csv:2: completed_at: 2024-07-02T09:00:00+01:00 is before the "
        "episode's returned_at 2024-07-02T09:15:00+01:00",
    ),
    "completed before offered": (
        {"completed_at": "2024-07-02T11:00"},
        "return_interviews.csv:2: completed_at: 2024-07-02T11:00:00+01:00 is before offered_at "
        "2024-07-02T12:00:00+01:00",
    ),
    "episode with no return": (
        {"episode_ref": "ME-2"},
        "return_interviews.csv:2: episode_ref: 'ME-2' has no returned_at: a return home "
        "interview follows a return",
    ),
    "future offer": (
        {"offered_at": "2999-01-01T10:00", "completed_at": ""},
        "return_interviews.csv:2: offered_at: 2999-01-01T10:00 is in the future",
    ),
    "unknown interviewer agency": (
        {"interviewer_agency": "NOPE"},
        "return_interviews.csv:2: interviewer_agency: 'NOPE' is not an agency in Cairn or in "
        "agencies.csv",
    ),
    "bad boolean": (
        {"declined": "no"},
        "return_interviews.csv:2: declined: 'no' is not true or false",
    ),
}


@pytest.fixture
def stored_episodes(partnership, tmp_path):  # type: ignore[no-untyped-def]
    """ME-1 (returned) and ME-2 (still missing) already in Cairn."""
    import_files(tmp_path, GOOD | {"missing_episodes.csv": episodes(episode(), WINTER)}, "base")


@pytest.mark.parametrize("case", list(BAD_INTERVIEWS), ids=list(BAD_INTERVIEWS))
def test_bad_interview_rows_are_refused_and_nothing_changes(
    stored_episodes, tmp_path, case
) -> None:
    cells, expected = BAD_INTERVIEWS[case]
    problems = problems_of(tmp_path, {"return_interviews.csv": interviews(interview(**cells))})
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize("case", ["offered before the return", "episode with no return"])
def test_interviews_of_episodes_in_the_same_import_are_checked_too(
    partnership, tmp_path, case
) -> None:
    cells, expected = BAD_INTERVIEWS[case]
    files = GOOD | {
        "missing_episodes.csv": episodes(episode(), WINTER),
        "return_interviews.csv": interviews(interview(**cells)),
    }
    assert problems_of(tmp_path, files) == [expected]


def test_an_episode_has_at_most_one_interview(stored_episodes, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(importer, "CHUNK_SIZE", 1)
    twice = {"return_interviews.csv": interviews(interview(), interview("RI-2"))}
    assert problems_of(tmp_path, twice) == [
        "return_interviews.csv:3: episode_ref: 'ME-1' appears more than once in this file (first "
        "on row 2): an episode has at most one return home interview"
    ]

    import_files(tmp_path, {"return_interviews.csv": interviews(interview())}, name="first")
    another = {"return_interviews.csv": interviews(interview("RI-2"))}
    assert problems_of(tmp_path, another) == [
        "return_interviews.csv:2: episode_ref: 'ME-1' already has a return home interview in "
        "Cairn ('RI-1'): an episode has at most one"
    ]


def test_an_interview_may_be_declined(stored_episodes, tmp_path) -> None:
    declined = interview(completed_at="", declined="true", interviewer_agency="")
    import_files(tmp_path, {"return_interviews.csv": interviews(declined)})
    rhi = ReturnInterview.objects.get()
    assert (rhi.declined, rhi.completed_at, rhi.interviewer_agency) == (True, None, None)


# Who may import ------------------------------------------------------------------------------


def test_a_manager_imports_and_exports_only_their_agencys_children(
    partnership, manager, tmp_path
) -> None:
    ours = ChildFactory(child_ref="C-1", agency=partnership.scc, date_of_birth=dt.date(2010, 4, 1))
    theirs = ChildFactory(
        child_ref="C-2", agency=partnership.police, date_of_birth=dt.date(2010, 4, 1)
    )
    PlacementFactory(placement_ref="P-2", child=ours)
    files = {
        "missing_episodes.csv": episodes(
            episode(), episode("ME-2", child_ref="C-2", placement_ref="")
        )
    }
    assert problems_of(tmp_path, files, actor=manager) == [
        "missing_episodes.csv:3: child_ref: 'C-2' is a child already in Cairn whose record you "
        "cannot change"
    ]

    import_files(tmp_path, files, name="cli")  # the command line is trusted
    both = {
        "return_interviews.csv": interviews(
            interview(interviewer_agency="POL"),
            interview("RI-2", episode_ref="ME-2", interviewer_agency="POL"),
        )
    }
    assert problems_of(tmp_path, both, actor=manager) == [
        "return_interviews.csv:3: episode_ref: 'ME-2' is an episode of a child whose record you "
        "cannot change"
    ]
    import_files(tmp_path, both, name="cli-rhi")
    assert {e.child for e in MissingEpisode.objects.all()} == {ours, theirs}

    moved = {"missing_episodes.csv": episodes(episode("ME-2"))}
    assert problems_of(tmp_path, moved, actor=manager) == [
        "missing_episodes.csv:2: episode_ref: 'ME-2' is an episode of a child whose record you "
        "cannot change"
    ]
    taken = {"return_interviews.csv": interviews(interview("RI-2", interviewer_agency="POL"))}
    problems = problems_of(tmp_path, taken, actor=manager)
    assert (
        "return_interviews.csv:2: interview_ref: 'RI-2' is an interview of a child whose record "
        "you cannot change"
    ) in problems

    result = import_files(tmp_path, {"missing_episodes.csv": episodes(episode())}, "ok", manager)
    assert result.files["missing_episodes.csv"].updated == 1

    result = exchange_export(actor=manager, destination=tmp_path / "out")
    assert (result.files["missing_episodes.csv"], result.files["return_interviews.csv"]) == (1, 1)
    text = (tmp_path / "out" / "missing_episodes.csv").read_text(encoding="utf-8")
    assert "ME-1" in text and "ME-2" not in text
    text = (tmp_path / "out" / "return_interviews.csv").read_text(encoding="utf-8")
    assert "RI-1" in text and "RI-2" not in text


def test_a_practitioner_cannot_import(partnership, tmp_path) -> None:
    from django.core.exceptions import PermissionDenied

    practitioner = UserFactory(agency=partnership.scc, password=None)
    with pytest.raises(PermissionDenied):
        import_files(tmp_path, {"missing_episodes.csv": episodes(episode())}, actor=practitioner)


# Exporting -----------------------------------------------------------------------------------


def test_export_writes_the_documented_columns_and_imports_back_unchanged(
    partnership, tmp_path
) -> None:
    files = GOOD | {
        "missing_episodes.csv": episodes(WINTER, episode(concerns="substance;criminal;substance")),
        "return_interviews.csv": interviews(interview(summary="'=cmd")),
    }
    import_files(tmp_path, files)

    exchange_export(actor=None, destination=tmp_path / "out")

    def rows(name: str) -> list[list[str]]:
        with (tmp_path / "out" / name).open(encoding="utf-8", newline="") as f:
            return list(csv.reader(f))

    assert rows("missing_episodes.csv") == [
        EPISODE_HEADER.split(","),
        ["ME-1", "C-1", "SCC", "P-2", "2024-07-01T21:30:00+01:00", "2024-07-01T23:05:00+01:00",
         "2024-07-02T09:15:00+01:00", "high", "E05900002", "true", "substance;criminal"],
        ["ME-2", "C-2", "HYP", "", "2024-01-10T18:00:00+00:00", "2024-01-10T19:00:00+00:00", "",
         "no_apparent_risk", "", "false", ""],
    ]  # fmt: skip
    assert rows("return_interviews.csv") == [
        INTERVIEW_HEADER.split(","),
        ["RI-1", "ME-1", "SCC", "2024-07-02T12:00:00+01:00", "2024-07-03T10:00:00+01:00", "false",
         "HYP", "'=cmd"],
    ]  # fmt: skip
    before = missing_snapshot()
    back = {
        name: (tmp_path / "out" / name).read_bytes()
        for name in ("missing_episodes.csv", "return_interviews.csv")
    }
    import_files(tmp_path, back, name="back")
    assert missing_snapshot()[1:] == before[1:]
    assert ReturnInterview.objects.get().summary == "=cmd"
