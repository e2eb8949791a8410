from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cairn.accounts.models import User
from cairn.accounts.services import api_token_create


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """The `world` fixture makes 24 users; the default hasher would take seconds for each test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class ApiCaller:
    """Calls the API as one user, with a personal API token."""

    def __init__(self, user: User) -> None:
        self.user = user
        _, self.token = api_token_create(user=user, name="tests")
        self.client = Client()

    def __call__(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        if method == "GET":
            return self.client.get(path, params, headers=headers)
        return self.client.generic(
            method,
            path,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=headers,
        )


@pytest.fixture
def as_user(db) -> Callable[[User], ApiCaller]:  # type: ignore[no-untyped-def]
    return ApiCaller


from tests.missing.conftest import partnership  # noqa: E402, F401 - a fixture for test_missing
from tests.panels.conftest import panel_world  # noqa: E402, F401 - a fixture for test_panels
