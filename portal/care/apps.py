from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "portal.care"
    verbose_name = _("Family and caregivers")

    def ready(self) -> None:
        from portal.core import private_files

        from .models import PaperConsent
        from .services import PAPER_CONSENT_FOLDER

        private_files.register_folder(PAPER_CONSENT_FOLDER, PaperConsent)
