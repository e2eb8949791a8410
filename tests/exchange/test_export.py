"""exchange_export: the documented columns, in order; formulas neutralised; audited."""

from __future__ import annotations

import csv
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent, Action
from cairn.children.models import Child
from cairn.exchange.services import exchange_export, exchange_import
from tests.factories import ChildFactory, InvolvementFactory, PlacementFactory, UserFactory

HEADERS = {
    "agencies.csv": "agency,name,kind",
    "children.csv": "child_ref,agency,given_name,family_name,other_names,date_of_birth,sex,"
    "ethnicity,postcode,ward_code,legal_status,home_authority,uasc,school_urn,education_status",
    "placements.csv": "placement_ref,child_ref,agency,provider_name,placement_type,ward_code,"
    "out_of_area,start_date,end_date",
    "risk_assessments.csv": "assessment_ref,child_ref,agency,assessed_on,level,exploitation_types,"
    "indicators,rationale",
    "missing_episodes.csv": "episode_ref,child_ref,agency,placement_ref,last_seen_at,reported_at,"
    "returned_at,police_risk,found_ward_code,out_of_area,concerns",
    "return_interviews.csv": "interview_ref,episode_ref,agency,offered_at,completed_at,declined,"
    "interviewer_agency,summary",
    "meetings.csv": "meeting_ref,panel,meeting_type,held_on,child_ref,outcome",
}


def read(path) -> list[list[str]]:  # type: ignore[no-untyped-def]
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_export_writes_the_documented_columns_in_order(partnership, tmp_path) -> None:
    child = ChildFactory(
        child_ref="C-1",
        agency=partnership.scc,
        given_name="Amara",
        family_name="Testchild",
        date_of_birth=date(2010, 4, 1),
        ward=partnership.wards[0],
        uasc=True,
    )
    PlacementFactory(
        placement_ref="P-1", child=child, start_date=date(2023, 1, 1), ward=partnership.wards[1]
    )

    result = exchange_export(actor=None, destination=tmp_path / "out")

    assert result.files == {
        "agencies.csv": 2,
        "children.csv": 1,
        "placements.csv": 1,
        "risk_assessments.csv": 0,
        "missing_episodes.csv": 0,
        "return_interviews.csv": 0,
        "meetings.csv": 0,
    }
    for name, header in HEADERS.items():
        raw = (tmp_path / "out" / name).read_bytes()
        assert raw.startswith(header.encode() + b"\r\n"), name
    assert read(tmp_path / "out" / "children.csv")[1] == [
        "C-1", "SCC", "Amara", "Testchild", "", "2010-04-01", "female", "", "", "E05900001",
        "none", "", "true", "", "",
    ]  # fmt: skip
    assert read(tmp_path / "out" / "placements.csv")[1] == [
        "P-1", "C-1", "SCC", "Hillside House", "childrens_home", "E05900002", "false",
        "2023-01-01", "",
    ]  # fmt: skip


def test_text_a_spreadsheet_could_run_is_written_with_a_quote(partnership, tmp_path) -> None:
    ChildFactory(child_ref="C-1", agency=partnership.scc, given_name='=HYPERLINK("http://x")')
    ChildFactory(child_ref="C-2", agency=partnership.scc, given_name="-1", family_name="@home")

    exchange_export(actor=None, destination=tmp_path / "out")

    rows = read(tmp_path / "out" / "children.csv")
    assert rows[1][2] == '\'=HYPERLINK("http://x")'
    assert rows[2][2:4] == ["'-1", "'@home"]


def test_export_to_a_zip_imports_back(partnership, tmp_path) -> None:
    ChildFactory(child_ref="C-1", agency=partnership.scc, other_names="Line one\nline, two")
    path = tmp_path / "export.zip"

    exchange_export(actor=None, destination=path)

    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == sorted(HEADERS)
        text = archive.read("children.csv").decode("utf-8")
    assert '"Line one\nline, two"' in text
    Child.objects.all().delete()
    exchange_import(actor=None, source=path)
    assert Child.objects.get(child_ref="C-1").other_names == "Line one\nline, two"


def test_one_access_event_per_export(partnership, tmp_path) -> None:
    ChildFactory(agency=partnership.scc)
    exchange_export(actor=None, destination=tmp_path / "out.zip")

    event = AccessEvent.objects.get()
    assert (event.action, event.object_type) == (Action.EXPORT, "exchange")
    assert event.detail["files"] == {
        "agencies.csv": 2,
        "children.csv": 1,
        "placements.csv": 0,
        "risk_assessments.csv": 0,
        "missing_episodes.csv": 0,
        "return_interviews.csv": 0,
        "meetings.csv": 0,
    }
    assert event.detail["os_user"]


def test_a_managers_export_holds_only_the_children_they_may_export(
    partnership, tmp_path, manager
) -> None:
    own = ChildFactory(child_ref="C-OWN", agency=partnership.scc)
    worked_with = ChildFactory(child_ref="C-WITH", agency=partnership.police)
    colleague = UserFactory(role=Role.PRACTITIONER, agency=partnership.scc, password=None)
    InvolvementFactory(child=worked_with, user=colleague)
    ChildFactory(child_ref="C-OTHER", agency=partnership.police)
    PlacementFactory(placement_ref="P-OWN", child=own)
    PlacementFactory(placement_ref="P-OTHER", child=Child.objects.get(child_ref="C-OTHER"))

    exchange_export(actor=manager, destination=tmp_path / "out")

    assert [r[0] for r in read(tmp_path / "out" / "children.csv")[1:]] == ["C-OWN", "C-WITH"]
    assert [r[0] for r in read(tmp_path / "out" / "placements.csv")[1:]] == ["P-OWN"]
    assert AccessEvent.objects.get().user == manager


def test_practitioners_cannot_export(partnership, tmp_path) -> None:
    practitioner = UserFactory(role=Role.PRACTITIONER, agency=partnership.scc, password=None)
    with pytest.raises(PermissionDenied):
        exchange_export(actor=practitioner, destination=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_exporting_over_a_file_is_refused(partnership, tmp_path) -> None:
    (tmp_path / "file").write_text("keep me")
    with pytest.raises(FileExistsError):
        exchange_export(actor=None, destination=tmp_path / "file")
    assert (tmp_path / "file").read_text() == "keep me"
