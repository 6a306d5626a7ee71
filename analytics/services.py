"""Writes of the statistics area: snapshot refreshes and statistics reports (PDF), on demand and monthly."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import User
from analytics import presentation
from analytics.models import Snapshot, StatisticsReport
from analytics.pdf import render_statistics_pdf
from analytics.periods import Period, default_period, last_complete_month
from analytics.selectors.filters import Filters, months_counted
from analytics.selectors.lattice import lattice_for
from analytics.selectors.statistics import Statistics, statistics_cached
from analytics.snapshot import current_snapshot, snapshot_is_stale, snapshot_refresh
from common.emails import email_queue, email_send

logger = logging.getLogger(__name__)
REFRESH_QUEUED_KEY = "analytics:snapshot-refresh-queued"


def snapshot_ensure_fresh() -> Snapshot | None:
    """Queue a snapshot refresh when the snapshot is older than QORGAU_STATS_REFRESH_SECONDS (once at a time); return
    the current snapshot, which the page shows until the refresh is done."""
    from analytics.tasks import snapshot_refresh_task  # tasks import this module: the Celery pair

    snapshot = current_snapshot()
    if not snapshot_is_stale(snapshot):
        return snapshot
    if cache.add(REFRESH_QUEUED_KEY, 1, timeout=settings.QORGAU_STATS_REFRESH_SECONDS):
        try:
            snapshot_refresh_task.delay()
        except Exception:  # a broker that is down must not break the page: the beat schedule refreshes later
            cache.delete(REFRESH_QUEUED_KEY)
            logger.exception("could not queue the statistics refresh")
    return snapshot


def snapshot_refresh_and_cache() -> Snapshot:
    """Refresh the snapshot, then suppress the city's statistics of every period once, into the cache, so that
    no dashboard, export or report of this snapshot computes them again, and compute and draw the dashboard the
    analysts open on, in each language (`snapshot_refresh_task`)."""
    snapshot = snapshot_refresh()
    lattice_for(Filters(period=default_period()), settings.QORGAU_STATS_MIN_CELL, snapshot)
    opening = Filters(period=default_period(timezone.localdate(), latest=months_counted(snapshot)[1]))
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            presentation.dashboard_html(statistics_cached(opening, snapshot=snapshot))
    return snapshot


def report_filters(report: StatisticsReport) -> Filters:
    return Filters(period=Period.parse(report.period), district=report.district, facility_kind=report.facility_kind)


def statistics_report_request(
    *, user: User | None, filters: Filters, language: str, scheduled: bool = False
) -> StatisticsReport:
    """Record a report to make and queue its rendering once the row is committed."""
    from analytics.tasks import statistics_report_render_task  # tasks import this module: the Celery pair

    with transaction.atomic():
        report = StatisticsReport.objects.create(
            requested_by=user,
            scheduled=scheduled,
            period=filters.period.key,
            district=filters.district,
            facility_kind=filters.facility_kind,
            language=language,
        )
        transaction.on_commit(lambda: statistics_report_render_task.delay(report.pk))
    return report


def statistics_report_render(*, report_id: int) -> StatisticsReport | None:
    """Render a pending report from the current snapshot; running it twice is harmless."""
    claimed = StatisticsReport.objects.filter(pk=report_id, status=StatisticsReport.Status.PENDING).update(
        status=StatisticsReport.Status.RENDERING
    )
    report = StatisticsReport.objects.select_related("district").get(pk=report_id)
    if not claimed:
        return report
    started = time.monotonic()
    snapshot = current_snapshot()
    if report.scheduled or snapshot is None:
        snapshot = snapshot_refresh_and_cache()
    with translation.override(report.language):
        stats = statistics_cached(report_filters(report), snapshot=snapshot)
        pdf = render_statistics_pdf(stats, language=report.language)
    with transaction.atomic():
        report.file.save(f"{report.key.hex}.pdf", ContentFile(pdf), save=False)
        report.status = StatisticsReport.Status.READY
        report.cutoff = snapshot.cutoff
        report.rendered_at = timezone.now()
        report.render_ms = int((time.monotonic() - started) * 1000)
        report.error = ""
        report.save(update_fields=["file", "status", "cutoff", "rendered_at", "render_ms", "error"])
        if report.scheduled:
            _report_email_queue(report_id=report.pk)
    return report


def statistics_report_fail(*, report_id: int, error: str) -> None:
    StatisticsReport.objects.filter(pk=report_id).exclude(status=StatisticsReport.Status.READY).update(
        status=StatisticsReport.Status.FAILED, error=error[:2000]
    )


def _report_email_queue(*, report_id: int) -> None:
    from analytics.tasks import statistics_report_email_task  # tasks import this module: the Celery pair

    email_queue(kind="statistics-report", object_id=report_id, task=statistics_report_email_task)


def statistics_report_email(*, report_id: int) -> bool:
    """E-mail a ready report to QORGAU_MINISTRY_EMAILS, once (`statistics_report_email_task`)."""
    report = StatisticsReport.objects.get(pk=report_id)
    if report.status != StatisticsReport.Status.READY:
        return False
    context = {
        "report": report,
        "period": Period.parse(report.period),
        "cutoff": timezone.localtime(report.cutoff) if report.cutoff else None,
    }
    with report.file.open("rb") as handle:
        attachment = (f"qorgau-statistics-{report.period}.pdf", handle.read(), "application/pdf")
    sent = email_send(
        kind="statistics-report",
        object_id=report.pk,
        to=settings.QORGAU_MINISTRY_EMAILS,
        context=context,
        language=report.language,
        attachments=[attachment],
    )
    if sent:
        StatisticsReport.objects.filter(pk=report.pk).update(emailed_at=timezone.now())
    return sent


def monthly_statistics_report(*, today=None) -> StatisticsReport:
    """The scheduled report: last month, all districts and kinds, in Russian, e-mailed to the Ministry."""
    period = last_complete_month(today or timezone.localdate())
    return statistics_report_request(user=None, filters=Filters(period=period), language="ru", scheduled=True)


def statistics_for_request(filters: Filters, *, snapshot: Snapshot | None) -> Statistics:
    """The statistics of the snapshot the page read (`current_snapshot`), from the cache once computed."""
    return statistics_cached(filters, snapshot=snapshot)
