"""return_interviews.csv: return home interviews, keyed by `interview_ref`.

`interview_ref, episode_ref, agency, offered_at, completed_at, declined, interviewer_agency,
summary`

- `episode_ref` names an episode in the same import's missing_episodes.csv or in Cairn. An episode
  has at most one interview: a second row for it, or a row for an episode that already has an
  interview in Cairn under another `interview_ref`, is a problem.
- The episode must have a return (`returned_at`); `offered_at` and `completed_at` cannot be before
  it, nor in the future, and `completed_at` cannot be before `offered_at`. `completed_at` and
  `declined=true` exclude each other. `interviewer_agency` is an agency code.
- For an episode in the same import these checks are made once the episodes are written; the
  import is still all or nothing. Columns Cairn records on screen but the format does not carry
  (push and pull factors, reasons, the interviewer's name...) keep their values on update.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from cairn.children.models import Child
from cairn.exchange.cells import Boolean, Code, DateTime, Text, show
from cairn.exchange.specs.agencies import AGENCY_TARGET
from cairn.exchange.specs.base import Column, ParsedRow, Spec, editable_child_refs
from cairn.exchange.specs.missing_episodes import EPISODE_TARGET, moment
from cairn.missing.models import MissingEpisode, ReturnInterview

if TYPE_CHECKING:
    from cairn.accounts.models import User


def _return_problems(
    row: ParsedRow, episode_ref: str, returned: datetime | None
) -> Iterable[tuple[int, str, str]]:
    """The interview's times against its episode's return."""
    if returned is None:
        yield (
            row.row,
            "episode_ref",
            f"{show(episode_ref)} has no returned_at: a return home interview follows a return",
        )
        return
    for name in ("offered_at", "completed_at"):
        value = row.values.get(name)
        if value is not None and value < returned:
            yield (
                row.row,
                name,
                f"{moment(value)} is before the episode's returned_at {moment(returned)}",
            )


class ReturnInterviewSpec(Spec):
    file_name = "return_interviews.csv"
    model = ReturnInterview
    key = "interview_ref"
    unique = {"episode_ref": "an episode has at most one return home interview"}
    columns = (
        Column("interview_ref", Text(), required=True),
        Column("episode_ref", Text(), field="episode", required=True, target=EPISODE_TARGET),
        Column("agency", Code(), required=True, target=AGENCY_TARGET),
        Column("offered_at", DateTime(not_future=True)),
        Column("completed_at", DateTime(not_future=True)),
        Column("declined", Boolean()),
        Column("interviewer_agency", Code(), target=AGENCY_TARGET),
        Column("summary", Text()),
    )

    # Checking ------------------------------------------------------------------------------

    def check_row(self, values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
        offered, completed = values.get("offered_at"), values.get("completed_at")
        if completed is not None and values.get("declined"):
            yield (
                "declined",
                "is true, but completed_at is set: an interview is either completed or declined",
            )
        if offered is not None and completed is not None and completed < offered:
            yield "completed_at", f"{moment(completed)} is before offered_at {moment(offered)}"

    def check_chunk(
        self, *, rows: list[ParsedRow], import_keys: Mapping[str, Mapping[str, int]]
    ) -> Iterable[tuple[int, str, str]]:
        """Episodes that already have another interview in Cairn; and, for episodes in Cairn
        (not in this import), interviews of episodes without a return or before it."""
        readable = [row for row in rows if not row.failed]
        named = {row.values["episode_ref"] for row in readable}
        taken = dict(
            ReturnInterview.objects.filter(episode__episode_ref__in=named).values_list(
                "episode__episode_ref", "interview_ref"
            )
        )
        for row in readable:
            other = taken.get(row.values["episode_ref"])
            if other is not None and other != row.key:
                yield (
                    row.row,
                    "episode_ref",
                    f"{show(row.values['episode_ref'])} already has a return home interview in "
                    f"Cairn ({show(other)}): an episode has at most one",
                )
        in_import = import_keys.get("missing_episodes.csv", {})
        returns = dict(
            MissingEpisode.objects.filter(
                episode_ref__in={ref for ref in named if ref not in in_import}
            ).values_list("episode_ref", "returned_at")
        )
        for row in readable:
            ref = row.values["episode_ref"]
            if ref in returns:
                yield from _return_problems(row, ref, returns[ref])

    def authorize(
        self, *, actor: User, rows: list[ParsedRow], import_keys: Mapping[str, Mapping[str, int]]
    ) -> Iterable[tuple[int, str, str]]:
        """An interview may be written only for an episode of a child the user may change: the
        episode named (unless this import's missing_episodes.csv has it, which is checked
        there) and, for an interview already in Cairn, the episode it belongs to now."""
        in_import = import_keys.get("missing_episodes.csv", {})
        current = dict(
            ReturnInterview.objects.filter(interview_ref__in=[r.key for r in rows if r.key])
            .order_by()
            .values_list("interview_ref", "episode__child__child_ref")
        )
        named = {
            ref
            for row in rows
            if (ref := row.values.get("episode_ref")) is not None and ref not in in_import
        }
        owners = dict(
            MissingEpisode.objects.filter(episode_ref__in=named).values_list(
                "episode_ref", "child__child_ref"
            )
        )
        allowed = editable_child_refs(actor, set(current.values()) | set(owners.values()))
        for row in rows:
            owner = current.get(row.key or "")
            if owner is not None and owner not in allowed:
                yield (
                    row.row,
                    self.key,
                    f"{show(row.key or '')} is an interview of a child whose record you cannot "
                    "change",
                )
                continue
            episode = row.values.get("episode_ref")
            if episode in owners and owners[episode] not in allowed:
                yield (
                    row.row,
                    "episode_ref",
                    f"{show(episode)} is an episode of a child whose record you cannot change",
                )

    # Writing -------------------------------------------------------------------------------

    def prepare_chunk(
        self, *, rows: list[ParsedRow], resolved: dict[str, Any]
    ) -> Iterable[tuple[int, str, str]]:
        """The return checks for episodes this import wrote (the episodes are written by now)."""
        episode_ids: Mapping[str, int] = resolved["episode_ref"]
        returns = dict(
            MissingEpisode.objects.filter(pk__in=set(episode_ids.values())).values_list(
                "pk", "returned_at"
            )
        )
        problems: list[tuple[int, str, str]] = []
        for row in rows:
            ref = row.values["episode_ref"]
            problems.extend(_return_problems(row, ref, returns[episode_ids[ref]]))
        return problems

    # Exporting -----------------------------------------------------------------------------

    def export_queryset(self, children: QuerySet[Child] | None) -> QuerySet[ReturnInterview]:
        if children is None:
            return ReturnInterview.objects.all()
        return ReturnInterview.objects.filter(episode__child__in=children.values("pk"))
