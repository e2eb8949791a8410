"""`cairn remind_actions`: each owner gets one email a day at most, listing their open actions due
within CAIRN_ACTION_REMINDER_DAYS days and the overdue ones, with links; never naming the child."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from cairn.panels.models import Action
from cairn.panels.plans_services import action_reminders_send
from tests.factories import UserFactory
from tests.panels.test_plans_services import action, plan

TODAY = timezone.localdate


def emails_for(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if message.to == [address]]


def give_emails(w) -> None:  # type: ignore[no-untyped-def]
    for user in (w.nurse, w.outsider, w.social_worker):
        user.email = f"{user.username}@example.org"
        user.save()


@override_settings(CAIRN_ACTION_REMINDER_DAYS=3)
def test_owners_get_their_due_and_overdue_actions(panel_world) -> None:
    w = panel_world
    give_emails(w)
    safety = plan(w.jordan)
    overdue = action(safety, w.nurse, -2, text="Health review")
    soon = action(safety, w.nurse, 3, text="GP letter", status="in_progress")
    action(safety, w.nurse, 4, text="Too far off")
    action(safety, w.nurse, -5, text="Finished", status="done", completed_on=TODAY(), evidence="x")
    action(safety, w.outsider, 1, text="Visit the address")
    action(safety, w.social_worker, 30, text="Not due for a month")
    out = StringIO()
    call_command("remind_actions", "--base-url", "https://cairn.example.org/", stdout=out)
    assert "Sent 2 action reminders." in out.getvalue()
    assert len(mail.outbox) == 2
    [to_nurse] = emails_for("nurse@example.org")
    assert to_nurse.subject == "Cairn: your actions (1 overdue, 1 due soon)"
    body = to_nurse.body
    assert "Health review" in body and "GP letter" in body and "Too far off" not in body
    assert "Finished" not in body
    assert body.index("Health review") < body.index("GP letter")
    assert "Overdue (was due" in body
    assert f"https://cairn.example.org/actions/{overdue.pk}/update/" in body
    assert f"https://cairn.example.org/actions/{soon.pk}/update/" in body
    assert "https://cairn.example.org/actions/mine/" in body
    assert "Jordan" not in body and "Ashdown" not in body
    [to_officer] = emails_for("pc.other@example.org")
    assert to_officer.subject == "Cairn: your actions (1 due soon)"
    assert not emails_for("sw@example.org")
    reminded = Action.objects.filter(reminded_at__isnull=False)
    assert set(reminded.values_list("text", flat=True)) == {
        "Health review",
        "GP letter",
        "Visit the address",
    }


def test_at_most_once_a_day(panel_world) -> None:
    w = panel_world
    give_emails(w)
    safety = plan(w.jordan)
    action(safety, w.nurse, -1, text="Health review")
    now = timezone.now()
    assert action_reminders_send(base_url="http://x", now=now) == 1
    assert action_reminders_send(base_url="http://x", now=now + dt.timedelta(minutes=5)) == 0
    # A new action later the same day does not bring a second email either.
    action(safety, w.nurse, 1, text="Another")
    assert action_reminders_send(base_url="http://x", now=now + dt.timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1
    tomorrow = now + dt.timedelta(days=1)
    assert action_reminders_send(base_url="http://x", now=tomorrow) == 1
    assert len(mail.outbox) == 2 and "Another" in mail.outbox[1].body


def test_no_email_for_owners_without_an_address_or_who_left(panel_world) -> None:
    w = panel_world
    safety = plan(w.jordan)
    action(safety, w.nurse, -1)  # the nurse has no email address
    gone = UserFactory(agency=w.scc, email="gone@example.org")
    action(safety, gone, -1)
    gone.is_active = False
    gone.save()
    assert action_reminders_send(base_url="http://x") == 0
    assert mail.outbox == []
