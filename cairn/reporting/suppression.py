"""Small-number suppression for figures seen by people without access to the records.

DOMAIN.md: suppress any count from 1 to 4 as "fewer than 5", and suppress a second cell where a
total would reveal it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

FEWER_THAN = "fewer than 5"


@dataclass(frozen=True)
class Cell:
    value: int
    shown: str  # the figure as published: the number, or "fewer than 5"

    @property
    def suppressed(self) -> bool:
        return self.shown != str(self.value)


def suppress(parts: Mapping[str, int], *, threshold: int = 5) -> dict[str, Cell]:
    """Publishable cells for parts of a published total. A part from 1 to threshold-1 is hidden;
    if exactly one part is hidden, the smallest other non-zero part is hidden too, so that the
    total cannot give it away."""
    hidden = {key for key, value in parts.items() if 0 < value < threshold}
    if len(hidden) == 1:
        others = sorted(
            (value, key) for key, value in parts.items() if key not in hidden and value > 0
        )
        if others:
            hidden.add(others[0][1])
    return {
        key: Cell(
            value,
            FEWER_THAN
            if key in hidden and value < threshold
            else ("suppressed" if key in hidden else str(value)),
        )
        for key, value in parts.items()
    }


def suppress_total(total: int, *, threshold: int = 5) -> Cell:
    return Cell(total, FEWER_THAN if 0 < total < threshold else str(total))
