"""Seed the report forms plan 1842/KH-UBND implies (pcmd/reporting/data/forms.yaml)."""

from django.db import migrations


def seed(apps, schema_editor):
    from pcmd.reporting.seed import seed_forms

    seed_forms(apps.get_model)


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
