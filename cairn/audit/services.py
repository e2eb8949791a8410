"""Writing and verifying the hash-chained access log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from cairn.audit.context import current_ip
from cairn.audit.models import AccessEvent, Action, ChainHead

if TYPE_CHECKING:
    from cairn.accounts.models import User
    from cairn.children.models import Child

GENESIS = "0" * 64


def _event_hash(fields: dict[str, Any], prev_hash: str) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _hashed_fields(event: AccessEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "user": event.user_id,
        "username": event.username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "child": event.child_id,
        "reason": event.reason,
        "ip": event.ip,
        "detail": event.detail,
    }


@transaction.atomic
def access_event_record(
    *,
    actor: User | None,
    action: Action | str,
    obj: models.Model | None = None,
    child: Child | None = None,
    object_type: str = "",
    object_id: str | int = "",
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AccessEvent:
    """Append one event to the access log, extending the hash chain under a row lock."""
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    # Round-trip the detail through JSON so the stored value hashes the same when read back.
    detail_json = json.loads(json.dumps(detail or {}, default=str))
    event = AccessEvent(
        seq=head.seq + 1,
        at=timezone.now(),
        user=actor if actor is not None and actor.is_authenticated else None,
        username=getattr(actor, "username", "") or "",
        action=str(action),
        object_type=object_type,
        object_id=str(object_id),
        child=child,
        reason=reason[:500],
        ip=current_ip.get(),
        detail=detail_json,
        prev_hash=head.hash,
    )
    event.hash = _event_hash(_hashed_fields(event), head.hash)
    event.save()
    head.seq = event.seq
    head.hash = event.hash
    head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"event #{self.seq} (id {self.event_id})" if self.seq is not None else "chain head"
        return f"{where}: {self.problem}"


def audit_chain_verify(*, batch_size: int = 5000) -> ChainProblem | None:
    """Recompute the chain from the first event; return the first problem found, or None."""
    prev_hash = GENESIS
    expected_seq = 1
    last_id = 0
    while True:
        batch = list(AccessEvent.objects.filter(seq__gte=expected_seq).order_by("seq")[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.seq != expected_seq:
                return ChainProblem(
                    event.seq, event.id, f"expected event #{expected_seq}: events are missing"
                )
            if event.id <= last_id:
                return ChainProblem(event.seq, event.id, "events are out of order")
            if event.prev_hash != prev_hash:
                return ChainProblem(
                    event.seq, event.id, "does not follow the event before it (previous hash)"
                )
            if _event_hash(_hashed_fields(event), prev_hash) != event.hash:
                return ChainProblem(event.seq, event.id, "its content does not match its hash")
            prev_hash = event.hash
            last_id = event.id
            expected_seq += 1
    head = ChainHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != expected_seq - 1 or head_hash != prev_hash:
        return ChainProblem(
            None,
            None,
            f"the chain ends at #{expected_seq - 1} but the head records #{head_seq}: "
            "events at the end are missing or were added outside Cairn",
        )
    return None
