"""The synthetic county's map: valid GeoJSON polygons that tile the county without overlap."""

from __future__ import annotations

import itertools

import pytest

from cairn.demo.geography import (
    EAST,
    NORTH,
    SOUTH,
    WEST,
    county_map,
    point_in_polygon,
    ring_area,
)


def _segments_cross(p1, p2, p3, p4) -> bool:  # type: ignore[no-untyped-def]
    def orient(a, b, c):  # type: ignore[no-untyped-def]
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = orient(p3, p4, p1), orient(p3, p4, p2)
    d3, d4 = orient(p1, p2, p3), orient(p1, p2, p4)
    return d1 * d2 < 0 and d3 * d4 < 0


def _assert_valid_polygon(shape: dict) -> None:  # type: ignore[type-arg]
    assert shape["type"] == "Polygon"
    assert len(shape["coordinates"]) == 1, "one exterior ring, no holes"
    ring = shape["coordinates"][0]
    assert len(ring) >= 4
    assert ring[0] == ring[-1], "the ring is closed"
    assert len({tuple(p) for p in ring[:-1]}) == len(ring) - 1, "no repeated vertices"
    for lon, lat in ring:
        assert WEST <= lon <= EAST and SOUTH <= lat <= NORTH
    assert ring_area(ring) > 0, "RFC 7946: exterior rings run anticlockwise"
    edges = list(itertools.pairwise(ring))
    for (i, (a, b)), (j, (c, d)) in itertools.combinations(enumerate(edges), 2):
        if abs(i - j) > 1 and {i, j} != {0, len(edges) - 1}:
            assert not _segments_cross(a, b, c, d), "the ring does not cross itself"


def test_county_has_forty_wards_in_twelve_divisions_and_three_localities():
    county = county_map()
    assert len(county.wards) == 40
    assert len(county.divisions) == 12
    assert {w.locality_code for w in county.wards} == {"SYLN", "SYLW", "SYLE"}
    assert [w.code for w in county.wards] == [f"SYW{n:03d}" for n in range(1, 41)]
    assert len({w.name for w in county.wards}) == 40
    for division in county.divisions:
        wards = [w for w in county.wards if w.division_code == division.code]
        assert 3 <= len(wards) <= 4
        assert {w.locality_code for w in wards} == {division.locality_code}


@pytest.mark.parametrize("index", range(40))
def test_every_ward_is_a_valid_geojson_polygon(index):
    _assert_valid_polygon(county_map().wards[index].shape)


def test_every_division_is_a_valid_polygon_covering_exactly_its_wards():
    county = county_map()
    for division in county.divisions:
        _assert_valid_polygon(division.shape)
        wards = [w for w in county.wards if w.division_code == division.code]
        area = sum(ring_area(w.shape["coordinates"][0]) for w in wards)
        assert ring_area(division.shape["coordinates"][0]) == pytest.approx(area)
        for ward in wards:
            assert point_in_polygon(ward.centre, division.shape)
        for other in county.wards:
            if other.division_code != division.code:
                assert not point_in_polygon(other.centre, division.shape)


def test_wards_tile_the_county_without_overlaps_or_gaps():
    county = county_map()
    steps = 50
    inside_county = 0
    for i, j in itertools.product(range(steps), repeat=2):
        point = (
            WEST + (i + 0.37) * (EAST - WEST) / steps,
            SOUTH + (j + 0.61) * (NORTH - SOUTH) / steps,
        )
        holders = [w.code for w in county.wards if point_in_polygon(point, w.shape)]
        if point_in_polygon(point, county.outline):
            inside_county += 1
            assert len(holders) == 1, f"{point} lies in {holders}"
        else:
            assert holders == [], f"{point} is outside the county but in {holders}"
    assert inside_county > steps * steps * 0.7


def test_the_map_is_the_same_every_time():
    county_map.cache_clear()
    first = county_map()
    county_map.cache_clear()
    assert county_map() == first
