"""Celery tasks of the statistics area: ids in, one service call each."""

from celery import Task, shared_task
from django.core.cache import cache

from analytics import services
from common.tasks import EmailTask


@shared_task(name="analytics.snapshot_refresh_task")
def snapshot_refresh_task() -> int:
    try:
        return services.snapshot_refresh_and_cache().incidents
    finally:
        cache.delete(services.REFRESH_QUEUED_KEY)


class ReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        services.statistics_report_fail(report_id=args[0] if args else kwargs["report_id"], error=repr(exc))


@shared_task(name="analytics.statistics_report_render_task", base=ReportTask)
def statistics_report_render_task(report_id: int) -> None:
    services.statistics_report_render(report_id=report_id)


@shared_task(base=EmailTask, name="analytics.statistics_report_email_task")
def statistics_report_email_task(report_id: int) -> bool:
    return services.statistics_report_email(report_id=report_id)


@shared_task(name="analytics.monthly_statistics_report_task")
def monthly_statistics_report_task() -> int:
    return services.monthly_statistics_report().pk
