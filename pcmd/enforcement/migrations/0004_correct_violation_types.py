"""Correct the violation catalog from data/violation-types.yaml (issue 11, item 13).

Decree 144/2021 Art. 25(2) 1–2 M; Art. 26 split into its clauses (concealing or protecting
5–10 M, helping or forcing 10–20 M, force / money / brokering 30–50 M, abuse of position
50–75 M); "bảo kê" moved from Art. 27 to Art. 26; every row's source with a note of what is
still unverified. Existing codes are kept (violations refer to them); nothing is deleted.
"""

from django.db import migrations


def correct(apps, schema_editor):
    from pcmd.enforcement import catalog

    catalog.apply(apps.get_model("enforcement", "ViolationType"))


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0003_seed_violation_types"),
    ]

    operations = [
        migrations.RunPython(correct, migrations.RunPython.noop),
    ]
