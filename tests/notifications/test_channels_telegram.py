"""The Telegram adapter against the loopback Bot API (tests/notifications/fakes.py: FakeTelegram)."""

import json

import pytest

from notifications.channels.base import OutgoingMessage, configured_channels
from notifications.channels.telegram import channel as telegram
from tests import factories
from tests.notifications.fakes import closed_port_url
from tests.notifications.fixtures import BOT_TOKEN

MESSAGE = OutgoingMessage(
    text="ALARM: City hospital No. 7, emergency department, 14:05",
    link="https://qorgau.test/alarms/41/",
    drill=False,
    idempotency_key="alarm-41-telegram-1",
)


def test_it_posts_send_message_to_the_bot_api_exactly(fake_telegram):
    result = telegram.send(recipient="-1001234567890", message=MESSAGE, timeout=2)

    assert result.status == "sent"
    assert result.provider_id == "1"
    assert result.detail == ""
    [request] = fake_telegram.requests
    assert request.path == f"/bot{BOT_TOKEN}/sendMessage"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {
        "chat_id": "-1001234567890",
        "text": "ALARM: City hospital No. 7, emergency department, 14:05\nhttps://qorgau.test/alarms/41/",
        "disable_web_page_preview": True,
        "protect_content": True,
    }
    assert fake_telegram.problems == []


def test_a_provider_that_does_not_answer_in_time_is_a_failed_result(fake_telegram):
    fake_telegram.delay = 1.0

    result = telegram.send(recipient="42", message=MESSAGE, timeout=0.2)

    assert result.status == "failed"
    assert "0.2" in result.detail
    assert 150 <= result.latency_ms < 900


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_5xx_is_a_failed_result(fake_telegram, status):
    fake_telegram.fail_with = status

    result = telegram.send(recipient="42", message=MESSAGE, timeout=2)

    assert result.status == "failed"
    assert result.detail.startswith(f"HTTP {status}")


def test_a_wrong_token_fails_and_the_token_is_not_in_the_error(fake_telegram, settings):
    settings.TELEGRAM_BOT_TOKEN = "999:WRONG-secret"

    result = telegram.send(recipient="42", message=MESSAGE, timeout=2)

    assert result.status == "failed"
    assert "Unauthorized" in result.detail
    assert "WRONG-secret" not in result.detail


def test_a_refused_connection_is_a_failed_result_without_the_url(settings):
    settings.TELEGRAM_API_URL = closed_port_url()
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN

    result = telegram.send(recipient="42", message=MESSAGE, timeout=1)

    assert result.status == "failed"
    assert BOT_TOKEN not in result.detail


def test_recipients_are_the_officers_and_the_posts_chat_ids(db):
    post = factories.PolicePostFactory(telegram_chat_id="-1001234567890")
    officer = factories.make_officer(post, telegram_chat_id="987654321")
    nobody = factories.make_officer(post)

    assert telegram.recipients_for_user(officer) == ["987654321"]
    assert telegram.recipients_for_user(nobody) == []
    assert telegram.recipients_for_post(post) == ["-1001234567890"]


def test_it_is_configured_only_with_a_token(settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    assert telegram not in configured_channels()
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
    assert telegram in configured_channels()
