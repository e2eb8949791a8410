"""The rows the synthetic county's missing records are written as (cairn.demo.missing,
cairn.demo.interviews, cairn.demo.philomena), and what those modules share."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from cairn.children.models import Placement
from cairn.demo.rows import RowTable
from cairn.missing.models import (
    InterviewAttempt,
    MissingEpisode,
    PhilomenaProfile,
    RepeatMissingAlert,
    ReturnInterview,
)

if TYPE_CHECKING:
    from cairn.accounts.models import User
    from cairn.demo.risk import RiskSubject

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
Moment = TypeVar("Moment", datetime, timedelta)


def between(rng: random.Random, earliest: Moment, latest: Moment) -> Moment:
    """A moment (or a length of time) a whole number of minutes after `earliest`, up to
    `latest` (`earliest` itself when they are less than a minute apart)."""
    minutes = int((latest - earliest) / MINUTE)
    return earliest + MINUTE * rng.randint(0, max(0, minutes))


def lead_on(s: RiskSubject, day: date) -> User:
    """The child's lead social worker on `day`."""
    return s.previous if s.previous is not None and day < s.lead_start else s.lead


@dataclass(slots=True)
class Episode:
    """An episode as drawn, for the interview and alerts that follow from it."""

    id: int
    last_seen: datetime
    reported: datetime
    returned: datetime | None
    placement: Placement
    rank: int  # the child's risk rank around the time
    far: bool  # found out of area
    context: dict[str, str]  # values for the wording's placeholders
    travel: str = ""


@dataclass
class MissingRows:
    """Rows for `Batch`, in the order they are written."""

    episodes: list[list[Any]] = field(default_factory=list)
    interviews: list[list[Any]] = field(default_factory=list)
    attempts: list[tuple[int, datetime, str, int | None]] = field(default_factory=list)
    alerts: list[list[Any]] = field(default_factory=list)
    profiles: list[list[Any]] = field(default_factory=list)

    def write(self) -> None:
        EPISODES.insert(self.episodes)
        INTERVIEWS.insert(self.interviews)
        ATTEMPTS.insert(self.attempts)
        ALERTS.insert(self.alerts)
        PROFILES.insert(self.profiles)


EPISODES = RowTable(
    MissingEpisode,
    ("id", "episode_ref", "child", "agency", "recorded_by", "placement", "last_seen_at",
     "last_seen_place", "last_seen_with", "clothing_worn", "reported_at", "reported_by",
     "police_reference", "police_risk", "concerns", "returned_at", "found_place", "found_ward",
     "out_of_area", "found_with", "travel", "created_at", "updated_at"),
    instance_fields=("child", "placement"),
    datetime_fields=("last_seen_at", "reported_at", "returned_at"),
)  # fmt: skip
INTERVIEWS = RowTable(
    ReturnInterview,
    ("id", "interview_ref", "episode", "agency", "offered_at", "completed_at", "declined",
     "declined_reason", "not_held_reason", "interviewer", "interviewer_name",
     "interviewer_agency", "push_factors", "pull_factors", "where_stayed", "with_whom", "travel",
     "harm_disclosed", "harm_detail", "support_offered", "intelligence_shared",
     "intelligence_shared_with", "summary", "created_at", "updated_at"),
    datetime_fields=("offered_at", "completed_at"),
)  # fmt: skip
ATTEMPTS = RowTable(
    InterviewAttempt,
    ("interview", "attempted_at", "note", "recorded_by"),
    datetime_fields=("attempted_at",),
)
ALERTS = RowTable(
    RepeatMissingAlert,
    ("child", "episode", "episodes", "window_days", "raised_at", "acknowledged_at",
     "acknowledged_by", "note"),
    instance_fields=("child",),
    datetime_fields=("raised_at", "acknowledged_at"),
)  # fmt: skip
PROFILES = RowTable(
    PhilomenaProfile,
    ("child", "height", "build", "hair", "eyes", "distinguishing_features", "clothing_style",
     "phones", "social_media", "associates", "places", "risk_locations", "medical_needs",
     "vulnerabilities", "languages", "reviewed_on", "reviewed_by", "placement_at_review",
     "created_at", "updated_at"),
    instance_fields=("child", "placement_at_review"),
    date_fields=("reviewed_on",),
)  # fmt: skip
