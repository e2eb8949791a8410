"""Action lists: my actions (open, overdue first), and overdue actions as a manager sees them
(owned by people of their agency) and as a chair sees them (agreed at their panels' meetings),
with filters and counts. A child is named only to someone who may see them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cairn.accounts.models import Role
from cairn.panels.models import Panel, PanelMember
from cairn.panels.plans_selectors import action_rows, my_actions, overdue_actions
from tests.factories import UserFactory
from tests.panels.conftest import meeting, on_agenda
from tests.panels.test_plans_services import action, plan

TODAY = timezone.localdate


def texts(actions) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.text for a in actions]


def test_my_actions_are_my_open_ones_overdue_first(panel_world) -> None:
    w = panel_world
    safety = plan(w.jordan)
    action(safety, w.nurse, 10, text="later")
    action(safety, w.nurse, -3, text="overdue")
    action(safety, w.nurse, 0, text="today", status="in_progress")
    action(safety, w.nurse, -20, text="done", status="done", completed_on=TODAY(), evidence="x")
    action(safety, w.nurse, -20, text="cancelled", status="cancelled", evidence="x")
    action(safety, w.social_worker, -5, text="someone else's")
    mine = my_actions(user=w.nurse)
    assert texts(mine) == ["overdue", "today", "later"]
    rows = action_rows(w.nurse, mine)
    assert [row.overdue for row in rows] == [True, False, False]


def test_an_owner_who_cannot_see_the_child_gets_the_panel_not_the_name(panel_world) -> None:
    w = panel_world
    past = meeting(w.panel, TODAY() - dt.timedelta(days=60), status="held")
    on_agenda(past, w.jordan)  # the nurse's panel access ended 30 days after it
    todo = action(plan(w.jordan, meeting=past), w.nurse, meeting=past)
    [row] = action_rows(w.nurse, my_actions(user=w.nurse))
    assert row.action == todo and not row.child_named and not row.can_open_plan
    assert row.child_label == "A child on the Synthetshire MACE agenda"
    assert row.plan_ref.startswith("SP-")
    on_agenda(w.meeting, w.jordan)  # on next week's published agenda: the nurse may see Jordan
    [row] = action_rows(w.nurse, my_actions(user=w.nurse))
    assert row.child_named and row.child_label == "Jordan Ashdown"


def test_without_a_meeting_an_unseen_child_is_just_a_child(panel_world) -> None:
    w = panel_world
    action(plan(w.jordan), w.outsider)
    [row] = action_rows(w.outsider, my_actions(user=w.outsider))
    assert row.child_label == "A child you cannot see"


@pytest.fixture
def overdue_world(panel_world):  # type: ignore[no-untyped-def]
    """Overdue actions: two agreed at the MACE (health and police owners), one at another
    panel's meeting (children's services owner), one not agreed at a meeting (police owner);
    and one due next week."""
    w = panel_world
    other_panel = Panel.objects.create(name="Northern MASE", panel_type="mase")
    other_meeting = meeting(other_panel, TODAY() - dt.timedelta(days=14), status="held")
    mace = meeting(w.panel, TODAY() - dt.timedelta(days=14), status="held")
    safety = plan(w.jordan)
    action(safety, w.nurse, -4, text="health at MACE", meeting=mace, category="protect")
    action(safety, w.outsider, -2, text="police at MACE", meeting=mace, category="pursue")
    action(safety, w.social_worker, -6, text="scc at MASE", meeting=other_meeting)
    action(safety, w.outsider, -1, text="police, no meeting", category="pursue")
    action(safety, w.outsider, 7, text="police, not yet due", meeting=mace)
    return w


def test_a_manager_sees_the_overdue_actions_of_their_agency(overdue_world) -> None:
    w = overdue_world
    overdue = overdue_actions(user=w.manager)  # children's services manager, no panel
    assert texts(overdue.actions) == ["scc at MASE"]
    assert overdue.as_manager and not overdue.as_chair


def test_a_chair_sees_the_overdue_actions_agreed_at_their_panels(overdue_world) -> None:
    w = overdue_world
    w.chair.role = Role.PRACTITIONER  # a chair who is not a manager
    w.chair.save()
    overdue = overdue_actions(user=w.chair)
    assert texts(overdue.actions) == ["health at MACE", "police at MACE"]
    assert overdue.as_chair and not overdue.as_manager


def test_a_chair_who_manages_sees_both(overdue_world) -> None:
    w = overdue_world
    overdue = overdue_actions(user=w.chair)  # police manager chairing the MACE
    assert texts(overdue.actions) == ["health at MACE", "police at MACE", "police, no meeting"]
    assert overdue.total == 3
    assert {row["category"]: row["count"] for row in overdue.by_category} == {
        "protect": 1,
        "pursue": 2,
    }
    assert {row["owner_agency__name"]: row["count"] for row in overdue.by_agency} == {
        "Synthetshire Health": 1,
        "Synthetshire Police": 2,
    }


def test_filters_by_agency_and_category_keep_the_counts_whole(overdue_world) -> None:
    w = overdue_world
    by_agency = overdue_actions(user=w.chair, agency=w.health)
    assert texts(by_agency.actions) == ["health at MACE"] and by_agency.total == 3
    by_category = overdue_actions(user=w.chair, category="pursue")
    assert texts(by_category.actions) == ["police at MACE", "police, no meeting"]
    both = overdue_actions(user=w.chair, agency=w.police, category="protect")
    assert texts(both.actions) == []


def test_a_former_chair_sees_nothing_and_practitioners_are_refused(overdue_world) -> None:
    w = overdue_world
    PanelMember.objects.filter(user=w.chair).update(ended_on=TODAY() - dt.timedelta(days=1))
    w.chair.role = Role.PRACTITIONER
    w.chair.save()
    with pytest.raises(PermissionDenied):
        overdue_actions(user=w.chair)
    with pytest.raises(PermissionDenied):
        overdue_actions(user=w.nurse)  # a panel member, not a chair
    with pytest.raises(PermissionDenied):
        overdue_actions(user=UserFactory(agency=w.scc, role=Role.ANALYST))
