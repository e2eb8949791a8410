from __future__ import annotations

from datetime import date

import pytest

from cairn.demo.generator import GenerationResult, county_generate

ANCHOR = date(2025, 3, 31)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """The generator hashes the demo password once; a fast hasher keeps each county quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county(db) -> GenerationResult:  # type: ignore[no-untyped-def]
    """A small synthetic county: 60 children, seed 7, anchored on 31 March 2025."""
    return county_generate(seed=7, children=60, anchor=ANCHOR)
