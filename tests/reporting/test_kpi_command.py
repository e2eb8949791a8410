"""`cairn kpi --from --to [--json] [--area CODE]` and `cairn kpi --list` (EXCHANGE.md)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from cairn.__main__ import main
from cairn.audit.models import AccessEvent
from cairn.reporting.kpis import KPIS


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("kpi", *args, stdout=out)
    return out.getvalue()


def test_json_is_one_object_of_every_kpi_code_in_order(register) -> None:
    printed = run("--from", "2024-04-01", "--to", "2024-06-30", "--json")

    values = json.loads(printed)  # fails on anything besides exactly one JSON document
    assert isinstance(values, dict)
    assert list(values) == list(KPIS)
    # DOMAIN.md's order: missing.*, then rhi.*, then register.*.
    groups = [code.split(".")[0] for code in values]
    assert groups[:13] == ["missing"] * 9 + ["rhi"] * 4
    assert groups.index("register") == 13
    # This register has no missing episodes: counts are 0 and percentages null (0 / 0).
    assert values["missing.episodes"] == 0
    assert values["rhi.returns"] == 0
    assert values["missing.repeat_children_pct"] is None
    assert values["rhi.offered_within_72h_pct"] is None
    # The quarter worked through in test_register_kpis.py.
    assert {k: v for k, v in values.items() if k.startswith("register.")} == {
        "register.children": 8,
        "register.low": 4,
        "register.medium": 2,
        "register.high": 2,
        "register.new": 4,
    }
    assert all(v is None or isinstance(v, int | float) for v in values.values())


def test_json_for_an_area(register) -> None:
    ward = json.loads(
        run("--from", "2024-04-01", "--to", "2024-06-30", "--json", "--area", "E05000001")
    )
    division = json.loads(
        run("--from", "2024-04-01", "--to", "2024-06-30", "--json", "--area", "E58000002")
    )

    assert (ward["register.children"], ward["register.new"]) == (2, 1)
    assert (division["register.children"], division["register.new"]) == (2, 2)


def test_each_run_writes_one_export_event_without_a_user(register) -> None:
    run("--from", "2024-04-01", "--to", "2024-06-30", "--json", "--area", "E58000001")

    event = AccessEvent.objects.get()
    assert (event.action, event.object_type, event.user) == ("export", "reporting.kpi", None)
    assert event.detail["date_from"] == "2024-04-01"
    assert event.detail["date_to"] == "2024-06-30"
    assert event.detail["area"] == "E58000001"


def test_without_json_a_table_of_code_name_and_value(register) -> None:
    printed = run("--from", "2024-04-01", "--to", "2024-06-30")

    lines = printed.splitlines()
    assert lines[0] == "KPIs for 2024-04-01 to 2024-06-30"
    assert lines[1].split() == ["Code", "Name", "Value"]
    rows = {line.split()[0]: line for line in lines[2:]}
    assert list(rows) == list(KPIS)
    assert rows["register.children"].split()[-1] == "8"
    assert "Children on the risk register" in rows["register.children"]
    assert rows["register.new"].split()[-1] == "4"
    assert rows["missing.episodes"].split()[-1] == "0"
    assert rows["rhi.declined_pct"].endswith("no data (denominator 0)")
    assert AccessEvent.objects.get().detail["output"] == "table"


def test_list_prints_every_definition_and_needs_no_dates(db) -> None:
    printed = run("--list")

    for kpi in KPIS.values():
        assert kpi.code in printed
        assert kpi.name in printed
    assert "latest assessment dated on or before the last day" in printed
    assert "the one recorded last" in printed
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "1 April 2024", "--to", "2024-06-30"), "--from '1 April 2024' is not a date"),
        (("--from", "20240401", "--to", "2024-06-30"), "written YYYY-MM-DD"),
        (("--from", "2024-04-01", "--to", "2024-06-31"), "--to '2024-06-31' is not a real date"),
        (("--to", "2024-06-30", "--json"), "--from is required"),
        (("--from", "2024-04-01"), "--to is required"),
        (
            ("--from", "2024-07-01", "--to", "2024-06-30"),
            "starts on 2024-07-01, after it ends on 2024-06-30",
        ),
        (
            ("--from", "2024-04-01", "--to", "2024-06-30", "--area", "E05999999"),
            "No ward or division has the code 'E05999999'",
        ),
    ],
)
def test_bad_requests_are_clear_errors_and_not_recorded(register, args, message) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not AccessEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_cairn_kpi_exits_1_with_the_message_and_no_traceback(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["cairn", "kpi", "--from", "2024-04-01", "--to", "2024-06-30", "--area", "NOWHERE"])

    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert "No ward or division has the code 'NOWHERE'" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_json_ends_with_the_meetings_and_actions_figures(register) -> None:
    values = json.loads(run("--from", "2024-04-01", "--to", "2024-06-30", "--json"))

    assert list(values)[-5:] == [
        "meetings.held",
        "meetings.risk_held",
        "meetings.children_discussed",
        "meetings.medium_high_discussed_pct",
        "actions.completed_by_due_pct",
    ]
    # No meetings or actions in this register: counts 0; of the 4 children at medium or high
    # risk at the end of June none was discussed (0.0%); no action fell due (null).
    assert values["meetings.held"] == 0
    assert values["meetings.medium_high_discussed_pct"] == 0.0
    assert values["actions.completed_by_due_pct"] is None
