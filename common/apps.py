from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from common import checks  # noqa: F401 - registers the deployment checks


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("E-mail")
