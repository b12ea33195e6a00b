"""On PostgreSQL, the access log is append-only at the database level: a trigger
refuses every UPDATE and DELETE of centres_accesslogentry, whoever sends it.
(TRUNCATE, used only by test teardown and operators, is not covered.)"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION centres_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'centres_accesslogentry is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS centres_accesslog_append_only ON centres_accesslogentry;
CREATE TRIGGER centres_accesslog_append_only
    BEFORE UPDATE OR DELETE ON centres_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION centres_accesslog_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS centres_accesslog_append_only ON centres_accesslogentry;
DROP FUNCTION IF EXISTS centres_accesslog_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("centres", "0002_casework")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
