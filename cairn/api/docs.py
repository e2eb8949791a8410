"""The /api/docs page: Swagger UI served from the django-ninja package itself, never a CDN, so it
works on a closed network and under the site's Content Security Policy (scripts from 'self')."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger, _csrf_needed
from ninja.openapi.views import openapi_view

from cairn.accounts.access import rule
from cairn.api.auth import token_auth

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(Swagger):
    """Swagger UI from local files. ninja renders its CDN template unless "ninja" is in
    INSTALLED_APPS; this renders our own template, whose only script is a JSON data block plus
    two files from 'self'."""

    template = "api/swagger.html"
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "showExtensions": True,  # shows each operation's x-access-rule
        "validatorUrl": None,  # no calls to the public swagger.io validator
        "persistAuthorization": False,  # never keep a token in the browser's storage
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        swagger_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": swagger_settings, "api": api, "add_csrf": _csrf_needed(api)}
        return render(request, self.template, context)


def docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in users only (session, or an API token for the OpenAPI document)."""
    is_page = getattr(view, "func", None) is openapi_view

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and not is_page:
            token_auth(request)  # sets request.user when the token is good
        if not request.user.is_authenticated:
            if is_page:
                return redirect_to_login(request.get_full_path())
            return JsonResponse({"detail": "Unauthorized"}, status=401)
        return view(request, *args, **kwargs)

    description = (
        "signed in: the API's documentation page, no records"
        if is_page
        else "signed in (session or API token): the OpenAPI description, no records"
    )
    return rule(description)(guarded)
