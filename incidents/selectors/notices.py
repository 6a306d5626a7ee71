"""Reads about notices: their numbers as the case page shows them, names, file names, the case's address."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
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


@dataclass(frozen=True)
class NoticeHealth:
    """The notice pipeline at a glance, for /readyz and monitoring: what waits for a human, what is late."""

    failed: int  # FAILED with every automatic re-run used: an administrator re-runs them from admin
    failed_retrying: int  # FAILED, the sweep will re-run them
    stuck: int  # RENDERING with a lease that ran out (the sweep takes them up)
    oldest_pending_seconds: float  # how long the oldest PENDING notice has waited (0 if none)

    @property
    def ok(self) -> bool:
        """No notice waits for a human, none is stuck, and the backlog is younger than five sweeps' worth."""
        late = self.oldest_pending_seconds > 5 * 60
        return self.failed == 0 and self.stuck == 0 and not late


def notice_health(*, now: dt.datetime | None = None) -> NoticeHealth:
    """Counts of failed, stuck and waiting notices (one query per figure, on indexed columns)."""
    now = now or timezone.now()
    failed = Notice.objects.filter(status=Notice.Status.FAILED)
    given_up = Q(auto_reruns__gte=settings.QORGAU_NOTICE_AUTO_RERUNS)
    oldest = Notice.objects.filter(status=Notice.Status.PENDING).aggregate(oldest=Min("created_at"))["oldest"]
    return NoticeHealth(
        failed=failed.filter(given_up).count(),
        failed_retrying=failed.exclude(given_up).count(),
        stuck=Notice.objects.filter(status=Notice.Status.RENDERING, lease_expires_at__lt=now).count(),
        oldest_pending_seconds=(now - oldest).total_seconds() if oldest else 0.0,
    )


def failed_notice_count() -> int:
    """Notices that failed with every automatic re-run used: administrators re-run them from admin (read by
    /readyz; the sweep still re-runs the others)."""
    given_up = Q(auto_reruns__gte=settings.QORGAU_NOTICE_AUTO_RERUNS)
    return Notice.objects.filter(given_up, status=Notice.Status.FAILED).count()
