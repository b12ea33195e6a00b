from django.db import migrations, models


def reminders_already_stored(apps, schema_editor):
    # Appointments booked before this migration had both reminders written at
    # booking time (as notifications that the outbox sends when due): the new
    # reminder sweep must not create them again.
    Appointment = apps.get_model("appointments", "Appointment")
    Appointment.objects.update(reminders_done=2)


class Migration(migrations.Migration):

    dependencies = [
        ("appointments", "0002_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="reminders_done",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(reminders_already_stored, migrations.RunPython.noop),
    ]
