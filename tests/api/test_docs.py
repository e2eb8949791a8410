"""The OpenAPI description and the /api/docs page: signed-in only, and no CDN."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cairn.accounts.services import api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in() -> Client:
    client = Client()
    client.force_login(UserFactory())
    return client


def test_the_openapi_description_loads_and_lists_the_children_operations(signed_in):
    response = signed_in.get("/api/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert set(paths["/api/children/"]) == {"get", "post"}
    assert set(paths["/api/children/{child_id}"]) == {"get", "patch"}
    assert set(paths["/api/children/{child_id}/notes"]) == {"get", "post"}
    assert {"ApiTokenAuth", "SignedInSession"} <= set(schema["components"]["securitySchemes"])


def test_the_openapi_description_offers_the_model_choices(signed_in):
    schemas = signed_in.get("/api/openapi.json").json()["components"]["schemas"]
    assert schemas["Sex"]["enum"] == ["female", "male", "other", "unknown"]
    assert "looked_after" in schemas["LegalStatus"]["enum"]


def test_the_openapi_description_is_for_signed_in_callers_only(db):
    assert Client().get("/api/openapi.json").status_code == 401
    _, raw = api_token_create(user=UserFactory(), name="Generator")
    response = Client().get("/api/openapi.json", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_the_docs_page_sends_anonymous_visitors_to_sign_in(db):
    response = Client().get("/api/docs")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_docs_page_works_offline_under_the_content_security_policy(signed_in):
    response = signed_in.get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html  # nothing from a CDN
    scripts = re.findall(r"<script\b([^>]*)>", html)
    sources = [re.search(r'src="([^"]+)"', attrs) for attrs in scripts]
    # Only a JSON data block (never executed) and files from this site: no inline script.
    assert [s.group(1) for s in sources if s] == [
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    ]
    assert [attrs for attrs, src in zip(scripts, sources, strict=True) if not src] == [
        ' id="swagger-settings" type="application/json"'
    ]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert '"url": "/api/openapi.json"' in html


def test_the_swagger_files_are_static_files_from_the_installed_package():
    from django.contrib.staticfiles import finders

    for name in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        path = finders.find(f"ninja/{name}")
        assert path is not None, name
        assert "site-packages" in path or "ninja" in path
