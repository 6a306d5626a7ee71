"""The statistics snapshot: incident counts per local month, facility and value, rebuilt from the incidents.

Counting rules (the data dictionary page states the same in words):
- A cancelled report counts nowhere except the "cancelled reports" figure.
- The month is the Asia/Almaty calendar month of `occurred_at` (when it happened, not when reported).
- Each incident counts once in every incident dimension; each victim counts once by profession.
- Funnel stages count incidents that reached them: acknowledged (acknowledged_at set), registered in
  the ERDR (erdr_registered_on set), sent to court (outcome or status "sent to court"), closed (status
  closed; "registered and under investigation" keeps a case registered, see `case_close`).

The snapshot is read in one REPEATABLE READ transaction on PostgreSQL, so every dimension is counted
over the same rows, and written in another, under a row lock, so two refreshes cannot interleave.
"""

import datetime as dt
import logging
import time
import zoneinfo
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, ExpressionWrapper, F, Func, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from analytics.models import MonthlyCount, MonthlyDuration, Snapshot
from incidents.models import Act, Incident, Outcome, Status, Victim
from legal.rules import part_act
from legal.statute import PART_ACTS

logger = logging.getLogger(__name__)

STAGES = ("acknowledged", "registered", "sent_to_court", "closed")
PART_NONE = "none"  # Article 380-3 does not apply
PART_PENDING = "pending"  # not assessed yet
VIOLENCE_UNCLASSIFIED = "violence_unclassified"  # violence whose part (so its danger) is not known yet
ACT_VALUES = (*PART_ACTS, VIOLENCE_UNCLASSIFIED)  # threat, violence not dangerous, dangerous, unclassified
ACK_BUCKET_MINUTES = 10
BATCH = 5000


class AckMinutes(Func):
    """Whole seconds from report to acknowledgement, rounded UP to the next 10 minutes (0 stays 0)."""

    output_field = models.IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):  # pragma: no cover - vendors below
        raise NotImplementedError(connection.vendor)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = (
            "(GREATEST(0, CEIL((EXTRACT(EPOCH FROM DATE_TRUNC('second', {a}))::bigint"
            " - EXTRACT(EPOCH FROM DATE_TRUNC('second', {b}))::bigint) / {step}.0))::integer * {minutes})"
        )
        a, b = (compiler.compile(expression) for expression in self.get_source_expressions())
        sql = template.format(a=a[0], b=b[0], step=ACK_BUCKET_MINUTES * 60, minutes=ACK_BUCKET_MINUTES)
        return sql, (*a[1], *b[1])

    def as_sqlite(self, compiler, connection, **extra_context):
        a, b = (compiler.compile(expression) for expression in self.get_source_expressions())
        step = ACK_BUCKET_MINUTES * 60
        sql = (
            f"(MAX(0, (CAST(STRFTIME('%%s', {a[0]}) AS INTEGER) - CAST(STRFTIME('%%s', {b[0]}) AS INTEGER)"
            f" + {step - 1}) / {step}) * {ACK_BUCKET_MINUTES})"
        )
        return sql, (*a[1], *b[1])


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def act_value(act: str, part: int | None) -> str:
    """The act in the statute's words: violence is split by danger once the part says which."""
    if act == Act.THREAT:
        return "threat"
    statute_act = part_act(part)
    # Violence under a threat part (an officer's correction) says no more about danger than no part at all.
    if statute_act is None or statute_act == "threat":
        return VIOLENCE_UNCLASSIFIED
    return statute_act


def part_value(applicable: bool | None, part: int | None) -> str:
    if part is not None:
        return str(part)
    return PART_NONE if applicable is False else PART_PENDING


