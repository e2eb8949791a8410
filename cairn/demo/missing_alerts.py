"""Repeat-missing alerts for the synthetic county's missing episodes (see cairn.demo.missing).

Alerts are raised as `cairn.missing.services.repeat_missing_alerts_refresh` raises them when it
runs after each episode is recorded, and once more at the end of generation (just before the
anchor day), so that running it at the anchor raises nothing new: an alert needs
CAIRN_REPEAT_MISSING_EPISODES episodes reported within CAIRN_REPEAT_MISSING_DAYS days, ending with
the child's latest, no open alert for the child, and none raised for that episode or a later one.
Most are acknowledged within three weeks, by the lead social worker or a manager, with a note of
what was agreed; those still open at the anchor are recent.
"""

from __future__ import annotations

import bisect
import random
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from django.conf import settings

from cairn.demo import missing_wording as w
from cairn.demo.missing_rows import DAY, HOUR, MINUTE, Episode, MissingRows, between, lead_on

if TYPE_CHECKING:
    from cairn.accounts.models import User
    from cairn.demo.risk import RiskSubject

ACKNOWLEDGED = 0.9  # the rest stay open until the anchor


class RepeatAlerts:
    def __init__(self, *, seed: int, horizon: datetime, managers: list[User], tz: tzinfo) -> None:
        self.rng = random.Random(f"cairn-demo:{seed}:missing-alerts")
        self.horizon = horizon
        self.managers = managers
        self.tz = tz
        self.threshold: int = settings.CAIRN_REPEAT_MISSING_EPISODES
        self.window = timedelta(days=settings.CAIRN_REPEAT_MISSING_DAYS)

    def add(self, s: RiskSubject, episodes: list[Episode], rows: MissingRows) -> None:
        """Append the alerts for one child's episodes (in the order reported) to `rows`."""
        rng, window, horizon = self.rng, self.window, self.horizon
        reported = [e.reported for e in episodes]
        raised: list[tuple[Episode, datetime | None]] = []  # (episode, acknowledged)

        def refresh(now: datetime) -> None:
            latest_index = bisect.bisect_right(reported, now) - 1
            if latest_index < 0:
                return
            latest = episodes[latest_index]
            if latest.reported <= now - window:
                return
            if raised and (raised[-1][1] is None or raised[-1][1] > now):
                return  # an open alert
            if raised and raised[-1][0].reported >= latest.reported:
                return
            count = latest_index + 1 - bisect.bisect_right(reported, latest.reported - window)
            if count < self.threshold:
                return
            acknowledged: datetime | None = None
            if rng.random() < ACKNOWLEDGED:
                acknowledged = now + between(rng, 6 * HOUR, 21 * DAY)
                if acknowledged >= horizon:
                    acknowledged = None
            raised.append((latest, acknowledged))
            by: User | None = None
            note = ""
            if acknowledged is not None:
                by = lead_on(s, acknowledged.astimezone(self.tz).date())
                if rng.random() < 0.3 and self.managers:
                    by = rng.choice(self.managers)
                note = rng.choice(w.ALERT_NOTES).format_map(latest.context)
            rows.alerts.append(
                [s.child, latest.id, count, window.days, now, acknowledged, by and by.id, note]
            )

        for episode in episodes:
            refresh(episode.reported)
        refresh(horizon - MINUTE)
