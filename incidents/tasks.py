"""Celery tasks of the incidents app. Each takes ids, re-reads rows and calls one service."""

import datetime as dt
import logging

from celery import Task, shared_task
from django.conf import settings

from common.tasks import TRANSIENT_ERRORS, EmailTask
from incidents.services import casefiles, cases, drafts, notices

logger = logging.getLogger(__name__)


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


@shared_task(base=EmailTask, name="incidents.notice_email_task")
def notice_email_task(notice_id: int) -> bool:
    return notices.notice_email(notice_id=notice_id)


@shared_task(base=EmailTask, name="incidents.case_question_email_task")
def case_question_email_task(message_id: int) -> bool:
    return cases.case_question_email(message_id=message_id)


@shared_task(base=EmailTask, name="incidents.case_overdue_email_task")
def case_overdue_email_task(event_id: int) -> bool:
    return cases.case_overdue_email(event_id=event_id)


@shared_task(name="incidents.notice_sweep_task")
def notice_sweep_task() -> int:
    return notices.notice_sweep()


@shared_task(name="incidents.case_overdue_notify_task")
def case_overdue_notify_task() -> int:
    return cases.case_overdue_notify()


@shared_task(name="incidents.drafts_purge_task")
def drafts_purge_task() -> int:
    """Abandoned drafts and unclaimed kept reports hold personal data: they are not kept for ever."""
    return drafts.kept_reports_purge(older_than=dt.timedelta(days=settings.QORGAU_DRAFT_RETENTION_DAYS))


class CaseFileRenderTask(Task):
    """Marks the case file FAILED, with its error, once the last retry has failed."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        casefile_id = args[0] if args else kwargs.get("casefile_id")
        if casefile_id is not None:
            casefiles.casefile_mark_failed(casefile_id=casefile_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(
    bind=True,
    base=CaseFileRenderTask,
    name="incidents.casefile_render_task",
    acks_late=True,
    max_retries=settings.QORGAU_NOTICE_MAX_RETRIES,
)
def casefile_render_task(self, casefile_id: int) -> str:
    try:
        casefile = casefiles.casefile_claim(casefile_id=casefile_id)
    except casefiles.CaseFileNotClaimed:
        return "skipped"  # rendered, being rendered or failed already: running twice is harmless
    try:
        casefiles.casefile_render(casefile=casefile)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            raise
        casefiles.casefile_release(casefile_id=casefile_id, error=f"{type(exc).__name__}: {exc}")
        countdown = settings.QORGAU_NOTICE_RETRY_BACKOFF * (2**self.request.retries)
        raise self.retry(exc=exc, countdown=countdown) from exc
    return "ready"


@shared_task(name="incidents.casefile_sweep_task")
def casefile_sweep_task() -> int:
    return casefiles.casefile_sweep()