def _month(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def collect() -> tuple[dt.datetime, list[MonthlyCount], list[MonthlyDuration]]:
    """Count everything once, over one consistent view of the incidents."""
    zone = local_zone()
    month = TruncMonth("occurred_at", tzinfo=zone)
    cancelled = Q(status=Status.CANCELLED)
    counted = ~cancelled
    counts: Counter = Counter()
    durations: Counter = Counter()
    # Inside an outer transaction (a test) the isolation level cannot be changed, and need not be.
    own_transaction = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and own_transaction:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cutoff = timezone.now()
        incidents = Incident.objects.order_by().annotate(month=month)
        for row in incidents.values("month", "facility_id").annotate(
            incidents=Count("pk", filter=counted),
            cancelled=Count("pk", filter=cancelled),
            acknowledged=Count("pk", filter=counted & Q(acknowledged_at__isnull=False)),
            registered=Count("pk", filter=counted & Q(erdr_registered_on__isnull=False)),
            sent_to_court=Count(
                "pk", filter=counted & (Q(outcome=Outcome.SENT_TO_COURT) | Q(status=Status.SENT_TO_COURT))
            ),
            # An investigation that goes on is not closed (rows closed that way before the rule changed).
            closed=Count("pk", filter=counted & Q(status=Status.CLOSED) & ~Q(outcome=Outcome.UNDER_INVESTIGATION)),
        ):
            key = (_month(row["month"]), row["facility_id"])
            counts[(*key, "incidents", "")] += row["incidents"]
            counts[(*key, "cancelled", "")] += row["cancelled"]
            for stage in STAGES:
                counts[(*key, "stage", stage)] += row[stage]
        live = incidents.filter(counted)
        for row in live.values("month", "facility_id", "act", "legal_applicable", "legal_part").annotate(n=Count("pk")):
            key = (_month(row["month"]), row["facility_id"])
            counts[(*key, "act", act_value(row["act"], row["legal_part"]))] += row["n"]
            counts[(*key, "part", part_value(row["legal_applicable"], row["legal_part"]))] += row["n"]
        for row in live.values("month", "facility_id", "place").annotate(n=Count("pk")):
            counts[(_month(row["month"]), row["facility_id"], "place", row["place"])] += row["n"]
        victims = (
            Victim.objects.order_by()
            .filter(~Q(incident__status=Status.CANCELLED))
            .annotate(month=TruncMonth("incident__occurred_at", tzinfo=zone))
        )
        for row in victims.values("month", "incident__facility_id", "role").annotate(n=Count("pk")):
            counts[(_month(row["month"]), row["incident__facility_id"], "profession", row["role"])] += row["n"]
        acked = live.filter(acknowledged_at__isnull=False).annotate(
            minutes=AckMinutes("acknowledged_at", "submitted_at")
        )
        for row in acked.values("month", "facility_id", "minutes").annotate(n=Count("pk")):
            durations[
                (_month(row["month"]), row["facility_id"], MonthlyDuration.Metric.ACK_MINUTES, row["minutes"])
            ] += row["n"]
        registered = live.filter(erdr_registered_on__isnull=False).annotate(
            days=ExpressionWrapper(
                F("erdr_registered_on") - TruncDate("submitted_at", tzinfo=zone), output_field=models.DurationField()
            )
        )
        for row in registered.values("month", "facility_id", "days").annotate(n=Count("pk")):
            durations[
                (_month(row["month"]), row["facility_id"], MonthlyDuration.Metric.ERDR_DAYS, max(0, row["days"].days))
            ] += row["n"]
    count_rows = [
        MonthlyCount(month=m, facility_id=f, dimension=d, value=v, count=n) for (m, f, d, v), n in counts.items() if n
    ]
    duration_rows = [
        MonthlyDuration(month=m, facility_id=f, metric=d, value=v, count=n)
        for (m, f, d, v), n in durations.items()
        if n
    ]
    return cutoff, count_rows, duration_rows


def _write(model, rows: Iterable) -> None:
    model.objects.all().delete()
    model.objects.bulk_create(rows, batch_size=BATCH)


def snapshot_refresh() -> Snapshot:
    """Rebuild the statistics snapshot from the incidents; a refresh older than the stored one is dropped."""
    started = time.monotonic()
    cutoff, count_rows, duration_rows = collect()
    with transaction.atomic():
        snapshot = Snapshot.objects.select_for_update().filter(pk=1).first()
        if snapshot is None:
            # Two first refreshes at once: the loser's insert fails on the primary key and retries later.
            snapshot = Snapshot.objects.create(
                pk=1, cutoff=cutoff, refreshed_at=timezone.now(), duration_ms=0, incidents=0
            )
        elif snapshot.cutoff > cutoff:
            return snapshot
        _write(MonthlyCount, count_rows)
        _write(MonthlyDuration, duration_rows)
        snapshot.cutoff = cutoff
        snapshot.refreshed_at = timezone.now()
        snapshot.duration_ms = int((time.monotonic() - started) * 1000)
        snapshot.incidents = sum(row.count for row in count_rows if row.dimension == "incidents")
        snapshot.save()
    logger.info(
        "statistics snapshot: %s incidents, %s rows, %s ms",
        snapshot.incidents,
        len(count_rows) + len(duration_rows),
        snapshot.duration_ms,
    )
    return snapshot


def current_snapshot() -> Snapshot | None:
    return Snapshot.objects.filter(pk=1).first()


def snapshot_is_stale(snapshot: Snapshot | None) -> bool:
    if snapshot is None:
        return True
    age = timezone.now() - snapshot.refreshed_at
    return age.total_seconds() > settings.QORGAU_STATS_REFRESH_SECONDS
