"""`cairn import PATH [--ignore-unknown]` and `cairn export PATH`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from cairn.__main__ import main
from cairn.children.models import Child
from tests.exchange.conftest import GOOD, snapshot, write_files

BAD_CHILDREN = (
    "child_ref,agency,given_name,family_name,date_of_birth\r\n"
    "C-1,SCC,Amara,Testchild,1 April 2010\r\n"
    "C-2,NOPE,Zoë,Testchild,2011-01-01\r\n"
)


def test_import_prints_a_summary_and_progress(partnership, tmp_path) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", str(write_files(tmp_path, GOOD)), stdout=out, stderr=err)

    assert "children.csv: 2 rows (2 created, 0 updated)" in out.getvalue()
    assert "children.csv: 2 rows written" in err.getvalue()
    assert Child.objects.count() == 2


def test_import_prints_every_problem_and_fails(partnership, tmp_path) -> None:
    err = io.StringIO()
    before = snapshot()
    with pytest.raises(CommandError, match="Nothing was imported: 2 problems") as caught:
        call_command(
            "import", str(write_files(tmp_path, {"children.csv": BAD_CHILDREN})), stderr=err
        )

    assert caught.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert lines[1:] == [
        "children.csv:2: date_of_birth: '1 April 2010' is not a date in the form YYYY-MM-DD, "
        "like 2024-03-31",
        "children.csv:3: agency: 'NOPE' is not an agency in Cairn or in agencies.csv",
    ]
    assert snapshot() == before


def test_ignore_unknown_option(partnership, tmp_path) -> None:
    folder = write_files(
        tmp_path, GOOD | {"agencies.csv": "agency,name,kind,x\r\nHYP,H,other,1\r\n"}
    )
    with pytest.raises(CommandError):
        call_command("import", str(folder), stderr=io.StringIO())

    call_command(
        "import", str(folder), "--ignore-unknown", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert Child.objects.count() == 2


def test_export_command_writes_a_zip(partnership, tmp_path) -> None:
    out = io.StringIO()
    call_command("export", str(tmp_path / "all.zip"), stdout=out)

    assert (tmp_path / "all.zip").exists()
    assert "agencies.csv: 2 rows" in out.getvalue()


def test_export_command_reports_a_destination_it_cannot_use(partnership, tmp_path) -> None:
    (tmp_path / "taken").write_text("")
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export", str(tmp_path / "taken"))


@pytest.mark.django_db(transaction=True)
def test_cairn_import_exits_1_with_problems_on_stderr_and_no_traceback(tmp_path, capsys) -> None:
    folder = write_files(tmp_path, {"children.csv": BAD_CHILDREN})
    with pytest.raises(SystemExit) as exit_:
        main(["cairn", "import", str(folder)])

    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "children.csv:2: date_of_birth: '1 April 2010' is not a date" in err
    assert "children.csv:3: agency: 'NOPE' is not an agency" in err
    assert "Traceback" not in err
    assert not Child.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_cairn_import_of_a_missing_path_exits_1(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["cairn", "import", str(tmp_path / "nowhere")])

    assert exit_.value.code == 1
    assert "nowhere:1: -: there is no file or folder at" in capsys.readouterr().err
