"""`cairn geography load FILE.geojson --authority CODE --name NAME`: load ward boundaries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.core.services import geography_load


class Command(BaseCommand):
    help = "Load wards, divisions and localities from a GeoJSON FeatureCollection."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("load", help="load or update wards from GeoJSON")
        load.add_argument("path", type=Path)
        load.add_argument("--authority", required=True, help="local authority code")
        load.add_argument("--name", required=True, help="local authority name")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = geography_load(
                path=opts["path"], authority_code=opts["authority"], authority_name=opts["name"]
            )
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError("Nothing was loaded.") from None
        self.stdout.write(
            f"Wards: {result.wards_created} created, {result.wards_updated} updated; "
            f"{result.divisions} divisions; {result.localities} localities."
        )
