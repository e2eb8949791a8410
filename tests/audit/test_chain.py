"""The access log is append-only and hash-chained: any tampering makes `cairn audit verify` fail."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from cairn.audit.models import AccessEvent, AppendOnlyError
from cairn.audit.services import access_event_record, audit_chain_verify
from tests.factories import ChildFactory, UserFactory


@pytest.fixture
def chain(db):
    user = UserFactory(role="practitioner")
    child = ChildFactory()
    events = [
        access_event_record(actor=user, action="view", obj=child, child=child, reason=f"r{i}")
        for i in range(5)
    ]
    return events


def _sql(statement: str, params: list) -> None:
    table = AccessEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=table), params)


def test_an_untouched_chain_verifies(chain):
    assert audit_chain_verify() is None
    call_command("audit", "verify")


def test_each_event_extends_the_chain_from_the_one_before(chain):
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_hash == before.hash
        assert after.seq == before.seq + 1


def test_events_cannot_be_changed_or_deleted_through_the_orm(chain):
    event = chain[0]
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(reason="changed")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()


def test_editing_a_stored_event_is_detected_and_named(chain):
    _sql("UPDATE {table} SET reason = %s WHERE id = %s", ["innocent", chain[2].id])
    problem = audit_chain_verify()
    assert problem is not None
    assert problem.seq == chain[2].seq
    assert "content" in problem.problem
    with pytest.raises(CommandError, match=f"#{chain[2].seq}"):
        call_command("audit", "verify")


def test_editing_the_user_of_an_event_is_detected(chain):
    other = UserFactory()
    _sql("UPDATE {table} SET user_id = %s WHERE id = %s", [other.id, chain[1].id])
    assert audit_chain_verify().seq == chain[1].seq


def test_deleting_an_event_in_the_middle_is_detected(chain):
    _sql("DELETE FROM {table} WHERE id = %s", [chain[2].id])
    problem = audit_chain_verify()
    assert problem is not None
    assert problem.seq == chain[3].seq
    with pytest.raises(CommandError):
        call_command("audit", "verify")


def test_deleting_the_last_event_is_detected(chain):
    _sql("DELETE FROM {table} WHERE id = %s", [chain[-1].id])
    problem = audit_chain_verify()
    assert problem is not None
    assert "head" in str(problem)


def test_deleting_the_first_event_is_detected(chain):
    _sql("DELETE FROM {table} WHERE id = %s", [chain[0].id])
    assert audit_chain_verify() is not None


def test_reordering_events_is_detected(chain):
    # Swap the sequence numbers of two events (through a free value, to respect uniqueness).
    a, b = chain[1], chain[2]
    _sql("UPDATE {table} SET seq = %s WHERE id = %s", [999, a.id])
    _sql("UPDATE {table} SET seq = %s WHERE id = %s", [a.seq, b.id])
    _sql("UPDATE {table} SET seq = %s WHERE id = %s", [b.seq, a.id])
    problem = audit_chain_verify()
    assert problem is not None
    assert problem.seq == a.seq


def test_recomputing_a_tampered_event_hash_still_breaks_the_next_link(chain):
    from cairn.audit.services import _event_hash, _hashed_fields

    victim = AccessEvent.objects.get(pk=chain[1].pk)
    victim.reason = "rewritten"
    new_hash = _event_hash(_hashed_fields(victim), victim.prev_hash)
    _sql(
        "UPDATE {table} SET reason = %s, hash = %s WHERE id = %s",
        ["rewritten", new_hash, victim.id],
    )
    problem = audit_chain_verify()
    assert problem is not None
    assert problem.seq == chain[2].seq


def test_verify_reports_the_count_when_intact(chain, capsys):
    call_command("audit", "verify")
    assert "5 events" in capsys.readouterr().out


# Each audited action writes exactly one event.


@pytest.fixture
def practitioner_with_child(db):
    from tests.factories import InvolvementFactory

    user = UserFactory(role="practitioner")
    child = ChildFactory(agency=user.agency)
    InvolvementFactory(child=child, user=user, agency=user.agency)
    return user, child


def _count(**filters):
    return AccessEvent.objects.filter(**filters).count()


def test_viewing_a_child_writes_one_view_event(client, practitioner_with_child):
    user, child = practitioner_with_child
    client.force_login(user)
    client.get(reverse("children:detail", args=[child.pk]))
    assert _count(action="view", child=child) == 1
    event = AccessEvent.objects.get(action="view", child=child)
    assert event.user == user
    assert event.ip == "127.0.0.1"


def test_listing_and_searching_write_one_event_each(client, practitioner_with_child):
    user, _ = practitioner_with_child
    client.force_login(user)
    client.get(reverse("children:list"))
    assert _count(action="list", user=user) == 1
    client.get(reverse("children:list"), {"q": "Smith"})
    assert _count(action="search", user=user) == 1
    assert AccessEvent.objects.get(action="search").detail["query"] == "Smith"


def test_changing_a_child_writes_one_update_event_naming_the_fields(
    client, practitioner_with_child
):
    from cairn.children.services import child_update

    user, child = practitioner_with_child
    child_update(actor=user, child=child, postcode="SY1 2AB", ethnicity="White British")
    event = AccessEvent.objects.get(action="update", child=child)
    assert sorted(event.detail["fields"]) == ["ethnicity", "postcode"]
    # No change, no event.
    child_update(actor=user, child=child, postcode="SY1 2AB")
    assert _count(action="update", child=child) == 1


def test_adding_a_note_writes_one_create_event(client, practitioner_with_child):
    from datetime import date

    from cairn.children.services import case_note_add

    user, child = practitioner_with_child
    case_note_add(actor=user, child=child, subject="s", text="t", occurred_on=date(2026, 1, 1))
    assert _count(action="create", child=child, object_type="children.casenote") == 1


def test_break_glass_writes_one_event_with_the_reason(client, db):
    from cairn.children.services import break_glass_grant

    user = UserFactory(role="practitioner")
    child = ChildFactory()
    break_glass_grant(actor=user, child=child, reason="Police found her at 2am, need contacts")
    event = AccessEvent.objects.get(action="break_glass", child=child)
    assert event.reason == "Police found her at 2am, need contacts"
    assert audit_chain_verify() is None
