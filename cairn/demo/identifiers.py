"""Check digits for the identifiers the synthetic county hands out.

NHS numbers come from the range NHS England reserves for testing (999 000 0000 to 999 999 9999),
so a generated number can never be a real patient's. Unique pupil numbers use local authority
number 999, which no real authority has.
"""

from __future__ import annotations

NHS_TEST_PREFIX = "999"
UPN_LA_NUMBER = "999"
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for nine digits, or None when no valid number starts so."""
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError("an NHS number starts with nine digits")
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def nhs_number_is_valid(value: str) -> bool:
    """True for ten digits (spaces allowed) whose last digit is the modulus 11 check digit."""
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def upn_check_letter(twelve_digits: str) -> str:
    if len(twelve_digits) != 12 or not twelve_digits.isdigit():
        raise ValueError("a unique pupil number has twelve digits after its check letter")
    total = sum(
        int(digit) * weight for digit, weight in zip(twelve_digits, range(2, 14), strict=True)
    )
    return UPN_CHECK_LETTERS[total % 23]


def upn_is_valid(value: str) -> bool:
    if len(value) != 13 or not value[1:].isdigit():
        return False
    return upn_check_letter(value[1:]) == value[0]
