from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from legal import checks  # noqa: F401 - registers the check that next year's MCI is known


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = _("Legal")
