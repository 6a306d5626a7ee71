"""The notice pipeline on RabbitMQ (CELERY_BROKER_URL=amqp://…, issue 13), with a real worker and PostgreSQL: the
render is published once and rendered once; the sweep counts the messages the queue holds through AMQP and does
not publish a waiting render again; a render whose message the broker lost (the queue emptied, as a broker
restarted without its disk) is published again once, after its short lease, and rendered once."""

import datetime as dt

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from common.broker import broker_waiting
from incidents.models import IncidentEvent, Notice
from incidents.services import notices
from tests.celery_support import celery_broker
from tests.integration.conftest import wait_for
from tests.integration.test_readyz import rabbitmq_url  # noqa: F401  # a fixture: the machine's RabbitMQ, or fail

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def purge(app, queue: str) -> None:
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        channel.queue_declare(queue=queue, durable=True, auto_delete=False)
        channel.queue_purge(queue=queue)


def worker(app):
    app.conf.update(result_backend=None, broker_connection_retry_on_startup=True)
    # RabbitMQ's consumer takes longer to close than Redis's on a busy machine.
    return start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=60, loglevel="WARNING")


def ready(notice: Notice) -> bool:
    return Notice.objects.filter(pk=notice.pk, status=Notice.Status.READY).exists()


def test_a_render_waiting_in_rabbitmq_is_not_published_twice(postgres_db, rabbitmq_url, incident):  # noqa: F811
    queue = settings.QORGAU_QUEUE_NOTICES
    with celery_broker(rabbitmq_url) as app:
        purge(app, queue)
        notice = notices.notice_request(incident=incident)  # no worker yet: the message waits in RabbitMQ
        notice.refresh_from_db()
        assert notice.queued_at is not None
        assert wait_for(lambda: broker_waiting(queue) == 1, timeout=10)
        Notice.objects.filter(pk=notice.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
        assert notices.notice_sweep(older_than_seconds=0) == 0  # the broker holds it: left alone
        assert broker_waiting(queue) == 1
        with worker(app):
            wait_for(lambda: ready(notice))
        assert broker_waiting(queue) == 0
    notice.refresh_from_db()
    assert notice.attempts == 1
    assert incident.events.filter(kind=IncidentEvent.Kind.NOTICE_READY).count() == 1


def test_a_render_rabbitmq_lost_is_published_again_once(postgres_db, rabbitmq_url, incident):  # noqa: F811
    queue = settings.QORGAU_QUEUE_NOTICES
    with celery_broker(rabbitmq_url) as app:
        purge(app, queue)
        notice = notices.notice_request(incident=incident)
        assert wait_for(lambda: broker_waiting(queue) == 1, timeout=10)
        purge(app, queue)  # the broker restarted without its messages
        five_minutes_ago = timezone.now() - dt.timedelta(minutes=5)
        Notice.objects.filter(pk=notice.pk).update(created_at=five_minutes_ago, queued_at=five_minutes_ago)
        assert notices.notice_sweep(older_than_seconds=0) == 0  # marked: it might just be on a worker
        Notice.objects.filter(pk=notice.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
        assert notices.notice_sweep(older_than_seconds=0) == 1  # nobody claimed it: lost, published again
        assert wait_for(lambda: broker_waiting(queue) == 1, timeout=10)
        with worker(app):
            wait_for(lambda: ready(notice))
    notice.refresh_from_db()
    assert notice.attempts == 1
    assert incident.events.filter(kind=IncidentEvent.Kind.NOTICE_READY).count() == 1
