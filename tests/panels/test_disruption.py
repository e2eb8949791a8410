"""The disruption log: police and children's services staff record disruption against the people
and places around children; an arrest for another offence needs the offence and counts as
exploitation disruption; children are linked only if the recorder may see them; the log shows
activities linked to children the user may see, or recorded by their agency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent
from cairn.audit.models import Action as AuditAction
from cairn.panels.models import DisruptionActivity, DisruptionTool
from cairn.panels.plans_selectors import (
    can_record_disruption,
    disruption_counts,
    disruption_list,
)
from cairn.panels.plans_services import disruption_record
from tests.factories import UserFactory
from tests.panels.test_plans_services import errors, plan

TODAY = timezone.localdate


def record(actor, **fields):  # type: ignore[no-untyped-def]
    values = {
        "actor": actor,
        "tool": "cawn",
        "occurred_on": TODAY() - dt.timedelta(days=1),
        "person": "Adult known as 'Dee'",
    } | fields
    return disruption_record(**values)


def test_a_social_worker_records_a_warning_notice_for_their_child(panel_world) -> None:
    w = panel_world
    saved, guidance = record(w.social_worker, child_refs=[w.jordan.child_ref])
    assert saved.agency == w.scc and saved.recorded_by == w.social_worker
    assert list(saved.children.all()) == [w.jordan] and guidance == []
    event = AccessEvent.objects.get(
        action=AuditAction.CREATE, object_type="panels.disruptionactivity"
    )
    assert event.child == w.jordan


def test_an_arrest_for_another_offence_needs_the_offence(panel_world) -> None:
    w = panel_world
    with pytest.raises(ValidationError) as caught:
        record(w.outsider, tool="arrest", place="Flat 2, 4 Mill Lane")
    assert errors(caught) == {"offence": ["Enter the offence the person was arrested for"]}
    assert not DisruptionActivity.objects.exists()
    saved, _ = record(w.outsider, tool="arrest", offence="Possession with intent to supply")
    assert saved.offence == "Possession with intent to supply"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"tool": "stern_word"}, "tool"),
        ({"occurred_on": None}, "occurred_on"),
        ({"occurred_on": "tomorrow"}, "occurred_on"),
        ({"person": "", "place": ""}, "person"),
    ],
)
def test_bad_input_names_the_field(panel_world, fields, field) -> None:
    w = panel_world
    if fields.get("occurred_on") == "tomorrow":
        fields["occurred_on"] = TODAY() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        record(w.outsider, **fields)
    assert list(errors(caught)) == [field]
    assert not DisruptionActivity.objects.exists()


def test_only_children_the_recorder_may_see_are_linked(panel_world) -> None:
    w = panel_world
    with pytest.raises(ValidationError) as caught:
        record(w.social_worker, child_refs=[w.jordan.child_ref, w.casey.child_ref, "NOPE-1"])
    assert errors(caught) == {
        "children": [
            f"No child you can see has the reference {w.casey.child_ref}",
            "No child you can see has the reference NOPE-1",
        ]
    }
    assert not DisruptionActivity.objects.exists()


def test_a_plan_links_its_child(panel_world) -> None:
    w = panel_world
    disruption = plan(w.jordan, "disruption", subjects="'Dee'")
    saved, _ = record(w.social_worker, plan=disruption)
    assert saved.plan == disruption and list(saved.children.all()) == [w.jordan]


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("social_worker", True),  # children's services practitioner
        ("manager", True),  # children's services manager
        ("outsider", True),  # police practitioner
        ("chair", True),  # police manager
        ("nurse", False),  # health panel member
        ("health_practitioner", False),
        ("police_analyst", False),
    ],
)
def test_who_may_record(panel_world, who: str, may: bool) -> None:
    w = panel_world
    users = {
        "health_practitioner": UserFactory(agency=w.health),
        "police_analyst": UserFactory(agency=w.police, role=Role.ANALYST),
    }
    user = users.get(who) or getattr(w, who)
    assert can_record_disruption(user) is may
    if may:
        record(user)
    else:
        with pytest.raises(PermissionDenied):
            record(user)


def test_the_log_shows_activities_for_visible_children_or_the_users_agency(panel_world) -> None:
    w = panel_world
    police_manager = w.chair
    for_jordan, _ = record(w.social_worker, child_refs=[w.jordan.child_ref], person="for Jordan")
    by_police, _ = record(w.outsider, person="police, no child")
    # A police officer links Jordan: only possible for children they may see, so give access.
    w.jordan.lead_professional = w.outsider
    w.jordan.save()
    police_for_jordan, _ = record(w.outsider, child_refs=[w.jordan.child_ref], person="both")
    w.jordan.lead_professional = w.social_worker
    w.jordan.save()

    def persons(user) -> list[str]:  # type: ignore[no-untyped-def]
        return sorted(a.person for a in disruption_list(user=user))

    assert persons(w.social_worker) == ["both", "for Jordan"]
    assert persons(police_manager) == ["both", "police, no child"]
    assert persons(UserFactory(agency=w.health, role=Role.MANAGER)) == []
    assert persons(UserFactory(agency=w.police, role=Role.ANALYST)) == []
    # The police manager sees the activity they recorded, but not Jordan's name.
    both = next(a for a in disruption_list(user=police_manager) if a.person == "both")
    assert both.named_children == [] and both.children_total == 1
    mine = next(a for a in disruption_list(user=w.social_worker) if a.person == "both")
    assert mine.named_children == [w.jordan]


def test_the_log_filters_by_tool_and_date(panel_world) -> None:
    w = panel_world
    record(w.outsider, tool="arrest", offence="Knife", occurred_on=TODAY() - dt.timedelta(days=40))
    record(w.outsider, tool="closure_order", place="4 Mill Lane")
    tools = [a.tool for a in disruption_list(user=w.outsider, tool="arrest")]
    assert tools == ["arrest"]
    recent = disruption_list(user=w.outsider, since=TODAY() - dt.timedelta(days=7))
    assert [a.tool for a in recent] == ["closure_order"]
    older = disruption_list(user=w.outsider, until=TODAY() - dt.timedelta(days=7))
    assert [a.tool for a in older] == ["arrest"]


def test_counts_by_tool_count_arrests_as_exploitation_disruption(panel_world) -> None:
    w = panel_world
    start = TODAY() - dt.timedelta(days=30)
    record(w.outsider, tool="arrest", offence="Possession of a knife", occurred_on=start)
    record(w.outsider, tool="arrest", offence="Supplying drugs")
    record(w.social_worker, tool="cawn")
    record(w.outsider, tool="sro", occurred_on=start - dt.timedelta(days=1))  # before the period
    counts = disruption_counts(start, TODAY())
    assert counts["arrest"] == 2 and counts["cawn"] == 1 and counts["sro"] == 0
    assert counts["total"] == 3
    assert set(counts) == {*DisruptionTool.values, "total"}
