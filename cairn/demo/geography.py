"""The synthetic county's map: wards, divisions and localities as GeoJSON that tile exactly.

The county is a jittered grid over a made-up box (longitude -1.9 to -1.3, latitude 52.3 to 52.7):
neighbouring wards share the very same vertices, so shapes never overlap and leave no gaps. Eight
edge cells are left out to give the county a ragged outline, leaving 40 wards. Each 2 x 2 block of
cells is one electoral division (12 in all), and its shape is the outline of its wards. The map is
the same for every seed: only the people differ.

Everything here is pure data: `county_map()` returns plain dataclasses for the generator to save.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from typing import Any

LOCAL_AUTHORITY_CODE = "E10000099"
LOCAL_AUTHORITY_NAME = "Synthetshire County Council"

WEST, EAST = -1.9, -1.3
SOUTH, NORTH = 52.3, 52.7
COLS, ROWS = 8, 6  # row 0 is the northern edge
CORNER_JITTER = 0.2  # of a cell, so every ward stays a simple polygon
EDGE_JITTER = 0.1

# Edge cells left out of the county; each sits in a different division.
DROPPED_CELLS = frozenset({(0, 0), (0, 3), (0, 7), (2, 0), (3, 7), (5, 0), (5, 4), (5, 7)})

LOCALITIES = (("SYLN", "North"), ("SYLW", "West"), ("SYLE", "East"))

# One name per kept cell, row by row from the north-west; the towns' wards come first in each.
WARD_NAMES = (
    # row 0 (cells 1, 2, 4, 5, 6)
    "Northmoor",
    "Ashby Marsh",
    "Kettlewick",
    "Fellside",
    "Brackenfield",
    # row 1
    "Hollin Green",
    "Carnford Castle",
    "Carnford Abbey",
    "Sallowby",
    "Oxley Chase",
    "Carnford Riverside",
    "Carnford Hillside",
    "Wren Hill",
    # row 2 (cells 1-7)
    "Millbeck",
    "Wexley North",
    "Tollbridge",
    "Eastmere Old Town",
    "Brennock",
    "Saltings",
    "Curlew Point",
    # row 3 (cells 0-6)
    "Copperfold",
    "Wexley Castle",
    "Wexley South",
    "Linnet Fields",
    "Eastmere Quay",
    "Eastmere Park",
    "Heronsgate",
    # row 4
    "Stonecross",
    "Wexley Meadows",
    "Dunholm Park",
    "Greywater",
    "Eastmere Docks",
    "Marram Sands",
    "Sheldwick",
    "Thistlebrook",
    # row 5 (cells 1, 2, 3, 5, 6)
    "Elmstead Rise",
    "Fairbrook",
    "Harrowden Vale",
    "Ravensholt",
    "Pennyfold",
)

# Division names by block (block row, block column).
DIVISION_NAMES = {
    (0, 0): "Northmoor and Carnford Castle",
    (0, 1): "Carnford Abbey and Ashby",
    (0, 2): "Carnford Riverside and Kettlewick",
    (0, 3): "Wren Hill and Brackenfield",
    (1, 0): "Wexley Castle and Millbeck",
    (1, 1): "Wexley and Tollbridge",
    (1, 2): "Eastmere Central",
    (1, 3): "Saltings and Heronsgate",
    (2, 0): "Stonecross and Elmstead",
    (2, 1): "Dunholm and Harrowden",
    (2, 2): "Eastmere Docks and Ravensholt",
    (2, 3): "Sheldwick and Pennyfold",
}

TOWNS = ("Carnford", "Wexley", "Eastmere")


@dataclass(frozen=True)
class WardSpec:
    code: str
    name: str
    locality_code: str
    division_code: str
    shape: dict[str, Any]
    weight: int  # relative number of children living there (towns are busier)
    outward_code: str  # postcode district, "SX7": no real postcode area is SX
    centre: tuple[float, float]


@dataclass(frozen=True)
class DivisionSpec:
    code: str
    name: str
    locality_code: str
    shape: dict[str, Any]


@dataclass(frozen=True)
class CountyMap:
    wards: tuple[WardSpec, ...]
    divisions: tuple[DivisionSpec, ...]
    outline: dict[str, Any]


Point = tuple[float, float]
VertexKey = tuple[str, int, int]


def _locality_for(row: int, col: int) -> str:
    if row < 2:
        return "SYLN"
    return "SYLW" if col < COLS // 2 else "SYLE"


def _vertices() -> dict[VertexKey, Point]:
    """Every shared vertex of the grid, jittered once (fixed seed: the map never changes)."""
    rng = random.Random("Synthetshire map")
    width = (EAST - WEST) / COLS
    height = (NORTH - SOUTH) / ROWS
    points: dict[VertexKey, Point] = {}
    for r in range(ROWS + 1):
        for c in range(COLS + 1):
            dx = 0.0 if c in (0, COLS) else rng.uniform(-CORNER_JITTER, CORNER_JITTER)
            dy = 0.0 if r in (0, ROWS) else rng.uniform(-CORNER_JITTER, CORNER_JITTER)
            points[("v", r, c)] = (c + dx, r + dy)
    # Midpoints of horizontal edges ("h", r, c): between (r, c) and (r, c + 1), moved up or down;
    # on the county's outer edge only inwards so the county stays inside its box.
    for r in range(ROWS + 1):
        for c in range(COLS):
            (x1, y1), (x2, y2) = points[("v", r, c)], points[("v", r, c + 1)]
            jitter = rng.uniform(-EDGE_JITTER, EDGE_JITTER)
            if r == 0:
                jitter = abs(jitter)
            elif r == ROWS:
                jitter = -abs(jitter)
            points[("h", r, c)] = ((x1 + x2) / 2, (y1 + y2) / 2 + jitter)
    # Midpoints of vertical edges ("e", r, c): between (r, c) and (r + 1, c), moved sideways.
    for r in range(ROWS):
        for c in range(COLS + 1):
            (x1, y1), (x2, y2) = points[("v", r, c)], points[("v", r + 1, c)]
            jitter = rng.uniform(-EDGE_JITTER, EDGE_JITTER)
            if c == 0:
                jitter = abs(jitter)
            elif c == COLS:
                jitter = -abs(jitter)
            points[("e", r, c)] = ((x1 + x2) / 2 + jitter, (y1 + y2) / 2)
    # Grid units to longitude/latitude (row 0 at the north), rounded to about a metre.
    return {
        key: (round(WEST + x * width, 5), round(NORTH - y * height, 5))
        for key, (x, y) in points.items()
    }


def _cell_ring(row: int, col: int) -> list[VertexKey]:
    """The cell's eight vertices, anticlockwise on the map (north-west, west, south-west, ...)."""
    return [
        ("v", row, col),
        ("e", row, col),
        ("v", row + 1, col),
        ("h", row + 1, col),
        ("v", row + 1, col + 1),
        ("e", row, col + 1),
        ("v", row, col + 1),
        ("h", row, col),
    ]


