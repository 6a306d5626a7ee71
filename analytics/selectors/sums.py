"""Step 2 of the statistics: the counting that is not in the lattice (`analytics.selectors.lattice` sums the
counts): the durations' histograms and their percentiles.

A table's figure is kept under the key (dimension, value, column), the column being CURRENT (the chosen period)
or PREVIOUS (the same period a year earlier).
"""

from collections import defaultdict
from collections.abc import Iterable

CURRENT, PREVIOUS = "cur", "prev"
COLUMNS = (CURRENT, PREVIOUS)

Key = tuple  # (dimension, value, column)


def sum_durations(rows: Iterable[dict]) -> dict[tuple[str, str], dict[int, int]]:
    histograms: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for row in rows:
        for column in COLUMNS:
            if row[column]:
                histograms[(row["metric"], column)][row["value"]] = row[column]
    return histograms


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
