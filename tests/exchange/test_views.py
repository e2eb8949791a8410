"""The import screen and a manager's export download."""

from __future__ import annotations

import html
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent, Action
from cairn.children.models import Child
from tests.exchange.conftest import GOOD, snapshot
from tests.factories import ChildFactory, UserFactory

IMPORT = reverse("exchange:import")
EXPORT = reverse("exchange:export")


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.MANAGER, 200),
        (Role.PRACTITIONER, 403),
        (Role.PANEL_MEMBER, 403),
        (Role.ANALYST, 403),
        (Role.SCRUTINY, 403),
        (Role.ADMINISTRATOR, 403),
    ],
)
def test_only_managers_reach_the_import_screen(client, partnership, role, expected) -> None:
    client.force_login(UserFactory(role=role, agency=partnership.scc, password=None))
    assert client.get(IMPORT).status_code == expected


def test_the_screen_names_every_file_cairn_imports(client, manager) -> None:
    client.force_login(manager)
    page = text_of(client.get(IMPORT))
    assert "missing_episodes.csv, return_interviews.csv, meetings.csv." in page
    assert "YYYY-MM-DDTHH:MM" in page


def test_signed_out_people_are_sent_to_sign_in(client, partnership) -> None:
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_practitioner_cannot_upload_or_export(client, partnership, tmp_path) -> None:
    client.force_login(UserFactory(role=Role.PRACTITIONER, agency=partnership.scc, password=None))
    upload = SimpleUploadedFile("exchange.zip", zipped(GOOD), content_type="application/zip")

    assert client.post(IMPORT, {"file": upload}).status_code == 403
    assert client.post(EXPORT).status_code == 403
    assert not Child.objects.exists()


def test_manager_uploads_a_zip_and_sees_the_counts(client, manager) -> None:
    client.force_login(manager)
    upload = SimpleUploadedFile("exchange.zip", zipped(GOOD), content_type="application/zip")

    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 302
    page = text_of(client.get(response["Location"]))

    assert "Import complete" in page
    assert "5 created, 1 updated" in page
    assert Child.objects.count() == 2
    event = AccessEvent.objects.get(action=Action.IMPORT)
    assert (event.user, event.detail["source"]) == (manager, "exchange.zip")
    assert "Import complete" not in text_of(client.get(IMPORT)), "shown once"


def test_manager_sees_every_problem_and_nothing_is_imported(client, manager) -> None:
    client.force_login(manager)
    children = (
        "child_ref,agency,given_name,family_name,date_of_birth,colour\r\n"
        'C-1,SCC,=HYPERLINK("http://x"),Testchild,2010-02-30,red\r\n'
    )
    upload = SimpleUploadedFile("children.csv", children.encode(), content_type="text/csv")
    before = snapshot()

    response = client.post(IMPORT, {"file": upload})

    assert response.status_code == 200
    page = text_of(response)
    assert "There is a problem: nothing was imported" in page
    assert "The file has 3 problems: nothing was imported" in page
    assert "children.csv:1: colour: unknown column" in page
    assert "children.csv:2: given_name: '=HYPERLINK(\"http://x\")' starts with '='" in page
    assert "children.csv:2: date_of_birth: '2010-02-30' is not a real date" in page
    assert snapshot() == before


def test_ignore_unknown_box(client, manager) -> None:
    client.force_login(manager)
    upload = SimpleUploadedFile("agencies.csv", b"agency,name,kind,x\r\nNEW,New,other,1\r\n")

    response = client.post(IMPORT, {"file": upload, "ignore_unknown": "on"})

    assert response.status_code == 302


def test_a_single_csv_must_be_named_after_an_exchange_file(client, manager) -> None:
    client.force_login(manager)
    upload = SimpleUploadedFile("kids.csv", b"child_ref\r\nC-1\r\n", content_type="text/csv")

    page = text_of(client.post(IMPORT, {"file": upload}))

    assert "kids.csv:1: -: name the file after what it holds: one of agencies.csv" in page


def test_an_xlsx_upload(client, manager) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "agencies"
    sheet.append(["agency", "name", "kind"])
    sheet.append(["NEW", "New agency", "other"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(manager)

    response = client.post(
        IMPORT, {"file": SimpleUploadedFile("agencies.xlsx", buffer.getvalue())}, follow=True
    )

    assert "1 created, 0 updated" in text_of(response)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"hello", "The selected file must be a .zip, .xlsx or .csv file"),
        ("empty.zip", b"", "The selected file is empty"),
        ("broken.zip", b"not a zip", "broken.zip:1: -: this is not a readable .zip file"),
    ],
)
def test_files_that_are_not_exchange_files(client, manager, name, content, message) -> None:
    client.force_login(manager)
    response = client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})
    assert message in text_of(response)


def test_no_file_chosen(client, manager) -> None:
    client.force_login(manager)
    assert "Select a file to import" in text_of(client.post(IMPORT, {}))


def test_manager_downloads_a_zip_of_their_childrens_records(client, partnership, manager) -> None:
    ChildFactory(child_ref="C-OWN", agency=partnership.scc)
    ChildFactory(child_ref="C-OTHER", agency=partnership.police)
    client.force_login(manager)

    response = client.post(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        children = archive.read("children.csv").decode()
        assert set(archive.namelist()) == {
            "agencies.csv",
            "children.csv",
            "placements.csv",
            "risk_assessments.csv",
            "missing_episodes.csv",
            "return_interviews.csv",
            "meetings.csv",
        }
    assert "C-OWN" in children
    assert "C-OTHER" not in children
    event = AccessEvent.objects.get()
    assert (event.user, event.action) == (manager, Action.EXPORT)


def test_export_is_a_post(client, manager) -> None:
    client.force_login(manager)
    assert client.get(EXPORT).status_code == 405
    assert not AccessEvent.objects.exists()
