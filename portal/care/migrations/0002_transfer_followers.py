"""Every follower of a transfer becomes a caregiver of the transfer's requester,
limited to that one transfer: they follow it (its timeline, not the clinical
details or documents, as before) and get copies of its updates. The link starts
as accepted: the requester added them, and they had been following it."""

from django.db import migrations


def followers_to_care_links(apps, schema_editor):
    Follower = apps.get_model("transfers", "Follower")
    CareLink = apps.get_model("care", "CareLink")
    CareEvent = apps.get_model("care", "CareEvent")
    for follower in Follower.objects.select_related("transfer", "user").order_by("id").iterator():
        elder_id = follower.transfer.requester_id
        if follower.user_id == elder_id:
            continue
        link, created = CareLink.objects.get_or_create(
            elder_id=elder_id, caregiver_id=follower.user_id, transfer_id=follower.transfer_id, status="active",
            defaults={"relationship": "relative", "transfers": True, "messages": True,
                      "invite_email": follower.user.email, "invite_language": follower.user.language or "en",
                      "created_by_id": follower.added_by_id, "created_at": follower.created_at,
                      "accepted_at": follower.created_at},
        )
        if created:
            CareEvent.objects.create(link=link, action="migrated", actor_id=follower.added_by_id,
                                     rights=["transfers", "messages"], at=follower.created_at)


def care_links_to_followers(apps, schema_editor):
    Follower = apps.get_model("transfers", "Follower")
    CareLink = apps.get_model("care", "CareLink")
    for link in CareLink.objects.filter(transfer__isnull=False, status="active").iterator():
        Follower.objects.get_or_create(transfer_id=link.transfer_id, user_id=link.caregiver_id,
                                       defaults={"added_by_id": link.created_by_id})


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0001_initial"),
        ("transfers", "0003_delete_idempotencykey"),
    ]

    operations = [migrations.RunPython(followers_to_care_links, care_links_to_followers)]
