from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "portal.appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from portal.centres.integrations import register_case_section

        from . import centre_case

        register_case_section("appointments", template="appointments/centre_case.html",
                              context=centre_case.context)
