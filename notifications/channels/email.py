"""E-mail as a channel: the e-mail pipeline's templates and mail server (common/emails.py), sent at once with the
channel's timeout. The caller's delivery row is the outbox here (claimed once, tried again by its sweep)."""

import smtplib
import time
from typing import Any

from django.conf import settings

from common.emails import email_send_now
from notifications.channels.messages import FAILED, SENT, OutgoingMessage, SendResult

KIND = "notification"  # templates/emails/notification-subject.txt, -body.txt


class EmailChannel:
    name = "email"

    def is_configured(self) -> bool:
        return bool(settings.QORGAU_EMAIL_CHANNEL)

    def recipients_for_user(self, user: Any) -> list[str]:
        address = getattr(user, "email", "")
        return [address] if address else []

    def send(self, *, recipient: str, message: OutgoingMessage, timeout: float) -> SendResult:
        started = time.perf_counter()
        context = {"text": message.text, "link": message.link, "drill": message.drill}
        try:
            message_id = email_send_now(kind=KIND, to=[recipient], context=context, timeout=timeout)
        except TimeoutError:
            return SendResult(FAILED, "", f"no answer within {timeout:g} s", _ms(started))
        except (OSError, smtplib.SMTPException) as exc:
            return SendResult(FAILED, "", f"{type(exc).__name__}: {str(exc)[:160]}", _ms(started))
        return SendResult(SENT, message_id, "", _ms(started))


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


channel = EmailChannel()
