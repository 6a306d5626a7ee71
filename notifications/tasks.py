"""Celery tasks of the notifications app: ids in, one service call, safe to run twice."""

from celery import shared_task
from django.conf import settings

from common.tasks import TRANSIENT_ERRORS
from notifications import services


# A send waits at most QORGAU_CHANNEL_TIMEOUT_SECONDS for its provider (twice: connect, read); the time limits
# are a backstop. A failed send is not an exception: the row goes back to PENDING for the sweep's next try.
@shared_task(  # type: ignore[untyped-decorator]  # Celery: no types
    name="notifications.delivery_send_task",
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=3,
    retry_backoff=5,
    soft_time_limit=int(settings.QORGAU_CHANNEL_TIMEOUT_SECONDS * 2) + 10,
    time_limit=int(settings.QORGAU_CHANNEL_TIMEOUT_SECONDS * 2) + 20,
    acks_late=True,
)
def delivery_send_task(delivery_id: int) -> str:
    return services.delivery_send(delivery_id=delivery_id)


@shared_task(name="notifications.delivery_sweep_task", soft_time_limit=60, time_limit=90)  # type: ignore[untyped-decorator]
def delivery_sweep_task() -> int:
    return services.delivery_sweep()
