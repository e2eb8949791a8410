"""exchange_import: good files load; every bad file is refused with the right message and the
database is left exactly as it was."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from cairn.accounts.models import Agency, Role
from cairn.audit.models import AccessEvent, Action
from cairn.children.models import Child, Placement
from cairn.exchange import importer
from cairn.exchange.problems import ImportRejected
from cairn.exchange.services import exchange_import
from tests.exchange.conftest import AGENCIES, CHILDREN, GOOD, PLACEMENTS, snapshot, write_files
from tests.factories import ChildFactory, PlacementFactory, UserFactory

CHILD_HEADER = CHILDREN.split("\r\n")[0]
PLACEMENT_HEADER = PLACEMENTS.split("\r\n")[0]


FORMULA = '=HYPERLINK("http://x","y")'


def quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def child_row(ref: str = "C-9", **cells: str) -> str:
    values = {
        "child_ref": ref,
        "agency": "SCC",
        "given_name": "Amara",
        "family_name": "Testchild",
        "date_of_birth": "2010-01-01",
    } | cells
    return ",".join(values.get(name, "") for name in CHILD_HEADER.split(","))


def placement_row(ref: str = "P-9", **cells: str) -> str:
    values = {
        "placement_ref": ref,
        "child_ref": "C-1",
        "agency": "SCC",
        "placement_type": "foster",
        "start_date": "2024-01-01",
    } | cells
    return ",".join(values.get(name, "") for name in PLACEMENT_HEADER.split(","))


def rejected(tmp_path, files, **options) -> list[str]:  # type: ignore[no-untyped-def]
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        exchange_import(actor=None, source=write_files(tmp_path / "in", files), **options)
    assert snapshot() == before, "a rejected import must leave the database unchanged"
    return [str(problem) for problem in caught.value.problems]


# Each bad file: the files (on top of the good set) and the problem that must be reported.
BAD_FILES = {
    "wrong encoding": (
        {
            "children.csv": (CHILD_HEADER + "\r\n" + child_row() + "\r\n").encode()
            + child_row("C-10", given_name="Zoë").encode("latin-1")
        },
        "children.csv:3: -: the file is not UTF-8 text (byte 0xEB on line 3)",
    ),
    "missing column": (
        {"children.csv": "child_ref,agency,given_name\r\nC-9,SCC,Amara\r\n"},
        "children.csv:1: family_name: required column is missing",
    ),
    "unknown column": (
        {"agencies.csv": "agency,name,kind,colour\r\nNEW,New agency,other,blue\r\n"},
        "agencies.csv:1: colour: unknown column",
    ),
    "bad date": (
        {"children.csv": f"{CHILD_HEADER}\r\n{child_row(date_of_birth='31/12/2010')}\r\n"},
        "children.csv:2: date_of_birth: '31/12/2010' is not a date in the form YYYY-MM-DD",
    ),
    "impossible date": (
        {"children.csv": f"{CHILD_HEADER}\r\n{child_row(date_of_birth='2010-02-30')}\r\n"},
        "children.csv:2: date_of_birth: '2010-02-30' is not a real date",
    ),
    "bad enum value": (
        {"placements.csv": f"{PLACEMENT_HEADER}\r\n{placement_row(placement_type='fostering')}"},
        "placements.csv:2: placement_type: 'fostering' is not one of: home, foster, kinship, "
        "childrens_home, semi_independent, secure, other",
    ),
    "bad boolean": (
        {"children.csv": f"{CHILD_HEADER}\r\n{child_row(uasc='yes')}\r\n"},
        "children.csv:2: uasc: 'yes' is not true or false",
    ),
    "bad agency kind": (
        {"agencies.csv": "agency,name,kind\r\nNEW,New agency,charity\r\n"},
        "agencies.csv:2: kind: 'charity' is not one of: police, children_services",
    ),
    "bad agency code": (
        {"agencies.csv": "agency,name,kind\r\nNEW AG,New agency,other\r\n"},
        "agencies.csv:2: agency: 'NEW AG' is not a code: use letters, digits and '-' only",
    ),
    "unknown agency": (
        {"children.csv": f"{CHILD_HEADER}\r\n{child_row(agency='NOPE')}\r\n"},
        "children.csv:2: agency: 'NOPE' is not an agency in Cairn or in agencies.csv",
    ),
    "unknown ward": (
        {"children.csv": f"{CHILD_HEADER}\r\n{child_row(ward_code='E05999999')}\r\n"},
        "children.csv:2: ward_code: 'E05999999' is not a ward code known to Cairn",
    ),
    "duplicate ref": (
        {"children.csv": f"{CHILD_HEADER}\r\n{child_row('C-9')}\r\n{child_row('C-9')}\r\n"},
        "children.csv:3: child_ref: 'C-9' appears more than once in this file (first on row 2)",
    ),
    "dangling reference": (
        {"placements.csv": f"{PLACEMENT_HEADER}\r\n{placement_row(child_ref='C-404')}\r\n"},
        "placements.csv:2: child_ref: 'C-404' is not a child in children.csv or in Cairn",
    ),
    "formula injection": (
        {"children.csv": f"{CHILD_HEADER}\r\n{child_row(given_name=quoted(FORMULA))}\r\n"},
        "children.csv:2: given_name: '=HYPERLINK(\"http://x\",\"y\")' starts with '=', so a "
        "spreadsheet could run it as a formula",
    ),
    "formula injection with @": (
        {"placements.csv": f"{PLACEMENT_HEADER}\r\n{placement_row(provider_name='@SUM(A1)')}\r\n"},
        "placements.csv:2: provider_name: '@SUM(A1)' starts with '@'",
    ),
    "end before start": (
        {
            "placements.csv": f"{PLACEMENT_HEADER}\r\n"
            f"{placement_row(start_date='2024-03-01', end_date='2024-02-29')}\r\n"
        },
        "placements.csv:2: end_date: 2024-02-29 is before start_date 2024-03-01",
    ),
    "required value empty": (
        {"children.csv": f"{CHILD_HEADER}\r\n{child_row(family_name='  ')}\r\n"},
        "children.csv:2: family_name: a value is required",
    ),
    "too long": (
        {"children.csv": f"{CHILD_HEADER}\r\n{child_row(postcode='SY1 1AA SY1 1AA')}\r\n"},
        "children.csv:2: postcode: is 15 characters long; the most allowed is 10",
    ),
    "date of birth in the future": (
        {"children.csv": f"{CHILD_HEADER}\r\n{child_row(date_of_birth='2999-01-01')}\r\n"},
        "children.csv:2: date_of_birth: 2999-01-01 is in the future",
    ),
    "wrong number of values": (
        {"children.csv": f"{CHILD_HEADER}\r\n{child_row()},extra\r\n"},
        "children.csv:2: -: this row has 16 values but the header has 15 columns",
    ),
    "broken quoting": (
        {"agencies.csv": 'agency,name,kind\r\nNEW,"New "agency",other\r\n'},
        "agencies.csv:2: -: this row is not valid CSV",
    ),
    "empty file": ({"agencies.csv": ""}, "agencies.csv:1: -: the file is empty"),
    "unknown file": (
        {"notes.csv": "a,b\r\n1,2\r\n"},
        "notes.csv:1: -: Cairn does not import this file",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_file_is_rejected_with_its_problem_and_nothing_changes(
    partnership, tmp_path, case
) -> None:
    files, expected = BAD_FILES[case]
    problems = rejected(tmp_path, GOOD | files)
    assert any(p.startswith(expected) for p in problems), problems


def test_good_files_create_every_row(partnership, tmp_path) -> None:
    result = exchange_import(actor=None, source=write_files(tmp_path, GOOD))

    assert {name: (c.rows, c.created, c.updated) for name, c in result.files.items()} == {
        "agencies.csv": (2, 1, 1),
        "children.csv": (2, 2, 0),
        "placements.csv": (2, 2, 0),
    }
    hyp = Agency.objects.get(code="HYP")
    assert (hyp.name, hyp.kind) == ("Harbour Youth Project, Synthetshire", "voluntary")
    amara = Child.objects.get(child_ref="C-1")
    assert amara.agency == partnership.scc
    assert amara.ward == partnership.wards[0]
    assert (amara.legal_status, amara.school_urn, amara.education_status) == (
        "looked_after",
        "100001",
        "on_roll",
    )
    zoe = Child.objects.get(child_ref="C-2")
    assert zoe.agency == hyp, "a child is recorded by the agency in its row"
    assert (zoe.given_name, zoe.family_name, zoe.other_names) == ("Zoë", "O'Testname, Jr", "Zed")
    assert (zoe.uasc, zoe.postcode, zoe.ward, zoe.education_status) == (True, "", None, "")
    first, second = Placement.objects.order_by("placement_ref")
    assert (first.child, first.ward, first.end_date) == (
        amara,
        partnership.wards[1],
        date(2023, 6, 30),
    )
    assert (second.provider_name, second.out_of_area, second.end_date) == ("", True, None)


def test_reimporting_the_same_files_updates_and_duplicates_nothing(partnership, tmp_path) -> None:
    folder = write_files(tmp_path, GOOD)
    exchange_import(actor=None, source=folder)
    before = snapshot()[:3]

    result = exchange_import(actor=None, source=folder)

    assert {name: (c.created, c.updated) for name, c in result.files.items()} == {
        "agencies.csv": (0, 2),
        "children.csv": (0, 2),
        "placements.csv": (0, 2),
    }
    assert snapshot()[:3] == before, "nothing changed, not even updated_at"


def test_a_row_with_an_existing_ref_updates_that_record(partnership, tmp_path) -> None:
    child = ChildFactory(child_ref="C-1", agency=partnership.police, given_name="Old")
    placement = PlacementFactory(placement_ref="P-1", child=child, provider_name="Old House")

    exchange_import(actor=None, source=write_files(tmp_path, GOOD))

    child.refresh_from_db()
    placement.refresh_from_db()
    assert (child.given_name, child.agency) == ("Amara", partnership.scc)
    assert placement.provider_name == "Hillside House"
    assert Child.objects.count() == 2


def test_columns_left_out_keep_their_values_on_update(partnership, tmp_path) -> None:
    ChildFactory(child_ref="C-1", agency=partnership.scc, postcode="SY2 2BB", uasc=True)
    files = {"children.csv": "family_name,child_ref,given_name,agency\r\nNew,C-1,Amara,SCC\r\n"}

    exchange_import(actor=None, source=write_files(tmp_path, files))

    child = Child.objects.get(child_ref="C-1")
    assert (child.family_name, child.postcode, child.uasc) == ("New", "SY2 2BB", True)


def test_placement_may_name_a_child_already_in_cairn(partnership, tmp_path) -> None:
    child = ChildFactory(child_ref="C-77", agency=partnership.scc)
    files = {"placements.csv": f"{PLACEMENT_HEADER}\r\n{placement_row(child_ref='C-77')}\r\n"}

    exchange_import(actor=None, source=write_files(tmp_path, files))

    assert Placement.objects.get(placement_ref="P-9").child == child


def test_unknown_column_is_accepted_with_ignore_unknown(partnership, tmp_path) -> None:
    files = GOOD | {
        "agencies.csv": "colour,agency,name,kind\r\nblue,NEW,New agency,other\r\n"
        "green,HYP,Harbour Youth Project,voluntary\r\n",
        "notes.csv": "anything\r\n",
    }
    exchange_import(actor=None, source=write_files(tmp_path, files), ignore_unknown=True)

    assert Agency.objects.get(code="NEW").name == "New agency"


def test_every_problem_in_a_run_is_reported_in_file_and_row_order(partnership, tmp_path) -> None:
    files = {
        "children.csv": (
            f"{CHILD_HEADER},colour\r\n"
            f"{child_row('C-9', date_of_birth='2010-13-01', sex='girl')},red\r\n"
            f"{child_row('C-10', agency='NOPE')},blue\r\n"
        ),
        "placements.csv": f"{PLACEMENT_HEADER}\r\n{placement_row(child_ref='C-404')}\r\n",
    }
    problems = rejected(tmp_path, files)

    assert [p.split(": ")[0] + ": " + p.split(": ")[1] for p in problems] == [
        "children.csv:1: colour",
        "children.csv:2: date_of_birth",
        "children.csv:2: sex",
        "children.csv:3: agency",
        "placements.csv:2: child_ref",
    ]


def test_problems_are_capped(partnership, tmp_path) -> None:
    rows = "\r\n".join(child_row(f"C-{n}", sex="girl") for n in range(1100))
    problems = rejected(tmp_path, {"children.csv": f"{CHILD_HEADER}\r\n{rows}\r\n"})

    assert len(problems) == 1001
    assert problems[-1].endswith("checking stopped after 1000 problems: fix these and import again")


def test_rows_are_numbered_by_the_line_they_start_on(partnership, tmp_path) -> None:
    files = {
        "children.csv": (
            f"{CHILD_HEADER}\r\n"
            f"{child_row('C-9', other_names=chr(34) + 'two' + chr(10) + 'lines' + chr(34))}\r\n"
            f"{child_row('C-10', sex='girl')}\r\n"
        )
    }
    assert rejected(tmp_path, files) == [
        "children.csv:4: sex: 'girl' is not one of: female, male, other, unknown"
    ]


def test_bom_blank_lines_and_any_column_order_are_accepted(partnership, tmp_path) -> None:
    files = {"agencies.csv": "\ufeffkind,name,agency\r\n\r\nother,Blank Line Agency,BLA\r\n\r\n"}
    exchange_import(actor=None, source=write_files(tmp_path, files))

    assert Agency.objects.get(code="BLA").kind == "other"


def test_a_quoted_formula_is_text(partnership, tmp_path) -> None:
    files = {"agencies.csv": "agency,name,kind\r\nNEW,'=Not a formula,other\r\nNEG,-1,other\r\n"}
    exchange_import(actor=None, source=write_files(tmp_path, files))

    assert Agency.objects.get(code="NEW").name == "=Not a formula"
    assert Agency.objects.get(code="NEG").name == "-1", "a plain negative number is allowed"


def test_zip_with_files_in_one_folder(partnership, tmp_path) -> None:
    path = tmp_path / "exchange.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in GOOD.items():
            archive.writestr(f"export-2024/{name}", content)
        archive.writestr("__MACOSX/export-2024/._children.csv", b"\x00\x01")

    result = exchange_import(actor=None, source=path)

    assert result.files["children.csv"].created == 2


def test_zip_from_an_open_file(partnership) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in GOOD.items():
            archive.writestr(name, content)
    buffer.name = "upload.zip"

    result = exchange_import(actor=None, source=buffer)

    assert result.files["placements.csv"].created == 2


def test_zip_with_files_in_several_folders_is_rejected(partnership, tmp_path) -> None:
    path = tmp_path / "exchange.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a/agencies.csv", AGENCIES)
        archive.writestr("b/children.csv", CHILDREN)
    with pytest.raises(ImportRejected) as caught:
        exchange_import(actor=None, source=path)
    assert "top level of the zip or together in one folder" in str(caught.value.problems[0])


def test_xlsx_with_one_sheet_per_file(partnership, tmp_path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    agencies = workbook.active
    agencies.title = "agencies"
    agencies.append(["agency", "name", "kind"])
    agencies.append(["HYP", "Harbour Youth Project", "voluntary"])
    children = workbook.create_sheet("children")
    children.append(["child_ref", "agency", "given_name", "family_name", "date_of_birth", "uasc"])
    children.append(["C-1", "HYP", "Amara", "Testchild", date(2010, 4, 1), True])
    children.append([])
    children.append([1234, "HYP", "Zoë", "Testchild", "2011-01-31", None])
    path = tmp_path / "exchange.xlsx"
    workbook.save(path)

    result = exchange_import(actor=None, source=path)

    assert result.files["children.csv"].created == 2
    amara = Child.objects.get(child_ref="C-1")
    assert (amara.date_of_birth, amara.uasc, amara.agency.code) == (date(2010, 4, 1), True, "HYP")
    assert Child.objects.filter(child_ref="1234").exists()


def test_xlsx_formulas_and_problems_name_the_sheet_row(partnership, tmp_path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "agencies"
    sheet.append(["agency", "name", "kind"])
    sheet.append(["NEW", '=HYPERLINK("http://x","y")', "other"])
    sheet.append(["NEW2", "Fine", "charity"])
    path = tmp_path / "exchange.xlsx"
    workbook.save(path)

    with pytest.raises(ImportRejected) as caught:
        exchange_import(actor=None, source=path)

    problems = [str(p) for p in caught.value.problems]
    assert problems[0].startswith("agencies.csv:2: name: '=HYPERLINK(")
    assert problems[1].startswith("agencies.csv:3: kind: 'charity' is not one of")
    assert not Agency.objects.filter(code__startswith="NEW").exists()


def test_one_access_event_per_import_and_none_when_rejected(partnership, tmp_path) -> None:
    exchange_import(actor=None, source=write_files(tmp_path / "good", GOOD))
    assert AccessEvent.objects.count() == 1
    event = AccessEvent.objects.get()
    assert (event.action, event.user, event.object_type) == (Action.IMPORT, None, "exchange")
    assert event.detail["files"]["children.csv"] == {"rows": 2, "created": 2, "updated": 0}
    assert event.detail["os_user"]

    with pytest.raises(ImportRejected):
        exchange_import(actor=None, source=write_files(tmp_path / "bad", {"children.csv": ""}))
    assert AccessEvent.objects.count() == 1


def test_imported_changes_appear_in_the_change_history(partnership, tmp_path, manager) -> None:
    exchange_import(actor=manager, source=write_files(tmp_path / "one", GOOD))
    child = Child.objects.get(child_ref="C-1")
    created = LogEntry.objects.get_for_object(child).get()
    assert (created.action, created.actor) == (LogEntry.Action.CREATE, manager)

    files = {"children.csv": "child_ref,agency,given_name,family_name\r\nC-1,SCC,Ama,Testchild\r\n"}
    exchange_import(actor=manager, source=write_files(tmp_path / "two", files))

    changed = LogEntry.objects.get_for_object(child).filter(action=LogEntry.Action.UPDATE).get()
    assert changed.changes["given_name"] == ["Amara", "Ama"]
    assert set(changed.changes) == {"given_name", "updated_at"}


def test_progress_is_reported_per_chunk(partnership, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(importer, "CHUNK_SIZE", 2)
    rows = "\r\n".join(child_row(f"C-{n}") for n in range(5))
    calls: list[tuple[str, int]] = []

    exchange_import(
        actor=None,
        source=write_files(tmp_path, {"children.csv": f"{CHILD_HEADER}\r\n{rows}\r\n"}),
        progress=lambda file, done: calls.append((file, done)),
    )

    assert calls == [("children.csv", 2), ("children.csv", 4), ("children.csv", 5)]
    assert Child.objects.count() == 5


def test_chunks_see_refs_from_earlier_chunks(partnership, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(importer, "CHUNK_SIZE", 2)
    rows = "\r\n".join(child_row(f"C-{n}") for n in range(3)) + "\r\n" + child_row("C-0")
    problems = rejected(tmp_path, {"children.csv": f"{CHILD_HEADER}\r\n{rows}\r\n"})
    assert problems == [
        "children.csv:5: child_ref: 'C-0' appears more than once in this file (first on row 2)"
    ]


class TestManagersImport:
    """A manager's import (the web screen) may only change records they could change on screen."""

    def test_practitioner_cannot_import(self, partnership, tmp_path) -> None:
        practitioner = UserFactory(role=Role.PRACTITIONER, agency=partnership.scc, password=None)
        with pytest.raises(PermissionDenied):
            exchange_import(actor=practitioner, source=write_files(tmp_path, GOOD))

    def test_manager_imports_and_is_recorded(self, partnership, tmp_path, manager) -> None:
        exchange_import(actor=manager, source=write_files(tmp_path, GOOD))

        event = AccessEvent.objects.get()
        assert (event.user, event.action) == (manager, Action.IMPORT)
        assert "os_user" not in event.detail

    def test_manager_cannot_overwrite_another_agencys_child(
        self, partnership, tmp_path, manager
    ) -> None:
        ChildFactory(child_ref="C-1", agency=partnership.police, given_name="Kept")
        files = {"children.csv": f"{CHILD_HEADER}\r\n{child_row('C-1')}\r\n"}
        before = snapshot()

        with pytest.raises(ImportRejected) as caught:
            exchange_import(actor=manager, source=write_files(tmp_path, files))

        assert [str(p) for p in caught.value.problems] == [
            "children.csv:2: child_ref: 'C-1' is a child already in Cairn whose record you "
            "cannot change"
        ]
        assert snapshot() == before

    def test_manager_cannot_add_placements_to_another_agencys_child(
        self, partnership, tmp_path, manager
    ) -> None:
        ChildFactory(child_ref="C-1", agency=partnership.police)
        files = {"placements.csv": f"{PLACEMENT_HEADER}\r\n{placement_row(child_ref='C-1')}\r\n"}

        with pytest.raises(ImportRejected) as caught:
            exchange_import(actor=manager, source=write_files(tmp_path, files))

        assert str(caught.value.problems[0]).startswith("placements.csv:2: child_ref: 'C-1' is a")

    def test_manager_may_add_agencies_but_not_rename_others(
        self, partnership, tmp_path, manager
    ) -> None:
        files = {
            "agencies.csv": (
                "agency,name,kind\r\n"
                "NEW,New Agency,other\r\n"
                "SCC,Renamed Own Agency,children_services\r\n"
                "POL,Renamed Police,police\r\n"
            )
        }
        with pytest.raises(ImportRejected) as caught:
            exchange_import(actor=manager, source=write_files(tmp_path / "a", files))
        assert [str(p) for p in caught.value.problems] == [
            "agencies.csv:4: name: 'POL' is another agency already in Cairn: an import cannot "
            "change its name (Cairn has 'Synthetshire Police')"
        ]

        files["agencies.csv"] = files["agencies.csv"].replace(
            "Renamed Police", "Synthetshire Police"
        )
        exchange_import(actor=manager, source=write_files(tmp_path / "b", files))
        assert Agency.objects.get(code="SCC").name == "Renamed Own Agency"
        assert Agency.objects.filter(code="NEW").exists()


def test_xlsx_sheets_cairn_does_not_import(partnership, tmp_path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Sheet1"  # left empty: ignored
    workbook.create_sheet("Notes").append(["Sent by the police analyst"])
    agencies = workbook.create_sheet("Agencies")
    agencies.append(["agency", "name", "kind"])
    agencies.append(["NEW", "New agency", "other"])
    path = tmp_path / "exchange.xlsx"
    workbook.save(path)

    with pytest.raises(ImportRejected) as caught:
        exchange_import(actor=None, source=path)
    assert [str(p) for p in caught.value.problems] == [
        "Notes:1: -: Cairn does not import a sheet with this name (it imports agencies, "
        "children, placements, risk_assessments, missing_episodes, return_interviews, meetings): "
        "rename or "
        "remove it, or choose to ignore unknown files"
    ]

    exchange_import(actor=None, source=path, ignore_unknown=True)
    assert Agency.objects.filter(code="NEW").exists()
