"""Alarm tasks, on their own queue and worker ("alarms", CELERY_TASK_ROUTES): one delivery, one ladder step, the sweep.

Each takes ids, re-reads its rows and calls one service that claims its work by an UPDATE, so running twice (a
redelivered message, the sweep and a scheduled step) sends nothing twice.
"""

from typing import Any

from celery import Task, shared_task
from django.conf import settings

from alarms import services
from alarms.models import AlarmDelivery
from common.broker import task_publish
from common.tasks import TRANSIENT_ERRORS


def publish(task: Task, *args: Any, countdown: float | None = None) -> bool:
    """Queue `task` now (or after `countdown`), never waiting on a broker that is down: False when it was not."""
    return task_publish(task, *args, countdown=countdown)


@shared_task(  # type: ignore[untyped-decorator]  # Celery: no types
    name="alarms.alarm_deliver_task",
    bind=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=settings.QORGAU_ALARM_DELIVERY_ATTEMPTS,
    retry_backoff=settings.QORGAU_ALARM_RETRY_BACKOFF_SECONDS,
    soft_time_limit=settings.QORGAU_ALARM_TASK_TIME_LIMIT,
    time_limit=settings.QORGAU_ALARM_TASK_TIME_LIMIT + 10,
    acks_late=True,
)
def alarm_deliver_task(self: Task, delivery_id: int) -> str | None:
    delivery = services.delivery_send(delivery_id=delivery_id, timeout=settings.QORGAU_ALARM_SEND_TIMEOUT_SECONDS)
    if delivery is None:
        return None
    if delivery.status == AlarmDelivery.Status.FAILED and delivery.attempts < settings.QORGAU_ALARM_DELIVERY_ATTEMPTS:
        # The row's claim lapses after the same backoff, so the retry (or the sweep) may take it again.
        raise self.retry(countdown=settings.QORGAU_ALARM_RETRY_BACKOFF_SECONDS * delivery.attempts)
    return str(delivery.status)


@shared_task(  # type: ignore[untyped-decorator]  # Celery: no types
    name="alarms.alarm_escalate_task",
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=5,
    retry_backoff=2,
    soft_time_limit=settings.QORGAU_ALARM_TASK_TIME_LIMIT,
    time_limit=settings.QORGAU_ALARM_TASK_TIME_LIMIT + 10,
    acks_late=True,
)
def alarm_escalate_task(alarm_id: int, step: int) -> int:
    return len(services.alarm_escalate(alarm_id=alarm_id, step=step))


@shared_task(  # type: ignore[untyped-decorator]  # Celery: no types
    name="alarms.alarm_sweep_task",
    soft_time_limit=settings.QORGAU_ALARM_TASK_TIME_LIMIT,
    time_limit=settings.QORGAU_ALARM_TASK_TIME_LIMIT + 10,
)
def alarm_sweep_task() -> dict[str, int]:
    return services.alarm_sweep()
