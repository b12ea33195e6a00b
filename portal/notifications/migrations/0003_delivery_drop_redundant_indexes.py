# Drops two indexes that other indexes already cover (see Delivery in models.py).
# Only the indexes go: Django's own AlterField would also drop and re-create the
# foreign key, which re-checks every row of the table under lock.

import django.db.models.deletion
from django.db import migrations, models

NEXT_ATTEMPT_INDEX = "notifications_delivery_next_attempt_at_fa3e6ddf"
NOTIFICATION_INDEX = "notifications_delivery_notification_id_ea8dc048"


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_delivery_claim_token_queued_at_body_html'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='delivery',
                    name='next_attempt_at',
                    field=models.DateTimeField(verbose_name='next attempt'),
                ),
                migrations.AlterField(
                    model_name='delivery',
                    name='notification',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='notifications.notification'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{NEXT_ATTEMPT_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{NEXT_ATTEMPT_INDEX}" ON "notifications_delivery" ("next_attempt_at")',
                ),
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{NOTIFICATION_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{NOTIFICATION_INDEX}" ON "notifications_delivery" ("notification_id")',
                ),
            ],
        ),
    ]
