from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "portal.transfers"
    verbose_name = _("Transfers")

    def ready(self) -> None:
        from portal.centres.integrations import register_case_section
        from portal.core import private_files

        from . import centre_case
        from .models import Attachment
        from .services import ATTACHMENT_FOLDER

        register_case_section("transfers", template="transfers/centre_case.html",
                              context=centre_case.context)
        private_files.register_folder(ATTACHMENT_FOLDER, Attachment)
