"""The performance matrix page: every KPI for a period, grouped, with small numbers suppressed
for everyone who reads it; only managers, analysts and scrutiny open it."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent, Action
from cairn.missing.models import ReturnInterview
from tests.factories import ChildFactory, UserFactory
from tests.missing.conftest import episode


def figure(response, code: str) -> str:  # type: ignore[no-untyped-def]
    body = response.content.decode()
    match = re.search(rf'data-testid="{re.escape(code)}">([^<]*)<', body)
    assert match, f"{code} not on the page"
    return html.unescape(match.group(1)).strip()


def returns(n: int, completed: int) -> None:
    for number in range(n):
        child = ChildFactory()
        saved = episode(child, reported="2025-06-01 20:00", returned="2025-06-02 10:00")
        if number < completed:
            ReturnInterview.objects.create(
                interview_ref=f"R-{number}",
                episode=saved,
                agency=child.agency,
                offered_at=saved.returned_at,
                completed_at=saved.returned_at + dt.timedelta(hours=24),
            )


def page(client, **params):  # type: ignore[no-untyped-def]
    query = {"since": "2025-06-01", "until": "2025-06-30"} | params
    return client.get(reverse("reporting:performance"), query)


@pytest.mark.django_db
def test_percentages_of_fewer_than_5_returns_are_not_published(client) -> None:
    client.force_login(UserFactory(role=Role.SCRUTINY, agency=None))
    returns(3, completed=1)
    response = page(client)
    assert response.status_code == 200
    assert figure(response, "rhi.returns") == "fewer than 5"
    assert figure(response, "rhi.completed_within_72h_pct") == "fewer than 5"
    assert figure(response, "missing.episodes") == "fewer than 5"


@pytest.mark.django_db
def test_figures_of_5_or_more_are_shown_with_their_definitions(client) -> None:
    client.force_login(UserFactory(role=Role.MANAGER))
    returns(6, completed=3)
    response = page(client)
    assert figure(response, "rhi.returns") == "6"
    assert figure(response, "rhi.completed_within_72h_pct") == "50.0%"
    assert figure(response, "register.children") == "0"
    assert "Return home interviews" in response.content.decode()
    event = AccessEvent.objects.get(action=Action.EXPORT, object_type="reporting.kpi")
    assert event.detail["output"] == "page"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.PRACTITIONER, 403),
        (Role.PANEL_MEMBER, 403),
        (Role.ADMINISTRATOR, 403),
        (Role.ANALYST, 200),
        (Role.SCRUTINY, 200),
        (Role.MANAGER, 200),
    ],
)
def test_who_may_read_the_matrix(client, role, status) -> None:
    client.force_login(UserFactory(role=role))
    assert page(client).status_code == status


@pytest.mark.django_db
def test_a_bad_period_or_area_is_an_error_not_a_crash(client) -> None:
    client.force_login(UserFactory(role=Role.ANALYST))
    response = page(client, since="2025-06-30", until="2025-06-01")
    assert "The end of the period must be on or after its start" in html.unescape(
        response.content.decode()
    )
    response = page(client, area="NOWHERE")
    assert response.status_code == 200
    assert "NOWHERE" in response.content.decode()
    assert not AccessEvent.objects.filter(action=Action.EXPORT).exists()
