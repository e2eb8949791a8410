"""Cell types of the exchange format, and formula neutralising."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.exchange.cells import (
    LONDON,
    Boolean,
    CellError,
    ChoiceList,
    Date,
    DateTime,
    cell_text,
    neutralise,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-07-01T14:30", datetime(2024, 7, 1, 13, 30, tzinfo=UTC)),  # BST
        ("2024-01-15T09:05:30", datetime(2024, 1, 15, 9, 5, 30, tzinfo=UTC)),  # GMT
        ("2024-07-01T14:30+02:00", datetime(2024, 7, 1, 12, 30, tzinfo=UTC)),
        ("2024-07-01T14:30:00Z", datetime(2024, 7, 1, 14, 30, tzinfo=UTC)),
    ],
)
def test_date_times_without_an_offset_are_london_time(text, expected) -> None:
    assert DateTime().parse(text) == expected


@pytest.mark.parametrize("text", ["2024-07-01", "2024-07-01 14:30", "01/07/2024T14:30", "14:30"])
def test_date_times_need_the_iso_form(text) -> None:
    with pytest.raises(CellError, match="is not a date and time in the form YYYY-MM-DDTHH:MM"):
        DateTime().parse(text)


def test_a_london_time_skipped_by_the_clocks_going_forward_is_refused() -> None:
    with pytest.raises(CellError, match="did not happen in Europe/London"):
        DateTime().parse("2024-03-31T01:30")


def test_date_times_are_written_in_london_time_with_the_offset() -> None:
    assert (
        DateTime().format(datetime(2024, 7, 1, 13, 30, tzinfo=UTC)) == "2024-07-01T14:30:00+01:00"
    )
    assert DateTime().format(datetime(2024, 1, 1, 13, 30, tzinfo=LONDON)) == (
        "2024-01-01T13:30:00+00:00"
    )


def test_lists_are_semicolon_separated_choices() -> None:
    types = ChoiceList(("sexual", "criminal", "county_lines"))
    assert types.parse("criminal; county_lines;;criminal") == ["criminal", "county_lines"]
    assert types.format(["criminal", "county_lines"]) == "criminal;county_lines"
    with pytest.raises(CellError, match="'drugs' not one of: sexual, criminal, county_lines"):
        types.parse("criminal;drugs")


def test_booleans_and_dates() -> None:
    assert Boolean().parse("TRUE") is True
    assert Boolean().format(False) == "false"
    assert Date().parse("2024-02-29") == date(2024, 2, 29)
    with pytest.raises(CellError, match="not a real date"):
        Date().parse("2023-02-29")


@pytest.mark.parametrize(
    "raw", ['=HYPERLINK("http://x","y")', "+1", "-A1", "@SUM(A1)", "\tx", "\rx", "  =1+1"]
)
def test_cells_a_spreadsheet_could_run_are_refused(raw) -> None:
    with pytest.raises(CellError, match="could run it as a formula"):
        cell_text(raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("-12", "-12"), ("-0.5", "-0.5"), ("2024-01-01", "2024-01-01"), ("'=1", "=1"), ("a=b", "a=b")],
)
def test_negative_numbers_dates_and_quoted_text_are_values(raw, value) -> None:
    assert cell_text(raw) == value


@given(st.text(alphabet=st.sampled_from("'=+-@\tab1 "), max_size=8))
def test_neutralised_text_reads_back_as_the_same_text(text) -> None:
    written = neutralise(text)
    assert written[:1] not in ("=", "+", "-", "@", "\t", "\r")
    if text == text.strip() and text:
        assert cell_text(written) == text
