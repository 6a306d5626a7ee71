"""Reliability (issue 16): the broker down, one channel down, and a burst of 50 alarms across posts, on the real
stack (PostgreSQL, Redis, a Celery worker)."""

import datetime as dt
import json
import time
import uuid

import pytest
from django.utils import timezone

from alarms import services, tasks
from alarms.models import Alarm, AlarmDelivery
from tests import factories
from tests.alarms.support import FakeChannel, percentile, use_channels
from tests.celery_support import celery_broker
from tests.incidents.reporting_support import in_threads

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


@pytest.fixture
def threads(settings):
    settings.QORGAU_ALARM_DIRECT_THREADS = 8  # as in production: the request's direct sends run in parallel


def test_broker_down_the_alarm_is_stored_and_sent_from_the_request_and_never_twice_later(
    postgres_db, redis_url, threads, client, reporter, officer, monkeypatch
):
    telegram, sms = FakeChannel("telegram", raises=TimeoutError), FakeChannel("sms")
    use_channels(monkeypatch, telegram, sms)
    client.force_login(reporter)
    with celery_broker(DEAD_BROKER, eager=False):
        started = time.monotonic()
        response = client.post("/alarms/sos/", {"idempotency_key": str(uuid.uuid4())}, HTTP_ACCEPT="application/json")
        took = time.monotonic() - started
    assert response.status_code == 201
    assert took < 5  # the publish gives up at once; the direct sends have their short timeout
    alarm = Alarm.objects.get(pk=response.json()["id"])
    assert alarm.deliveries.get(channel="sms").status == AlarmDelivery.Status.SENT  # sent from the request
    assert alarm.deliveries.get(channel="live").status == AlarmDelivery.Status.SENT
    failed = alarm.deliveries.get(channel="telegram")  # Telegram times out: visible on the alarm, the others went
    assert failed.status == AlarmDelivery.Status.FAILED and failed.attempts == 1
    assert sms.recipients() == [f"sms:{officer.username}"]

    # The broker is back, Telegram too: the sweep publishes only what is still to send, and messages that were
    # queued twice (a task published before the outage, then again by the sweep) send nothing twice.
    telegram.raises = None
    AlarmDelivery.objects.filter(pk=failed.pk).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    with celery_broker(redis_url, eager=False) as app:
        _purge(app)
        summary = services.alarm_sweep()
        assert summary["published"] == 1  # the failed Telegram message alone; the SMS went from the request
        for delivery in alarm.deliveries.exclude(channel="live"):
            tasks.alarm_deliver_task.apply(args=[delivery.pk])
            tasks.alarm_deliver_task.apply(args=[delivery.pk])
        _purge(app)
    assert sms.recipients() == [f"sms:{officer.username}"]  # once, ever
    assert telegram.recipients() == [f"telegram:{officer.username}"]
    assert alarm.deliveries.get(channel="telegram").status == AlarmDelivery.Status.SENT


def _purge(app) -> None:
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("alarms")


def _posts_with_officers(count: int):
    posts = []
    for index in range(count):
        post = factories.PolicePostFactory(code=f"BURST-{index:02d}")
        factories.make_officer(post, username=f"burst-officer-{index}-a")
        factories.make_officer(post, username=f"burst-officer-{index}-b")
        posts.append(post)
    return posts


def _wait_sent(alarm_ids, timeout: float = 60) -> list[AlarmDelivery]:
    deadline = time.monotonic() + timeout
    waiting = AlarmDelivery.objects.filter(alarm_id__in=alarm_ids, status__in=["pending", "sending"])
    while waiting.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return list(AlarmDelivery.objects.filter(alarm_id__in=alarm_ids))


@pytest.fixture
def alarms_worker(postgres_db, redis_url):
    """A Celery worker as the alarms queue has in production: a pool of threads (sends wait on the network)."""
    from celery.contrib.testing.worker import start_worker

    with celery_broker(redis_url) as app:
        app.conf.update(result_backend=None, broker_connection_retry_on_startup=True)
        with start_worker(
            app,
            pool="threads",
            concurrency=ALARMS_WORKER_THREADS,
            queues=["alarms"],
            perform_ping_check=False,
            shutdown_timeout=10,
            loglevel="WARNING",
        ) as worker:
            yield worker
            _purge(app)


ALARMS_WORKER_THREADS = 8


def test_a_burst_of_50_alarms_across_posts_is_delivered_with_the_p95_measured(
    alarms_worker, monkeypatch, settings, capsys
):
    telegram, sms = FakeChannel("telegram"), FakeChannel("sms")
    use_channels(monkeypatch, telegram, sms)
    posts = _posts_with_officers(10)

    def sos(index: int) -> int:
        post = posts[index % len(posts)]
        return services.alarm_raise(
            facility=post.facility, post=post, source=Alarm.Source.BUTTON, idempotency_key=str(uuid.uuid4())
        ).pk

    floor = _wait_sent([sos(0)])  # one alarm alone, measured in the same run: the floor
    burst = _wait_sent(in_threads(50, sos))
    assert all(delivery.status == AlarmDelivery.Status.SENT for delivery in burst)
    assert len(burst) == 50 * 5  # per alarm: the post's page, and two officers by two channels

    def ms(deliveries, live: bool) -> list[int]:
        return [d.latency_ms for d in deliveries if (d.channel == services.LIVE) == live]

    figures = {
        "burst_alarms": 50,
        "outside_deliveries": len(ms(burst, False)),
        "outside_ms": {"p50": percentile(ms(burst, False), 0.5), "p95": percentile(ms(burst, False), 0.95)},
        "live_ms": {"p50": percentile(ms(burst, True), 0.5), "p95": percentile(ms(burst, True), 0.95)},
        "floor_outside_ms_p95": percentile(ms(floor, False), 0.95),
    }
    figures["outside_p95_over_floor"] = round(figures["outside_ms"]["p95"] / max(1, figures["floor_outside_ms_p95"]), 1)
    with capsys.disabled():
        print("\nalarm burst figures:", json.dumps(figures))
    # Not a timed test: 50 alarms raised at once by threads of this process, on a shared 2-core machine, measure
    # the machine as much as the app (the 2 s target for one alarm's pages is asserted in test_live_server and
    # test_alarm_browser). What must hold under the burst is the order: each alarm's pages are sent before its
    # outside deliveries are even queued, so the live p95 stays below the outside one.
    assert figures["live_ms"]["p95"] <= figures["outside_ms"]["p95"]
