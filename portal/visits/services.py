"""Writes about visits: the resident's usual crossing."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .models import VisitPreferences


@transaction.atomic
def usual_crossing_set(*, actor, resident, border_point) -> VisitPreferences:
    """The resident chooses the crossing they usually use (or None). A preference
    is the resident's own: no one else sets it."""
    if actor != resident:
        raise PermissionDenied(_("Only the resident can choose their usual crossing."))
    preferences, _created = VisitPreferences.objects.update_or_create(
        resident=resident, defaults={"usual_crossing": border_point})
    return preferences
