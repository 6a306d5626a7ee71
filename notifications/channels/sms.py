"""SMS through an HTTP gateway: one provider-neutral request that a gateway (or a small relay before one) takes.

POST {SMS_GATEWAY_URL}
  Content-Type: application/json
  Authorization: Bearer {SMS_GATEWAY_TOKEN}          (or HTTP Basic with SMS_GATEWAY_USERNAME/PASSWORD)
  Idempotency-Key: {the delivery's key}
  {"to": "+77011234567", "text": "<text> <link>", "sender": "{SMS_SENDER}", "client_ref": "{the delivery's key}"}
Answered 2xx with {"id": "<the gateway's message id>"}; a gateway that saw the key already answers with the first
message's id and sends nothing. Any other answer, or none within the timeout, is a failed send.
"""

from typing import Any

from django.conf import settings

from notifications.channels import http
from notifications.channels.messages import FAILED, SENT, OutgoingMessage, SendResult

# A Cyrillic SMS is 70 characters a part; three parts is as long as an alarm needs.
MAX_TEXT = 201


class SmsChannel:
    name = "sms"

    def is_configured(self) -> bool:
        return bool(settings.SMS_GATEWAY_URL)

    def recipients_for_user(self, user: Any) -> list[str]:
        phone = getattr(user, "phone", "")  # kept as +digits (common/phones.py)
        return [phone] if phone else []

    def send(self, *, recipient: str, message: OutgoingMessage, timeout: float) -> SendResult:
        text = f"{message.text} {message.link}".strip() if message.link else message.text
        headers = {"Idempotency-Key": message.idempotency_key}
        auth = None
        if settings.SMS_GATEWAY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
        elif settings.SMS_GATEWAY_USERNAME:
            auth = (settings.SMS_GATEWAY_USERNAME, settings.SMS_GATEWAY_PASSWORD)
        body = {
            "to": recipient,
            "text": text[:MAX_TEXT],
            "sender": settings.SMS_SENDER,
            "client_ref": message.idempotency_key,
        }
        answer = http.post(settings.SMS_GATEWAY_URL, json=body, headers=headers, auth=auth, timeout=timeout)
        if answer.error:
            return SendResult(FAILED, "", answer.error, answer.latency_ms)
        data = answer.json()
        data = data if isinstance(data, dict) else {}
        if answer.ok and data.get("id"):
            return SendResult(SENT, str(data["id"])[:200], "", answer.latency_ms)
        error = str(data.get("error", ""))[:200]
        return SendResult(FAILED, "", f"HTTP {answer.status_code} {error}".strip(), answer.latency_ms)


channel = SmsChannel()
