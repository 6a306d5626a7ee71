"""Web Push (RFC 8030/8291/8292) with pywebpush: the payload encrypted for the browser (aes128gcm), signed with
Qorgau's VAPID key, POSTed to the push service endpoint the browser gave (accounts.PushSubscription).

The payload is JSON that the service worker shows: {"title", "body", "url", "drill", "tag"}. `Topic` (from the
delivery's key) makes the push service replace, not add, a second copy of one message still waiting for a phone
that is off; `Urgency: high` wakes a phone in power saving. An endpoint the push service says is gone (404, 410)
is deleted: the browser unsubscribed or the subscription expired.
"""

import base64
import functools
import hashlib
import json
import time
from typing import Any

import requests
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from accounts.models import PushSubscription
from notifications.channels import http
from notifications.channels.messages import FAILED, SENT, OutgoingMessage, SendResult

GONE = (404, 410)
TITLE = "Qorgau"


@functools.lru_cache(maxsize=2)
def _vapid(private_key: str) -> Vapid:
    return Vapid.from_string(private_key=private_key)


def topic_of(idempotency_key: str) -> str:
    """At most 32 characters of the URL-safe base64 alphabet, as RFC 8030 asks of a Topic."""
    digest = hashlib.sha256(idempotency_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]


def payload_of(message: OutgoingMessage) -> dict[str, Any]:
    return {
        "title": TITLE,
        "body": message.text,
        "url": message.link,
        "drill": message.drill,
        "tag": topic_of(message.idempotency_key),
    }


class WebPushChannel:
    name = "webpush"

    def is_configured(self) -> bool:
        return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)

    def recipients_for_user(self, user: Any) -> list[str]:
        # The subscription's id: the endpoint is a capability URL, not to be copied into delivery rows.
        return [str(subscription.pk) for subscription in user.push_subscriptions.all()]  # prefetched by senders

    def send(self, *, recipient: str, message: OutgoingMessage, timeout: float) -> SendResult:
        started = time.perf_counter()
        subscription = PushSubscription.objects.filter(pk=int(recipient) if recipient.isdigit() else 0).first()
        if subscription is None:
            return SendResult(FAILED, "", "the browser's subscription was removed", _ms(started))
        topic = topic_of(message.idempotency_key)
        try:
            response = webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=json.dumps(payload_of(message), ensure_ascii=False),
                vapid_private_key=_vapid(settings.VAPID_PRIVATE_KEY),
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                timeout=timeout,
                ttl=settings.QORGAU_WEBPUSH_TTL_SECONDS,
                headers={"Urgency": "high", "Topic": topic},
                requests_session=http.session(),
            )
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in GONE:
                subscription.delete()
                return SendResult(FAILED, "", f"HTTP {status}: subscription gone, removed", _ms(started))
            return SendResult(FAILED, "", f"HTTP {status}", _ms(started))
        except requests.Timeout:
            return SendResult(FAILED, "", f"no answer within {timeout:g} s", _ms(started))
        except (requests.RequestException, ValueError) as exc:
            # ValueError: keys the browser sent that are not a P-256 point or a 16-byte secret.
            return SendResult(FAILED, "", f"{type(exc).__name__}", _ms(started))
        location = response.headers.get("Location", "") if hasattr(response, "headers") else ""
        return SendResult(SENT, location[-200:], "", _ms(started))


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


channel = WebPushChannel()
