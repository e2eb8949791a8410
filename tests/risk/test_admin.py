"""The indicator catalogue in Django admin: adding and retiring publish catalogue versions."""

from __future__ import annotations

import pytest

from cairn.accounts.models import Role
from cairn.risk.models import CatalogueVersion, Indicator
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, agency=None, password=None))
    return client


def test_adding_an_indicator_in_admin_publishes_a_version(admin_client) -> None:
    response = admin_client.post(
        "/admin/risk/indicator/add/",
        {
            "code": "s-crypto-payments",
            "category": "significant",
            "wording": "Paid in cryptocurrency or gift cards",
            "group": "criminal",
            "exploitation_types": ["criminal", "county_lines"],
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="s-crypto-payments")
    assert indicator.added_in.number == 2
    assert indicator.exploitation_types == ["criminal", "county_lines"]
    assert indicator.recency_matters is True


def test_admin_refuses_a_code_already_used(admin_client) -> None:
    response = admin_client.post(
        "/admin/risk/indicator/add/",
        {"code": "v-isolated", "category": "vulnerability", "wording": "Isolated again"},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert CatalogueVersion.objects.count() == 1


def test_retiring_in_admin_publishes_a_version_and_nothing_is_edited(admin_client) -> None:
    isolated = Indicator.objects.get(code="v-isolated")
    response = admin_client.post(
        "/admin/risk/indicator/",
        {"action": "retire_selected", "_selected_action": [isolated.pk]},
        follow=True,
    )
    assert "Retired ‘Isolated from peers’ in catalogue version 2." in response.content.decode()
    isolated.refresh_from_db()
    assert isolated.retired_in.number == 2
    page = admin_client.get(f"/admin/risk/indicator/{isolated.pk}/change/").content.decode()
    assert 'name="wording"' not in page  # read only
    assert admin_client.get("/admin/risk/catalogueversion/add/").status_code == 403


def test_only_administrators_reach_the_catalogue_admin(client, db) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(role=Role.MANAGER, password=None))
    response = client.get("/admin/risk/indicator/add/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
