"""Reads of the change history (django-auditlog) for a child's record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

if TYPE_CHECKING:
    from cairn.children.models import Child

ACTIONS = {0: "Created", 1: "Changed", 2: "Deleted", 3: "Accessed"}


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    what: str
    action: str
    fields: list[tuple[str, str, str]]  # (field, before, after); masked fields stay masked


def child_change_history(*, child: Child, limit: int = 200) -> list[Change]:
    """Field-level changes to the child and the records hanging off it, newest first.

    The caller must already have checked that the user may see the access log (see
    `access.can_see_access_log`)."""
    related = {
        "child": [child.pk],
        "placement": list(child.placements.values_list("pk", flat=True)),
        "involvement": list(child.involvements.values_list("pk", flat=True)),
        "childalias": list(child.aliases.values_list("pk", flat=True)),
        "childidentifier": list(child.identifiers.values_list("pk", flat=True)),
        "casenote": list(child.notes.values_list("pk", flat=True)),
        "childvoice": list(child.voices.values_list("pk", flat=True)),
    }
    types = ContentType.objects.filter(app_label="children", model__in=list(related))
    by_model = {ct.model: ct for ct in types}
    condition = Q()
    for model, pks in related.items():
        if pks and model in by_model:
            condition |= Q(content_type=by_model[model], object_pk__in=[str(pk) for pk in pks])
    if not condition:
        return []
    entries = (
        LogEntry.objects.filter(condition)
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:limit]
    )
    changes = []
    for entry in entries:
        fields = []
        for name, values in (entry.changes_dict or {}).items():
            if name in {"id", "created_at", "updated_at", "child"}:
                continue
            before, after = (list(values) + ["", ""])[:2] if isinstance(values, list) else ("", "")
            fields.append((name.replace("_", " "), str(before), str(after)))
        changes.append(
            Change(
                when=entry.timestamp,
                who=str(entry.actor) if entry.actor else "System or import",
                what=entry.content_type.name if entry.content_type else "",
                action=ACTIONS.get(entry.action, ""),
                fields=fields,
            )
        )
    return changes
