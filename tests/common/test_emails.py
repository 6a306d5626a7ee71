"""The e-mail recipe (common/emails.py), through the question to the reporter: one outbox row per e-mail, sent
at most once by its task, retried after transient errors, FAILED after the last try, swept after an outage."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from analytics.tasks import statistics_report_email_task
from common.emails import email_queue, email_send, email_sweep
from common.models import OutgoingEmail
from incidents.models import CaseMessage
from incidents.services import cases
from incidents.tasks import case_overdue_email_task, case_question_email_task, notice_email_task
from tests import factories
from tests.common.mail_support import FlakyBackend, silent_smtp_server

EMAIL_TASKS = [case_question_email_task, case_overdue_email_task, notice_email_task, statistics_report_email_task]


@pytest.fixture
def incident(reporter, facility_a, post_a):
    return factories.IncidentFactory(facility=facility_a, reporter=reporter)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.common.mail_support.FlakyBackend"
    yield FlakyBackend
    FlakyBackend.failures = 0


def ask(incident, officer, capture, body="Who saw it?") -> CaseMessage:
    with capture(execute=True):
        return cases.case_question_ask(incident=incident, actor=officer, body=body)


def outgoing(question: CaseMessage) -> OutgoingEmail:
    return OutgoingEmail.objects.get(kind="case-question", object_id=question.pk)


def test_one_row_per_email_however_often_it_is_queued(incident, officer, django_capture_on_commit_callbacks):
    question = ask(incident, officer, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email_queue(kind="case-question", object_id=question.pk, task=case_question_email_task)
    assert callbacks == []  # nothing published again
    assert OutgoingEmail.objects.filter(kind="case-question").count() == 1
    assert len(mail.outbox) == 1


def test_a_transient_smtp_error_is_retried_and_the_email_sent_once(
    incident, officer, flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 2
    question = ask(incident, officer, django_capture_on_commit_callbacks)
    email = outgoing(question)
    assert (email.status, email.attempts, email.error) == (OutgoingEmail.Status.SENT, 3, "")
    assert email.recipients == [incident.reporter.email] and email.sent_at
    assert len(mail.outbox) == 1


def test_after_the_last_try_the_email_is_failed_and_admin_sends_it_again(
    client, administrator, incident, officer, flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 1000
    question = ask(incident, officer, django_capture_on_commit_callbacks)
    email = outgoing(question)
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == settings.QORGAU_EMAIL_MAX_RETRIES + 1
    assert "SMTPServerDisconnected" in email.error
    assert mail.outbox == []
    # The mail server is back; the administrator sends it again from admin.
    flaky_mail.failures = 0
    client.force_login(administrator)
    changelist = reverse("admin:common_outgoingemail_changelist")
    assert "SMTPServerDisconnected" in client.get(changelist).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "send_again", "_selected_action": [email.pk]})
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.attempts == 1
    assert [m.to for m in mail.outbox] == [[incident.reporter.email]]


def test_a_mail_server_that_never_answers_fails_the_send_after_email_timeout(
    incident, officer, settings, django_capture_on_commit_callbacks
):
    from config.settings import base

    assert base.EMAIL_TIMEOUT == 10
    settings.EMAIL_BACKEND = "tests.common.mail_support.FlakyBackend"
    with django_capture_on_commit_callbacks(execute=False):  # queued, not run
        question = cases.case_question_ask(incident=incident, actor=officer, body="?")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TIMEOUT = 1
    with silent_smtp_server() as port:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        started = time.monotonic()
        with pytest.raises(OSError, match="timed out"):  # smtplib's "Connection unexpectedly closed: timed out"
            cases.case_question_email(message_id=question.pk)
        assert time.monotonic() - started < 5
    email = outgoing(question)
    # Given back for the task's retry.
    assert email.status == OutgoingEmail.Status.PENDING and email.attempts == 1 and "timed out" in email.error


def test_nobody_to_send_to_is_recorded_and_sends_nothing(incident, officer, django_capture_on_commit_callbacks):
    type(incident.reporter).objects.filter(pk=incident.reporter_id).update(email="")
    question = ask(incident, officer, django_capture_on_commit_callbacks)
    assert outgoing(question).status == OutgoingEmail.Status.NO_ADDRESS
    assert mail.outbox == []


def test_an_email_never_queued_is_not_sent_by_its_task(incident, officer):
    question = CaseMessage.objects.create(incident=incident, kind=CaseMessage.Kind.QUESTION, author=officer, body="?")
    assert case_question_email_task.apply(args=[question.pk]).get() is False
    assert mail.outbox == []


def test_sweep_sends_again_an_email_whose_worker_died_while_sending(
    incident, officer, django_capture_on_commit_callbacks
):
    # Issue 12: an e-mail lost in a fault is sent again (it may arrive twice; never is worse).
    with django_capture_on_commit_callbacks(execute=False):
        question = cases.case_question_ask(incident=incident, actor=officer, body="?")
    long_ago = timezone.now() - dt.timedelta(hours=1)
    OutgoingEmail.objects.filter(object_id=question.pk).update(
        status=OutgoingEmail.Status.SENDING, attempts=1, claimed_at=long_ago, created_at=long_ago
    )
    assert email_sweep(older_than_seconds=0) == 1
    email = outgoing(question)
    assert email.status == OutgoingEmail.Status.SENT and email.attempts == 2  # the dead try and this one
    assert [m.to for m in mail.outbox] == [[incident.reporter.email]]


def test_a_failed_email_is_sent_again_by_the_sweep_a_bounded_number_of_times(
    incident, officer, flaky_mail, settings, django_capture_on_commit_callbacks
):
    settings.QORGAU_EMAIL_AUTO_RERUNS = 1
    flaky_mail.failures = 1000  # the mail server is down through every retry
    question = ask(incident, officer, django_capture_on_commit_callbacks)
    email = outgoing(question)
    assert email.status == OutgoingEmail.Status.FAILED and email.failed_at is not None
    assert email_sweep(older_than_seconds=0) == 0  # not at once: it waits before a re-run
    OutgoingEmail.objects.filter(pk=email.pk).update(failed_at=timezone.now() - dt.timedelta(hours=1))
    assert email_sweep(older_than_seconds=0) == 1  # still down: it fails again …
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED and email.auto_reruns == 1
    flaky_mail.failures = 0  # … and once its re-runs are used up it waits for an administrator
    OutgoingEmail.objects.filter(pk=email.pk).update(failed_at=timezone.now() - dt.timedelta(days=1))
    assert email_sweep(older_than_seconds=0) == 0
    assert outgoing(question).status == OutgoingEmail.Status.FAILED and mail.outbox == []


def test_a_failed_email_is_sent_once_the_mail_server_is_back(
    incident, officer, flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 1000
    question = ask(incident, officer, django_capture_on_commit_callbacks)
    OutgoingEmail.objects.filter(kind="case-question").update(failed_at=timezone.now() - dt.timedelta(hours=1))
    flaky_mail.failures = 0
    assert email_sweep(older_than_seconds=0) == 1
    assert outgoing(question).status == OutgoingEmail.Status.SENT
    assert [m.to for m in mail.outbox] == [[incident.reporter.email]]


def test_sweep_queues_again_a_retry_that_was_lost_but_not_one_still_waiting(
    incident, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        lost = cases.case_question_ask(incident=incident, actor=officer, body="?")
        waiting = cases.case_question_ask(incident=incident, actor=officer, body="??")
    long_ago = timezone.now() - dt.timedelta(hours=1)
    OutgoingEmail.objects.update(attempts=1, created_at=long_ago, error="SMTPServerDisconnected: …")
    OutgoingEmail.objects.filter(object_id=lost.pk).update(claimed_at=long_ago)
    OutgoingEmail.objects.filter(object_id=waiting.pk).update(claimed_at=timezone.now() - dt.timedelta(seconds=30))
    assert email_sweep(older_than_seconds=0) == 1
    assert outgoing(lost).status == OutgoingEmail.Status.SENT
    assert outgoing(waiting).status == OutgoingEmail.Status.PENDING
    assert len(mail.outbox) == 1


def test_email_send_renders_the_kinds_templates_in_the_site_language(incident, officer):
    question = CaseMessage.objects.create(incident=incident, kind=CaseMessage.Kind.QUESTION, author=officer, body="?")
    OutgoingEmail.objects.create(kind="case-question", object_id=question.pk, task=case_question_email_task.name)
    assert email_send(
        kind="case-question",
        object_id=question.pk,
        to=["a@example.kz", "", "a@example.kz"],
        context={"incident": incident, "site_url": "https://qorgau.example.kz"},
    )
    message = mail.outbox[0]
    assert settings.LANGUAGE_CODE == "ru" and message.to == ["a@example.kz"]
    assert message.subject == f"Полиция задала вопрос по вашему сообщению {incident.reference}"
    assert "https://qorgau.example.kz/" in message.body and "\n" not in message.subject


def test_failed_emails_waiting_for_an_administrator_are_counted(incident, officer, settings):
    from common.emails import emails_failed_count

    OutgoingEmail.objects.create(kind="case-question", object_id=1, task="x", status=OutgoingEmail.Status.FAILED)
    assert emails_failed_count() == 0  # the sweep sends it again
    OutgoingEmail.objects.update(auto_reruns=settings.QORGAU_EMAIL_AUTO_RERUNS)
    assert emails_failed_count() == 1
