"""One access log for staff and caregivers: `staff` becomes `actor`, a row names
either the centre of a staff member or the care relationship of a caregiver.
(Renaming a column and adding one are not UPDATEs: the append-only trigger of
migration 0003 stays as it is.)"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0004_escort_appointment"),
        ("care", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="accesslogentry", old_name="staff", new_name="actor"),
        migrations.AlterField(
            model_name="accesslogentry", name="actor",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to=settings.AUTH_USER_MODEL, verbose_name="who"),
        ),
        migrations.AlterField(
            model_name="accesslogentry", name="centre",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="centres.servicecentre", verbose_name="service centre"),
        ),
        migrations.AddField(
            model_name="accesslogentry", name="care_link",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="care.carelink", verbose_name="as caregiver"),
        ),
        migrations.AddConstraint(
            model_name="accesslogentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("care_link__isnull", True), ("centre__isnull", False))
                | models.Q(("care_link__isnull", False), ("centre__isnull", True)),
                name="centres_access_staff_or_caregiver",
            ),
        ),
    ]
