from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from cairn.core.models import Division, Ward


def _square(x: float, y: float) -> list:
    return [[[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]]


def _write(tmp_path, features):
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_wards_load_with_divisions_and_localities(tmp_path, db):
    features = [
        {
            "type": "Feature",
            "properties": {
                "WD23CD": f"E0500000{i}",
                "WD23NM": f"Ward {i}",
                "locality": "North",
                "division": "D1",
                "division_name": "Riverside",
            },
            "geometry": {"type": "Polygon", "coordinates": _square(i * 0.1, 0)},
        }
        for i in range(3)
    ]
    call_command("geography", "load", str(_write(tmp_path, features)), authority="E1", name="Shire")
    assert Ward.objects.count() == 3
    ward = Ward.objects.get(code="E05000001")
    assert ward.name == "Ward 1"
    assert ward.locality.name == "North"
    division = Division.objects.get(code="D1")
    assert division.shape["type"] == "MultiPolygon"
    assert len(division.shape["coordinates"]) == 3
    # Loading again updates rather than duplicates.
    call_command("geography", "load", str(_write(tmp_path, features)), authority="E1", name="Shire")
    assert Ward.objects.count() == 3


def test_a_bad_feature_loads_nothing_and_is_named(tmp_path, db, capsys):
    features = [
        {
            "type": "Feature",
            "properties": {"code": "W1", "name": "Good"},
            "geometry": {"type": "Polygon", "coordinates": _square(0, 0)},
        },
        {
            "type": "Feature",
            "properties": {"code": "W2", "name": "Bad"},
            "geometry": {"type": "Point", "coordinates": [0, 0]},
        },
    ]
    with pytest.raises(CommandError):
        call_command("geography", "load", str(_write(tmp_path, features)), authority="E1", name="S")
    assert "feature 2: geometry" in capsys.readouterr().err
    assert Ward.objects.count() == 0
