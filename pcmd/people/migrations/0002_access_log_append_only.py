"""The identity access log refuses UPDATE and DELETE in the database itself, so that not even
code that bypasses the model (a raw query, a bulk update) can rewrite the trail."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS people_accesslog_no_update BEFORE UPDATE ON people_accesslog
       BEGIN SELECT RAISE(ABORT, 'people_accesslog is append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS people_accesslog_no_delete BEFORE DELETE ON people_accesslog
       BEGIN SELECT RAISE(ABORT, 'people_accesslog is append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS people_accesslog_no_update;",
    "DROP TRIGGER IF EXISTS people_accesslog_no_delete;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION people_accesslog_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'people_accesslog is append-only'; END; $$ LANGUAGE plpgsql;""",
    # idempotent like the SQLite triggers: the tests run this again after a flush
    "DROP TRIGGER IF EXISTS people_accesslog_append_only ON people_accesslog;",
    """CREATE TRIGGER people_accesslog_append_only BEFORE UPDATE OR DELETE ON people_accesslog
       FOR EACH ROW EXECUTE FUNCTION people_accesslog_refuse();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS people_accesslog_append_only ON people_accesslog;",
    "DROP FUNCTION IF EXISTS people_accesslog_refuse();",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = (
        POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
