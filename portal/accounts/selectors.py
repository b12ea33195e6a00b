"""Reads about a user's role: whether they are staff, and which staff tools
they use (the staff dashboard, portal.core.views.dashboard)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class StaffTool:
    title: str
    description: str
    url: str


def is_staff_member(user) -> bool:
    """Hospital admins, service-centre staff and superusers: they land on the
    staff dashboard, not a resident's."""
    return bool(user.is_authenticated and (user.is_superuser or user.is_hospital_admin or user.is_centre_staff))


def staff_tools(user) -> list[StaffTool]:
    """The tools a staff member's role gives them, in the order they use them."""
    from portal.vouchers.selectors import is_service_point_staff

    tools = []
    if user.is_superuser or user.is_hospital_admin:
        tools.append(StaffTool(_("Administration"), _(
            "Your hospitals' departments, booking times, closures and appointments, the Connect list and "
            "the reference data."), reverse("admin:index")))
    if user.is_hospital_admin:
        tools.append(StaffTool(_("Transfers at my hospitals"), _(
            "Cross-boundary ambulance transfers from and to your hospitals, and their next steps."),
            reverse("transfers:hospital")))
    if is_service_point_staff(user):
        tools.append(StaffTool(_("Voucher claims at my service points"), _(
            "Record a voucher claim for a visit, and follow the claims waiting for the resident."),
            reverse("vouchers:staff_claims")))
    if user.is_centre_staff:
        tools.append(StaffTool(_("Centre console"), _(
            "Find a resident who lets your centre help them, and open their case."), reverse("centres:console")))
        tools.append(StaffTool(_("Escort requests"), _("Assign escorts to residents' hospital visits."),
                               reverse("centres:escorts")))
        if user.centre_membership.is_manager:
            tools.append(StaffTool(_("Workload"), _("This week's escorts and claims across your centre."),
                                   reverse("centres:workload")))
    return tools
