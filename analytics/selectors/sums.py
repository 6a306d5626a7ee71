"""Step 2 of the statistics: the counting.

Every figure a table shows is a sum of snapshot rows, kept under the key (dimension, value, column), the
column being CURRENT (the chosen period) or PREVIOUS (the same period a year earlier).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from analytics.periods import Period
from analytics.selectors.categories import Categories, profession_group
from analytics.selectors.filters import Filters, count_rows, duration_rows, incident_month_rows

CURRENT, PREVIOUS = "cur", "prev"
COLUMNS = (CURRENT, PREVIOUS)

Key = tuple  # (dimension, value, column)


@dataclass
class Sums:
    counts: defaultdict[Key, int]
    facility_ids: set[int]  # facilities with an incident in either period
    incidents_by_month: dict[dt.date, int]  # over the trend window
    histograms: dict[tuple[str, str], dict[int, int]]  # (metric, column) -> {minutes or days: incidents}

    def period_total(self, period: Period) -> int:
        return sum(n for month, n in self.incidents_by_month.items() if period.start <= month < period.end)

    def victims(self, column: str) -> int:
        return sum(
            n for (dimension, _value, col), n in self.counts.items() if dimension == "profession" and col == column
        )


def sums_for(filters: Filters, current: Period, previous: Period, trend: list[Period]) -> Sums:
    """The counts of both periods, the incidents per month of the trend, and the durations' histograms."""
    counts, facility_ids = sum_counts(count_rows(filters, current, previous))
    months = incident_month_rows(filters, trend[0].year_earlier().start, current.end)
    return Sums(
        counts=counts,
        facility_ids=facility_ids,
        incidents_by_month=dict(months),
        histograms=sum_durations(duration_rows(filters, current, previous)),
    )


def sum_counts(rows: Iterable[dict]) -> tuple[defaultdict[Key, int], set[int]]:
    """Sum the grouped rows by dimension and value; professions into the victim categories, incidents also
    per facility (the place tables are made from those)."""
    counts: defaultdict[Key, int] = defaultdict(int)
    facility_ids: set[int] = set()
    for row in rows:
        dimension, value = row["dimension"], row["value"]
        if dimension == "profession":
            value = profession_group(value)
        for column in COLUMNS:
            n = row[column] or 0
            counts[(dimension, value, column)] += n
            if dimension == "incidents":
                counts[("facility", row["facility_id"], column)] += n
        if dimension == "incidents":
            facility_ids.add(row["facility_id"])
    return counts, facility_ids


def sum_durations(rows: Iterable[dict]) -> dict[tuple[str, str], dict[int, int]]:
    histograms: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for row in rows:
        for column in COLUMNS:
            if row[column]:
                histograms[(row["metric"], column)][row["value"]] = row[column]
    return histograms


def sum_districts_and_kinds(sums: Sums, categories: Categories) -> None:
    """The incidents of each district and facility kind, as the sum of its facilities."""
    counts = sums.counts
    for column in COLUMNS:
        for district in categories.districts:
            counts[("district", district.pk, column)] = sum(
                counts[("facility", facility.pk, column)] for facility in categories.facilities_of_district(district)
            )
        for kind, _label in categories.kinds:
            counts[("kind", kind, column)] = sum(
                counts[("facility", facility.pk, column)] for facility in categories.facilities_of_kind(kind)
            )


def percentile(histogram: dict[int, int], fraction: float) -> int | None:
    """Nearest-rank percentile: the smallest value with at least `fraction` of the cases at or below it."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, -(-int(fraction * total * 1000) // 1000))  # ceil without float error for .5 and .9
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None  # pragma: no cover
