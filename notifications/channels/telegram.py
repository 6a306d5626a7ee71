"""Telegram: the Bot API's sendMessage, to a post's group chat and to officers' own chats.

POST {TELEGRAM_API_URL}/bot{TELEGRAM_BOT_TOKEN}/sendMessage with a JSON body
{"chat_id": …, "text": "<text>\\n<link>", "disable_web_page_preview": true, "protect_content": true}; Telegram answers
{"ok": true, "result": {"message_id": …}}. The Bot API has no idempotency key: a second send of one delivery is
prevented by the delivery row (claimed once), not by Telegram.
"""

from typing import Any

from django.conf import settings

from notifications.channels import http
from notifications.channels.messages import FAILED, SENT, OutgoingMessage, SendResult


class TelegramChannel:
    name = "telegram"

    def is_configured(self) -> bool:
        return bool(settings.TELEGRAM_BOT_TOKEN and settings.TELEGRAM_API_URL)

    def recipients_for_user(self, user: Any) -> list[str]:
        chat_id = getattr(user, "telegram_chat_id", "")
        return [chat_id] if chat_id else []

    def recipients_for_post(self, post: Any) -> list[str]:
        """The police post's group chat (facilities.PolicePost.telegram_chat_id), when it has one."""
        chat_id = getattr(post, "telegram_chat_id", "")
        return [chat_id] if chat_id else []

    def send(self, *, recipient: str, message: OutgoingMessage, timeout: float) -> SendResult:
        url = f"{settings.TELEGRAM_API_URL}/bot{settings.TELEGRAM_BOT_TOKEN}/sendMessage"
        body = {
            "chat_id": recipient,
            "text": f"{message.text}\n{message.link}" if message.link else message.text,
            "disable_web_page_preview": True,
            # Not forwarded or saved out of the chat.
            "protect_content": True,
        }
        answer = http.post(url, json=body, timeout=timeout)
        if answer.error:
            return SendResult(FAILED, "", answer.error, answer.latency_ms)
        data = answer.json()
        data = data if isinstance(data, dict) else {}
        if answer.ok and data.get("ok") is True:
            result = data.get("result")
            message_id = result.get("message_id", "") if isinstance(result, dict) else ""
            return SendResult(SENT, str(message_id), "", answer.latency_ms)
        description = str(data.get("description", ""))[:200]
        return SendResult(FAILED, "", f"HTTP {answer.status_code} {description}".strip(), answer.latency_ms)


channel = TelegramChannel()
