"""Joint Resolution 01/2008 took effect on 07/10/2008: say so in the seeded template's basis."""

from django.db import migrations

OLD = "01/2008/NQLT-BLĐTBXH-BCA-BVHTTDL-UBTƯMTTQVN ngày 28/08/2008;"
NEW = "01/2008/NQLT-BLĐTBXH-BCA-BVHTTDL-UBTƯMTTQVN ngày 28/08/2008 (hiệu lực từ 07/10/2008);"


def add_date(apps, schema_editor):
    Template = apps.get_model("communes", "AssessmentTemplate")
    for template in Template.objects.filter(legal_basis__contains=OLD):
        template.legal_basis = template.legal_basis.replace(OLD, NEW)[:300]
        template.save(update_fields=["legal_basis"])


class Migration(migrations.Migration):
    dependencies = [("communes", "0002_seed_template")]
    operations = [migrations.RunPython(add_date, migrations.RunPython.noop)]
