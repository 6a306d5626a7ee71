"""Work on a row by one Celery task at a time, under a lease: claimed with one UPDATE, renewed while it works, taken
over once it runs out, and a publish that was lost found without publishing twice.

A row that inherits `common.models.LeasedWork` (a notice, a case file) is worked on so:

- `lease_claim` takes it with one UPDATE when it is free (its model's "to do" status) or when the lease of the task
  that held it has run out (that task's worker died, was killed or froze), and gives a new token;
- `lease_kept` renews the lease from a thread while the task works, so a long render keeps it and a dead one loses
  it within `seconds`;
- `lease_locked` re-reads the row FOR UPDATE only while the token is still the task's: the result is written by
  the one task that holds the lease, once;
- `lease_release` gives it back (for a retry), `lease_published` records that its task was queued;
- `leases_expired` lists rows whose lease ran out with no task queued since, and `leases_suspect` marks the rows a
  broker lost (the broker holds fewer messages than rows queued): each gets a short lease and, if no task has
  claimed it when that runs out, it is in `leases_expired` and is published again. A queued task is thus
  published again only when it is lost, never because it waits behind others.
"""

import datetime as dt
import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.db import DatabaseError, connections, transaction
from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=Model)


class LeaseLost(Exception):
    """The row's lease is no longer this task's: another task took it over after it ran out."""


def lease_expired_q(*, now: dt.datetime) -> Q:
    """Rows with no lease or one that has run out (`now` is when the caller looks)."""
    return Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)


def lease_claim(queryset: QuerySet[M], *, pk: int, free: Q, held: Q, seconds: int, **updates: Any) -> uuid.UUID | None:
    """Take row `pk` with one UPDATE if it matches `free`, or `held` with its lease run out; the new token, or None."""
    now = timezone.now()
    token = uuid.uuid4()
    claimed = (
        queryset.filter(pk=pk)
        .filter(free | (held & lease_expired_q(now=now)))
        .update(lease_token=token, lease_expires_at=now + dt.timedelta(seconds=seconds), **updates)
    )
    return token if claimed else None


def lease_renew(queryset: QuerySet[M], *, pk: int, token: uuid.UUID, seconds: int) -> bool:
    """Push the lease `seconds` ahead; False when the token is no longer the row's."""
    expires = timezone.now() + dt.timedelta(seconds=seconds)
    return bool(queryset.filter(pk=pk, lease_token=token).update(lease_expires_at=expires))


def lease_release(queryset: QuerySet[M], *, pk: int, token: uuid.UUID, **updates: Any) -> bool:
    """Give the row back (its `updates` applied, e.g. the status to do) if the token is still the row's."""
    return bool(queryset.filter(pk=pk, lease_token=token).update(lease_token=None, lease_expires_at=None, **updates))


def lease_locked(queryset: QuerySet[M], *, pk: int, token: uuid.UUID) -> M:
    """The row locked FOR UPDATE (inside a transaction) while `token` still holds it; else LeaseLost."""
    row = queryset.select_for_update(of=("self",)).filter(pk=pk, lease_token=token).first()
    if row is None:
        raise LeaseLost(pk)
    return row


def lease_published(queryset: QuerySet[M], *, pk: int, at: dt.datetime | None = None) -> None:
    """Record that the row's task was published (at `at`: a retry's countdown sets it in the future)."""
    queryset.filter(pk=pk).update(queued_at=at or timezone.now())


def leases_expired(queryset: QuerySet[M], *, now: dt.datetime) -> QuerySet[M]:
    """Rows whose lease ran out with no task published since (the caller narrows them to its working statuses)."""
    return queryset.filter(lease_expires_at__lt=now).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=F("lease_expires_at"))
    )


