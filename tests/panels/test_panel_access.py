"""A panel member sees a child only through the published agenda of a panel they sit on, from
publication until CAIRN_PANEL_ACCESS_DAYS after the meeting; read-only; audited with the panel
as the reason."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cairn.accounts import access
from cairn.audit.models import AccessEvent, Action
from cairn.panels.models import Meeting, PanelMember
from tests.panels.conftest import meeting, on_agenda


def sees(user, child) -> bool:  # type: ignore[no-untyped-def]
    in_list = access.visible_children(user).filter(pk=child.pk).exists()
    decision = access.child_access(user, child)
    assert in_list == decision.view, "the list and the record must agree"
    return decision.view


def test_nothing_before_the_agenda_is_published(panel_world) -> None:
    world = panel_world
    on_agenda(world.meeting, world.jordan, published=False)
    assert not sees(world.nurse, world.jordan)


def test_the_published_agenda_opens_the_record_read_only(panel_world) -> None:
    world = panel_world
    on_agenda(world.meeting, world.jordan)
    decision = access.child_access(world.nurse, world.jordan)
    assert decision.view and not decision.edit
    assert decision.via == "panel" and decision.audit_reason == "panel: Synthetshire MACE"
    assert sees(world.nurse, world.jordan)
    assert not sees(world.nurse, world.casey)  # not on the agenda


def test_the_view_is_audited_with_the_panel_as_reason(client, panel_world) -> None:
    world = panel_world
    on_agenda(world.meeting, world.jordan)
    client.force_login(world.nurse)
    assert client.get(reverse("children:detail", args=[world.jordan.pk])).status_code == 200
    event = AccessEvent.objects.filter(action=Action.VIEW, child=world.jordan).latest("id")
    assert event.user == world.nurse and event.reason == "panel: Synthetshire MACE"
    edit = client.get(reverse("children:edit", args=[world.jordan.pk]))
    assert edit.status_code == 403


def test_a_user_not_on_the_panel_sees_nothing(panel_world) -> None:
    world = panel_world
    on_agenda(world.meeting, world.casey)
    assert not sees(world.outsider, world.casey)
    assert sees(world.social_worker, world.jordan)  # their own child, as before


def test_access_ends_30_days_after_the_meeting(panel_world) -> None:
    world = panel_world
    today = timezone.localdate()
    on_agenda(meeting(world.panel, today - dt.timedelta(days=30)), world.casey)
    assert sees(world.nurse, world.casey)
    later = world.casey
    Meeting.objects.update(held_on=today - dt.timedelta(days=31))
    assert not sees(world.nurse, later)
    with override_settings(CAIRN_PANEL_ACCESS_DAYS=60):
        assert sees(world.nurse, later)


def test_removed_items_cancelled_meetings_and_past_members_open_nothing(panel_world) -> None:
    world = panel_world
    item = on_agenda(world.meeting, world.casey)
    item.removed_at = timezone.now()
    item.save()
    assert not sees(world.nurse, world.casey)
    item.removed_at = None
    item.save()
    assert sees(world.nurse, world.casey)
    PanelMember.objects.filter(user=world.nurse).update(
        ended_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert not sees(world.nurse, world.casey)
    PanelMember.objects.filter(user=world.nurse).update(ended_on=None)
    Meeting.objects.filter(pk=world.meeting.pk).update(status=Meeting.Status.CANCELLED)
    assert not sees(world.nurse, world.casey)


def test_panel_access_shows_standard_notes_only(panel_world) -> None:
    world = panel_world
    from cairn.children.models import CaseNote, Handling

    on_agenda(world.meeting, world.jordan)
    for handling in (Handling.STANDARD, Handling.SENSITIVE):
        CaseNote.objects.create(
            child=world.jordan, author=world.social_worker, agency=world.scc,
            handling=handling, text=f"{handling} note", subject="Visit",
            occurred_on=timezone.localdate(),
        )  # fmt: skip
    notes = access.visible_notes(world.chair, world.jordan)  # a police manager on the panel
    assert [n.handling for n in notes] == [Handling.STANDARD]
