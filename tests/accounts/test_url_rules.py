"""Every URL pattern declares which access rule it applies; a new page cannot forget."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

# Namespaces whose views carry their own, documented checks.
DELEGATED = {
    # Django admin: only is_staff users, and only administrators are staff (accounts.services).
    "admin": "administrators only (is_staff is set from the administrator role)",
}


def _walk(patterns, namespace=""):  # type: ignore[no-untyped-def]
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def test_every_url_declares_an_access_rule():
    undeclared = []
    seen = 0
    for namespace, pattern in _walk(get_resolver().url_patterns):
        seen += 1
        if namespace in DELEGATED:
            continue
        callback = pattern.callback
        rule = getattr(callback, "access_rule", None)
        if rule is None and hasattr(callback, "view_class"):
            rule = getattr(callback.view_class, "access_rule", None)
        if not rule:
            undeclared.append(f"{namespace}:{pattern.name} ({pattern.pattern})")
    assert seen > 10
    assert undeclared == []
