from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from accounts.roles import ensure_role_groups


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Once per migrate or flush; the handler creates every app's permissions itself before linking them.
        post_migrate.connect(ensure_role_groups, sender=self, dispatch_uid="accounts.ensure_role_groups")
