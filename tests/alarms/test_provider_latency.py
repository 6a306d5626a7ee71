"""Issue 16: the time from SOS to each outside provider, measured on the real stack (PostgreSQL, Redis, a Celery
worker for the alarms queue as production has it) against the loopback providers (tests/notifications/fakes.py):
the push service that decrypts the payload, Telegram's Bot API, the SMS gateway; and the officer's page (the live
channel). Each delivery's `latency_ms` is from the alarm being raised to the provider's answer. A measurement, not
a timed test: it asserts that every delivery was sent, and prints the figures."""

import json
import time
import uuid

import pytest

from accounts.models import PushSubscription
from alarms import services
from alarms.models import Alarm, AlarmDelivery, DutyEntry
from tests import factories
from tests.alarms.support import percentile
from tests.alarms.test_reliability import alarms_worker  # noqa: F401  # a fixture: the alarms queue's worker

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ALARMS = 20


def test_sos_to_push_telegram_sms_and_the_officers_page(
    alarms_worker,  # noqa: F811
    fake_telegram,
    fake_sms,
    fake_push,
    settings,
    reporter,
    facility_a,
    post_a,
    capsys,
):
    settings.QORGAU_EMAIL_CHANNEL = False
    post_a.telegram_chat_id = "-1009990001"
    post_a.save(update_fields=["telegram_chat_id"])
    duty = factories.make_officer(post_a, username="duty", telegram_chat_id="501", phone="+77015550001")
    DutyEntry.objects.create(post=post_a, officer=duty, on_duty=True)
    browser = fake_push.subscribe()
    keys = browser.subscription["keys"]
    PushSubscription.objects.create(user=duty, endpoint=browser.endpoint, p256dh=keys["p256dh"], auth=keys["auth"])

    ids = []
    for _ in range(ALARMS):
        alarm = services.alarm_raise(
            facility=facility_a, raised_by=reporter, source=Alarm.Source.SOS, idempotency_key=str(uuid.uuid4())
        )
        ids.append(alarm.pk)
        deadline = time.monotonic() + 30
        waiting = AlarmDelivery.objects.filter(alarm=alarm, status__in=["pending", "sending"])
        while waiting.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        services.alarm_acknowledge(alarm=alarm, officer=duty)  # stops the ladder

    deliveries = list(AlarmDelivery.objects.filter(alarm_id__in=ids))
    assert {d.status for d in deliveries} == {AlarmDelivery.Status.SENT}, [
        (d.channel, d.status, d.error) for d in deliveries if d.status != AlarmDelivery.Status.SENT
    ]
    figures = {}
    for channel in ("live", "webpush", "telegram", "sms"):
        ms = [d.latency_ms for d in deliveries if d.channel == channel]
        assert len(ms) >= ALARMS, channel
        figures[channel] = {"n": len(ms), "p50_ms": percentile(ms, 0.5), "p95_ms": percentile(ms, 0.95)}
    assert len(fake_push.pushes) == ALARMS and len(fake_sms.sent) == ALARMS
    with capsys.disabled():
        print("\nSOS to provider:", json.dumps(figures))
