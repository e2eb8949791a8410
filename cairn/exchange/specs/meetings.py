"""meetings.csv: multi-agency meetings and the children discussed at them, one row per child
discussed, keyed by `meeting_ref` with several rows per meeting.

`meeting_ref, panel, meeting_type, held_on, child_ref, outcome`

- The rows of a meeting must agree on `panel`, `meeting_type` and `held_on` (each row that
  differs from the meeting's first is a problem), and a child appears once per meeting.
- `panel` is the panel's name. A name Cairn does not know creates the panel: a MACE or MASE panel
  for a `mace` or `mase` meeting, otherwise "other", meeting at the default cadence; the first
  row naming it decides.
- `held_on` cannot be in the future: the file records meetings that were held. A new meeting is
  created with the status "held"; a meeting already in Cairn keeps its status (its agenda,
  attendance and minutes are Cairn's own) and takes the file's panel, type and date.
- An import never publishes an agenda or adds a child to one: being discussed at an imported
  meeting opens no child's record to panel members (cairn.accounts.access). A meeting in Cairn
  with a published agenda cannot be moved to another panel or date by an import, as that would
  change who may read the records of the children on its agenda.
- `outcome` is the discussion's short outcome. A new discussion of a child on the meeting's
  agenda in Cairn is linked to that agenda item. Imported discussions have no `recorded_by`.
- Created and updated count meetings; every row writes its child's discussion.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import QuerySet

from cairn.children.models import Child
from cairn.exchange.cells import Choice, Date, Text, show
from cairn.exchange.history import record_history
from cairn.exchange.specs.base import (
    ACTOR,
    Column,
    Grouped,
    ParsedRow,
    Spec,
    editable_child_refs,
)
from cairn.exchange.specs.children import CHILD_TARGET
from cairn.panels.models import (
    AgendaItem,
    Discussion,
    Meeting,
    MeetingType,
    Panel,
    PanelType,
)

if TYPE_CHECKING:
    from cairn.accounts.models import User

_PANELS = "meetings:panels"  # in `resolved`: {panel name: Panel}
_MEETING_COLUMNS = ("meeting_ref", "meeting_type", "held_on")
_DISCUSSION_COLUMNS = ("child_ref", "outcome")

#: The type of a panel an import creates, from the type of the meeting that names it first.
PANEL_TYPE_OF: dict[str, str] = {
    MeetingType.MACE.value: PanelType.MACE.value,
    MeetingType.MASE.value: PanelType.MASE.value,
}


def panel_type_for(meeting_type: str) -> str:
    return PANEL_TYPE_OF.get(meeting_type, PanelType.OTHER.value)


def _changes(row: ParsedRow, current: tuple[str, str, Any]) -> list[str]:
    """The meeting columns whose value in the row differs from the meeting in Cairn (columns
    that could not be read, or are not in the file, change nothing)."""
    panel, meeting_type, held_on = current
    stored = {"panel": panel, "meeting_type": meeting_type, "held_on": held_on}
    return [
        name for name, value in stored.items() if name in row.values and row.values[name] != value
    ]


def _stored_meetings(rows: list[ParsedRow]) -> dict[str, tuple[int, tuple[str, str, Any], bool]]:
    """The meetings of these rows already in Cairn: {ref: (pk, (panel name, type, date),
    whether its agenda is published)}."""
    return {
        ref: (pk, (panel, meeting_type, held_on), published is not None)
        for ref, pk, panel, meeting_type, held_on, published in Meeting.objects.filter(
            meeting_ref__in={row.key for row in rows if row.key}
        ).values_list(
            "meeting_ref", "pk", "panel__name", "meeting_type", "held_on", "agenda_published_at"
        )
    }


class MeetingSpec(Spec):
    file_name = "meetings.csv"
    model = Meeting
    key = "meeting_ref"
    grouped = Grouped(
        by="child_ref",
        agree=("panel", "meeting_type", "held_on"),
        noun="meeting",
        reason="a child is discussed once per meeting",
    )
    columns = (
        Column("meeting_ref", Text(), required=True),
        Column("panel", Text(), required=True),
        Column("meeting_type", Choice(), required=True),
        Column("held_on", Date(not_future=True), required=True),
        Column("child_ref", Text(), field="child", required=True, target=CHILD_TARGET),
        Column("outcome", Text()),
    )

    def model_field(self, column: Column) -> models.Field:
        """`panel` is the panel's name; `child_ref` and `outcome` fill the discussion."""
        if column.name == "panel":
            return Panel._meta.get_field("name")  # type: ignore[return-value]
        if column.name in _DISCUSSION_COLUMNS:
            return Discussion._meta.get_field(column.field_name)  # type: ignore[return-value]
        return super().model_field(column)

    # Checking ------------------------------------------------------------------------------

    def check_chunk(
        self, *, rows: list[ParsedRow], import_keys: Mapping[str, Mapping[str, int]]
    ) -> Iterable[tuple[int, str, str]]:
        """A meeting in Cairn with a published agenda keeps its panel and date: they decide
        who may read the records of the children on its agenda."""
        stored = _stored_meetings(rows)
        reported: set[tuple[str, str]] = set()
        for row in rows:
            if row.key not in stored:
                continue
            _, current, published = stored[row.key]
            if not published:
                continue
            for name in _changes(row, current):
                if name == "meeting_type" or (row.key, name) in reported:
                    continue
                reported.add((row.key, name))
                what = "another panel" if name == "panel" else "another date"
                yield (
                    row.row,
                    name,
                    f"{show(row.key)} is a meeting in Cairn with a published agenda: an import "
                    f"cannot move it to {what} (that would change who may read the records of "
                    "the children on its agenda)",
                )

    def authorize(
        self, *, actor: User, rows: list[ParsedRow], import_keys: Mapping[str, Mapping[str, int]]
    ) -> Iterable[tuple[int, str, str]]:
        """A row may name only a child the user may change (unless this import's children.csv
        has it, which is checked there). A meeting already in Cairn may be given another panel,
        type or date only if the user may change every child discussed at it or on its agenda."""
        in_import = import_keys.get("children.csv", {})
        named = {row.values.get("child_ref") for row in rows} - {None} - set(in_import)
        stored_children = set(
            Child.objects.filter(child_ref__in=named).values_list("child_ref", flat=True)
        )
        stored = _stored_meetings(rows)
        changing = {
            row.key for row in rows if row.key in stored and _changes(row, stored[row.key][1])
        }
        concerned: dict[str, set[str]] = {}
        if changing:
            for model in (Discussion, AgendaItem):
                for ref, child_ref in model._default_manager.filter(
                    meeting__meeting_ref__in=changing
                ).values_list("meeting__meeting_ref", "child__child_ref"):
                    concerned.setdefault(ref, set()).add(child_ref)
        everyone = set().union(*concerned.values()) if concerned else set()
        allowed = editable_child_refs(actor, stored_children | everyone)
        reported: set[str] = set()
        for row in rows:
            key = row.key or ""
            if key in changing and key not in reported and concerned.get(key, set()) - allowed:
                reported.add(key)
                yield (
                    row.row,
                    self.key,
                    f"{show(key)} is a meeting in Cairn that discussed children whose records "
                    "you cannot change: an import cannot change its panel, meeting_type or "
                    "held_on",
                )
            child_ref = row.values.get("child_ref")
            if child_ref in stored_children and child_ref not in allowed:
                yield (
                    row.row,
                    "child_ref",
                    f"{show(child_ref)} is a child already in Cairn whose record you cannot change",
                )

    # Writing -------------------------------------------------------------------------------

    def prepare_chunk(
        self, *, rows: list[ParsedRow], resolved: dict[str, Any]
    ) -> Iterable[tuple[int, str, str]]:
        """Find the panels the rows name, creating those Cairn does not know (in file order: the
        first row naming a new panel decides its type), with their change history."""
        names = {row.values["panel"] for row in rows}
        panels: dict[str, Panel] = Panel.objects.in_bulk(names, field_name="name")
        new: dict[str, Panel] = {}
        for row in rows:
            name = row.values["panel"]
            if name not in panels and name not in new:
                new[name] = Panel(name=name, panel_type=panel_type_for(row.values["meeting_type"]))
        if new:
            created = Panel.objects.bulk_create(list(new.values()))
            if any(panel.pk is None for panel in created):  # a database that returns no keys
                created = list(Panel.objects.filter(name__in=new))
            record_history(Panel, "name", created, [], resolved[ACTOR])
            panels.update({panel.name: panel for panel in created})
        resolved[_PANELS] = panels
        return ()

    def assign(
        self,
        instance: models.Model,
        values: Mapping[str, Any],
        resolved: Mapping[str, Mapping[str, Any]],
    ) -> list[str]:
        """The meeting's own columns; a new meeting is a held one."""
        assert isinstance(instance, Meeting)  # noqa: S101 - for the type checker
        adding = instance._state.adding
        own = {name: value for name, value in values.items() if name in _MEETING_COLUMNS}
        changed = super().assign(instance, own, resolved)
        panel = resolved[_PANELS][values["panel"]]
        if adding or instance.panel_id != panel.pk:
            changed.append("panel")
        instance.panel = panel  # also when unchanged: its name is in the change history
        if adding:
            instance.status = Meeting.Status.HELD
            changed.append("status")
        return changed

    def after_write(
        self,
        *,
        rows: list[ParsedRow],
        saved: Mapping[str, models.Model],
        resolved: Mapping[str, Any],
    ) -> None:
        """Each row's discussion: created (linked to the child's item on the meeting's agenda in
        Cairn, if there is one) or its outcome updated, with the change history."""
        child_ids: Mapping[str, int] = resolved["child_ref"]
        panels: Mapping[str, Panel] = resolved[_PANELS]
        wanted: dict[tuple[int, int], ParsedRow] = {}
        meetings: dict[int, Meeting] = {}
        for row in rows:
            meeting = saved[row.key or ""]
            assert isinstance(meeting, Meeting)  # noqa: S101 - for the type checker
            if not Meeting.panel.is_cached(meeting):  # type: ignore[attr-defined]
                meeting.panel = panels[row.values["panel"]]  # for the change history
            meetings[meeting.pk] = meeting
            wanted[(meeting.pk, child_ids[row.values["child_ref"]])] = row
        children = {child for _, child in wanted}
        existing = {
            (d.meeting_id, d.child_id): d
            for d in Discussion.objects.select_for_update().filter(
                meeting_id__in=list(meetings), child_id__in=children
            )
            if (d.meeting_id, d.child_id) in wanted
        }
        agenda = {
            (meeting_id, child_id): pk
            for pk, meeting_id, child_id in AgendaItem.objects.filter(
                meeting_id__in=list(meetings),
                child_id__in=children,
                removed_at__isnull=True,
                discussion__isnull=True,
            ).values_list("pk", "meeting_id", "child_id")
        }
        creates: list[Discussion] = []
        updates: list[tuple[models.Model, models.Model]] = []
        for (meeting_id, child_id), row in wanted.items():
            discussion = existing.get((meeting_id, child_id))
            if discussion is None:
                creates.append(
                    Discussion(
                        meeting=meetings[meeting_id],
                        child_id=child_id,
                        agenda_item_id=agenda.get((meeting_id, child_id)),
                        outcome=row.values.get("outcome") or "",
                    )
                )
            elif "outcome" in row.values and discussion.outcome != (row.values["outcome"] or ""):
                before = copy.copy(discussion)
                discussion.outcome = row.values["outcome"] or ""
                discussion.meeting = meetings[meeting_id]
                updates.append((before, discussion))
        if creates:
            created = Discussion.objects.bulk_create(creates, batch_size=2000)
            if any(discussion.pk is None for discussion in created):
                ids = {
                    (meeting_id, child_id): pk
                    for pk, meeting_id, child_id in Discussion.objects.filter(
                        meeting_id__in=list(meetings), child_id__in=children
                    ).values_list("pk", "meeting_id", "child_id")
                }
                for discussion in created:
                    discussion.pk = ids[(discussion.meeting_id, discussion.child_id)]
        if updates:
            Discussion.objects.bulk_update([after for _, after in updates], ["outcome"])
        record_history(Discussion, "id", list(creates), updates, resolved[ACTOR])

    # Exporting -----------------------------------------------------------------------------

    def export_queryset(self, children: QuerySet[Child] | None) -> QuerySet[Discussion]:
        """One row per discussion: of the children given (None: every child)."""
        if children is None:
            return Discussion.objects.all()
        return Discussion.objects.filter(child__in=children.values("pk"))

    def export_rows(self, children: QuerySet[Child] | None) -> Iterator[list[str]]:
        """Rows by meeting reference, then child reference."""
        rows = (
            self.export_queryset(children)
            .order_by("meeting__meeting_ref", "child__child_ref", "pk")
            .values_list(
                "meeting__meeting_ref",
                "meeting__panel__name",
                "meeting__meeting_type",
                "meeting__held_on",
                "child__child_ref",
                "outcome",
            )
            .iterator(chunk_size=2000)
        )
        parsers = [column.parser for column in self.bound]
        for values in rows:
            yield [parser.format(value) for parser, value in zip(parsers, values, strict=True)]
