"""The demo resident CHAN Tai Man (Traditional Chinese) has his daughter CHAN Siu
Fan (Simplified Chinese, no identity card) as caregiver: she books for him and
receives copies of his reminders in her language."""

from django.utils import timezone

from portal.accounts.models import User

from .models import CareEvent, CareLink, Relationship

ORDER = 35  # after the demo accounts (30)


def load() -> str:
    elder = User.objects.get(email="resident@example.com")
    caregiver = User.objects.get(email="caregiver@example.com")
    link = CareLink.objects.live().filter(elder=elder, caregiver=caregiver, transfer__isnull=True).first()
    if link is None:
        link = CareLink.objects.create(
            elder=elder, caregiver=caregiver, relationship=Relationship.DAUGHTER, status=CareLink.Status.ACTIVE,
            appointments=True, vouchers=True, transfers=True, messages=True, health_summary=True,
            invite_email=caregiver.email,
            invite_language=caregiver.language, created_by=elder, accepted_at=timezone.now(),
        )
        CareEvent.objects.create(link=link, action=CareEvent.Action.INVITED, actor=elder, rights=link.rights)
        CareEvent.objects.create(link=link, action=CareEvent.Action.ACCEPTED, actor=caregiver, rights=link.rights)
    return "1 caregiver (CHAN Tai Man's daughter)"
