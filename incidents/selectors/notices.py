"""Reads about notices: their numbers as the case page shows them, names, file names, the case's address."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy

from incidents.models import Incident, Notice

# The notice the post receives: Russian and Kazakh side by side. English is rendered on request.
BILINGUAL = "ru-kk"
NOTICE_LANGUAGES = (BILINGUAL, "en")
NOTICE_LANGUAGE_NAMES = {BILINGUAL: gettext_lazy("Russian and Kazakh"), "en": gettext_lazy("English")}


def notice_language_name(code: str) -> str:
    """The notice's language as people say it ("Russian and Kazakh"), in the current language."""
    return str(NOTICE_LANGUAGE_NAMES.get(code, code))


def notice_number(incident: Incident, version: int) -> int:
    """The number `case_notices` gives the notices of `version`: 1 + the versions noticed before it."""
    return incident.notices.filter(version__lt=version).values("version").distinct().count() + 1


def notice_filename(notice: Notice, *, number: int) -> str:
    """The PDF's file name, with the notice number the case page shows (not the internal version)."""
    return f"{notice.incident.reference}-notice-{number}-{notice.language}.pdf"


def case_url(incident: Incident) -> str:
    """The case page's full address, for notices (QR code) and e-mails."""
    site_url: str = settings.SITE_URL
    return site_url + reverse("incidents:case_detail", args=[incident.pk])


def failed_notice_count() -> int:
    """Notices that failed after their last retry: administrators re-run them from admin (read by /readyz)."""
    return Notice.objects.filter(status=Notice.Status.FAILED).count()
