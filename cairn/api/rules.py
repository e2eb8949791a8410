"""Access-rule declarations for API operations.

Every operation states the access rule it applies, the API's counterpart of
`cairn.accounts.access.rule` on views. The rule travels in the operation's OpenAPI extension
`x-access-rule`, so integrators see it in /api/docs, and `cairn.api.api.api_operations()` lists
it; tests/api/test_rules.py fails for any operation without one.
"""

from __future__ import annotations

RULE_KEY = "x-access-rule"


def operation_rule(description: str, **openapi_extra: object) -> dict[str, object]:
    """The `openapi_extra` for an operation, declaring its access rule.

    Use: `@router.get("/", openapi_extra=operation_rule("child:view; 404 otherwise"))`.
    """
    description = description.strip()
    if not description:
        raise ValueError("An operation's access rule cannot be empty")
    return {**openapi_extra, RULE_KEY: description}
