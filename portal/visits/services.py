"""Writes about visits: the resident's usual crossing."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .models import HealthSummary, VisitPreferences


@transaction.atomic
def usual_crossing_set(*, actor, resident, border_point) -> VisitPreferences:
    """The resident chooses the crossing they usually use (or None). A preference
    is the resident's own: no one else sets it."""
    if actor != resident:
        raise PermissionDenied(_("Only the resident can choose their usual crossing."))
    preferences, _created = VisitPreferences.objects.update_or_create(
        resident=resident, defaults={"usual_crossing": border_point})
    return preferences


SUMMARY_FIELDS = ("other_medicines", "allergies", "conditions", "emergency_contact_name", "emergency_contact_phone",
                  "show_medicines", "show_allergies", "show_conditions", "show_emergency_contact")


@transaction.atomic
def health_summary_save(*, actor, resident, connect_items, **values) -> HealthSummary:
    """Write the resident's health summary: by the resident, or by a caregiver with
    the health summary right (checked again here, in the database: portal.care's
    one rule), whose change is recorded with their relationship."""
    from portal.care.doors import acting_for
    from portal.care.models import Right

    acting = acting_for(actor, resident, Right.HEALTH_SUMMARY, allow_staff=False)
    if acting is None:
        raise PermissionDenied(_("You may not keep this person's health summary."))
    unknown = set(values) - set(SUMMARY_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    summary, _created = HealthSummary.objects.update_or_create(
        resident=resident, defaults={**values, "updated_by": actor, "updated_via": acting.care_link})
    summary.connect_items.set(connect_items)
    return summary
