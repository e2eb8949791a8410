"""The append-only, hash-chained access log.

Every view of a child, search, list, export, import and change writes one `AccessEvent`. Each event
stores the hash of the one before it, so editing, deleting or reordering stored events breaks the
chain, and `cairn audit verify` names the first broken event.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a stored access event."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("access events cannot be changed")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("access events cannot be deleted")

    def bulk_update(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("access events cannot be changed")


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    LIST = "list", "Listed"
    EXPORT = "export", "Exported"
    IMPORT = "import", "Imported"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    BREAK_GLASS = "break_glass", "Broke glass"
    DENIED = "denied", "Refused access"


class AccessEvent(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_events",
    )
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_events",
    )
    reason = models.CharField(max_length=500, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["child", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.username} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise AppendOnlyError("access events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("access events cannot be deleted")


class ChainHead(models.Model):
    """One row: the last event's sequence number and hash. Writers lock it to extend the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.seq}"
