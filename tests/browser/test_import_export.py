"""The import and export screen in a real browser: a manager uploads a file with mistakes and is
told every problem with nothing imported, fixes it and imports, then downloads an export."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from cairn.accounts.models import Role
from cairn.children.models import Child
from tests.browser.helpers import expect, screenshot, sign_in, visit_and_check
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.browser

HEADER = "child_ref,agency,given_name,family_name,date_of_birth,sex\n"


def test_manager_imports_children_after_fixing_problems_then_exports(page, live_server, tmp_path):
    agency = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    manager = UserFactory(role=Role.MANAGER, agency=agency)
    bad = tmp_path / "bad" / "children.csv"
    bad.parent.mkdir()
    bad.write_text(
        HEADER
        + "IMP-001,NOPE,Nadia,Synthbrook,2012-13-40,female\n"
        + "IMP-002,SCC,Tomasz,Fauxfield,2011-05-06,male\n",
        encoding="utf-8",
    )
    good = tmp_path / "children.csv"
    good.write_text(
        HEADER
        + "IMP-001,SCC,Nadia,Synthbrook,2012-03-14,female\n"
        + "IMP-002,SCC,Tomasz,Fauxfield,2011-05-06,male\n",
        encoding="utf-8",
    )

    sign_in(page, manager.username)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Import").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Import exchange files")
    visit_and_check(page, "import-form")

    # A file with mistakes: every problem is listed, by file and row, and nothing is imported.
    page.get_by_label("Upload exchange files").set_input_files(bad)
    page.get_by_role("button", name="Import").click()
    expect(page).to_have_title("Error: Import and export – Cairn")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem: nothing was imported")
    expect(summary.get_by_role("link")).to_have_text(
        "The file has 2 problems: nothing was imported"
    )
    problems = page.locator(".cairn-import-problem")
    expect(problems).to_have_count(2)
    expect(problems.filter(has_text="children.csv:2: agency:")).to_contain_text("NOPE")
    expect(problems.filter(has_text="children.csv:2: date_of_birth:")).to_have_count(1)
    expect(page.locator("#id_file-error")).to_contain_text("nothing was imported")
    visit_and_check(page, "import-problems")
    assert not Child.objects.filter(child_ref__startswith="IMP-").exists()

    # The corrected file imports both children.
    page.get_by_label("Upload exchange files").set_input_files(good)
    page.get_by_role("button", name="Import").click()
    panel = page.locator(".govuk-panel--confirmation")
    expect(panel.get_by_role("heading", level=1)).to_have_text("Import complete")
    expect(panel).to_contain_text("2 created, 0 updated")
    row = page.get_by_role("row").filter(has_text="children.csv")
    expect(row.get_by_role("cell")).to_have_text(["2", "2", "0"])
    visit_and_check(page, "import-complete")
    imported = Child.objects.get(child_ref="IMP-001")
    assert (imported.agency, imported.full_name, str(imported.date_of_birth)) == (
        agency,
        "Nadia Synthbrook",
        "2012-03-14",
    )

    # The result is shown once; the manager finds the imported child in Cairn.
    page.reload()
    expect(heading).to_have_text("Import exchange files")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children").click()
    page.get_by_label("Search by name").fill("IMP-001")
    page.get_by_role("button", name="Search").click()
    page.get_by_test_id("child-table").get_by_role("link", name="Nadia Synthbrook").click()
    expect(heading).to_have_text("Nadia Synthbrook")
    screenshot(page, "imported-child")

    # The export is a zip in the same format, holding the agency's children.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Import").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download export (.zip)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("cairn-export-")
    assert download.suggested_filename.endswith(".zip")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert "children.csv" in archive.namelist()
        text = archive.read("children.csv").decode("utf-8-sig")
    rows = {r["child_ref"]: r for r in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {"IMP-001", "IMP-002"}
    assert (rows["IMP-001"]["agency"], rows["IMP-001"]["family_name"]) == ("SCC", "Synthbrook")
    # Downloading leaves the manager on the import screen, which still passes axe.
    expect(heading).to_have_text("Import exchange files")
    visit_and_check(page, "after-export")
