"""Case notifications through a real Celery worker, a real Redis and PostgreSQL: a report filed, the post's officer's
phone receives the push (decrypted by the loopback push service) and Telegram the message, each once; with the
broker down the report is filed anyway and the sweep sends them when it is back."""

import pytest

from accounts.models import PushSubscription
from notifications.models import Delivery
from notifications.services import delivery_sweep
from tests.incidents.reporting_support import submit
from tests.integration.conftest import wait_for, worker_on

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def reachable_officer(officer, fake_push, fake_telegram, settings):
    settings.QORGAU_EMAIL_CHANNEL = False
    officer.telegram_chat_id = "2002"
    officer.save(update_fields=["telegram_chat_id"])
    browser = fake_push.subscribe()
    keys = browser.subscription["keys"]
    PushSubscription.objects.create(user=officer, endpoint=browser.endpoint, p256dh=keys["p256dh"], auth=keys["auth"])
    return officer


def test_the_worker_sends_the_new_case_push_and_telegram_once(
    celery_worker, reporter, facility_a, reachable_officer, fake_push, fake_telegram
):
    incident = submit(reporter, facility_a)

    wait_for(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2)
    assert [p.payload["url"].rsplit("/", 2)[-2] for p in fake_push.pushes] == [str(incident.pk)]
    assert [m["chat_id"] for m in fake_telegram.messages] == ["2002"]
    assert delivery_sweep() == 0  # nothing left: the sweep sends nothing twice


def test_a_broker_outage_leaves_them_pending_for_the_sweep(
    postgres_db, private_redis, reporter, facility_a, reachable_officer, fake_push, fake_telegram
):
    from tests.celery_support import celery_broker

    private_redis.stop()
    with celery_broker(private_redis.url):
        submit(reporter, facility_a)  # the nurse is not refused
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.PENDING}
    assert fake_push.requests == [] and fake_telegram.requests == []
    private_redis.start()
    with worker_on(private_redis.url):
        assert delivery_sweep() == 2
        wait_for(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2)
    assert len(fake_push.pushes) == 1 and len(fake_telegram.messages) == 1
