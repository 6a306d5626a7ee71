"""What a channel sends and answers: the message, the result, and the adapter's shape (re-exported by base.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class OutgoingMessage:
    # Facility, place and time only, never a victim's or a suspect's name: messengers are hosted abroad.
    text: str
    link: str
    drill: bool
    # The same for every try of one delivery: a provider that honours it never shows the message twice.
    idempotency_key: str


@dataclass(frozen=True)
class SendResult:
    status: str  # "sent" | "failed"
    provider_id: str
    detail: str
    latency_ms: int

    @property
    def sent(self) -> bool:
        return self.status == SENT


SENT = "sent"
FAILED = "failed"


@runtime_checkable
class Channel(Protocol):
    name: str  # "telegram" | "sms" | "webpush" | "email"

    def recipients_for_user(self, user: Any) -> list[str]: ...  # accounts.User

    def send(self, *, recipient: str, message: OutgoingMessage, timeout: float) -> SendResult: ...


class ConfigurableChannel(Channel, Protocol):
    def is_configured(self) -> bool: ...
