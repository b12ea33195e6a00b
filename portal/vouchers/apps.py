from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VouchersConfig(AppConfig):
    name = "portal.vouchers"
    verbose_name = _("Vouchers")

    def ready(self) -> None:
        from portal.centres.integrations import register_case_section

        from . import centre_case

        register_case_section("vouchers", template="vouchers/centre_case.html",
                              context=centre_case.context)
