"""Publishing a task (`common/broker.py`): a broker that is down or hung costs a submit at most a few tens of
milliseconds, once, and never raises; the row stays pending for the sweep (issue 12: +2 s and +5 s per submit)."""

import socket
import time

import pytest

from common import broker
from incidents.tasks import notice_render_task
from tests.celery_support import celery_broker


@pytest.fixture
def hung_broker_url():
    # A server that accepts the connection and never answers: Redis stopped with SIGSTOP, or a frozen host.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(100)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


def timed_publish() -> tuple[bool, float]:
    started = time.perf_counter()
    published = broker.task_publish(notice_render_task, 1)
    return published, time.perf_counter() - started


@pytest.mark.parametrize("state", ["down", "hung"])
def test_a_broker_down_or_hung_costs_one_publish_a_short_timeout_and_the_next_nothing(state, hung_broker_url):
    url = "redis://127.0.0.1:9/0" if state == "down" else hung_broker_url  # nothing listens on the discard port
    with celery_broker(url):
        published, first = timed_publish()
        assert published is False
        assert first < 0.2  # the target is +100 ms per submit; the timeout is QORGAU_PUBLISH_TIMEOUT_SECONDS
        published, then = timed_publish()
        assert published is False and then < 0.01  # paused: not even tried


def test_publishing_resumes_after_the_pause(settings):
    settings.QORGAU_PUBLISH_PAUSE_SECONDS = 0.0
    with celery_broker("redis://127.0.0.1:9/0"):
        assert broker.task_publish(notice_render_task, 1) is False
    with celery_broker("memory://") as app:
        assert broker.task_publish(notice_render_task, 1) is True
        with app.connection_for_read() as connection:
            message = connection.SimpleQueue("notices").get(block=False)  # routed to the notices queue
            assert message.headers["task"] == "incidents.notice_render_task"
            message.ack()


def test_broker_waiting_counts_a_queue_and_is_none_when_the_broker_is_hung(hung_broker_url):
    with celery_broker("memory://") as app:
        with app.connection_for_write() as connection:
            connection.SimpleQueue("waiting-test").put({"n": 1})
            connection.SimpleQueue("waiting-test").put({"n": 2})
        assert broker.broker_waiting("waiting-test") == 2
        assert broker.broker_waiting("never-declared") == 0
        with app.connection_for_read() as connection:
            queue = connection.SimpleQueue("waiting-test")
            queue.get(block=False).ack()
            queue.get(block=False).ack()
    with celery_broker(hung_broker_url):
        started = time.perf_counter()
        assert broker.broker_waiting("notices") is None
        assert time.perf_counter() - started < 0.2
