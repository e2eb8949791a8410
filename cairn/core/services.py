"""Loading geography: wards (and their divisions and localities) from GeoJSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cairn.core.models import Division, LocalAuthority, Locality, Ward

# Property names tried in order: Cairn's own, then ONS boundary files (any year's prefix).
CODE_KEYS = ("code", "ward_code")
NAME_KEYS = ("name", "ward_name")
GEOMETRY_TYPES = {"Polygon", "MultiPolygon"}


def _prop(props: dict[str, Any], keys: tuple[str, ...], suffix: str) -> str:
    for key in keys:
        if props.get(key):
            return str(props[key]).strip()
    for key, value in props.items():  # ONS: WD23CD / WD23NM
        if key.upper().startswith("WD") and key.upper().endswith(suffix) and value:
            return str(value).strip()
    return ""


@dataclass(frozen=True)
class GeographyResult:
    wards_created: int
    wards_updated: int
    divisions: int
    localities: int


@transaction.atomic
def geography_load(
    *, path: Path, authority_code: str, authority_name: str, default_locality: str = "All"
) -> GeographyResult:
    """Load wards from a GeoJSON FeatureCollection. Each feature needs a ward code and name
    (`code`/`name`, or ONS `WDyyCD`/`WDyyNM`); optional `locality` and `division` (with
    `division_name`) group them. Division shapes are the wards' polygons combined. All or nothing:
    any bad feature raises ValidationError naming it and nothing is saved."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(f"{path.name}: not a readable GeoJSON file ({error})") from None
    if data.get("type") != "FeatureCollection":
        raise ValidationError(f"{path.name}: expected a GeoJSON FeatureCollection")
    authority, _ = LocalAuthority.objects.update_or_create(
        code=authority_code, defaults={"name": authority_name}
    )
    problems: list[str] = []
    created = updated = 0
    division_shapes: dict[str, list[Any]] = {}
    localities: dict[str, Locality] = {}
    divisions: dict[str, Division] = {}
    for number, feature in enumerate(data.get("features", []), start=1):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        code, name = _prop(props, CODE_KEYS, "CD"), _prop(props, NAME_KEYS, "NM")
        if not code or not name:
            problems.append(f"{path.name}: feature {number}: code/name: missing")
            continue
        if geometry.get("type") not in GEOMETRY_TYPES:
            problems.append(f"{path.name}: feature {number}: geometry: must be a (Multi)Polygon")
            continue
        locality_name = str(props.get("locality") or default_locality)
        if locality_name not in localities:
            localities[locality_name], _ = Locality.objects.get_or_create(
                code=f"{authority_code}-{locality_name}"[:16],
                defaults={"name": locality_name, "local_authority": authority},
            )
        division = None
        if props.get("division"):
            dcode = str(props["division"])
            if dcode not in divisions:
                divisions[dcode], _ = Division.objects.update_or_create(
                    code=dcode,
                    defaults={
                        "name": str(props.get("division_name") or dcode),
                        "local_authority": authority,
                    },
                )
            division = divisions[dcode]
            polygons = (
                [geometry["coordinates"]]
                if geometry["type"] == "Polygon"
                else list(geometry["coordinates"])
            )
            division_shapes.setdefault(dcode, []).extend(polygons)
        _, was_created = Ward.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "locality": localities[locality_name],
                "division": division,
                "shape": geometry,
            },
        )
        created += was_created
        updated += not was_created
    if problems:
        raise ValidationError(problems)
    for dcode, polygons in division_shapes.items():
        division = divisions[dcode]
        division.shape = {"type": "MultiPolygon", "coordinates": polygons}
        division.save(update_fields=["shape"])
    return GeographyResult(created, updated, len(divisions), len(localities))
