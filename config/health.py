"""Health endpoints for the load balancer, systemd and monitoring, answered in JSON with each check's status and time.

* `/healthz`: liveness. The process answers; no database, no broker (a restart would not fix them).
* `/readyz`: readiness, through django-health-check: the database, the cache, the broker, the media storage
  (a file written, read and deleted), the age of the statistics snapshot, the last time beat sent the sweep, and
  the notices that failed after their last retry. A failed check answers 503; failed notices only warn (200 and
  `"status": "warn"`): the node still serves, administrators re-run them from admin.
"""

import asyncio
import dataclasses
import datetime as dt
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_celery_beat.models import PeriodicTask
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import HealthCheckException, ServiceUnavailable, ServiceWarning
from health_check.views import HealthCheckView

from analytics.snapshot import current_snapshot
from config.celery_app import app as celery_app
from incidents.selectors.notices import failed_notice_count

# The beat entry whose last run tells that beat is alive (it runs every minute).
SWEEP_ENTRY = "incidents-notice-sweep"


def _age(moment: dt.datetime) -> str:
    return f"{int((timezone.now() - moment).total_seconds())} s"


class _DatabaseRead(HealthCheck):
    """A check that reads rows: it runs in a worker thread, whose connection is closed when it is done."""

    def run(self) -> None:
        try:
            self.read()
        except DatabaseError as exc:
            raise ServiceUnavailable(f"database: {exc.__class__.__name__}") from exc
        finally:
            connections.close_all()

    def read(self) -> None:
        raise NotImplementedError


@dataclasses.dataclass
class Broker(HealthCheck):
    """Connect to the Celery broker (Redis or RabbitMQ) as the web servers do when they queue a task."""

    def run(self) -> None:
        with celery_app.connection_for_write() as connection:
            try:
                connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
            except Exception as exc:  # noqa: BLE001 - every transport has its own errors; the reason is reported
                raise ServiceUnavailable(f"{connection.as_uri()} unreachable: {exc}") from exc


@dataclasses.dataclass
class StatisticsSnapshot(_DatabaseRead):
    """The Ministry's figures are rebuilt every 10 minutes by beat and a worker."""

    def read(self) -> None:
        snapshot = current_snapshot()
        if snapshot is None:
            raise ServiceUnavailable("no statistics snapshot yet (manage.py deploy builds the first)")
        if timezone.now() - snapshot.refreshed_at > dt.timedelta(seconds=settings.QORGAU_READYZ_SNAPSHOT_MAX_AGE):
            raise ServiceUnavailable(f"statistics snapshot refreshed {_age(snapshot.refreshed_at)} ago")


@dataclasses.dataclass
class BeatSweep(_DatabaseRead):
    """Beat sends the notice sweep every minute; an old last run means no sweeps, overdue warnings or statistics."""

    def read(self) -> None:
        entry = PeriodicTask.objects.filter(name=SWEEP_ENTRY).only("last_run_at", "date_changed").first()
        if entry is None:
            raise ServiceUnavailable("beat has never started (no sweep in its schedule)")
        # Before its first run, the entry's creation by beat at start is its last sign of life.
        last = entry.last_run_at or entry.date_changed
        if timezone.now() - last > dt.timedelta(seconds=settings.QORGAU_READYZ_BEAT_MAX_AGE):
            raise ServiceUnavailable(f"beat last sent the sweep {_age(last)} ago")


@dataclasses.dataclass
class FailedNotices(_DatabaseRead):
    """Notices that failed after their last retry (re-run from admin)."""

    def read(self) -> None:
        if count := failed_notice_count():
            raise ServiceWarning(f"{count} notice(s) failed after the last retry: admin › Notices")


READINESS_CHECKS: dict[str, HealthCheck] = {
    "database": Database(),
    "cache": Cache(),
    "broker": Broker(),
    "media": Storage(),
    "statistics_snapshot": StatisticsSnapshot(),
    "beat": BeatSweep(),
    "notices": FailedNotices(),
}


def _status(error: HealthCheckException | None) -> str:
    if error is None:
        return "ok"
    return "warn" if isinstance(error, ServiceWarning) else "fail"


class ReadinessView(HealthCheckView):
    """django-health-check's runner (checks in parallel, each with its time limit), answered in our JSON."""

    def get_checks(self) -> Any:
        return iter(READINESS_CHECKS.values())

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in READINESS_CHECKS.values()))
        checks = {}
        for name, result in zip(READINESS_CHECKS, results, strict=True):
            checks[name] = {"status": _status(result.error), "time_ms": round(result.time_taken * 1000, 1)}
            if result.error is not None:
                checks[name]["error"] = str(result.error)
        statuses = {check["status"] for check in checks.values()}
        overall = "fail" if "fail" in statuses else "warn" if "warn" in statuses else "ok"
        return JsonResponse({"status": overall, "checks": checks}, status=503 if overall == "fail" else 200)


readyz = require_safe(ReadinessView.as_view())


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: this process answers requests. Touches no database, cache or broker."""
    return JsonResponse({"status": "ok", "checks": {"process": {"status": "ok", "time_ms": 0.0}}})
