"""Publishing a Celery task without letting a broker outage break the caller.

A user's action must not fail because Redis is down: the task is not sent, the outage is logged, and the row
that asked for the task stays pending, for a sweep (notices, e-mails) to publish it again later.
"""

import logging
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def task_publish(task: Task, *args: Any) -> bool:
    """Send `task` with `args` to the broker; False, logged and never raised, when the broker is unavailable."""
    try:
        task.delay(*args)
    except (OperationalError, OSError) as exc:
        logger.warning("%s%r stays pending: broker unavailable (%s)", task.name, args, exc)
        return False
    return True


def task_publish_on_commit(task: Task, *args: Any) -> None:
    """Publish `task` through `task_publish` once the surrounding transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task_publish(task, *args), robust=True)
