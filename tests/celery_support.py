"""Point the Celery app at another broker for a test, and back, dropping pooled connections both ways; read
what was published to it."""

import queue
from contextlib import contextmanager

from django.conf import settings


def reset_celery_connections(app) -> None:
    # Producers and connections are pooled per broker URL; a changed URL needs the app to look them up again.
    # (Closing them would break kombu's global pools, which other tests reuse.)
    from common.broker import publish_pause_reset

    app._pool = None
    app.amqp._producer_pool = None
    publish_pause_reset()  # the publishing connection and a pause after an outage belong to the old broker


@contextmanager
def celery_broker(url: str, *, eager: bool = False):
    from config.celery_app import app

    app.conf.update(broker_url=url, task_always_eager=eager)
    reset_celery_connections(app)
    try:
        yield app
    finally:
        app.conf.update(broker_url=settings.CELERY_BROKER_URL, task_always_eager=True)
        reset_celery_connections(app)
        # A worker started with queues=[...] narrows the app's own set of queues to consume from (Celery's
        # Queues.select mutates it), and every later worker in this process would then skip the default queue.
        app.amqp.queues._consume_from = None


def take_published(app) -> list[tuple[str, list]]:
    """Take every task message waiting in the broker's default queue, as (task name, args)."""
    found = []
    with app.connection_for_read() as connection:
        waiting = connection.SimpleQueue(app.conf.task_default_queue)
        try:
            while True:
                try:
                    message = waiting.get(block=False)
                except queue.Empty:
                    break
                found.append((message.headers["task"], message.payload[0]))
                message.ack()
        finally:
            waiting.close()
    return found
