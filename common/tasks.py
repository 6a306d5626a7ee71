"""Celery pieces every app's tasks share: the errors worth another try, the e-mail task, the e-mail sweep."""

import smtplib
import socket
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError

from common import emails

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
