"""Trigram GIN index on Hospital.search_key (PostgreSQL only) and the keys of
existing rows. See portal/hospitals/search.py for why Chinese is stored as pairs."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS hospitals_hospital_search_key_trgm "
        "ON hospitals_hospital USING gin (search_key gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS hospitals_hospital_search_key_trgm")


def fill_keys(apps, schema_editor):
    from portal.hospitals.search import hospital_search_key

    Hospital = apps.get_model("hospitals", "Hospital")
    for hospital in Hospital.objects.all():
        hospital.search_key = hospital_search_key(hospital)
        hospital.save(update_fields=["search_key"])


class Migration(migrations.Migration):
    dependencies = [("hospitals", "0003_hospital_search_key")]
    operations = [
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
