from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "portal.centres"
    verbose_name = _("Service centres")
