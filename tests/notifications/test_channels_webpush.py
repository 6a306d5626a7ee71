"""The Web Push adapter against the loopback push service, which verifies the VAPID signature and DECRYPTS the
payload with the browser's private key (tests/notifications/fakes.py: FakePushService)."""

import time

import pytest

from accounts.models import PushSubscription
from notifications.channels.base import OutgoingMessage
from notifications.channels.webpush import channel as webpush
from notifications.channels.webpush import topic_of

MESSAGE = OutgoingMessage(
    text="Новый случай на вашем посту",
    link="https://qorgau.test/incidents/cases/7/",
    drill=False,
    idempotency_key="new_case:7:webpush:12",
)


@pytest.fixture
def browser(fake_push, officer):
    browser = fake_push.subscribe()
    subscription = PushSubscription.objects.create(
        user=officer,
        endpoint=browser.endpoint,
        p256dh=browser.subscription["keys"]["p256dh"],
        auth=browser.subscription["keys"]["auth"],
    )
    browser.row = subscription
    return browser


def test_the_push_service_decrypts_the_payload_and_verifies_the_vapid_signature(fake_push, browser, settings):
    result = webpush.send(recipient=str(browser.row.pk), message=MESSAGE, timeout=2)

    assert result.status == "sent", result.detail
    assert fake_push.problems == []
    [push] = fake_push.pushes
    assert push.payload == {
        "title": "Qorgau",
        "body": "Новый случай на вашем посту",
        "url": "https://qorgau.test/incidents/cases/7/",
        "drill": False,
        "tag": topic_of("new_case:7:webpush:12"),
    }
    assert push.claims["aud"] == fake_push.url
    assert push.claims["sub"] == "mailto:ops@qorgau.test"
    assert push.claims["exp"] > time.time()
    assert push.headers["content-encoding"] == "aes128gcm"
    assert push.headers["ttl"] == str(settings.QORGAU_WEBPUSH_TTL_SECONDS)
    assert push.headers["urgency"] == "high"
    assert push.headers["topic"] == topic_of("new_case:7:webpush:12")
    assert len(push.headers["topic"]) <= 32
    assert result.provider_id.endswith("/message/1")


def test_a_retry_with_the_same_key_replaces_the_waiting_message(fake_push, browser):
    webpush.send(recipient=str(browser.row.pk), message=MESSAGE, timeout=2)
    webpush.send(recipient=str(browser.row.pk), message=MESSAGE, timeout=2)

    assert len(fake_push.requests) == 2
    assert len(fake_push.pushes) == 1


def test_a_subscription_the_push_service_calls_gone_is_removed(fake_push, browser):
    fake_push.gone.add(browser.endpoint.removeprefix(fake_push.url))

    result = webpush.send(recipient=str(browser.row.pk), message=MESSAGE, timeout=2)

    assert result.status == "failed"
    assert "410" in result.detail
    assert not PushSubscription.objects.filter(pk=browser.row.pk).exists()


def test_no_answer_within_the_timeout_is_a_failed_result(fake_push, browser):
    fake_push.delay = 1.0

    result = webpush.send(recipient=str(browser.row.pk), message=MESSAGE, timeout=0.2)

    assert result.status == "failed"
    assert result.latency_ms < 900
    assert PushSubscription.objects.filter(pk=browser.row.pk).exists()


@pytest.mark.parametrize("status", [500, 503])
def test_a_5xx_is_a_failed_result_and_keeps_the_subscription(fake_push, browser, status):
    fake_push.fail_with = status

    result = webpush.send(recipient=str(browser.row.pk), message=MESSAGE, timeout=2)

    assert (result.status, result.detail) == ("failed", f"HTTP {status}")
    assert PushSubscription.objects.filter(pk=browser.row.pk).exists()


def test_a_removed_subscription_is_a_failed_result(fake_push, browser):
    browser.row.delete()

    assert webpush.send(recipient="999999", message=MESSAGE, timeout=2).status == "failed"
    assert fake_push.requests == []


def test_recipients_are_the_users_subscriptions(fake_push, browser, officer, other_officer):
    assert webpush.recipients_for_user(officer) == [str(browser.row.pk)]
    assert webpush.recipients_for_user(other_officer) == []


def test_a_payload_signed_with_another_vapid_key_is_refused_by_the_push_service(fake_push, browser, settings):
    """The control of the fake's check: it verifies the signature, it does not take any Authorization."""
    from notifications.management.commands.vapid_keys import vapid_key_pair

    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = vapid_key_pair()

    result = webpush.send(recipient=str(browser.row.pk), message=MESSAGE, timeout=2)

    assert (result.status, result.detail) == ("failed", "HTTP 401")
    assert fake_push.pushes == []
    assert fake_push.problems == ["VAPID: k is not the application server's key"]


def test_a_payload_encrypted_for_another_browser_cannot_be_read(fake_push, browser):
    other = fake_push.subscribe()
    keys = other.subscription["keys"]
    PushSubscription.objects.filter(pk=browser.row.pk).update(p256dh=keys["p256dh"], auth=keys["auth"])

    result = webpush.send(recipient=str(browser.row.pk), message=MESSAGE, timeout=2)

    assert result.status == "failed"
    assert fake_push.pushes == [] and fake_push.problems[0].startswith("cannot decrypt")
