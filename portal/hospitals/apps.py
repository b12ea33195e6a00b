from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.utils.translation import gettext_lazy as _


class HospitalsConfig(AppConfig):
    name = "portal.hospitals"
    verbose_name = _("Hospitals")

    def ready(self) -> None:
        from .search import forget_version_after_request, remember_version_for_request

        request_started.connect(remember_version_for_request, dispatch_uid="search-version-memo-start")
        request_finished.connect(forget_version_after_request, dispatch_uid="search-version-memo-end")
