"""Load the starting indicator catalogue (DOMAIN.md) as version 1."""

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from cairn.risk.catalogue import MODERATE, SIGNIFICANT, VULNERABILITIES

    CatalogueVersion = apps.get_model("risk", "CatalogueVersion")
    Indicator = apps.get_model("risk", "Indicator")
    version, _ = CatalogueVersion.objects.get_or_create(
        number=1,
        defaults={"published_at": timezone.now(), "note": "Starting set from DOMAIN.md"},
    )
    position = 0
    for code, wording, types in VULNERABILITIES:
        position += 1
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "category": "vulnerability",
                "wording": wording,
                "exploitation_types": types,
                "recency_matters": False,
                "position": position,
                "added_in": version,
            },
        )
    for code, wording, types in MODERATE:
        position += 1
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "category": "moderate",
                "wording": wording,
                "exploitation_types": types,
                "recency_matters": True,
                "position": position,
                "added_in": version,
            },
        )
    for code, wording, group, types in SIGNIFICANT:
        position += 1
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "category": "significant",
                "wording": wording,
                "group": group,
                "exploitation_types": types,
                "recency_matters": True,
                "position": position,
                "added_in": version,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
