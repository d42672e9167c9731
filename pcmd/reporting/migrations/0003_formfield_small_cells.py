"""Small-cell suppression of typed counts of people (DESIGN.md §4).

Adds ``FormField.small_cells`` / ``source`` and marks, in place, the fields and table columns
that ``data/forms.yaml`` flags on every stored version of the seeded forms: the flag changes
who sees a figure, not the report's shape, so past submissions are covered without a new
version.
"""

from django.db import migrations, models


def mark(apps, schema_editor):
    from pcmd.reporting.seed import read_seed

    FormField = apps.get_model("reporting", "FormField")
    for spec in read_seed():
        for section in spec.get("sections") or []:
            for field in section.get("fields") or []:
                code = field.get("code")
                flagged_columns = {c["key"]: c for c in field.get("columns") or []
                                   if c.get("small_cells")}
                if not field.get("small_cells") and not flagged_columns:
                    continue
                for f in FormField.objects.filter(version__form__code=spec["code"], code=code):
                    if field.get("small_cells") and f.kind == "integer":
                        f.small_cells = True
                        f.source = field.get("source") or ""
                    columns = []
                    for col in f.columns or []:
                        flagged = flagged_columns.get(col.get("key"))
                        col = dict(col)
                        if flagged and col.get("kind") == "integer":
                            col["small_cells"] = True
                            if flagged.get("source"):
                                col["source"] = flagged["source"]
                        columns.append(col)
                    f.columns = columns
                    f.save(update_fields=["small_cells", "source", "columns"])


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0002_seed_forms"),
    ]

    operations = [
        migrations.AddField(
            model_name="formfield",
            name="small_cells",
            field=models.BooleanField(
                default=False,
                help_text="A count of people: values below the threshold show as <5 outside "
                          "person-level roles.",
                verbose_name="suppress small cells"),
        ),
        migrations.AddField(
            model_name="formfield",
            name="source",
            field=models.CharField(
                blank=True, max_length=40,
                help_text="The register the people are counted in, for the person-level roles "
                          "(e.g. sanctions).",
                verbose_name="register"),
        ),
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
