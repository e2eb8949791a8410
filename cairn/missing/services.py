"""Writes for missing episodes, return home interviews, repeat-missing alerts and Philomena
profiles. Each function checks the access policy, validates, writes in a transaction and records
an access event; free text gets children-first language guidance (never blocking)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cairn.missing.models import MissingEpisode, RepeatMissingAlert

# Repeat-missing alerts -----------------------------------------------------------------------


def repeat_missing_alerts_refresh(child_ids: Iterable[int]) -> list[RepeatMissingAlert]:
    """Raise a repeat-missing alert for each of these children whose latest episode makes
    CAIRN_REPEAT_MISSING_EPISODES or more reported within CAIRN_REPEAT_MISSING_DAYS days, when
    that episode was reported within the window before now, the child has no open alert, and no
    alert was already raised for that episode or a later one. Returns the alerts raised. Called
    after recording an episode and after importing episodes."""
    threshold = settings.CAIRN_REPEAT_MISSING_EPISODES
    window = timedelta(days=settings.CAIRN_REPEAT_MISSING_DAYS)
    now = timezone.now()
    raised = []
    with transaction.atomic():
        for child_id in sorted(set(child_ids)):
            latest = (
                MissingEpisode.objects.filter(child_id=child_id, reported_at__lte=now)
                .order_by("-reported_at", "-id")
                .first()
            )
            if latest is None or latest.reported_at <= now - window:
                continue
            alerts = RepeatMissingAlert.objects.filter(child_id=child_id)
            if alerts.filter(acknowledged_at__isnull=True).exists():
                continue
            if alerts.filter(episode__reported_at__gte=latest.reported_at).exists():
                continue
            count = MissingEpisode.objects.filter(
                child_id=child_id,
                reported_at__gt=latest.reported_at - window,
                reported_at__lte=latest.reported_at,
            ).count()
            if count < threshold:
                continue
            raised.append(
                RepeatMissingAlert.objects.create(
                    child_id=child_id,
                    episode=latest,
                    episodes=count,
                    window_days=window.days,
                    raised_at=now,
                )
            )
    return raised
