"""The JSON API at /api/ (django-ninja), documented at /api/docs.

Callers authenticate with a personal API token (`Authorization: Bearer cairn_...`, made on
/accounts/tokens/) or, for the docs page, their signed-in session (CSRF token needed for changes).
Routers live one per domain app beside this module and are mounted from ROUTERS. Every operation
declares its access rule with `operation_rule(...)` (cairn/api/rules.py).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, reverse
from ninja import NinjaAPI, Router
from ninja.errors import ValidationError as NinjaValidationError

from cairn.api import children, missing, panels, risk
from cairn.api.auth import session_auth, token_auth
from cairn.api.docs import LocalSwagger, docs_access
from cairn.api.rules import RULE_KEY

api = NinjaAPI(
    title="Cairn API",
    version="1",
    description=(
        "Children's records for partner agencies' systems. Authenticate with a personal API "
        "token from *API tokens* in Cairn (`Authorization: Bearer cairn_...`). Every read and "
        "change is recorded in the access log, exactly as in the web pages. Field names follow "
        "the Cairn exchange format."
    ),
    urls_namespace="api",
    auth=[token_auth, session_auth],
    docs=LocalSwagger(),
    docs_decorator=docs_access,
)

# (prefix, router): one router per domain app. Mount new routers here so that api_operations()
# and the access-rule test see them.
ROUTERS: list[tuple[str, Router]] = [
    ("/children", children.router),
    ("/risk", risk.router),
    ("/missing", missing.router),
    ("/panels", panels.router),
]
for _prefix, _router in ROUTERS:
    api.add_router(_prefix, _router)

# Model field names that the API calls by their exchange-format names.
API_FIELD_NAMES = {"ward": "ward_code", "lead_professional": "lead_professional_id"}


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """ninja's 422 reply, with locations as the caller sees them: ["body", "sex"], not
    ["body", "payload", "sex"] (every router names its body parameter `payload`)."""
    errors = []
    for error in exc.errors:
        loc = list(error.get("loc", ()))
        if loc[:2] == ["body", "payload"]:
            loc = ["body", *loc[2:]]
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        errors.append({"loc": loc, "msg": message, "type": error.get("type", "invalid")})
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


@api.exception_handler(DjangoValidationError)
def _invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """Model and service validation, in the same shape as ninja's own 422 replies."""
    errors: list[dict[str, Any]] = []
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    for field, messages in by_field.items():
        loc = ["body"] if field == NON_FIELD_ERRORS else ["body", API_FIELD_NAMES.get(field, field)]
        errors.extend({"loc": loc, "msg": message, "type": "invalid"} for message in messages)
    return api.create_response(request, {"detail": errors}, status=422)


class ApiOperation(NamedTuple):
    method: str
    path: str
    rule: str
    url_name: str


def _operations() -> list[tuple[str, Any]]:
    """(path below the API root, ninja Operation) for every operation of every mounted router."""
    found = []
    for prefix, router in [("", api.default_router), *ROUTERS]:
        for path, path_view in router.path_operations.items():
            full = ("/" + prefix + "/" + path).replace("//", "/").replace("//", "/")
            found.extend((full, operation) for operation in path_view.operations)
    return found


def _url_name(operation: Any) -> str:
    return getattr(operation, "url_name", None) or operation.view_func.__name__


def api_operations() -> list[ApiOperation]:
    """Every API operation as (method, path, access rule, URL name), e.g.
    ("GET", "/api/children/{child_id}", "child:view ...", "child_detail"). The rule is "" where
    an operation declares none (a test fails then)."""
    root = reverse("api:api-root").rstrip("/")
    return [
        ApiOperation(
            method,
            root + path,
            str((operation.openapi_extra or {}).get(RULE_KEY, "")),
            _url_name(operation),
        )
        for path, operation in _operations()
        for method in operation.methods
    ]


def with_access_rules(
    patterns: list[URLPattern | URLResolver],
) -> list[URLPattern | URLResolver]:
    """Give each of the API's URL patterns the `access_rule` the site-wide URL test looks for:
    the rules of every operation answering on that route. A route with an operation lacking a
    rule gets none, so that test fails too."""
    rules_by_name: dict[str, str] = {}
    for path, operation in _operations():
        name = _url_name(operation)
        rule = (operation.openapi_extra or {}).get(RULE_KEY, "")
        rules_by_name[name] = f"{'/'.join(operation.methods)} {path}: {rule}" if rule else ""
    by_route: dict[str, list[URLPattern]] = defaultdict(list)
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name in rules_by_name:
            by_route[str(pattern.pattern)].append(pattern)
    for same_route in by_route.values():
        rules = [rules_by_name[p.name] for p in same_route]  # type: ignore[index]
        if all(rules):
            for pattern in same_route:
                pattern.callback.access_rule = "; ".join(rules)  # type: ignore[attr-defined]
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name == "api-root":
            pattern.callback.access_rule = (  # type: ignore[attr-defined]
                "none: always 404 (django-ninja's marker for the API's root URL)"
            )
    return patterns
