"""Check digits of generated NHS numbers and unique pupil numbers."""

from __future__ import annotations

import pytest

from cairn.demo.identifiers import (
    nhs_check_digit,
    nhs_number_is_valid,
    upn_check_letter,
    upn_is_valid,
)


@pytest.mark.parametrize("value", ["9434765919", "943 476 5919", "4010232137"])
def test_published_example_nhs_numbers_are_valid(value):
    assert nhs_number_is_valid(value)


@pytest.mark.parametrize("value", ["9434765918", "943476591", "94347659190", "abcdefghij"])
def test_wrong_nhs_numbers_are_rejected(value):
    assert not nhs_number_is_valid(value)


def test_nine_digits_whose_check_would_be_ten_have_no_valid_nhs_number():
    # 10*1 + 9*0 + ... : find a prefix whose remainder is 1 (check digit 10) and expect None.
    prefix = next(
        f"999{n:06d}"
        for n in range(1000)
        if sum(int(d) * w for d, w in zip(f"999{n:06d}", range(10, 1, -1), strict=True)) % 11 == 1
    )
    assert nhs_check_digit(prefix) is None


def test_upn_check_letter_catches_a_changed_digit():
    digits = "999420114001"
    upn = upn_check_letter(digits) + digits
    assert upn_is_valid(upn)
    assert not upn_is_valid(upn[0] + "999420114002")
    assert upn[0] not in "IOS"
