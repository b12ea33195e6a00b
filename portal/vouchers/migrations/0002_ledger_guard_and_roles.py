from django.db import migrations

from portal.accounts.roles import HOSPITAL_ADMINS, grant_permissions

# The ledger is append-only: on PostgreSQL a trigger refuses UPDATE and DELETE
# of ledger entries (also from raw SQL or a future careless admin), while the
# CHECK (balance_after >= 0) in 0001 keeps every running balance non-negative.
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION vouchers_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'voucher ledger entries are append-only (% refused)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER vouchers_ledger_append_only
    BEFORE UPDATE OR DELETE ON vouchers_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION vouchers_ledger_append_only();
"""
DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS vouchers_ledger_append_only ON vouchers_ledgerentry;
DROP FUNCTION IF EXISTS vouchers_ledger_append_only();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_APPEND_ONLY, params=None)


def grant(apps, schema_editor):
    grant_permissions(apps, HOSPITAL_ADMINS, "vouchers", ["view_claim"])


class Migration(migrations.Migration):
    dependencies = [
        ("vouchers", "0001_initial"),
        ("hospitals", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [
        migrations.RunPython(add_trigger, drop_trigger),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
