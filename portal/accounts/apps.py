from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added
        from django.db.models.signals import post_migrate

        from .roles import sync_role_groups
        from .second_factor import count_activation_as_use

        post_migrate.connect(sync_role_groups, dispatch_uid="portal.accounts.sync_role_groups")
        authenticator_added.connect(count_activation_as_use, dispatch_uid="portal.accounts.count_activation_as_use")
