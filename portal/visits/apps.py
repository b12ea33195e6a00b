from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "portal.visits"
    verbose_name = _("Visits")

    def ready(self) -> None:
        from portal.core import private_files

        from .models import VisitDocument
        from .services import DOCUMENT_FOLDER

        private_files.register_folder(DOCUMENT_FOLDER, VisitDocument)
