"""Trigram GIN index on ConnectItem.search_key (PostgreSQL only), and what
hospital admins may see of the Connect list in the admin."""

from django.db import migrations

from portal.accounts.roles import HOSPITAL_ADMINS, grant_permissions


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS medicines_connectitem_search_key_trgm "
        "ON medicines_connectitem USING gin (search_key gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS medicines_connectitem_search_key_trgm")


def grant(apps, schema_editor):
    grant_permissions(apps, HOSPITAL_ADMINS, "medicines", ["view_connectitem", "view_itemapproval",
                                                           "view_therapeuticarea"])


class Migration(migrations.Migration):
    dependencies = [
        ("medicines", "0001_initial"),
        ("hospitals", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
