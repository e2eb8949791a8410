"""`cairn language check`: one JSON object per input line, findings with spans and suggestions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, load_command_class

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _run_check(text: str, *args: str) -> list[dict]:
    out = StringIO()
    call_command("language", "check", *args, stdin=StringIO(text), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_check_prints_one_object_per_input_line_numbered_from_one() -> None:
    records = _run_check("She keeps going missing.\n\nHe attended school.\n")
    assert records == [
        {
            "line": 1,
            "findings": [
                {
                    "start": 4,
                    "end": 23,
                    "text": "keeps going missing",
                    "suggestions": ["is missing", "may be being trafficked or controlled"],
                }
            ],
        },
        {"line": 2, "findings": []},
        {"line": 3, "findings": []},
    ]


def test_spans_are_offsets_into_the_line_without_its_newline() -> None:
    lines = ["He was recruited.", "Zoë said she is putting herself at risk.\r"]
    records = _run_check("\n".join(lines))
    for record, line in zip(records, lines, strict=True):
        for finding in record["findings"]:
            assert line[finding["start"] : finding["end"]] == finding["text"]
    assert [f["text"] for r in records for f in r["findings"]] == [
        "recruited",
        "putting herself at risk",
    ]


def test_last_line_without_a_newline_is_still_checked() -> None:
    records = _run_check("fine\nIt was consensual")
    assert [r["line"] for r in records] == [1, 2]
    assert records[1]["findings"][0]["text"] == "consensual"


def test_empty_input_prints_nothing() -> None:
    assert _run_check("") == []


def test_input_option_reads_a_file(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("She is a money mule.\nShe is at risk of exploitation.\n", encoding="utf-8")
    records = _run_check("ignored\n", "--input", str(notes))
    assert [len(r["findings"]) for r in records] == [1, 0]
    assert records[0]["findings"][0]["text"] == "money mule"


def test_input_option_reports_a_missing_file_as_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        _run_check("", "--input", str(tmp_path / "absent.txt"))


def test_a_subcommand_is_required() -> None:
    with pytest.raises(CommandError):
        call_command("language", stdout=StringIO())


def test_djangos_own_options_may_follow_the_subcommand() -> None:
    command = load_command_class("cairn.language", "language")
    parser = command.create_parser("cairn", "language")
    options = parser.parse_args(["check", "--settings=cairn.settings", "-v", "2"])
    assert (options.subcommand, options.settings, options.verbosity) == (
        "check",
        "cairn.settings",
        2,
    )
    assert parser.parse_args(["check"]).settings is None


def test_console_entry_point_reads_stdin_and_exits_zero() -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "django", "language", "check", "--settings=cairn.settings"],
        input="He absconded.\nAll well.\n",
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records == [
        {
            "line": 1,
            "findings": [
                {
                    "start": 3,
                    "end": 12,
                    "text": "absconded",
                    "suggestions": ["is missing", "may be being trafficked or controlled"],
                }
            ],
        },
        {"line": 2, "findings": []},
    ]