def leases_suspect(queryset: QuerySet[M], *, waiting: int, older_than: dt.datetime, seconds: int) -> int:
    """Mark the rows whose message the broker lost: of the queued rows (oldest first), all but `waiting`.

    `queryset` is the caller's rows waiting for their task (queued, not claimed); `waiting` the messages its queue
    holds. The queue is first in, first out, so the oldest rows beyond what it holds are lost, or were just handed
    to a worker: each gets a lease of `seconds`, run out with no claim only if it was really lost.
    """
    now = timezone.now()
    queued = queryset.filter(queued_at__isnull=False, queued_at__lte=now)
    missing = queued.count() - waiting
    if missing <= 0:
        return 0
    suspects = list(
        queued.filter(queued_at__lt=older_than)
        .exclude(lease_expires_at__gt=F("queued_at"))  # already suspected
        .order_by("queued_at")
        .values_list("pk", flat=True)[:missing]
    )
    return queryset.filter(pk__in=suspects).update(lease_expires_at=now + dt.timedelta(seconds=seconds))


class LeaseKeeper:
    """Renews a lease from a thread every `every` seconds until stopped; `lost` once a renewal found it taken."""

    def __init__(self, queryset: QuerySet[Any], *, pk: int, token: uuid.UUID, seconds: int, every: float) -> None:
        self.queryset, self.pk, self.token, self.seconds, self.every = queryset, pk, token, seconds, every
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{pk}", daemon=True)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    if not lease_renew(self.queryset, pk=self.pk, token=self.token, seconds=self.seconds):
                        self.lost = True
                        logger.warning("lease on %s %s was taken over", self.queryset.model.__name__, self.pk)
                        return
                except DatabaseError as exc:  # the next renewal may get through; the lease is checked at the end
                    logger.warning("lease on %s %s not renewed: %s", self.queryset.model.__name__, self.pk, exc)
        finally:
            connections.close_all()  # this thread's own connections only

    def __enter__(self) -> "LeaseKeeper":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every)


@contextmanager
def lease_kept(queryset: QuerySet[M], *, pk: int, token: uuid.UUID, seconds: int) -> Iterator[LeaseKeeper]:
    """Keep the lease renewed (three times per `seconds`) while the block runs."""
    with LeaseKeeper(queryset, pk=pk, token=token, seconds=seconds, every=seconds / 3) as keeper:
        yield keeper


