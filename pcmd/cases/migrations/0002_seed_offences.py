from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from pcmd.cases.legal import apply_offences

    apply_offences(apps.get_model("cases", "Offence"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
