"""Who is calling: a personal API token (Bearer) or the signed-in session (with CSRF)."""

from __future__ import annotations

from typing import Any

from auditlog.context import auditlog_value
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from cairn.accounts.models import User
from cairn.accounts.services import api_token_authenticate


def _attribute_change_history_to(user: User) -> None:
    """django-auditlog's middleware picks the actor before the view runs, when a token caller is
    still anonymous; name them in this request's change-history context."""
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    if isinstance(context, dict) and context.get("actor") is None:
        context["actor"] = user


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer cairn_...` with a token made on /accounts/tokens/."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token.strip())
        if user is None:
            return None
        request.user = user
        _attribute_change_history_to(user)
        return user


class SignedInSession(SessionAuth):
    """The browser session of a signed-in user (for /api/docs). Unsafe methods need the CSRF
    token; an anonymous caller gets 401, not a CSRF failure."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


token_auth = ApiTokenAuth()
session_auth = SignedInSession(csrf=True)
