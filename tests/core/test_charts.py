from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from cairn.core.charts import StepPoint, step_chart

LEVELS = ["None", "Low", "Medium", "High"]


def _chart(points):
    return step_chart(
        points,
        levels=LEVELS,
        title="Risk level over time",
        description="Rose to high in 2025",
        until=date(2026, 1, 1),
    )


def test_the_chart_is_valid_svg_with_a_title_and_description_for_screen_readers():
    svg = _chart([StepPoint(date(2024, 3, 1), 1), StepPoint(date(2025, 6, 1), 3)])
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.find(f"{ns}title").text == "Risk level over time"
    assert root.find(f"{ns}desc").text == "Rose to high in 2025"
    assert len(root.findall(f"{ns}circle")) == 2
    labels = [t.text for t in root.findall(f"{ns}text")]
    assert {"None", "Low", "Medium", "High", "2025", "2026"} <= set(labels)


def test_a_rise_steps_up_at_the_date_of_the_new_level():
    svg = _chart([StepPoint(date(2025, 1, 1), 0), StepPoint(date(2025, 7, 1), 3)])
    path = re.search(r'<path d="([^"]+)"', svg).group(1)
    # Move to the first point, run level until the change, then step up, then run to the end.
    commands = re.findall(r"[ML][\d.]+,[\d.]+", path)
    assert commands[0].startswith("M")
    (_, y0), (x1, y1), (x2, y2) = (tuple(map(float, c[1:].split(","))) for c in commands[:3])
    assert y1 == y0 and x2 == x1 and y2 < y1  # higher level is drawn higher


def test_text_is_escaped():
    svg = step_chart(
        [StepPoint(date(2025, 1, 1), 1)],
        levels=["<b>", "x"],
        title="<script>",
        description="&",
        until=date(2025, 2, 1),
    )
    assert "<script>" not in svg
    assert "&lt;b&gt;" in svg


def test_no_points_no_chart():
    assert _chart([]) == ""
