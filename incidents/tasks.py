"""Celery tasks of the incidents app. Each takes ids, re-reads rows and calls one service."""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings

from common.tasks import EmailTask, MarksFailedTask, run_leased_render
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
    return run_leased_render(
        self,
        notice_id,
        claim=lambda pk: notices.notice_claim(notice_id=pk),
        render=lambda notice: notices.notice_render(notice=notice),
        release=lambda pk, token, error, at: notices.notice_release(
            notice_id=pk, token=token, error=error, retry_at=at
        ),
        mark_failed=lambda pk, token, error: notices.notice_mark_failed(notice_id=pk, token=token, error=error),
        not_claimed=notices.NoticeNotClaimed,
    )


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
    return run_leased_render(
        self,
        casefile_id,
        claim=lambda pk: casefiles.casefile_claim(casefile_id=pk),
        render=lambda casefile: casefiles.casefile_render(casefile=casefile),
        release=lambda pk, token, error, at: casefiles.casefile_release(
            casefile_id=pk, token=token, error=error, retry_at=at
        ),
        mark_failed=lambda pk, token, error: casefiles.casefile_mark_failed(casefile_id=pk, token=token, error=error),
        not_claimed=casefiles.CaseFileNotClaimed,
    )


@shared_task(name="incidents.casefile_sweep_task")
def casefile_sweep_task() -> int:
    return casefiles.casefile_sweep()
