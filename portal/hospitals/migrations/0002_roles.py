from django.db import migrations

from portal.accounts.roles import CENTRE_STAFF, HOSPITAL_ADMINS, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(apps, HOSPITAL_ADMINS, "hospitals", [
        "view_hospital", "change_hospital", "view_department", "add_department",
        "change_department", "delete_department", "view_city", "view_borderpoint", "view_specialty",
    ])
    grant_permissions(apps, CENTRE_STAFF, "hospitals", ["view_hospital", "view_department"])


class Migration(migrations.Migration):
    dependencies = [
        ("hospitals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
