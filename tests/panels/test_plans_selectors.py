"""Plan reads: children at medium or high risk without a safety plan (scoped to the children the
user may see), the summary on a child's record (two queries), and whose names a list may show."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent
from cairn.audit.models import Action as AuditAction
from cairn.panels.plans_selectors import (
    child_plans_summary,
    children_without_safety_plan,
    named_child_ids,
    plan_ref,
)
from tests.factories import ChildFactory, UserFactory
from tests.panels.conftest import assessment, on_agenda
from tests.panels.test_plans_services import action, plan

TODAY = timezone.localdate


def names(children) -> list[str]:  # type: ignore[no-untyped-def]
    return [child.full_name for child in children]


def test_children_at_medium_or_high_without_a_safety_plan(panel_world) -> None:
    w = panel_world
    sam = ChildFactory(agency=w.scc, given_name="Sam", family_name="Medway")
    assessment(sam, "medium", TODAY() - dt.timedelta(days=3))
    low = ChildFactory(agency=w.scc, given_name="Lee", family_name="Lowe")
    assessment(low, "low", TODAY() - dt.timedelta(days=3))
    ChildFactory(agency=w.scc, given_name="Una", family_name="Assessed")  # no assessment
    found = list(children_without_safety_plan(user=w.manager))
    assert names(found) == ["Jordan Ashdown", "Sam Medway"]  # high first; Casey is health's
    assert [c.risk_level for c in found] == ["high", "medium"]
    assert AccessEvent.objects.filter(
        action=AuditAction.LIST, object_type="panels.children_without_safety_plan"
    ).exists()


def test_a_safety_plan_takes_a_child_off_the_list_and_closing_it_puts_them_back(
    panel_world,
) -> None:
    w = panel_world
    plan(w.jordan, "disruption", subjects="'Dee'")  # a disruption plan is not a safety plan
    assert names(children_without_safety_plan(user=w.social_worker)) == ["Jordan Ashdown"]
    safety = plan(w.jordan)
    assert names(children_without_safety_plan(user=w.social_worker)) == []
    safety.status, safety.closed_on = "closed", TODAY()
    safety.save()
    assert names(children_without_safety_plan(user=w.social_worker)) == ["Jordan Ashdown"]


def test_a_lower_current_assessment_takes_a_child_off_the_list(panel_world) -> None:
    w = panel_world
    assessment(w.jordan, "low", TODAY())
    assert names(children_without_safety_plan(user=w.social_worker)) == []


def test_the_list_is_scoped_to_the_children_the_user_may_see(panel_world) -> None:
    w = panel_world
    health_manager = UserFactory(agency=w.health, role=Role.MANAGER)
    assert names(children_without_safety_plan(user=health_manager)) == ["Casey Millbrook"]
    assert names(children_without_safety_plan(user=w.outsider)) == []
    analyst = UserFactory(agency=w.scc, role=Role.ANALYST)
    assert names(children_without_safety_plan(user=analyst)) == []


def test_the_record_summary_counts_open_and_overdue_actions_in_two_queries(
    panel_world, django_assert_num_queries
) -> None:
    w = panel_world
    safety = plan(w.jordan)
    disruption = plan(w.jordan, "disruption", subjects="'Dee'")
    action(safety, w.nurse, due_in_days=-2)  # overdue
    action(safety, w.nurse, due_in_days=5)
    action(safety, w.nurse, due_in_days=-9, status="done", completed_on=TODAY(), evidence="x")
    action(disruption, w.outsider, due_in_days=-1, status="in_progress")  # overdue
    plan(w.jordan, status="closed", closed_on=TODAY())  # closed: not shown
    with django_assert_num_queries(2):
        summary = child_plans_summary(w.jordan)
    assert [p.kind for p in summary["active"]] == ["disruption", "safety"]
    assert summary["safety"] == safety and summary["disruption"] == disruption
    assert summary["open_actions"] == 3 and summary["overdue_actions"] == 2
    assert summary["safety"].open_actions == 2 and summary["safety"].overdue_actions == 1
    assert summary["level"] == "high" and not summary["needs_safety_plan"]
    assert summary["safety"].ref == f"SP-{safety.pk:06d}" == plan_ref(safety)


def test_the_record_summary_warns_when_a_child_at_risk_has_no_safety_plan(panel_world) -> None:
    summary = child_plans_summary(panel_world.casey)
    assert summary["needs_safety_plan"] and summary["level"] == "medium"
    assert summary["active"] == [] and summary["open_actions"] == 0


def test_names_are_shown_to_those_who_may_see_the_child_or_chair_their_panel(
    panel_world, django_assert_max_num_queries
) -> None:
    w = panel_world
    both = {w.jordan.pk, w.casey.pk}
    with django_assert_max_num_queries(2):
        assert named_child_ids(w.social_worker, both) == {w.jordan.pk}
    assert named_child_ids(w.outsider, both) == set()
    assert named_child_ids(w.chair, both) == set()
    on_agenda(w.meeting, w.casey, published=False)
    assert named_child_ids(w.chair, both) == {w.casey.pk}
    assert named_child_ids(w.chair, set()) == set()
