"""The one interface every outside channel implements, and the list of those configured in settings.

The notify service (alarms/services.py) knows only this module: a message, a result, and a channel that finds a
user's recipients (chat ids, phone numbers, push subscriptions, addresses) and sends to one of them. The adapters
(Telegram, SMS, Web Push, e-mail) live below the incidents in notifications/channels/, because the case
notifications (issue 17) that incidents/ queues use them too; this module is their interface as alarms see it.
"""

from notifications.channels.base import (
    FAILED,
    SENT,
    Channel,
    OutgoingMessage,
    SendResult,
    channel_named,
    configured_channels,
)

__all__ = ["FAILED", "SENT", "Channel", "OutgoingMessage", "SendResult", "channel_named", "configured_channels"]
