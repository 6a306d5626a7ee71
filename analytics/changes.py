"""The change log of the incidents, which the incremental snapshot refresh reads (`analytics.snapshot`).

Database triggers (migration analytics 0005) write a `SnapshotChange` row for every write to an incident or a victim
that can change a count, in the write's own transaction: where the incident was before and after, so its (month,
facility) group. A refresh reads the log into a temporary table, recounts the groups it names, and deletes exactly
the rows it read.
"""

import datetime as dt
import functools
import logging
import operator

from django.db import connection
from django.db.models import Q

from analytics.expressions import LocalMonth
from analytics.models import MonthlyCount, SnapshotChange
from analytics.periods import local_zone

logger = logging.getLogger(__name__)

CHANGES_READ = "qorgau_stats_changes"  # the log's rows a refresh read, so those (only) are deleted


class Groups(frozenset[tuple[dt.date, int]]):
    """Some (month, facility) groups of the snapshot: what an incremental refresh recounts."""

    def incidents(self, via: str = "") -> Q:
        """The incidents of these groups (`via` "incident__": the victims of those incidents), on a queryset that
        annotates their month as `m`: found by facility and a time range a day wider than the month on each side
        (so any time zone rule of the database and of Python agree on it, and the indexes find it), then exactly by
        the local month."""
        zone, day = local_zone(), dt.timedelta(days=1)
        ranges = []
        for month, facility in sorted(self):
            start = dt.datetime(month.year, month.month, 1, tzinfo=zone)
            end = dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=zone)
            bounds = {f"{via}facility_id": facility, f"{via}occurred_at__gte": start - day}
            ranges.append(Q(**bounds, **{f"{via}occurred_at__lt": end + day}, m=month))
        return functools.reduce(operator.or_, ranges, Q(pk__in=[]))

    def rows(self) -> Q:
        """The snapshot's rows of these groups."""
        return functools.reduce(
            operator.or_, (Q(month=month, facility_id=facility) for month, facility in self), Q(pk__in=[])
        )


CHANGE_TRIGGERS = {
    "postgresql": [
        f"analytics_snapshot_change_{kind}_{event}"
        for kind in ("incident", "victim")
        for event in ("insert", "update", "delete", "truncate")
    ],
    "sqlite": [
        f"analytics_snapshot_change_{kind}_{event}"
        for kind in ("incident", "victim")
        for event in ("insert", "update", "delete")
    ],
}


def change_triggers_installed() -> list[str]:
    """The change triggers this database has, enabled: without all of them the change log misses writes."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'analytics_snapshot_change_%%'"
                " AND NOT tgisinternal AND tgenabled <> 'D'"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'analytics_snapshot_change_%'"
            )
        return sorted(name for (name,) in cursor.fetchall())


def changes_read(cursor) -> Groups | None:
    """Take the change log as this refresh sees it (into a temporary table, so that exactly these rows are deleted
    when the counts are written, and a write committed meanwhile stays for the next refresh); return the groups it
    names, or None when it names every group (a TRUNCATE) or cannot be trusted (a trigger is missing)."""
    changes = SnapshotChange.objects.order_by().annotate(m=LocalMonth("occurred_at")).values("id", "m", "facility_id")
    sql, params = changes.query.sql_with_params()
    cursor.execute(f"DROP TABLE IF EXISTS {CHANGES_READ}")
    cursor.execute(f"CREATE TEMPORARY TABLE {CHANGES_READ} AS {sql}", params)
    cursor.execute(f"SELECT DISTINCT m, facility_id FROM {CHANGES_READ}")  # noqa: S608 - our own table name
    found = cursor.fetchall()
    if any(facility is None for _month, facility in found):
        return None
    if change_triggers_installed() != sorted(CHANGE_TRIGGERS[connection.vendor]):
        logger.warning("statistics snapshot: change triggers missing, so every group is recounted")
        return None
    return Groups(
        (month if isinstance(month, dt.date) else dt.date.fromisoformat(month), facility) for month, facility in found
    )


def changes_consume(cursor) -> None:
    """Delete the log rows `changes_read` took, in the transaction that wrote their groups' counts."""
    table = SnapshotChange._meta.db_table
    cursor.execute(f"DELETE FROM {table} WHERE id IN (SELECT id FROM {CHANGES_READ})")  # noqa: S608


def groups_counted() -> int:
    """How many (month, facility) groups the snapshot holds."""
    return (
        MonthlyCount.objects.filter(dimension__in=["incidents", "cancelled"])
        .values("month", "facility_id")
        .distinct()
        .count()
    )
