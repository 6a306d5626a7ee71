"""Celery tasks of the incidents app. Each takes ids, re-reads rows and calls one service."""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from common.tasks import TRANSIENT_ERRORS, EmailTask, MarksFailedTask
from incidents.services import casefiles, cases, drafts, notices

logger = logging.getLogger(__name__)


class NoticeRenderTask(MarksFailedTask):
    def mark_failed(self, row_id: int, error: str) -> None:
        notices.notice_mark_failed(notice_id=row_id, error=error)


@shared_task(
    bind=True,
    base=NoticeRenderTask,
    name="incidents.notice_render_task",
    acks_late=True,
    max_retries=settings.QORGAU_NOTICE_MAX_RETRIES,
)
def notice_render_task(self, notice_id: int) -> str:
    # The claim is inside the retry block: a database error while claiming is retried like any other.
    token = None
    try:
        notice = notices.notice_claim(notice_id=notice_id)
        token = notice.lease_token
        if notice.attempts > settings.QORGAU_NOTICE_MAX_RETRIES + 3:
            # Taken over again and again (each time its worker died or hit the hard time limit): a human looks.
            notices.notice_mark_failed(notice_id=notice_id, token=token, error=f"gave up after {notice.attempts} tries")
            return "failed"
        notices.notice_render(notice=notice)
    except notices.NoticeNotClaimed:
        return "skipped"  # rendered, being rendered or failed already: running twice is harmless
    except TRANSIENT_ERRORS as exc:
        error = f"{type(exc).__name__}: {exc}"
        if self.request.retries >= self.max_retries:
            notices.notice_mark_failed(notice_id=notice_id, token=token, error=error)
            raise
        countdown = settings.QORGAU_NOTICE_RETRY_BACKOFF * (2**self.request.retries)
        try:
            retry_at = timezone.now() + dt.timedelta(seconds=countdown)
            notices.notice_release(notice_id=notice_id, token=token, error=error, retry_at=retry_at)
        except DatabaseError:
            logger.warning("notice %s: not released (%s); its lease runs out", notice_id, error)
        raise self.retry(exc=exc, countdown=countdown) from exc
    except Exception as exc:
        notices.notice_mark_failed(notice_id=notice_id, token=token, error=f"{type(exc).__name__}: {exc}")
        raise
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


class CaseFileRenderTask(MarksFailedTask):
    def mark_failed(self, row_id: int, error: str) -> None:
        casefiles.casefile_mark_failed(casefile_id=row_id, error=error)


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
