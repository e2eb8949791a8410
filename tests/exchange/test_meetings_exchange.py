"""meetings.csv: one row per child discussed at a meeting. Rows of a meeting must agree; a new
panel name creates the panel; imported meetings are held, with their discussions; an import
never opens a child's record to panel members; re-imports are idempotent; managers are kept to
their own children; export writes one row per discussion and imports back unchanged."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cairn.accounts import access
from cairn.exchange import importer
from cairn.exchange.problems import ImportRejected
from cairn.exchange.services import exchange_export, exchange_import
from cairn.panels.models import AgendaItem, Discussion, Meeting, Panel, PanelMember
from tests.exchange.conftest import AGENCIES, CHILDREN, snapshot, write_files
from tests.factories import ChildFactory, UserFactory
from tests.panels.conftest import meeting as stored_meeting
from tests.panels.conftest import on_agenda

HEADER = "meeting_ref,panel,meeting_type,held_on,child_ref,outcome"
GOOD = {"agencies.csv": AGENCIES, "children.csv": CHILDREN}


def meetings(*rows: str) -> str:
    return HEADER + "\r\n" + "".join(row + "\r\n" for row in rows)


def row(ref: str = "MT-1", child: str = "C-1", **cells: str) -> str:
    values = {
        "meeting_ref": ref,
        "panel": "Synthetshire MACE",
        "meeting_type": "mace",
        "held_on": "2024-05-14",
        "child_ref": child,
        "outcome": "Stays on the plan; disruption visit to the hotel agreed",
    } | cells
    return ",".join(values[name] for name in HEADER.split(","))


def panel_snapshot() -> tuple[object, ...]:
    return (
        snapshot(),
        list(Panel.objects.order_by("name").values()),
        list(Meeting.objects.order_by("meeting_ref").values()),
        list(Discussion.objects.order_by("meeting_id", "child_id").values()),
        AgendaItem.objects.count(),
    )


def import_files(tmp_path, files, name="in", actor=None):  # type: ignore[no-untyped-def]
    return exchange_import(actor=actor, source=write_files(tmp_path / name, files))


def problems_of(tmp_path, files, actor=None) -> list[str]:  # type: ignore[no-untyped-def]
    before = panel_snapshot()
    folder = tmp_path / f"bad-{len(list(tmp_path.glob('bad-*')))}"
    with pytest.raises(ImportRejected) as caught:
        exchange_import(actor=actor, source=write_files(folder, files))
    assert panel_snapshot() == before, "a rejected import must leave the database unchanged"
    return [str(problem) for problem in caught.value.problems]


def discussed() -> list[tuple[str, str, str]]:
    return list(
        Discussion.objects.order_by("meeting__meeting_ref", "child__child_ref").values_list(
            "meeting__meeting_ref", "child__child_ref", "outcome"
        )
    )


# Importing -----------------------------------------------------------------------------------


def test_import_creates_panels_held_meetings_and_discussions(partnership, tmp_path) -> None:
    files = GOOD | {
        "meetings.csv": meetings(
            row(),
            row(child="C-2", outcome=""),
            row("MT-2", panel="Harbour MASE", meeting_type="mase", held_on="2024-06-11"),
            row("MT-3", panel="Strategy discussions", meeting_type="strategy", child="C-2"),
            row("MT-4", panel="Strategy discussions", meeting_type="mace", child="C-2"),
        )
    }
    result = import_files(tmp_path, files)

    counts = result.files["meetings.csv"]
    assert (counts.rows, counts.created, counts.updated) == (5, 4, 0)  # rows; meetings
    panels = {p.name: (p.panel_type, p.cadence_days) for p in Panel.objects.all()}
    # The first row naming a new panel decides its type.
    assert panels == {
        "Synthetshire MACE": ("mace", 28),
        "Harbour MASE": ("mase", 28),
        "Strategy discussions": ("other", 28),
    }
    first = Meeting.objects.get(meeting_ref="MT-1")
    assert (first.panel.name, first.meeting_type, first.held_on) == (
        "Synthetshire MACE",
        "mace",
        dt.date(2024, 5, 14),
    )
    assert {m.status for m in Meeting.objects.all()} == {Meeting.Status.HELD}
    assert Meeting.objects.get(meeting_ref="MT-4").meeting_type == "mace"
    assert not Meeting.objects.filter(agenda_published_at__isnull=False).exists()
    assert discussed() == [
        ("MT-1", "C-1", "Stays on the plan; disruption visit to the hotel agreed"),
        ("MT-1", "C-2", ""),
        ("MT-2", "C-1", "Stays on the plan; disruption visit to the hotel agreed"),
        ("MT-3", "C-2", "Stays on the plan; disruption visit to the hotel agreed"),
        ("MT-4", "C-2", "Stays on the plan; disruption visit to the hotel agreed"),
    ]
    assert not AgendaItem.objects.exists(), "an import puts no child on an agenda"
    assert Discussion.objects.filter(recorded_by__isnull=False).count() == 0


def test_the_import_writes_change_history(partnership, tmp_path) -> None:
    import_files(tmp_path, GOOD | {"meetings.csv": meetings(row(), row(child="C-2"))})

    def entries(model: type) -> list[LogEntry]:
        kind = ContentType.objects.get_for_model(model)
        return list(LogEntry.objects.filter(content_type=kind))

    panel, meeting, discussions = entries(Panel), entries(Meeting), entries(Discussion)
    assert len(panel) == 1 and len(meeting) == 1 and len(discussions) == 2
    assert panel[0].changes_dict["name"] == ["None", "Synthetshire MACE"]
    assert meeting[0].changes_dict["status"] == ["None", "held"]
    assert meeting[0].object_repr == "Synthetshire MACE on 14 May 2024"
    assert {e.additional_data["via"] for e in [*panel, *meeting, *discussions]} == {
        "exchange import"
    }
    assert sorted(e.object_repr for e in discussions)[0].endswith(
        " at Synthetshire MACE on 14 May 2024"
    )


def test_importing_the_same_files_again_changes_nothing(partnership, tmp_path) -> None:
    files = GOOD | {"meetings.csv": meetings(row(), row(child="C-2"), row("MT-2"))}
    import_files(tmp_path, files)
    before = panel_snapshot()
    history = LogEntry.objects.count()

    result = import_files(tmp_path, files, name="again")

    counts = result.files["meetings.csv"]
    assert (counts.rows, counts.created, counts.updated) == (3, 0, 2)
    assert panel_snapshot()[1:] == before[1:]
    assert LogEntry.objects.count() == history


def test_a_reimport_updates_the_meeting_and_outcomes_and_adds_children(
    partnership, tmp_path
) -> None:
    import_files(tmp_path, GOOD | {"meetings.csv": meetings(row())})
    Meeting.objects.update(status=Meeting.Status.SIGNED_OFF, minutes="Kept")

    changed = meetings(
        row(meeting_type="risk", held_on="2024-05-15", outcome="Closed to the panel"),
        row(meeting_type="risk", held_on="2024-05-15", child="C-2", outcome="New"),
    )
    result = import_files(tmp_path, {"meetings.csv": changed}, name="changed")

    assert (result.files["meetings.csv"].created, result.files["meetings.csv"].updated) == (0, 1)
    stored = Meeting.objects.get()
    assert (stored.meeting_type, stored.held_on) == ("risk", dt.date(2024, 5, 15))
    assert (stored.status, stored.minutes) == (Meeting.Status.SIGNED_OFF, "Kept")
    assert discussed() == [("MT-1", "C-1", "Closed to the panel"), ("MT-1", "C-2", "New")]

    # Without the outcome column, outcomes are kept.
    no_outcome = "meeting_ref,panel,meeting_type,held_on,child_ref\r\n"
    no_outcome += "MT-1,Synthetshire MACE,risk,2024-05-15,C-1\r\n"
    import_files(tmp_path, {"meetings.csv": no_outcome}, name="no-outcome")
    assert discussed()[0] == ("MT-1", "C-1", "Closed to the panel")


def test_rows_of_a_meeting_may_span_chunks(partnership, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(importer, "CHUNK_SIZE", 1)
    result = import_files(
        tmp_path, GOOD | {"meetings.csv": meetings(row(), row("MT-2"), row(child="C-2"))}
    )

    counts = result.files["meetings.csv"]
    assert (counts.rows, counts.created, counts.updated) == (3, 2, 0)
    assert [ref for ref, _, _ in discussed()] == ["MT-1", "MT-1", "MT-2"]
    assert Panel.objects.count() == 1


# Refusing bad rows ---------------------------------------------------------------------------


def test_rows_of_a_meeting_that_disagree_are_each_refused(partnership, tmp_path) -> None:
    files = GOOD | {
        "meetings.csv": meetings(
            row(),
            row(child="C-2", panel="Other MACE"),
            row("MT-2"),
            row(child="C-3", meeting_type="mase", held_on="2024-05-15"),
        )
    }
    children = CHILDREN + "C-3,SCC,Cai,Testchild,,2012-01-01,male,,,,none,,false,,\r\n"
    files["children.csv"] = children

    assert problems_of(tmp_path, files) == [
        "meetings.csv:3: panel: 'Other MACE' differs from row 2 ('Synthetshire MACE'): the rows "
        "of meeting 'MT-1' must agree on panel, meeting_type and held_on",
        "meetings.csv:5: meeting_type: 'mase' differs from row 2 ('mace'): the rows of meeting "
        "'MT-1' must agree on panel, meeting_type and held_on",
        "meetings.csv:5: held_on: '2024-05-15' differs from row 2 ('2024-05-14'): the rows of "
        "meeting 'MT-1' must agree on panel, meeting_type and held_on",
    ]


def test_a_child_is_discussed_once_per_meeting(partnership, tmp_path) -> None:
    files = GOOD | {"meetings.csv": meetings(row(), row("MT-2"), row(outcome="Again"))}
    assert problems_of(tmp_path, files) == [
        "meetings.csv:4: child_ref: 'C-1' appears more than once for meeting 'MT-1' in this file "
        "(first on row 2): a child is discussed once per meeting"
    ]


BAD = {
    "unknown child": (
        {"child": "C-404"},
        "meetings.csv:2: child_ref: 'C-404' is not a child in children.csv or in Cairn",
    ),
    "not a date": (
        {"held_on": "14/05/2024"},
        "meetings.csv:2: held_on: '14/05/2024' is not a date in the form YYYY-MM-DD",
    ),
    "not a real date": (
        {"held_on": "2024-02-30"},
        "meetings.csv:2: held_on: '2024-02-30' is not a real date",
    ),
    "in the future": (
        {"held_on": "2999-01-01"},
        "meetings.csv:2: held_on: 2999-01-01 is in the future",
    ),
    "unknown type": (
        {"meeting_type": "cse"},
        "meetings.csv:2: meeting_type: 'cse' is not one of: mace, mase, strategy, risk, other",
    ),
    "no panel": ({"panel": ""}, "meetings.csv:2: panel: a value is required"),
    "no meeting_ref": ({"ref": ""}, "meetings.csv:2: meeting_ref: a value is required"),
    "long panel name": (
        {"panel": "P" * 121},
        "meetings.csv:2: panel: is 121 characters long; the most allowed is 120",
    ),
    "long outcome": (
        {"outcome": "o" * 201},
        "meetings.csv:2: outcome: is 201 characters long; the most allowed is 200",
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_rows_are_refused_and_nothing_changes(partnership, tmp_path, case) -> None:
    cells, expected = BAD[case]
    problems = problems_of(tmp_path, GOOD | {"meetings.csv": meetings(row(**cells))})
    assert any(p.startswith(expected) for p in problems), problems


def test_a_required_column_may_not_be_left_out(partnership, tmp_path) -> None:
    text = "meeting_ref,panel,meeting_type,child_ref\r\nMT-1,Synthetshire MACE,mace,C-1\r\n"
    assert problems_of(tmp_path, GOOD | {"meetings.csv": text}) == [
        "meetings.csv:1: held_on: required column is missing"
    ]


# Panels and their members --------------------------------------------------------------------


def test_an_imported_meeting_opens_no_record_to_panel_members(panel_world, tmp_path) -> None:
    world = panel_world
    world.jordan.child_ref, world.casey.child_ref = "C-J", "C-C"
    world.jordan.save()
    world.casey.save()
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    files = {
        "meetings.csv": meetings(
            row(child="C-C", panel=world.panel.name, held_on=yesterday),
            row("MT-NEW", child="C-C", panel="A new panel", held_on=yesterday),
        )
    }
    import_files(tmp_path, files)

    assert Meeting.objects.get(meeting_ref="MT-1").panel == world.panel
    assert not access.child_access(world.nurse, world.casey).view
    assert not access.visible_children(world.nurse).filter(pk=world.casey.pk).exists()
    assert not AgendaItem.objects.exists()


def test_a_meeting_with_a_published_agenda_keeps_its_panel_and_date(panel_world, tmp_path) -> None:
    world = panel_world
    world.jordan.child_ref, world.casey.child_ref = "C-J", "C-C"
    world.jordan.save()
    world.casey.save()
    held = stored_meeting(world.panel, timezone.localdate() - dt.timedelta(days=3))
    item = on_agenda(held, world.jordan)
    other = Panel.objects.create(name="Another panel", panel_type="other")
    PanelMember.objects.create(
        panel=other, user=world.outsider, started_on=timezone.localdate() - dt.timedelta(days=9)
    )
    day = held.held_on.isoformat()

    def rows(**cells: str) -> dict[str, str]:
        values = {"panel": world.panel.name, "held_on": day} | cells
        return {"meetings.csv": meetings(row(held.meeting_ref, child="C-J", **values))}

    assert problems_of(tmp_path, rows(panel=other.name)) == [
        f"meetings.csv:2: panel: '{held.meeting_ref}' is a meeting in Cairn with a published "
        "agenda: an import cannot move it to another panel (that would change who may read the "
        "records of the children on its agenda)"
    ]
    later = (held.held_on + dt.timedelta(days=1)).isoformat()
    assert problems_of(tmp_path, rows(held_on=later))[0].startswith(
        f"meetings.csv:2: held_on: '{held.meeting_ref}' is a meeting in Cairn with a published "
        "agenda: an import cannot move it to another date"
    )
    assert not access.child_access(world.outsider, world.jordan).view

    # Its type may change, and a child on its agenda discussed is linked to the agenda item.
    import_files(tmp_path, rows(meeting_type="risk"))
    held.refresh_from_db()
    assert (held.meeting_type, held.status) == ("risk", Meeting.Status.AGENDA_PUBLISHED)
    assert Discussion.objects.get().agenda_item == item


# Who may import -------------------------------------------------------------------------------


def test_a_manager_imports_and_exports_only_their_agencys_children(
    partnership, manager, tmp_path
) -> None:
    ChildFactory(child_ref="C-1", agency=partnership.scc)
    ChildFactory(child_ref="C-2", agency=partnership.police)
    both = {"meetings.csv": meetings(row(), row(child="C-2"))}
    assert problems_of(tmp_path, both, actor=manager) == [
        "meetings.csv:3: child_ref: 'C-2' is a child already in Cairn whose record you cannot "
        "change"
    ]
    import_files(tmp_path, both, name="cli")  # the command line is trusted

    # Their own child's discussion may be updated, but not the meeting another agency's
    # child was discussed at.
    ours = {"meetings.csv": meetings(row(outcome="Updated"))}
    import_files(tmp_path, ours, name="ours", actor=manager)
    assert discussed()[0][2] == "Updated"
    moved = {"meetings.csv": meetings(row(held_on="2024-05-13"))}
    assert problems_of(tmp_path, moved, actor=manager) == [
        "meetings.csv:2: meeting_ref: 'MT-1' is a meeting in Cairn that discussed children whose "
        "records you cannot change: an import cannot change its panel, meeting_type or held_on"
    ]

    result = exchange_export(actor=manager, destination=tmp_path / "out")
    assert result.files["meetings.csv"] == 1
    text = (tmp_path / "out" / "meetings.csv").read_text(encoding="utf-8")
    assert "C-1" in text and "C-2" not in text


def test_a_practitioner_cannot_import(partnership, tmp_path) -> None:
    from django.core.exceptions import PermissionDenied

    practitioner = UserFactory(agency=partnership.scc, password=None)
    with pytest.raises(PermissionDenied):
        import_files(tmp_path, GOOD | {"meetings.csv": meetings(row())}, actor=practitioner)


# Exporting -------------------------------------------------------------------------------------


def test_export_writes_one_row_per_discussion_by_meeting_then_child(partnership, tmp_path) -> None:
    files = GOOD | {
        "meetings.csv": meetings(
            row("MT-2", child="C-2", outcome="'=formula"),
            row("MT-1", child="C-2", panel="Harbour MASE", meeting_type="mase", outcome=""),
            row("MT-2", held_on="2024-05-14"),
            row("MT-1", panel="Harbour MASE", meeting_type="mase", outcome='"Said, ""no"""'),
        )
    }
    import_files(tmp_path, files)

    exchange_export(actor=None, destination=tmp_path / "out")

    with (tmp_path / "out" / "meetings.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [
        HEADER.split(","),
        ["MT-1", "Harbour MASE", "mase", "2024-05-14", "C-1", 'Said, "no"'],
        ["MT-1", "Harbour MASE", "mase", "2024-05-14", "C-2", ""],
        ["MT-2", "Synthetshire MACE", "mace", "2024-05-14", "C-1",
         "Stays on the plan; disruption visit to the hotel agreed"],
        ["MT-2", "Synthetshire MACE", "mace", "2024-05-14", "C-2", "'=formula"],
    ]  # fmt: skip
    before = panel_snapshot()
    back = {"meetings.csv": (tmp_path / "out" / "meetings.csv").read_bytes()}
    import_files(tmp_path, back, name="back")
    assert panel_snapshot()[1:] == before[1:]
    assert Discussion.objects.get(meeting__meeting_ref="MT-2", child__child_ref="C-2").outcome == (
        "=formula"
    )
