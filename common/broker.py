"""Publishing a Celery task without letting a broker outage break or slow the caller.

A user's action must not fail, nor wait, because the broker is down or hung: the task is sent over a connection
with a connect and socket timeout of QORGAU_PUBLISH_TIMEOUT_SECONDS and no retry; on failure the outage is logged,
the row that asked for the task stays pending for a sweep (notices, e-mails) to publish it later, and this process
does not try again for QORGAU_PUBLISH_PAUSE_SECONDS, so one request pays the timeout, not every request.
"""

import logging
import threading
import time
from typing import Any

from celery import Task, current_app
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# Connection errors as the transports raise them: kombu's, sockets' (OSError), redis-py's (not OSErrors).
BROKER_ERRORS: tuple[type[BaseException], ...] = (OperationalError, OSError, ConnectionError, TimeoutError)
try:
    import redis.exceptions

    BROKER_ERRORS += (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
except ImportError:  # pragma: no cover - redis is in requirements.txt
    pass


class _Publisher(threading.local):
    """This thread's short-timeout connection to the broker, and until when publishing is paused."""

    connection: Any = None  # a kombu Connection (kombu ships no type information)
    url: str = ""


_publisher = _Publisher()
_paused_until = 0.0


def publish_pause_reset() -> None:
    """Forget a broker outage seen by this process (tests that point the app at another broker)."""
    global _paused_until
    _paused_until = 0.0
    _drop_connection()


def _drop_connection() -> None:
    connection, _publisher.connection = _publisher.connection, None
    if connection is not None:
        try:
            connection.release()
        except Exception:  # noqa: BLE001, S110 - a broken connection may fail to close; it is dropped anyway
            pass


def _connection(app: Any) -> Any:
    url = app.conf.broker_url
    if _publisher.connection is None or _publisher.url != url:
        _drop_connection()
        timeout = settings.QORGAU_PUBLISH_TIMEOUT_SECONDS
        _publisher.connection = app.connection_for_write(
            connect_timeout=timeout,
            transport_options={
                "max_retries": 0,
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
                "retry_on_timeout": False,
            },
        )
        _publisher.url = url
    return _publisher.connection


def task_publish(task: Task, *args: Any, countdown: float | None = None) -> bool:
    """Send `task` with `args` to the broker; False, logged and never raised, when the broker is unavailable.

    With `countdown`, the task is to run that many seconds from now; eager tasks would run it at once, so there it
    is not sent (False): the caller's sweep runs it when due.
    """
    global _paused_until
    app = task._get_app() if hasattr(task, "_get_app") else current_app
    if app.conf.task_always_eager:
        if countdown is not None:
            return False
        task.delay(*args)
        return True
    if time.monotonic() < _paused_until:
        logger.info("%s%r stays pending: broker unavailable a moment ago", task.name, args)
        return False
    try:
        task.apply_async(args, connection=_connection(app), retry=False, countdown=countdown)
    except BROKER_ERRORS as exc:
        _paused_until = time.monotonic() + settings.QORGAU_PUBLISH_PAUSE_SECONDS
        _drop_connection()
        logger.warning("%s%r stays pending: broker unavailable (%s)", task.name, args, exc)
        return False
    return True


def task_publish_on_commit(task: Task, *args: Any) -> None:
    """Publish `task` through `task_publish` once the surrounding transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task_publish(task, *args), robust=True)


def broker_waiting(queue: str) -> int | None:
    """How many messages `queue` holds in the broker; None when the broker cannot be asked (down, hung)."""
    app = current_app
    if app.conf.task_always_eager:
        return 0  # tasks ran in-process: nothing waits anywhere
    try:
        channel = _connection(app).default_channel
        _name, count, _consumers = channel.queue_declare(queue=queue, passive=True)
    except BROKER_ERRORS as exc:
        _drop_connection()
        logger.warning("broker: cannot count the %s queue (%s)", queue, exc)
        return None
    except Exception as exc:  # noqa: BLE001 - a queue never declared is empty (kombu raises its own ChannelError)
        logger.info("broker: the %s queue is not there (%s)", queue, exc)
        return 0
    return int(count)
