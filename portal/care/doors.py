"""The acting-for check at the doors (pages and API): who is the resident a
request acts for, and may the requesting user act for them?

Every door that takes a resident (the /for/<resident id>/ pages, the API's
`resident` field) calls `resident_acted_for`. It asks the one rule,
selectors.caregiver_may (through selectors.link_for), and centre staff's
consent rule; the services ask the same rules again when they write.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from . import selectors
from .models import CareLink, Right


class CareRefused(PermissionDenied):
    """The user was (or is) this person's caregiver, but not for this: say so plainly."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class ActingFor:
    resident: object
    care_link: CareLink | None = None  # acting as caregiver through this link
    staff: bool = False  # acting as centre staff with the resident's consent

    @property
    def on_behalf(self) -> bool:
        return self.care_link is not None or self.staff


def refusal_message(right: str, elder) -> str:
    name = elder.display_name
    messages = {
        Right.APPOINTMENTS: _("%(name)s has not given you permission to manage their appointments, or it has "
                              "ended."),
        Right.VOUCHERS: _("%(name)s has not given you permission to see their vouchers, or it has ended."),
        Right.TRANSFERS: _("%(name)s has not given you permission to request or follow their transfers, or it "
                           "has ended."),
        Right.HEALTH_SUMMARY: _("%(name)s has not given you permission to keep their health summary, or it has "
                                "ended."),
    }
    message = messages.get(right) or _("%(name)s has not given you permission to do this, or it has ended.")
    return message % {"name": name}


def acting_for(user, resident, right: str, *, allow_staff: bool = True) -> ActingFor | None:
    """Who `user` is to `resident` for `right`: the resident themself; their
    caregiver with that right (selectors.link_for, the one rule); or, with
    `allow_staff`, staff of a centre the resident consents to. None: nobody who
    may. Services call this; doors call resident_acted_for."""
    if user.pk == resident.pk:
        return ActingFor(resident=resident)
    link = selectors.link_for(user, resident, right)
    if link is not None:
        return ActingFor(resident=resident, care_link=link)
    from portal.centres.selectors import staff_can_assist

    if allow_staff and staff_can_assist(user, resident):
        return ActingFor(resident=resident, staff=True)
    return None


def resident_acted_for(user, resident_id, right: str, *, allow_staff: bool = True) -> ActingFor:
    """The resident `user` acts for when a page or API request names
    `resident_id` (None or their own id: themselves), as `acting_for` decides. A
    caregiver who had a relationship with them but may not do this now gets
    CareRefused (a clear message, 403); anyone else Http404, as if the person
    did not exist."""
    if resident_id is None or resident_id == user.pk:
        return ActingFor(resident=user)
    resident = get_user_model().objects.select_related("profile").filter(pk=resident_id, is_active=True).first()
    if resident is None:
        raise Http404
    acting = acting_for(user, resident, right, allow_staff=allow_staff)
    if acting is not None:
        return acting
    if selectors.refusal_for(user, resident):
        raise CareRefused(refusal_message(right, resident))
    raise Http404


# --- The API's `resident` field -------------------------------------------------------------

RESIDENT_HELP = ("The id of the person you act for: someone who made you their caregiver with this right "
                 "(or, for centre staff, a resident who consents to your centre). Leave out to act for yourself.")


def api_resident_acted_for(request, resident_id, right: str, *, write: bool, what: str = "") -> ActingFor:
    """`resident_acted_for` for an API request: 404 for someone the user may not
    act for, 403 with the plain reason for a caregiver whose right was withdrawn
    or ended. Writes may come from centre staff too (recorded on the object);
    reads on behalf come from caregivers only and go into the resident's access
    log as `what`."""
    from rest_framework.exceptions import NotFound
    from rest_framework.exceptions import PermissionDenied as DrfPermissionDenied

    from .services import access_log_record

    try:
        acting = resident_acted_for(request.user, resident_id, right, allow_staff=write)
    except CareRefused as refused:
        raise DrfPermissionDenied(detail=refused.message, code="care_refused") from refused
    except Http404 as missing:
        raise NotFound from missing
    if acting.care_link is not None and not write and what:
        access_log_record(link=acting.care_link, what=what)
    return acting


def acting_for_out(acting: ActingFor | None) -> dict | None:
    """What an API answer says about whom it acted for (None: oneself)."""
    if acting is None or not acting.on_behalf:
        return None
    return {"id": acting.resident.pk, "name": acting.resident.display_name,
            "role": "caregiver" if acting.care_link is not None else "centre_staff"}
