from django.db import migrations

from portal.accounts.roles import HOSPITAL_ADMINS, grant_permissions


def grant(apps, schema_editor):
    # Hospital admins see transfers in the admin (read only) and may correct their routes' fees.
    grant_permissions(apps, HOSPITAL_ADMINS, "transfers",
                      ["view_route", "change_route", "view_transferrequest", "view_transferevent"])


class Migration(migrations.Migration):
    dependencies = [("transfers", "0001_initial"), ("hospitals", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
