"""Seed the catalog of violation types from data/violation-types.yaml (sources inside)."""

from pathlib import Path

import yaml
from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "violation-types.yaml"


def seed(apps, schema_editor):
    ViolationType = apps.get_model("enforcement", "ViolationType")
    with open(DATA, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    sources = data["sources"]
    for order, row in enumerate(data["types"], 1):
        individual = row.get("individual") or [None, None]
        organisation = row.get("organisation") or [None, None]
        ViolationType.objects.update_or_create(code=row["code"], defaults={
            "name": row["name"], "name_en": row.get("name_en", ""),
            "document": row["document"], "article": str(row["article"]),
            "clause": str(row.get("clause", "")), "point": str(row.get("point", "")),
            "valid_from": row.get("valid_from"), "valid_to": row.get("valid_to"),
            "warning_allowed": bool(row.get("warning_allowed", False)),
            "fine_min_individual": individual[0], "fine_max_individual": individual[1],
            "fine_min_organisation": organisation[0], "fine_max_organisation": organisation[1],
            "additional_measures": row.get("additional_measures", ""),
            "source": "\n".join(sources[key] for key in row.get("source", [])),
            "verified": bool(row.get("verified", False)),
            "order": order * 10, "is_active": True,
        })


def unseed(apps, schema_editor):
    ViolationType = apps.get_model("enforcement", "ViolationType")
    with open(DATA, encoding="utf-8") as fh:
        codes = [row["code"] for row in yaml.safe_load(fh)["types"]]
    ViolationType.objects.filter(code__in=codes, violations__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("enforcement", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
