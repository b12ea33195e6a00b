"""Transfer followers become care links limited to their transfer (the data
migration portal/care/migrations/0002_transfer_followers runs first)."""



import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0002_transfer_followers'),
        ('transfers', '0004_patient_document_type'),
    ]

    operations = [
        migrations.AddField(
            model_name='transferevent',
            name='care_link',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='care.carelink', verbose_name='as caregiver through'),
        ),
        migrations.DeleteModel(
            name='Follower',
        ),
    ]
