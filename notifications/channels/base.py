"""The one interface every outside channel implements, and the list of those configured in settings.

A sender knows only this module: a message, a result, and a channel that finds a user's recipients (chat ids, phone
numbers, push subscriptions, addresses) and sends to one of them.
"""

from notifications.channels import email, sms, telegram, webpush
from notifications.channels.messages import (
    FAILED,
    SENT,
    Channel,
    ConfigurableChannel,
    OutgoingMessage,
    SendResult,
)

__all__ = [
    "FAILED",
    "SENT",
    "Channel",
    "ConfigurableChannel",
    "OutgoingMessage",
    "SendResult",
    "channel_named",
    "configured_channels",
]

# Every adapter, the fastest to reach a phone first.
CHANNELS: dict[str, ConfigurableChannel] = {
    adapter.name: adapter for adapter in (webpush.channel, telegram.channel, sms.channel, email.channel)
}


def configured_channels() -> list[Channel]:
    """The channels whose settings are filled in."""
    return [adapter for adapter in CHANNELS.values() if adapter.is_configured()]


def channel_named(name: str) -> ConfigurableChannel | None:
    """The adapter called `name`, configured or not (None for an unknown name)."""
    return CHANNELS.get(name)
