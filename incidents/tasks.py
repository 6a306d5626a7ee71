"""Celery tasks of the incidents app. Each takes ids, re-reads rows and calls one service."""

import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError

from incidents.services import notices

logger = logging.getLogger(__name__)

# Errors worth another try: a full disk, a database or network hiccup, a soft time limit.
TRANSIENT_ERRORS = (OSError, DatabaseError, SoftTimeLimitExceeded, TimeoutError)


class NoticeRenderTask(Task):
    """Marks the notice FAILED, with its error, once the last retry has failed."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        notice_id = args[0] if args else kwargs.get("notice_id")
        if notice_id is not None:
            notices.notice_mark_failed(notice_id=notice_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(
    bind=True,
    base=NoticeRenderTask,
    name="incidents.notice_render_task",
    acks_late=True,
    max_retries=settings.QORGAU_NOTICE_MAX_RETRIES,
)
def notice_render_task(self, notice_id: int) -> str:
    try:
        notice = notices.notice_claim(notice_id=notice_id)
    except notices.NoticeNotClaimed:
        return "skipped"  # rendered, being rendered or failed already: running twice is harmless
    try:
        notices.notice_render(notice=notice)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            raise
        notices.notice_release(notice_id=notice_id, error=f"{type(exc).__name__}: {exc}")
        countdown = settings.QORGAU_NOTICE_RETRY_BACKOFF * (2**self.request.retries)
        raise self.retry(exc=exc, countdown=countdown) from exc
    return "ready"


@shared_task(name="incidents.notice_email_task", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def notice_email_task(notice_id: int) -> bool:
    return notices.notice_email(notice_id=notice_id)


@shared_task(name="incidents.notice_sweep_task")
def notice_sweep_task() -> int:
    return notices.notice_sweep()


@shared_task(name="incidents.case_overdue_notify_task")
def case_overdue_notify_task() -> int:
    from incidents.services.cases import case_overdue_notify

    return case_overdue_notify()


@shared_task(name="incidents.drafts_purge_task")
def drafts_purge_task() -> int:
    """Abandoned drafts and unclaimed kept reports hold personal data: they are not kept for ever."""
    import datetime as dt

    from incidents.services.drafts import kept_reports_purge

    return kept_reports_purge(older_than=dt.timedelta(days=settings.QORGAU_DRAFT_RETENTION_DAYS))
