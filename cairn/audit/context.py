"""Where the current request came from, for access events written deep inside services."""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("cairn_current_ip", default=None)
