"""A real broker stopped: /readyz turns red with the reason, and green again when it is back; RabbitMQ as the
broker (CELERY_BROKER_URL=amqp://…) runs the tasks and is what /readyz checks."""

import os
import socket

import pytest
from celery.contrib.testing.worker import start_worker

from analytics.models import Snapshot
from analytics.tasks import snapshot_refresh_task
from config.celery_app import app as celery_app
from tests.celery_support import celery_broker
from tests.conftest import skip_or_fail
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def broker_check(client) -> tuple[int, dict]:
    response = client.get("/readyz")
    return response.status_code, response.json()["checks"]["broker"]


def test_stopping_the_broker_turns_readyz_red(client, private_redis, monkeypatch, transactional_db):
    monkeypatch.setattr(celery_app.conf, "broker_url", private_redis.url)
    assert broker_check(client)[1]["status"] == "ok"

    private_redis.stop()
    status, broker = broker_check(client)

    assert status == 503
    assert broker["status"] == "fail"
    assert f"127.0.0.1:{private_redis.port}" in broker["error"] and "refused" in broker["error"].lower()

    private_redis.start()
    assert broker_check(client)[1]["status"] == "ok"


RABBITMQ_URL = os.environ.get("QORGAU_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")


@pytest.fixture
def rabbitmq_url():
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=2):
            pass
    except OSError as exc:
        skip_or_fail(f"RabbitMQ does not answer at 127.0.0.1:5672: {exc}")
    return RABBITMQ_URL


def test_rabbitmq_as_the_broker_runs_tasks_and_readyz_checks_it(client, rabbitmq_url, monkeypatch, transactional_db):
    monkeypatch.setattr(celery_app.conf, "broker_url", rabbitmq_url)
    assert broker_check(client)[1]["status"] == "ok"

    with celery_broker(rabbitmq_url) as app:
        app.conf.update(result_backend=None, broker_connection_retry_on_startup=True)
        # RabbitMQ's consumer takes longer to close than Redis's on a busy machine.
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=60, loglevel="WARNING"):
            snapshot_refresh_task.delay()
            wait_for(lambda: Snapshot.objects.exists())

    monkeypatch.setattr(celery_app.conf, "broker_url", "amqp://guest:guest@127.0.0.1:1//")
    status, broker = broker_check(client)
    assert status == 503 and broker["status"] == "fail" and "127.0.0.1:1" in broker["error"]
