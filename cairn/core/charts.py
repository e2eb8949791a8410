"""Small, accessible charts rendered on the server as SVG.

DESIGN.md names Vega-Lite for charts. Vega compiles expressions with `new Function`, which the
content security policy forbids (no 'unsafe-eval'); a server-drawn SVG needs no script at all,
prints well and works on a closed network. Every chart is shown with a data table beside it (the
template's job), and carries a title and description for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 150, 20, 16, 36


@dataclass(frozen=True)
class StepPoint:
    when: date
    value: int  # index into the chart's levels


def _x(day: date, start: date, end: date) -> float:
    span = max((end - start).days, 1)
    return LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span


def _y(value: int, levels: int) -> float:
    usable = HEIGHT - TOP - BOTTOM
    return TOP + usable * (1 - value / max(levels - 1, 1))


def step_chart(
    points: Sequence[StepPoint],
    *,
    levels: Sequence[str],
    title: str,
    description: str,
    until: date,
    chart_id: str = "chart",
) -> SafeString:
    """A step line of a level over time (e.g. risk levels), from the first point to `until`."""
    if not points:
        return mark_safe("")  # noqa: S308 - empty string
    ordered = sorted(points, key=lambda p: p.when)
    start = ordered[0].when
    end = max(until, ordered[-1].when)
    path: list[str] = []
    for i, point in enumerate(ordered):
        x, y = _x(point.when, start, end), _y(point.value, len(levels))
        if i == 0:
            path.append(f"M{x:.1f},{y:.1f}")
        else:
            prev_y = _y(ordered[i - 1].value, len(levels))
            path.append(f"L{x:.1f},{prev_y:.1f}L{x:.1f},{y:.1f}")
    last_y = _y(ordered[-1].value, len(levels))
    path.append(f"L{_x(end, start, end):.1f},{last_y:.1f}")
    grid = []
    for value, label in enumerate(levels):
        y = _y(value, len(levels))
        grid.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{y + 5:.1f}" text-anchor="end" font-size="14" '
            f'fill="#0b0c0c">{escape(label)}</text>'
        )
    years = range(start.year + 1, end.year + 1)
    ticks = [
        f'<text x="{_x(date(year, 1, 1), start, end):.1f}" y="{HEIGHT - 10}" '
        f'text-anchor="middle" font-size="14" fill="#0b0c0c">{year}</text>'
        for year in years
    ]
    if not ticks:
        ticks = [
            f'<text x="{LEFT}" y="{HEIGHT - 10}" font-size="14" fill="#0b0c0c">{start:%b %Y}</text>'
        ]
    dots = "".join(
        f'<circle cx="{_x(p.when, start, end):.1f}" cy="{_y(p.value, len(levels)):.1f}" r="4" '
        f'fill="#1d70b8"/>'
        for p in ordered
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="cairn-chart">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{''.join(grid)}{''.join(ticks)}"
        f'<path d="{"".join(path)}" fill="none" stroke="#1d70b8" stroke-width="3"/>{dots}'
        f"</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated text is escaped above
