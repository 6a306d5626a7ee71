"""Fixtures: each outside channel pointed at its loopback fake (tests/notifications/fakes.py) through settings."""

import pytest

from notifications.management.commands.vapid_keys import vapid_key_pair
from tests.notifications.fakes import FakePushService, FakeSmsGateway, FakeTelegram

BOT_TOKEN = "123456:TEST-bot-token"  # noqa: S105 - a test's
SMS_TOKEN = "sms-test-token"  # noqa: S105 - a test's


@pytest.fixture(scope="session")
def vapid_keys():
    return vapid_key_pair()


@pytest.fixture
def fake_telegram(settings):
    with FakeTelegram(BOT_TOKEN) as fake:
        settings.TELEGRAM_API_URL = fake.url
        settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
        yield fake


@pytest.fixture
def fake_sms(settings):
    with FakeSmsGateway(SMS_TOKEN) as fake:
        settings.SMS_GATEWAY_URL = f"{fake.url}/v1/messages"
        settings.SMS_GATEWAY_TOKEN = SMS_TOKEN
        settings.SMS_SENDER = "Qorgau"
        yield fake


@pytest.fixture
def fake_push(settings, vapid_keys):
    public, private = vapid_keys
    with FakePushService(public) as fake:
        settings.VAPID_PUBLIC_KEY = public
        settings.VAPID_PRIVATE_KEY = private
        settings.VAPID_SUBJECT = "mailto:ops@qorgau.test"
        settings.QORGAU_WEBPUSH_ALLOWED_HOSTS = ["127.0.0.1"]
        yield fake
