from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "portal.centres"
    verbose_name = _("Service centres")

    def ready(self) -> None:
        from portal.core import private_files

        from .models import ClaimDocument
        from .services import DOCUMENT_FOLDER

        private_files.register_folder(DOCUMENT_FOLDER, ClaimDocument)
