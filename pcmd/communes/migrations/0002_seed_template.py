"""Seed the scoring template written from Joint Resolution 01/2008 (data/nqlt-01-2008.yaml)."""

from django.db import migrations


def seed(apps, schema_editor):
    from pcmd.communes import seed as seed_module

    Template = apps.get_model("communes", "AssessmentTemplate")
    if Template.objects.exists():
        return
    seed_module.create_template(seed_module.read(), Template,
                                apps.get_model("communes", "Criterion"),
                                apps.get_model("communes", "AssessmentClass"))


def unseed(apps, schema_editor):
    apps.get_model("communes", "AssessmentTemplate").objects.filter(
        assessments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("communes", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
