from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    verbose_name = _("Portal")

    def ready(self):
        from .site import site_record_sync

        post_migrate.connect(site_record_sync, sender=self, dispatch_uid="portal.core.site_record_sync")