class LeasedRenders:
    """The rows of one model rendered by a task under a lease, PENDING -> RENDERING -> READY or FAILED (a notice, a
    case file): their claim, release, failure rule and sweep, written once for every such model.

    Each such model has its own queue, so that the sweep compares the rows waiting for a task with the messages
    that queue holds (`leases_suspect`).
    """

    def __init__(self, model: type[Model], *, pending: str = "pending", rendering: str = "rendering") -> None:
        self.model, self.pending, self.rendering = model, pending, rendering

    @property
    def rows(self) -> QuerySet[Any]:
        return self.model._default_manager.all()

    def claim(self, *, pk: int, seconds: int, **updates: Any) -> uuid.UUID | None:
        """Take the row for rendering under a new lease (its attempts counted); None if it is not to do."""
        return lease_claim(
            self.rows,
            pk=pk,
            free=Q(status=self.pending),
            held=Q(status=self.rendering),
            seconds=seconds,
            status=self.rendering,
            attempts=F("attempts") + 1,
            claimed_at=timezone.now(),
            **updates,
        )

    def release(self, *, pk: int, token: uuid.UUID | None, error: str, retry_at: dt.datetime) -> None:
        """Give a claimed row back as PENDING after a transient error, queued again for its retry at `retry_at`."""
        if token is None:
            return
        lease_release(
            self.rows.filter(status=self.rendering),
            pk=pk,
            token=token,
            status=self.pending,
            error=error[:4000],
            queued_at=retry_at,
        )

    def failable(self, *, token: uuid.UUID | None, now: dt.datetime) -> Q:
        """Rows that may be marked FAILED: PENDING, or RENDERING by the failing render itself (`token`) or by one
        whose lease ran out; never one another render holds a live lease on."""
        mine = Q(lease_token=token) if token else Q(pk__in=[])
        return Q(status=self.pending) | (Q(status=self.rendering) & (mine | lease_expired_q(now=now)))

    def waiting_for_a_task(self, *, now: dt.datetime) -> QuerySet[Any]:
        """Rows whose task is queued and not yet running: PENDING, or RENDERING after a lease that ran out."""
        return self.rows.filter(
            Q(status=self.pending)
            | Q(status=self.rendering, lease_expires_at__lt=now, queued_at__gt=F("lease_expires_at"))
        )

    def sweep(
        self,
        *,
        publish: Callable[[int], bool],
        waiting: int,
        recent: dt.datetime,
        suspect_seconds: int,
        batch: int,
    ) -> int:
        """Publish again the task of every row whose task is lost; how many were published.

        Lost: never published (a broker outage), its lease ran out with no task queued since (the render's worker
        died or froze), or its message lost by the broker, which holds `waiting` messages of the model's queue
        (`leases_suspect`). Rows newer than `recent` are left to their own publish.
        """
        now = timezone.now()
        leases_suspect(self.waiting_for_a_task(now=now), waiting=waiting, older_than=recent, seconds=suspect_seconds)
        active = self.rows.filter(status__in=(self.pending, self.rendering))
        lost = list(
            (
                active.filter(status=self.pending, queued_at__isnull=True, created_at__lt=recent)
                | leases_expired(active, now=now)
            )
            .order_by("created_at")
            .values_list("pk", flat=True)[:batch]
        )
        queued = 0
        for pk in lost:
            if not publish(pk):
                break  # the broker is down again: the next sweep tries again
            queued += 1
        if lost:
            logger.info("%s sweep: %s of %s lost renders queued again", self.model.__name__, queued, len(lost))
        return queued

    def render_and_store(
        self,
        row: Any,
        *,
        render: Callable[[], bytes],
        filename: str,
        seconds: int,
        not_claimed: type[Exception],
        ready: str = "ready",
        related: tuple[str, ...] = (),
        then: Callable[[Any], object] = lambda row: None,
    ) -> Any:
        """Render a claimed row's PDF and store it with its SHA-256, size and render time; mark it `ready`.

        The lease is renewed while `render` works; the file is written only while the lease is still this
        render's, inside the transaction that marks the row ready (and removed if that transaction fails): one
        file per row. `then(row)` runs in that transaction (its events, its e-mail). A render that lost its lease
        raises `not_claimed`.
        """
        token = row.lease_token
        if row.status != self.rendering or token is None:
            raise not_claimed(row.pk)
        started = time.perf_counter()
        with lease_kept(self.rows, pk=row.pk, token=token, seconds=seconds):
            pdf = render()
        render_ms = int((time.perf_counter() - started) * 1000)
        written = ""
        try:
            with transaction.atomic():
                try:
                    row = lease_locked(
                        self.rows.filter(status=self.rendering).select_related(*related), pk=row.pk, token=token
                    )
                except LeaseLost as exc:
                    raise not_claimed(row.pk) from exc
                row.file.save(filename, ContentFile(pdf), save=False)
                written = row.file.name
                stored = {
                    "sha256": hashlib.sha256(pdf).hexdigest(),
                    "size": len(pdf),
                    "status": ready,
                    "error": "",
                    "rendered_at": timezone.now(),
                    "render_ms": render_ms,
                    "lease_token": None,
                    "lease_expires_at": None,
                }
                fields = {field.name for field in row._meta.concrete_fields}
                for name, value in stored.items():
                    if name in fields:  # a notice keeps no size
                        setattr(row, name, value)
                row.save(update_fields=["file", *(name for name in stored if name in fields)])
                then(row)
        except BaseException:
            if written:
                row.file.storage.delete(written)  # not stored: the retry writes the one file
            raise
        return row
