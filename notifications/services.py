"""Case notifications (issue 17) through the outside channels: queued inside the action's transaction, sent by a
task on commit, each message once.

- `notification_queue` (called by the service whose action it tells of, inside its transaction) writes one
  `Delivery` per user, channel and recipient the user's preferences allow, due now or when the user's quiet hours
  end, and publishes `delivery_send_task` for the due ones when the transaction commits (broker-down guard).
- `delivery_send` claims the row PENDING -> SENDING with one UPDATE, so a task delivered twice sends once, sends
  through the channel's adapter with QORGAU_CHANNEL_TIMEOUT_SECONDS, and marks it SENT, or PENDING again with a
  later `due_at` (backoff), or FAILED after QORGAU_NOTIFICATION_MAX_ATTEMPTS.
- `delivery_sweep` (beat, every 30 s) publishes what is due: rows past their quiet hours or backoff, rows whose
  task was lost to a broker outage, and rows left SENDING by a worker that died (which may then arrive twice).
"""

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import NOTIFICATION_CHANNELS, User, notification_preferences_of
from common.broker import task_publish, task_publish_on_commit
from notifications.channels.base import OutgoingMessage, channel_named
from notifications.models import Delivery

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500
# A claim older than this is a worker that died: the send is given back to the sweep.
CLAIM_EXPIRES_SECONDS = 120


def idempotency_key_of(*, kind: str, object_id: int, channel: str, recipient: str) -> str:
    """The same for every try of one message to one recipient, whoever queues it."""
    return hashlib.sha256(f"{kind}:{object_id}:{channel}:{recipient}".encode()).hexdigest()[:40]


def notification_queue(
    *,
    kind: str,
    object_id: int,
    users: Iterable[User],
    text: str,
    link: str,
    channels: Sequence[str] = NOTIFICATION_CHANNELS,
) -> list[Delivery]:
    """Record the `kind` notification about row `object_id` for each of `users`, by each of `channels` they chose,
    once; publish the due ones when the transaction commits. `text` carries no personal data, only a sentence."""
    now = timezone.now()
    # One query for the users with their preferences, one for their browsers, one for the rows queued before.
    people = (
        User.objects.filter(pk__in=[user.pk for user in users], is_active=True)
        .select_related("notification_preferences")
        .prefetch_related("push_subscriptions")
        .order_by("pk")
    )
    wanted: dict[str, Delivery] = {}
    for user in people:
        preferences = notification_preferences_of(user)
        due_at = preferences.quiet_end(now) or now
        for name in channels:
            channel = channel_named(name)
            if channel is None or not channel.is_configured() or not preferences.wants(kind, name):
                continue
            for recipient in channel.recipients_for_user(user):
                key = idempotency_key_of(kind=kind, object_id=object_id, channel=name, recipient=recipient)
                wanted[key] = Delivery(
                    kind=kind,
                    object_id=object_id,
                    user=user,
                    channel=name,
                    recipient=recipient,
                    text=text[:500],
                    link=link,
                    due_at=due_at,
                    idempotency_key=key,
                )
    queued_before = set(Delivery.objects.filter(idempotency_key__in=wanted).values_list("idempotency_key", flat=True))
    new = [delivery for key, delivery in wanted.items() if key not in queued_before]
    if not new:
        return []  # nobody to tell (or told already): no savepoint for an empty insert
    try:
        with transaction.atomic():
            queued = Delivery.objects.bulk_create(new)
    except IntegrityError:  # the same event queued at the same moment elsewhere: row by row, once each
        queued = [delivery for delivery in new if _create_once(delivery)]
    for delivery in queued:
        if delivery.due_at <= now:
            _publish_on_commit(delivery.pk)
    return queued


def _create_once(delivery: Delivery) -> bool:
    fields = {f.attname: getattr(delivery, f.attname) for f in Delivery._meta.concrete_fields if not f.primary_key}
    row, created = Delivery.objects.get_or_create(idempotency_key=delivery.idempotency_key, defaults=fields)
    delivery.pk = row.pk
    return created


def _publish_on_commit(delivery_id: int) -> None:
    from notifications.tasks import delivery_send_task  # tasks import this module: the Celery pair

    task_publish_on_commit(delivery_send_task, delivery_id)


def delivery_send(*, delivery_id: int) -> str:
    """Send one due delivery once (`delivery_send_task`); its status afterwards, or "skipped" when not claimed."""
    now = timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING, due_at__lte=now).update(
        status=Delivery.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    if not claimed:
        return "skipped"  # sent, being sent, failed, waiting for quiet hours to end, or gone
    delivery = Delivery.objects.get(pk=delivery_id)
    channel = channel_named(delivery.channel)
    if channel is None or not channel.is_configured():
        _finish(delivery, status=Delivery.Status.FAILED, detail="channel not configured", latency_ms=None)
        return Delivery.Status.FAILED
    message = OutgoingMessage(
        text=delivery.text, link=delivery.link, drill=False, idempotency_key=delivery.idempotency_key
    )
    result = channel.send(
        recipient=delivery.recipient, message=message, timeout=settings.QORGAU_CHANNEL_TIMEOUT_SECONDS
    )
    if result.status == "sent":
        _finish(
            delivery,
            status=Delivery.Status.SENT,
            detail="",
            latency_ms=result.latency_ms,
            provider_id=result.provider_id,
            sent_at=timezone.now(),
        )
        return Delivery.Status.SENT
    if delivery.attempts >= settings.QORGAU_NOTIFICATION_MAX_ATTEMPTS:
        _finish(delivery, status=Delivery.Status.FAILED, detail=result.detail, latency_ms=result.latency_ms)
        # The provider's answer (on the row) can echo the recipient's address or number: not in the log.
        logger.warning("%s notification %s by %s failed", delivery.kind, delivery.pk, delivery.channel)
        return Delivery.Status.FAILED
    backoff = settings.QORGAU_NOTIFICATION_RETRY_BACKOFF_SECONDS * 2 ** (delivery.attempts - 1)
    _finish(
        delivery,
        status=Delivery.Status.PENDING,
        detail=result.detail,
        latency_ms=result.latency_ms,
        due_at=timezone.now() + dt.timedelta(seconds=backoff),
    )
    return Delivery.Status.PENDING


def _finish(delivery: Delivery, *, status: str, detail: str, latency_ms: int | None, **fields: object) -> None:
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=status, detail=detail[:255], latency_ms=latency_ms, **fields
    )


def delivery_sweep(*, now: dt.datetime | None = None) -> int:
    """Publish every delivery that is due and waits (quiet hours over, backoff over, task lost, worker died)."""
    now = now or timezone.now()
    Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lt=now - dt.timedelta(seconds=CLAIM_EXPIRES_SECONDS)
    ).update(status=Delivery.Status.PENDING, detail="The worker stopped while sending: sent again.")
    from notifications.tasks import delivery_send_task  # tasks import this module: the Celery pair

    due = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    published = 0
    for delivery_id in due:
        if not task_publish(delivery_send_task, delivery_id):
            break  # the broker is still down: the next sweep tries again
        published += 1
    return published


@transaction.atomic
def delivery_rerun(*, delivery: Delivery) -> bool:
    """Send a FAILED delivery again with fresh attempts (admin action)."""
    updated = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=0, due_at=timezone.now()
    )
    if updated:
        _publish_on_commit(delivery.pk)
    return bool(updated)
