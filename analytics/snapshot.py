"""The statistics snapshot: incident counts per local month, facility and value, rebuilt from the incidents.

Counting rules (the data dictionary page states the same in words):
- A cancelled report counts nowhere except the "cancelled reports" figure.
- The month is the Asia/Almaty calendar month of `occurred_at` (when it happened, not when reported).
- Each incident counts once in every incident dimension; each victim counts once by profession.
- Funnel stages count incidents that reached them: acknowledged (acknowledged_at set), registered in
  the ERDR (erdr_registered_on set), sent to court (outcome or status "sent to court"), closed (status
  closed; "registered and under investigation" keeps a case registered, see `case_close`).

The incidents are aggregated in the database in one pass (a GROUP BY over month, facility, act, part, place
and funnel stages, plus one over the victims and one per duration), into temporary tables, then written by
INSERT ... SELECT; no incident row comes to Python.

A refresh recounts only the (month, facility) groups that changed: every write to an incident or a victim that can
change a count leaves a row in the change log (`SnapshotChange`, written by database triggers in the write's own
transaction, migration 0005), and the refresh deletes the groups' rows and counts them again from their incidents.
What a group counts depends only on its own incidents and their victims (no count depends on the clock), so the
other groups' rows are still right. A full rebuild (every group) is done on the first refresh, when asked
(`snapshot_refresh --full`), when the counting queries changed since the rows were written (`counting_rules`),
when a change trigger is missing or a table was truncated, and when a quarter of the groups changed.

All of it is one REPEATABLE READ transaction on PostgreSQL that begins by locking the snapshot row: every group is
counted over the same view of the data, two refreshes never interleave (the second, once the first commits, stops),
and only the log rows this view saw are deleted, so a write committed meanwhile is counted by the next refresh.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.db import OperationalError, connection, models, transaction
from django.db.models import Case, Count, F, Func, Q, Sum, Value, When
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from analytics.changes import CHANGES_READ, Groups, changes_consume, changes_read, groups_counted
from analytics.expressions import AckMinutes, DaysBetween, LocalMonth
from analytics.models import MonthlyCount, MonthlyDuration, Snapshot
from analytics.periods import local_zone
from incidents.models import Act, Incident, Outcome, Status, Victim
from legal.rules import part_act
from legal.statute import CURRENT as STATUTE
from legal.statute import PART_ACTS

logger = logging.getLogger(__name__)

STAGES = ("acknowledged", "registered", "sent_to_court", "closed")
PART_NONE = "none"  # Article 380-3 does not apply
PART_PENDING = "pending"  # not assessed yet
VIOLENCE_UNCLASSIFIED = "violence_unclassified"  # violence whose part (so its danger) is not known yet
ACT_VALUES = (*PART_ACTS, VIOLENCE_UNCLASSIFIED)  # threat, violence not dangerous, dangerous, unclassified
BATCH = 5000


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


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=models.IntegerField())


def act_expression() -> Case:
    """`act_value` in SQL: the statute's parts name violence's danger."""
    dangers = [
        When(legal_part=number, then=Value(act))
        for number in STATUTE.part_numbers
        if (act := part_act(number)) not in (None, "threat")
    ]
    return Case(
        When(act=Act.THREAT, then=Value("threat")),
        *dangers,
        default=Value(VIOLENCE_UNCLASSIFIED),
        output_field=models.CharField(),
    )


def part_expression() -> Case:
    """`part_value` in SQL."""
    return Case(
        When(legal_part__isnull=False, then=Cast("legal_part", models.CharField())),
        When(legal_applicable=False, then=Value(PART_NONE)),
        default=Value(PART_PENDING),
        output_field=models.CharField(),
    )


COUNTED = ~Q(status=Status.CANCELLED)
ACKED = COUNTED & Q(acknowledged_at__isnull=False)
REGISTERED = COUNTED & Q(erdr_registered_on__isnull=False)
CUBE_VALUES = ("m", "fac", "cancelled", "actv", "partv", "placev", "ack", "reg", "court", "closed")


def _incident_values() -> dict[str, Func | F | Case]:
    """Per incident, the values the snapshot groups it by: month, facility, act, part, place, funnel stages."""
    return {
        "m": LocalMonth("occurred_at"),
        "fac": F("facility_id"),
        "cancelled": _flag(Q(status=Status.CANCELLED)),
        "actv": act_expression(),
        "partv": part_expression(),
        "placev": F("place"),
        "ack": _flag(ACKED),
        "reg": _flag(REGISTERED),
        "court": _flag(COUNTED & (Q(outcome=Outcome.SENT_TO_COURT) | Q(status=Status.SENT_TO_COURT))),
        # An investigation that goes on is not closed (rows closed that way before the rule changed).
        "closed": _flag(COUNTED & Q(status=Status.CLOSED) & ~Q(outcome=Outcome.UNDER_INVESTIGATION)),
    }


def _of(queryset, groups: Groups | None, via: str = ""):
    return queryset if groups is None else queryset.filter(groups.incidents(via))


def cube_queryset(groups: Groups | None = None):
    """One pass over the incidents: how many share a month, facility, act, part, place and funnel stages."""
    incidents = Incident.objects.order_by().annotate(**_incident_values())
    return _of(incidents, groups).values(*CUBE_VALUES).annotate(n=Count("pk"))


def victims_queryset(groups: Groups | None = None):
    victims = (
        Victim.objects.order_by()
        .filter(~Q(incident__status=Status.CANCELLED))
        .annotate(m=LocalMonth("incident__occurred_at"), fac=F("incident__facility_id"), rolev=F("role"))
    )
    return _of(victims, groups, "incident__").values("m", "fac", "rolev").annotate(n=Count("pk"))


def durations_queryset(metric: str, groups: Groups | None = None):
    live = Incident.objects.order_by().exclude(status=Status.CANCELLED)
    value: Func
    if metric == MonthlyDuration.Metric.ACK_MINUTES:
        live = live.filter(acknowledged_at__isnull=False)
        value = AckMinutes("acknowledged_at", "submitted_at")
    else:
        live = live.filter(erdr_registered_on__isnull=False)
        value = DaysBetween("erdr_registered_on", TruncDate("submitted_at", tzinfo=local_zone()))
    live = live.annotate(m=LocalMonth("occurred_at"), fac=F("facility_id"), v=value)
    return _of(live, groups).values("m", "fac", "v").annotate(n=Count("pk"))


CUBE, VICTIMS, ACK, ERDR = "qorgau_stats_cube", "qorgau_stats_victims", "qorgau_stats_ack", "qorgau_stats_erdr"
TEMP_TABLES = (CUBE, VICTIMS, ACK, ERDR, "qorgau_stats_sets", CHANGES_READ)


def _counts_sql() -> str:
    """The snapshot rows, unpivoted from the small aggregated tables; a zero count is not stored."""
    live = "CASE WHEN cancelled = 0 THEN n ELSE 0 END"
    parts = [
        f"SELECT m, fac, 'incidents', '', SUM({live}) FROM {CUBE} GROUP BY m, fac HAVING SUM({live}) > 0",  # noqa: S608
        f"SELECT m, fac, 'cancelled', '', SUM(n) FROM {CUBE} WHERE cancelled = 1 GROUP BY m, fac",  # noqa: S608
        *[
            f"SELECT m, fac, 'stage', '{stage}', SUM(n) FROM {CUBE} WHERE {column} = 1 GROUP BY m, fac"  # noqa: S608
            for stage, column in zip(STAGES, ("ack", "reg", "court", "closed"), strict=True)
        ],
        f"SELECT m, fac, 'act', actv, SUM(n) FROM {CUBE} WHERE cancelled = 0 GROUP BY m, fac, actv",  # noqa: S608
        f"SELECT m, fac, 'part', partv, SUM(n) FROM {CUBE} WHERE cancelled = 0 GROUP BY m, fac, partv",  # noqa: S608
        f"SELECT m, fac, 'place', placev, SUM(n) FROM {CUBE} WHERE cancelled = 0 GROUP BY m, fac, placev",  # noqa: S608
        f"SELECT m, fac, 'profession', rolev, n FROM {VICTIMS}",  # noqa: S608
    ]
    table = MonthlyCount._meta.db_table
    return f"INSERT INTO {table} (month, facility_id, dimension, value, count) " + " UNION ALL ".join(parts)  # noqa: S608


def _durations_sql() -> str:
    table = MonthlyDuration._meta.db_table
    parts = [
        f"SELECT m, fac, '{metric}', v, SUM(n) FROM {source} GROUP BY m, fac, v"  # noqa: S608
        for metric, source in ((MonthlyDuration.Metric.ACK_MINUTES, ACK), (MonthlyDuration.Metric.ERDR_DAYS, ERDR))
    ]
    return f"INSERT INTO {table} (month, facility_id, metric, value, count) " + " UNION ALL ".join(parts)  # noqa: S608


# PostgreSQL: every incident dimension and both durations in ONE pass over the incidents (GROUPING SETS).
SETS = "qorgau_stats_sets"
# GROUPING(actv, partv, placev, ackmin, erdrd): a bit is 1 where the column is not in the set (first = highest).
_G_TOTAL, _G_ACT, _G_PART, _G_PLACE, _G_ACK, _G_ERDR = 31, 15, 23, 27, 29, 30


def incident_rows_queryset(groups: Groups | None = None):
    """One row per incident with every value the snapshot groups by (not aggregated: the GROUPING SETS are)."""
    days = DaysBetween("erdr_registered_on", TruncDate("submitted_at", tzinfo=local_zone()))
    incidents = Incident.objects.order_by().annotate(
        **_incident_values(),
        ackmin=Case(When(ACKED, then=AckMinutes("acknowledged_at", "submitted_at")), default=None),
        erdrd=Case(When(REGISTERED, then=days), default=None),
    )
    return _of(incidents, groups).values(*CUBE_VALUES, "ackmin", "erdrd")


def _sets_sql() -> str:
    return (
        "SELECT m, fac, actv, partv, placev, ackmin, erdrd, GROUPING(actv, partv, placev, ackmin, erdrd) AS g,"
        " COUNT(*) - SUM(cancelled) AS live, SUM(cancelled) AS cancelled, SUM(ack) AS ack, SUM(reg) AS reg,"
        " SUM(court) AS court, SUM(closed) AS closed FROM ({rows}) AS incident GROUP BY GROUPING SETS"
        " ((m, fac), (m, fac, actv), (m, fac, partv), (m, fac, placev), (m, fac, ackmin), (m, fac, erdrd))"
    )


def _counts_from_sets_sql() -> str:
    parts = [
        f"SELECT m, fac, 'incidents', '', live FROM {SETS} WHERE g = {_G_TOTAL} AND live > 0",  # noqa: S608
        f"SELECT m, fac, 'cancelled', '', cancelled FROM {SETS} WHERE g = {_G_TOTAL} AND cancelled > 0",  # noqa: S608
        *[
            f"SELECT m, fac, 'stage', '{stage}', {column} FROM {SETS} WHERE g = {_G_TOTAL} AND {column} > 0"  # noqa: S608
            for stage, column in zip(STAGES, ("ack", "reg", "court", "closed"), strict=True)
        ],
        f"SELECT m, fac, 'act', actv, live FROM {SETS} WHERE g = {_G_ACT} AND live > 0",  # noqa: S608
        f"SELECT m, fac, 'part', partv, live FROM {SETS} WHERE g = {_G_PART} AND live > 0",  # noqa: S608
        f"SELECT m, fac, 'place', placev, live FROM {SETS} WHERE g = {_G_PLACE} AND live > 0",  # noqa: S608
        f"SELECT m, fac, 'profession', rolev, n FROM {VICTIMS}",  # noqa: S608
    ]
    table = MonthlyCount._meta.db_table
    return f"INSERT INTO {table} (month, facility_id, dimension, value, count) " + " UNION ALL ".join(parts)


def _durations_from_sets_sql() -> str:
    table = MonthlyDuration._meta.db_table
    ack, erdr = MonthlyDuration.Metric.ACK_MINUTES, MonthlyDuration.Metric.ERDR_DAYS
    return (
        f"INSERT INTO {table} (month, facility_id, metric, value, count)"  # noqa: S608
        f" SELECT m, fac, '{ack}', ackmin, live FROM {SETS} WHERE g = {_G_ACK} AND ackmin IS NOT NULL"  # noqa: S608
        f" UNION ALL SELECT m, fac, '{erdr}', erdrd, live FROM {SETS} WHERE g = {_G_ERDR} AND erdrd IS NOT NULL"  # noqa: S608
    )


def _sources(groups: Groups | None) -> list[tuple[str, str, tuple]]:
    """The temporary tables a refresh fills, and the queries that fill them (of `groups` only, or of all)."""
    sources = []
    if connection.vendor == "postgresql":
        rows, params = incident_rows_queryset(groups).query.sql_with_params()
        sources.append((SETS, _sets_sql().format(rows=rows), params))
        querysets = [(VICTIMS, victims_queryset(groups))]
    else:  # SQLite has no GROUPING SETS: the same counts from one GROUP BY and one per duration
        querysets = [
            (CUBE, cube_queryset(groups)),
            (VICTIMS, victims_queryset(groups)),
            (ACK, durations_queryset(MonthlyDuration.Metric.ACK_MINUTES, groups)),
            (ERDR, durations_queryset(MonthlyDuration.Metric.ERDR_DAYS, groups)),
        ]
    return sources + [(name, *queryset.query.sql_with_params()) for name, queryset in querysets]


def _inserts() -> tuple[str, str]:
    if connection.vendor == "postgresql":
        return _counts_from_sets_sql(), _durations_from_sets_sql()
    return _counts_sql(), _durations_sql()


def counting_rules() -> str:
    """A digest of every query a full refresh runs on this database: it changes whenever what is counted, or how,
    changes (a statute's parts, the time zone, a dimension), and then the stored rows cannot be patched."""
    text = "\n".join([*(f"{sql} {params!r}" for _name, sql, params in _sources(None)), *_inserts()])
    return hashlib.sha256(text.encode()).hexdigest()


def _collect(cursor, groups: Groups | None) -> None:
    """Count the incidents (of `groups`, or all) into temporary tables of this connection, aggregated in the
    database: no incident row comes to Python."""
    for name, sql, params in _sources(groups):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {sql}", params)


def _empty_snapshot_tables(cursor) -> None:
    """Empty the snapshot tables for their rewrite. On PostgreSQL by TRUNCATE: rows deleted and inserted again
    under the same keys made every insert check the dead ones in the unique index (a refresh 1.4 s slower at 100k
    incidents). TRUNCATE locks the tables until this transaction commits: a reader waits that long."""
    tables = [MonthlyCount._meta.db_table, MonthlyDuration._meta.db_table]
    if connection.vendor == "postgresql":
        cursor.execute(f"TRUNCATE {', '.join(tables)}")
    else:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names


def _drop_temporary_tables() -> None:
    with connection.cursor() as cursor:
        for name in TEMP_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")


# Recount every group once more than this share of them changed: one pass over all the incidents then costs about as
# much as finding those of each group by index, and leaves no dead rows (at 1 M incidents, 260 of 1,043 groups picked
# at random took 2.1 s incrementally and 4.2 s in full; the recent months' groups, the ones written most, are larger).
FULL_REBUILD_SHARE = 0.25


def _serialization_failure(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == "40001"


def snapshot_refresh(*, full: bool = False) -> Snapshot:
    """Bring the statistics snapshot up to the incidents as they are now, in one transaction: recount the (month,
    facility) groups the change log names, or every group (a full rebuild) on the first refresh, with `full`, when
    the counting rules changed, when the log cannot be trusted, or when a quarter of the groups changed."""
    started = time.monotonic()
    # Inside an outer transaction (a test) the isolation level cannot be changed, and need not be.
    own_transaction = not connection.in_atomic_block
    rows, recounted = 0, "no group"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql" and own_transaction:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cutoff = timezone.now()
            # The first statement fixes the view of the data this refresh counts (REPEATABLE READ) and waits for a
            # refresh under way: that one, once committed, has changed this row, and PostgreSQL fails this one.
            snapshot = Snapshot.objects.select_for_update().filter(pk=1).first()
            if snapshot is None:
                # Two first refreshes at once: the loser's insert fails on the primary key and retries later.
                snapshot = Snapshot.objects.create(
                    pk=1, cutoff=cutoff, refreshed_at=timezone.now(), duration_ms=0, incidents=0
                )
            elif snapshot.cutoff > cutoff:  # another node's clock is ahead: dropped, the change log stays for later
                return snapshot
            rules = counting_rules()
            groups = changes_read(cursor)
            if full or snapshot.rules != rules:  # a new snapshot has none
                groups = None
            elif groups is not None and len(groups) > FULL_REBUILD_SHARE * groups_counted():
                groups = None
            if groups is None:
                recounted = "every group"
                _collect(cursor, None)
                _empty_snapshot_tables(cursor)
            elif groups:
                recounted = f"{len(groups)} groups"
                _collect(cursor, groups)
                MonthlyCount.objects.filter(groups.rows()).delete()
                MonthlyDuration.objects.filter(groups.rows()).delete()
            if groups is None or groups:
                counts, durations = _inserts()
                cursor.execute(counts)
                rows = cursor.rowcount
                cursor.execute(durations)
                rows += cursor.rowcount
            changes_consume(cursor)
            snapshot.cutoff = cutoff
            snapshot.rules = rules
            snapshot.refreshed_at = timezone.now()
            snapshot.duration_ms = int((time.monotonic() - started) * 1000)
            counted = MonthlyCount.objects.filter(dimension="incidents").aggregate(n=Sum("count"))["n"]
            snapshot.incidents = counted or 0
            snapshot.save()
    except OperationalError as error:
        if not _serialization_failure(error):
            raise
        logger.info("statistics snapshot: another refresh committed first, so this one stops")
        return current_snapshot()  # type: ignore[return-value]  # the other refresh's, committed
    finally:
        _drop_temporary_tables()
    logger.info(
        "statistics snapshot: %s incidents, %s recounted, %s rows, %s ms",
        snapshot.incidents,
        recounted,
        rows,
        snapshot.duration_ms,
    )
    return snapshot


def current_snapshot() -> Snapshot | None:
    return Snapshot.objects.filter(pk=1).first()


def snapshot_stamp(snapshot: Snapshot | None) -> str:
    """The snapshot's name in a cache key: every refresh gives a new one, so what was computed from the old counts
    is no longer read."""
    return f"{snapshot.cutoff.isoformat()}:{snapshot.refreshed_at.isoformat()}" if snapshot else "none"


def cache_seconds() -> int:
    """How long what is computed from a snapshot is kept under its stamp: a refresh names a new snapshot, so an entry
    is read for one refresh interval at most; it is kept for two."""
    return 2 * settings.QORGAU_STATS_REFRESH_SECONDS


def snapshot_is_stale(snapshot: Snapshot | None) -> bool:
    if snapshot is None:
        return True
    age = timezone.now() - snapshot.refreshed_at
    return age.total_seconds() > settings.QORGAU_STATS_REFRESH_SECONDS
