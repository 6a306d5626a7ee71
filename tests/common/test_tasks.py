"""The e-mail task base (`common/tasks.py`): every e-mail task has a time limit and retries transient errors."""

import smtplib
import socket

import pytest
from django.conf import settings

from analytics.tasks import statistics_report_email_task
from common.tasks import EmailTask
from incidents.tasks import case_overdue_email_task, case_question_email_task, notice_email_task

EMAIL_TASKS = [case_question_email_task, case_overdue_email_task, notice_email_task, statistics_report_email_task]


@pytest.mark.parametrize("task", EMAIL_TASKS, ids=lambda task: task.name)
def test_every_email_task_has_a_time_limit_and_retries_transient_errors(task):
    assert task.name.endswith("_email_task") and isinstance(task, EmailTask)
    assert task.soft_time_limit == settings.QORGAU_EMAIL_TIME_LIMIT and task.time_limit > task.soft_time_limit
    assert task.max_retries == settings.QORGAU_EMAIL_MAX_RETRIES and task.retry_backoff
    for error in (
        OSError,
        TimeoutError,
        ConnectionRefusedError,
        socket.timeout,
        smtplib.SMTPServerDisconnected,
        smtplib.SMTPConnectError,
        smtplib.SMTPDataError,
        smtplib.SMTPRecipientsRefused,
    ):
        assert issubclass(error, task.autoretry_for)
