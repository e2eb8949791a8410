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


@pytest.mark.django_db
def test_panels_and_plan_actions_have_their_own_groups(client) -> None:
    import datetime as dt

    from cairn.panels.models import Discussion, Meeting, Panel
    from tests.panels.conftest import assessment

    client.force_login(UserFactory(role=Role.MANAGER))
    panel = Panel.objects.create(name="Synthetshire MACE", panel_type="mace")
    children = [ChildFactory() for _ in range(6)]
    for number, child in enumerate(children):
        assessment(child, "high", dt.date(2025, 5, 1))
        meeting = Meeting.objects.create(
            meeting_ref=f"MT-{number}",
            panel=panel,
            meeting_type="risk" if number < 2 else "mace",
            held_on=dt.date(2025, 6, 10),
            status=Meeting.Status.HELD,
        )
        if number < 3:
            Discussion.objects.create(meeting=meeting, child=child)
    response = page(client)
    body = response.content.decode()

    assert "Panels and meetings" in body and "Plan actions" in body
    assert body.index("Risk register") < body.index("Panels and meetings")
    assert body.index("Panels and meetings") < body.index("Plan actions")
    assert figure(response, "meetings.held") == "6"
    assert figure(response, "meetings.risk_held") == "fewer than 5"
    assert figure(response, "meetings.children_discussed") == "fewer than 5"
    # 3 of the 6 children at high risk were discussed: a share of 6, so published.
    assert figure(response, "meetings.medium_high_discussed_pct") == "50.0%"
    assert figure(response, "actions.completed_by_due_pct") == "none in the period"


@pytest.mark.django_db
def test_a_share_of_fewer_than_5_children_at_medium_or_high_risk_is_not_published(
    client,
) -> None:
    import datetime as dt

    from tests.panels.conftest import assessment

    client.force_login(UserFactory(role=Role.SCRUTINY, agency=None))
    for _ in range(3):
        assessment(ChildFactory(), "medium", dt.date(2025, 5, 1))
    response = page(client)
    assert figure(response, "register.medium") == "fewer than 5"
    assert figure(response, "meetings.medium_high_discussed_pct") == "fewer than 5"
