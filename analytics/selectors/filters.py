"""Step 1 of the statistics: which snapshot rows count.

The filters pick the facilities (district, kind); the periods pick the months. Each query groups the
snapshot rows so that the current period and the one a year earlier are summed side by side.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max, Min, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from analytics.models import MonthlyCount, MonthlyDuration, Snapshot
from analytics.periods import Period
from analytics.snapshot import cache_seconds, snapshot_stamp
from facilities.models import District, Facility, FacilityKind


@dataclass(frozen=True)
class Filters:
    period: Period
    district: District | None = None
    facility_kind: str = ""
    # A facility lead's statistics: only the facilities she leads (whose reports she sees anyway). None: all.
    own_facility_ids: frozenset[int] | None = None

    def facility_q(self, prefix: str = "facility__") -> Q:
        q = Q()
        if self.own_facility_ids is not None:
            q &= Q(**{f"{prefix}pk__in": sorted(self.own_facility_ids)})
        if self.district is not None:
            q &= Q(**{f"{prefix}district": self.district})
        if self.facility_kind:
            q &= Q(**{f"{prefix}kind": self.facility_kind})
        return q

    def describe(self) -> list[tuple[str, str]]:
        kinds = dict(FacilityKind.choices)
        if self.own_facility_ids is not None:
            names = Facility.objects.filter(pk__in=self.own_facility_ids).order_by("code")
            return [(_("Period"), self.period.label), (_("Facility"), ", ".join(str(f) for f in names))]
        return [
            (_("Period"), self.period.label),
            (_("District"), self.district.name if self.district else _("all")),
            (_("Facility kind"), str(kinds.get(self.facility_kind, "")) if self.facility_kind else _("all")),
        ]


def in_period(period: Period) -> Q:
    return Q(month__gte=period.start, month__lt=period.end)


def duration_rows(filters: Filters, current: Period, previous: Period) -> QuerySet:
    """How many incidents took each time (`value`) per metric, with `cur` and `prev` sums of the two periods."""
    in_current, in_previous = in_period(current), in_period(previous)
    return (
        MonthlyDuration.objects.filter(filters.facility_q())
        .filter(in_current | in_previous)
        .values("metric", "value")
        .annotate(cur=Sum("count", filter=in_current), prev=Sum("count", filter=in_previous))
    )


def months_counted(snapshot: Snapshot | None) -> tuple[dt.date | None, dt.date | None]:
    """The first and the last month the snapshot counts (the periods the filters offer): read once per snapshot, since
    only a refresh changes them, and no index serves the aggregate."""
    key = f"analytics:months:{snapshot_stamp(snapshot)}"
    span = cache.get(key) if snapshot is not None else None
    if span is None:
        found = MonthlyCount.objects.aggregate(first=Min("month"), last=Max("month"))
        span = (found["first"], found["last"])
        if snapshot is not None:
            cache.set(key, span, timeout=cache_seconds())
    return span
