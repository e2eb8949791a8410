"""Validation rules for child records, shared by forms, the API, imports and services."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

OLDEST_AGE = 25  # children, and care leavers supported to 25 (DOMAIN.md)


def date_of_birth_problem(value: date | None, today: date | None = None) -> str | None:
    """Why a date of birth cannot be right, or None if it can."""
    if value is None:
        return None
    today = today or timezone.localdate()
    if value > today:
        return "Date of birth must be in the past"
    if today.year - value.year > OLDEST_AGE:
        return (
            f"Date of birth must be within the last {OLDEST_AGE} years (children and care leavers)"
        )
    return None
