"""The e-mail adapter: the e-mail pipeline's templates and backend; a mail server that never answers."""

import socket
import threading

from django.core import mail

from notifications.channels.base import OutgoingMessage
from notifications.channels.email import channel as email

MESSAGE = OutgoingMessage(
    text="A case of your post is overdue: ALA-2026-000007",
    link="https://qorgau.test/incidents/cases/7/",
    drill=False,
    idempotency_key="overdue:9:email:x",
)


def test_it_sends_the_text_and_link_through_the_email_pipeline(db):
    result = email.send(recipient="post7@police.test", message=MESSAGE, timeout=2)

    assert result.status == "sent"
    [sent] = mail.outbox
    assert sent.to == ["post7@police.test"]
    assert sent.subject == "Qorgau: A case of your post is overdue: ALA-2026-000007"  # its text as given
    assert "https://qorgau.test/incidents/cases/7/" in sent.body
    assert result.provider_id == sent.extra_headers["Message-ID"]


def test_a_drill_says_so(db):
    drill = OutgoingMessage(text="ALARM", link="", drill=True, idempotency_key="d")

    email.send(recipient="post7@police.test", message=drill, timeout=2)

    # In the site's language (Russian), as every e-mail of the pipeline.
    assert mail.outbox[0].subject.startswith("[УЧЕНИЯ]")
    assert "Это учебная тревога" in mail.outbox[0].body


def test_a_mail_server_that_never_answers_is_a_failed_result(settings):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    accepted = []
    threading.Thread(target=lambda: accepted.append(silent.accept()), daemon=True).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = silent.getsockname()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        result = email.send(recipient="post7@police.test", message=MESSAGE, timeout=0.3)
    finally:
        silent.close()

    assert result.status == "failed"
    assert 250 <= result.latency_ms < 2000


def test_recipients_are_the_users_address(db, officer):
    officer.email = "officer@police.test"
    assert email.recipients_for_user(officer) == ["officer@police.test"]
    officer.email = ""
    assert email.recipients_for_user(officer) == []
