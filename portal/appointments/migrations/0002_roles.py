from django.db import migrations

from portal.accounts.roles import CENTRE_STAFF, HOSPITAL_ADMINS, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(apps, HOSPITAL_ADMINS, "appointments", [
        "view_bookingsettings", "add_bookingsettings", "change_bookingsettings",
        "view_sessiontemplate", "add_sessiontemplate", "change_sessiontemplate", "delete_sessiontemplate",
        "view_closure", "add_closure", "change_closure", "delete_closure",
        "view_slot", "add_slot", "change_slot",
        "view_appointment", "change_appointment",
        "view_waitlistentry",
    ])
    grant_permissions(apps, CENTRE_STAFF, "appointments", ["view_appointment"])


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_initial"),
        ("hospitals", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
