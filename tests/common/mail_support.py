"""Mail servers that misbehave, for the e-mail recipe's tests."""

import smtplib
import socket
from contextlib import contextmanager

from django.core.mail.backends import locmem


class FlakyBackend(locmem.EmailBackend):
    """The test outbox, but the next `failures` sends fail as when the SMTP server drops the connection."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@contextmanager
def silent_smtp_server():
    """A port that accepts connections and never says a word (no SMTP greeting): yields the port."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]
