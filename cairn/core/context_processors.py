from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from cairn.accounts.models import Role


def cairn(request: HttpRequest) -> dict[str, Any]:
    """Navigation by role, and the environment label for the phase banner."""
    user = getattr(request, "user", None)
    items: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        if user.role in {Role.PRACTITIONER, Role.MANAGER, Role.PANEL_MEMBER}:
            items.append(("My caseload", reverse("core:home")))
            items.append(("Children", reverse("children:list")))
            items.append(("Risk register", reverse("risk:register")))
            items.append(("Panels", reverse("panels:list")))
            items.append(("My actions", reverse("actions:mine")))
        if user.role in {Role.PRACTITIONER, Role.MANAGER}:
            items.append(("Reviews due", reverse("risk:overdue")))
            items.append(("Missing", reverse("missing:board")))
            items.append(("Return interviews", reverse("missing:due")))
        if user.role in {Role.MANAGER, Role.ANALYST, Role.SCRUTINY}:
            items.append(("Performance", reverse("reporting:performance")))
        if user.role == Role.MANAGER:
            items.append(("Import", reverse("exchange:import")))
        if user.role == Role.ADMINISTRATOR:
            items.append(("Administration", reverse("admin:index")))
        items.append(("API tokens", reverse("accounts:tokens")))
        items.append(("Password", reverse("accounts:password_change")))
    path = request.path
    nav = [
        {"label": label, "url": url, "active": path == url or (url != "/" and path.startswith(url))}
        for label, url in items
    ]
    labels = {"development": "Trial", "test": "Test", "production": "Live"}
    return {"nav_items": nav, "cairn_env_label": labels.get(settings.CAIRN_ENV, "Trial")}
