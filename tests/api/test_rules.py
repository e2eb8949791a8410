"""Every API operation declares its access rule (the API's side of the lead's URL test)."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from cairn.api.api import api, api_operations
from cairn.api.rules import RULE_KEY, operation_rule

pytestmark = pytest.mark.django_db


def test_every_api_operation_declares_an_access_rule():
    operations = api_operations()
    assert operations, "no API operations found"
    missing = [f"{op.method} {op.path}" for op in operations if not op.rule.strip()]
    assert missing == [], f"API operations without operation_rule(...): {missing}"


def test_api_operations_lists_every_operation_in_the_openapi_description():
    schema = api.get_openapi_schema()
    described = {
        (method.upper(), path, operation.get(RULE_KEY, ""))
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    listed = {(op.method, op.path, op.rule) for op in api_operations()}
    assert listed == described


def test_operation_url_names_are_unique():
    names = [op.url_name for op in api_operations()]
    assert len(names) == len(set(names))


def _api_patterns() -> list[URLPattern]:
    found = []

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif namespace == "api":
                found.append(p)

    (api_root,) = [p for p in get_resolver().url_patterns if str(p.pattern) == "api/"]
    walk(api_root.url_patterns)
    return found


def test_every_api_url_carries_an_access_rule_for_the_site_wide_url_test():
    patterns = _api_patterns()
    assert len(patterns) >= len(api_operations())
    assert [p.name for p in patterns if not getattr(p.callback, "access_rule", "")] == []


def test_a_route_serving_several_methods_carries_all_their_rules():
    (list_pattern,) = [p for p in _api_patterns() if p.name == "child_list"]
    assert "GET /children/" in list_pattern.callback.access_rule
    assert "POST /children/" in list_pattern.callback.access_rule


def test_an_empty_rule_is_refused():
    with pytest.raises(ValueError):
        operation_rule("  ")
