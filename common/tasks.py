"""Celery pieces every app's tasks share: the errors worth another try, the e-mail task, the e-mail sweep."""

import datetime as dt
import logging
import smtplib
import socket
import uuid
from collections.abc import Callable
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from common import emails

logger = logging.getLogger(__name__)

# Worth another try: a full disk, a database or network hiccup, a mail server that refused, hung up or did not
# answer within EMAIL_TIMEOUT, a soft time limit. (smtplib's errors and socket timeouts are OSErrors today; they
# are named so that a change there cannot quietly stop the retries.)
TRANSIENT_ERRORS = (
    OSError,
    DatabaseError,
    SoftTimeLimitExceeded,
    TimeoutError,
    socket.timeout,
    ConnectionError,
    smtplib.SMTPException,
)


class MarksFailedTask(Task):  # type: ignore[misc]  # Celery ships no type information
    """Base of a task over one row, `task(row_id)`: when it dies of what it could not catch (its last retry, a time
    limit), `mark_failed` marks the row FAILED with the error, so that it does not wait for ever."""

    def mark_failed(self, row_id: int, error: str) -> None:
        raise NotImplementedError

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        row_id = args[0] if args else next(iter(kwargs.values()), None)
        if row_id is not None:
            self.mark_failed(row_id, f"{type(exc).__name__}: {exc}")


class EmailTask(Task):  # type: ignore[misc]  # Celery ships no type information
    """Base of every e-mail task `<kind>_email_task(object_id)`: a time limit, retries with backoff, then FAILED."""

    autoretry_for = TRANSIENT_ERRORS
    max_retries = settings.QORGAU_EMAIL_MAX_RETRIES
    retry_backoff = settings.QORGAU_EMAIL_RETRY_BACKOFF
    retry_backoff_max = emails.RETRY_BACKOFF_MAX_SECONDS
    soft_time_limit = settings.QORGAU_EMAIL_TIME_LIMIT
    time_limit = emails.email_task_hard_limit()
    acks_late = True

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        object_id = args[0] if args else next(iter(kwargs.values()))
        emails.email_mark_failed(task=self.name, object_id=object_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(name="common.email_sweep_task")  # type: ignore[untyped-decorator]  # Celery: no types
def email_sweep_task() -> int:
    return emails.email_sweep()


def run_leased_render(
    task: Task,
    row_id: int,
    *,
    claim: Callable[[int], Any],
    render: Callable[[Any], object],
    release: Callable[[int, uuid.UUID | None, str, dt.datetime], None],
    mark_failed: Callable[[int, uuid.UUID | None, str], object],
    not_claimed: type[Exception],
) -> str:
    """The body of a render task over a row under a lease (common.leases.LeasedRenders): a notice, a case file.

    The claim is inside the retry block, so a database error while claiming is retried like any other; a row that
    is not to do (rendered, held by a live render, failed) is skipped, so a task run twice renders once; a row
    taken over again and again (its worker died or hit the hard time limit each time) waits for a human; transient
    errors give the row back and retry with backoff; the last try, or any other error, marks it FAILED.
    """
    token = None
    try:
        row = claim(row_id)
        token = row.lease_token
        if row.attempts > task.max_retries + 3:
            mark_failed(row_id, token, f"gave up after {row.attempts} tries")
            return "failed"
        render(row)
    except not_claimed:
        return "skipped"
    except TRANSIENT_ERRORS as exc:
        error = f"{type(exc).__name__}: {exc}"
        if task.request.retries >= task.max_retries:
            mark_failed(row_id, token, error)
            raise
        countdown = settings.QORGAU_NOTICE_RETRY_BACKOFF * (2**task.request.retries)
        try:
            release(row_id, token, error, timezone.now() + dt.timedelta(seconds=countdown))
        except DatabaseError:
            logger.warning("%s %s: not released (%s); its lease runs out", task.name, row_id, error)
        raise task.retry(exc=exc, countdown=countdown) from exc
    except Exception as exc:
        mark_failed(row_id, token, f"{type(exc).__name__}: {exc}")
        raise
    return "ready"
