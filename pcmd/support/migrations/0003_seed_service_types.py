from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from pcmd.support.cases import load_service_types

    load_service_types(apps.get_model("support", "ServiceType"))


class Migration(migrations.Migration):
    dependencies = [("support", "0002_support_cases")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
