"""missing_episodes.csv: missing episodes, keyed by `episode_ref`.

`episode_ref, child_ref, agency, placement_ref, last_seen_at, reported_at, returned_at, police_risk,
found_ward_code, out_of_area, concerns`

- `child_ref` names a child in the same import's children.csv or in Cairn; `placement_ref` (the
  placement the child went missing from) names a placement in placements.csv or in Cairn, and it
  must be one of that child's placements.
- Times are ISO 8601 with an offset, or without one meaning Europe/London local time; none may be
  in the future. `reported_at` and `returned_at` cannot be before `last_seen_at`, nor `last_seen_at`
  before the child's date of birth. An empty `returned_at` means the child is still missing.
- An episode in Cairn that has a return home interview keeps a return no later than the interview
  (as on screen): correct the interview first.
- After the episodes are written, Cairn raises repeat-missing alerts for the children concerned,
  as it does when an episode is recorded on screen. Imported episodes have no `recorded_by`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from cairn.children.models import Child, Placement
from cairn.exchange.cells import (
    LONDON,
    Boolean,
    Choice,
    ChoiceList,
    Code,
    DateTime,
    Text,
    choices_of,
    show,
)
from cairn.exchange.specs.agencies import AGENCY_TARGET
from cairn.exchange.specs.base import (
    FILE_STATE,
    Column,
    ParsedRow,
    Spec,
    Target,
    child_owned_row_problems,
)
from cairn.exchange.specs.children import CHILD_TARGET, WARD_TARGET
from cairn.exchange.specs.placements import PLACEMENT_TARGET
from cairn.missing.models import Concern, MissingEpisode, ReturnInterview

if TYPE_CHECKING:
    from cairn.accounts.models import User

EPISODE_TARGET = Target(
    model=MissingEpisode,
    field="episode_ref",
    file="missing_episodes.csv",
    missing="{value} is not an episode in missing_episodes.csv or in Cairn",
)

_ALERT_CHILDREN = "missing_episodes:alert_children"  # in the file's state: child ids to refresh


def moment(value: datetime) -> str:
    """A date-time in a problem message, as an export writes it (London time, with offset)."""
    return value.astimezone(LONDON).isoformat(timespec="seconds")


def _placement_problem(row: ParsedRow) -> tuple[int, str, str]:
    return (
        row.row,
        "placement_ref",
        f"{show(row.values['placement_ref'])} is not a placement of child "
        f"{show(row.values['child_ref'])}",
    )


def _birth_problem(row: ParsedRow, date_of_birth: date | None) -> tuple[int, str, str] | None:
    last_seen: datetime = row.values["last_seen_at"]
    if date_of_birth is None or last_seen.astimezone(LONDON).date() >= date_of_birth:
        return None
    return (
        row.row,
        "last_seen_at",
        f"{moment(last_seen)} is before the child's date of birth ({date_of_birth.isoformat()})",
    )


class MissingEpisodeSpec(Spec):
    file_name = "missing_episodes.csv"
    model = MissingEpisode
    key = "episode_ref"
    columns = (
        Column("episode_ref", Text(), required=True),
        Column("child_ref", Text(), field="child", required=True, target=CHILD_TARGET),
        Column("agency", Code(), required=True, target=AGENCY_TARGET),
        Column("placement_ref", Text(), field="placement", target=PLACEMENT_TARGET),
        Column("last_seen_at", DateTime(not_future=True), required=True),
        Column("reported_at", DateTime(not_future=True), required=True),
        Column("returned_at", DateTime(not_future=True)),
        Column("police_risk", Choice(), required=True),
        Column("found_ward_code", Text(), field="found_ward", target=WARD_TARGET),
        Column("out_of_area", Boolean()),
        Column("concerns", ChoiceList(values=choices_of(Concern))),
    )

    # Checking ------------------------------------------------------------------------------

    def check_row(self, values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
        last_seen = values.get("last_seen_at")
        if last_seen is None:
            return
        for name in ("reported_at", "returned_at"):
            value = values.get(name)
            if value is not None and value < last_seen:
                yield name, f"{moment(value)} is before last_seen_at {moment(last_seen)}"

    def check_chunk(
        self, *, rows: list[ParsedRow], import_keys: Mapping[str, Mapping[str, int]]
    ) -> Iterable[tuple[int, str, str]]:
        """For children and placements already in Cairn (and not in this import): the placement
        is the child's, and the child was born by the time last seen. For episodes in Cairn with
        a return home interview: the return stays no later than the interview."""
        readable = [row for row in rows if not row.failed]
        in_import = import_keys.get("placements.csv", {})
        placements = {
            ref
            for row in readable
            if (ref := row.values.get("placement_ref")) is not None and ref not in in_import
        }
        owners = dict(
            Placement.objects.filter(placement_ref__in=placements).values_list(
                "placement_ref", "child__child_ref"
            )
        )
        for row in readable:
            owner = owners.get(row.values.get("placement_ref") or "")
            if owner is not None and owner != row.values["child_ref"]:
                yield _placement_problem(row)
        children_in_import = import_keys.get("children.csv", {})
        named = {row.values["child_ref"] for row in readable}
        births = dict(
            Child.objects.filter(
                child_ref__in={ref for ref in named if ref not in children_in_import}
            ).values_list("child_ref", "date_of_birth")
        )
        for row in readable:
            if row.values["child_ref"] in births:
                problem = _birth_problem(row, births[row.values["child_ref"]])
                if problem is not None:
                    yield problem
        yield from self._interview_problems(readable)

    def _interview_problems(self, rows: list[ParsedRow]) -> Iterable[tuple[int, str, str]]:
        interviews = {
            ref: (interview_ref, offered, completed)
            for ref, interview_ref, offered, completed in ReturnInterview.objects.filter(
                episode__episode_ref__in=[row.key for row in rows if "returned_at" in row.values]
            ).values_list("episode__episode_ref", "interview_ref", "offered_at", "completed_at")
        }
        for row in rows:
            if row.key not in interviews or "returned_at" not in row.values:
                continue
            interview_ref, offered, completed = interviews[row.key]
            returned = row.values["returned_at"]
            if returned is None:
                yield (
                    row.row,
                    "returned_at",
                    f"is empty, but the episode has a return home interview "
                    f"({show(interview_ref)}), which follows a return",
                )
                continue
            for word, when in (("offered", offered), ("completed", completed)):
                if when is not None and when < returned:
                    yield (
                        row.row,
                        "returned_at",
                        f"{moment(returned)} is after the episode's return home interview "
                        f"({show(interview_ref)}) was {word} at {moment(when)}: correct the "
                        "interview first",
                    )
                    break

    def authorize(
        self, *, actor: User, rows: list[ParsedRow], import_keys: Mapping[str, Mapping[str, int]]
    ) -> Iterable[tuple[int, str, str]]:
        return child_owned_row_problems(
            actor=actor,
            rows=rows,
            import_keys=import_keys,
            model=MissingEpisode,
            key=self.key,
            noun="an episode",
        )

    # Writing -------------------------------------------------------------------------------

    def prepare_chunk(
        self, *, rows: list[ParsedRow], resolved: dict[str, Any]
    ) -> Iterable[tuple[int, str, str]]:
        """The checks of `check_chunk` for children and placements this import wrote."""
        child_ids: Mapping[str, int] = resolved["child_ref"]
        placement_ids: Mapping[str, int] = resolved.get("placement_ref", {})
        owners = dict(
            Placement.objects.filter(pk__in=set(placement_ids.values())).values_list(
                "pk", "child_id"
            )
        )
        births = dict(
            Child.objects.filter(pk__in=set(child_ids.values())).values_list("pk", "date_of_birth")
        )
        problems: list[tuple[int, str, str]] = []
        for row in rows:
            child_id = child_ids[row.values["child_ref"]]
            placement = row.values.get("placement_ref")
            if placement is not None and owners[placement_ids[placement]] != child_id:
                problems.append(_placement_problem(row))
            problem = _birth_problem(row, births[child_id])
            if problem is not None:
                problems.append(problem)
        return problems

    def after_write(
        self,
        *,
        rows: list[ParsedRow],
        saved: Mapping[str, models.Model],
        resolved: Mapping[str, Any],
    ) -> None:
        """Note the children whose repeat-missing alerts may change: those with an episode
        reported recently enough to fall in a window that ends within the last window."""
        window = timedelta(days=settings.CAIRN_REPEAT_MISSING_DAYS)
        since = timezone.now() - 2 * window
        children: set[int] = resolved[FILE_STATE].setdefault(_ALERT_CHILDREN, set())
        for row in rows:
            if row.values["reported_at"] > since:
                children.add(resolved["child_ref"][row.values["child_ref"]])

    def after_file(self, *, state: dict[str, Any]) -> None:
        """Raise repeat-missing alerts, as recording an episode on screen does. The service
        looks at one child at a time, so it is asked only about the children noted in
        `after_write` whose latest episode falls in the last window and makes enough episodes
        in the window before it (found from one query over the last two windows)."""
        from cairn.missing.services import repeat_missing_alerts_refresh

        children = state.get(_ALERT_CHILDREN)
        if not children:
            return
        now = timezone.now()
        window = timedelta(days=settings.CAIRN_REPEAT_MISSING_DAYS)
        reported: dict[int, list[datetime]] = {}
        for child_id, moment in MissingEpisode.objects.filter(
            reported_at__gt=now - 2 * window, reported_at__lte=now
        ).values_list("child_id", "reported_at"):
            if child_id in children:
                reported.setdefault(child_id, []).append(moment)
        threshold = settings.CAIRN_REPEAT_MISSING_EPISODES
        candidates = []
        for child_id, moments in reported.items():
            latest = max(moments)
            if latest > now - window and (
                sum(1 for moment in moments if moment > latest - window) >= threshold
            ):
                candidates.append(child_id)
        if candidates:
            repeat_missing_alerts_refresh(candidates)

    # Exporting -----------------------------------------------------------------------------

    def export_queryset(self, children: QuerySet[Child] | None) -> QuerySet[MissingEpisode]:
        if children is None:
            return MissingEpisode.objects.all()
        return MissingEpisode.objects.filter(child__in=children.values("pk"))
