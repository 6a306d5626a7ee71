from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from facilities import checks  # noqa: F401 - registers the deployment check


class FacilitiesConfig(AppConfig):
    name = "facilities"
    verbose_name = _("Facilities")