def ring_area(ring: list[Point] | list[list[float]]) -> float:
    """Signed area by the shoelace formula: positive when the ring runs anticlockwise."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        total += x1 * y2 - x2 * y1
    return total / 2


def _polygon(keys: list[VertexKey], points: dict[VertexKey, Point]) -> dict[str, Any]:
    ring = [list(points[k]) for k in keys]
    ring.append(list(ring[0]))
    if ring_area(ring) < 0:  # RFC 7946: exterior rings run anticlockwise
        ring.reverse()
    return {"type": "Polygon", "coordinates": [ring]}


def _outline(rings: list[list[VertexKey]]) -> list[VertexKey]:
    """The outer boundary of adjacent cells: drop every edge two cells share, chain the rest."""
    edges: set[tuple[VertexKey, VertexKey]] = set()
    for ring in rings:
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            if (b, a) in edges:
                edges.discard((b, a))
            else:
                edges.add((a, b))
    following = dict(edges)
    if len(following) != len(edges):
        raise ValueError("cells do not form a single outline")
    start = min(following)
    keys = [start]
    while (nxt := following[keys[-1]]) != start:
        keys.append(nxt)
    if len(keys) != len(edges):
        raise ValueError("cells do not form a single outline")
    return keys


@functools.cache
def county_map() -> CountyMap:
    points = _vertices()
    cells = [(r, c) for r in range(ROWS) for c in range(COLS) if (r, c) not in DROPPED_CELLS]
    assert len(cells) == len(WARD_NAMES)
    block_codes = {block: f"SYD{i:02d}" for i, block in enumerate(sorted(DIVISION_NAMES), 1)}
    districts = max(1, len(cells) // 3)
    wards = []
    for index, ((r, c), name) in enumerate(zip(cells, WARD_NAMES, strict=True)):
        shape = _polygon(_cell_ring(r, c), points)
        ring = shape["coordinates"][0][:-1]
        centre = (
            round(sum(p[0] for p in ring) / len(ring), 5),
            round(sum(p[1] for p in ring) / len(ring), 5),
        )
        wards.append(
            WardSpec(
                code=f"SYW{index + 1:03d}",
                name=name,
                locality_code=_locality_for(r, c),
                division_code=block_codes[(r // 2, c // 2)],
                shape=shape,
                weight=3 if name.split()[0] in TOWNS else 1,
                outward_code=f"SX{index * districts // len(cells) + 1}",
                centre=centre,
            )
        )
    divisions = []
    for block, code in block_codes.items():
        block_cells = [cell for cell in cells if (cell[0] // 2, cell[1] // 2) == block]
        keys = _outline([_cell_ring(r, c) for r, c in block_cells])
        divisions.append(
            DivisionSpec(
                code=code,
                name=DIVISION_NAMES[block],
                locality_code=_locality_for(block_cells[0][0], block_cells[0][1]),
                shape=_polygon(keys, points),
            )
        )
    outline = _polygon(_outline([_cell_ring(r, c) for r, c in cells]), points)
    return CountyMap(wards=tuple(wards), divisions=tuple(divisions), outline=outline)


def point_in_polygon(point: Point, shape: dict[str, Any]) -> bool:
    """Ray casting over every polygon of a GeoJSON Polygon or MultiPolygon (no holes used here)."""
    polygons = [shape["coordinates"]] if shape["type"] == "Polygon" else shape["coordinates"]
    x, y = point
    for polygon in polygons:
        ring = polygon[0]
        inside = False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        if inside:
            return True
    return False
