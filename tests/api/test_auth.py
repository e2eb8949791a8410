"""Who may call the API: personal tokens and signed-in sessions; nobody else."""

from __future__ import annotations

import pytest
from django.test import Client

from cairn.accounts.models import ApiToken
from cairn.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def _detail(world) -> str:
    return f"/api/children/{world.child.pk}"


def test_a_valid_token_reads_and_records_when_it_was_used(world):
    user = world.users["practitioner:involved"]
    token, raw = api_token_create(user=user, name="Case system")
    assert token.last_used_at is None

    response = Client().get(_detail(world), headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 200
    assert response.json()["child_ref"] == world.child.child_ref
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer ",
        "Bearer cairn_not-a-real-token",
        "Bearer not-even-the-prefix",
        "Token {raw}",
        "Basic {raw}",
    ],
)
def test_missing_wrong_or_malformed_tokens_get_401(world, header):
    _, raw = api_token_create(user=world.users["practitioner:involved"], name="Case system")
    headers = {"Authorization": header.format(raw=raw)} if header else {}

    response = Client().get(_detail(world), headers=headers)

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_revoked_token_gets_401_and_is_not_marked_used(world):
    user = world.users["practitioner:involved"]
    token, raw = api_token_create(user=user, name="Old script")
    api_token_revoke(user=user, token=token)

    response = Client().get(_detail(world), headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 401
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None


def test_a_deactivated_users_token_gets_401(world):
    user = world.users["practitioner:involved"]
    _, raw = api_token_create(user=user, name="Case system")
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = Client().get(_detail(world), headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/children/"), ("POST", "/api/children/"), ("PATCH", "/api/children/1")],
)
def test_anonymous_callers_get_401_not_a_csrf_error(db, method, path):
    response = Client(enforce_csrf_checks=True).generic(
        method, path, "{}", content_type="application/json"
    )
    assert response.status_code == 401


def test_a_signed_in_session_can_read(world):
    client = Client()
    client.force_login(world.users["practitioner:involved"])
    assert client.get(_detail(world)).status_code == 200


def test_a_session_needs_the_csrf_token_to_change_anything(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["practitioner:involved"])
    note = '{"subject": "Visit", "text": "Talked about school."}'
    url = f"/api/children/{world.child.pk}/notes"

    refused = client.post(url, note, content_type="application/json")
    client.get("/api/docs")  # the docs page hands out the CSRF token, as in a browser
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        url, note, content_type="application/json", headers={"X-CSRFToken": token}
    )

    assert refused.status_code == 403
    assert accepted.status_code == 201


def test_a_token_needs_no_csrf_token(world):
    _, raw = api_token_create(user=world.users["practitioner:involved"], name="Case system")
    response = Client(enforce_csrf_checks=True).post(
        f"/api/children/{world.child.pk}/notes",
        '{"subject": "Visit", "text": "Talked about school."}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201
