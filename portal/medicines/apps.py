from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MedicinesConfig(AppConfig):
    name = "portal.medicines"
    verbose_name = _("Medicine and Equipment Connect")
