"""The statistics as tables, read from the snapshot, with small-cell suppression applied.

Every output (dashboard, PDF, CSV, XLSX) is made from one `Statistics` object, so they show the same
figures and the same hidden cells. It holds tables only: the dashboard and the PDF draw their charts from
them (`analytics.figures`); the exports, which show no chart, do not pay for drawing one. It is computed once per
snapshot, scope, threshold, period and language, and cached (`statistics_cached`); what is made from it (the
dashboard's HTML, the CSV's lines) is cached under its key.
"""

import datetime as dt
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from analytics.models import Snapshot
from analytics.periods import published_period
from analytics.selectors.categories import categories_for
from analytics.selectors.details import Details, attacker_tables, detail_counts, details_from, public_detail_cells
from analytics.selectors.filters import Filters, duration_rows
from analytics.selectors.lattice import lattice_for, public_lattices, scope_key
from analytics.selectors.sums import CURRENT, PREVIOUS, sum_durations
from analytics.selectors.tables import cells_from_lattice, headline_for, tables_for, timings_for
from analytics.snapshot import cache_seconds
from analytics.tables import Row, Table, Timing


@dataclass
class Statistics:
    filters: Filters
    snapshot: Snapshot | None
    threshold: int
    tables: list[Table] = field(default_factory=list)
    timings: list[Timing] = field(default_factory=list)
    incidents: Row | None = None
    victims: Row | None = None
    cancelled: Row | None = None
    generated_at: dt.datetime = field(default_factory=timezone.now)
    details: Details | None = None
    # Its key in the cache, where it is kept (`statistics_cached`): what is drawn from it is cached under it too.
    cache_key: str = ""

    @property
    def headline(self) -> list[Row]:
        return [self.incidents, self.victims, self.cancelled]

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


# Tables a lead's statistics leave out: the part is the police's assessment, which counts a repeat found in
# another facility's case (`legal.audiences`); her reports show her the part without it, and her unsuppressed
# counts must not show the other.
NOT_FOR_FACILITY_LEADS = frozenset({"part"})


def threshold_for(filters: Filters) -> int:
    """The smallest count shown."""
    # A lead's own facilities are not suppressed (a threshold of 1 hides nothing): she reads those reports one by
    # one anyway. Her statistics hold nothing of any other facility; everyone else's outputs are suppressed.
    return 1 if filters.own_facility_ids is not None else settings.QORGAU_STATS_MIN_CELL


def _published(filters: Filters) -> Filters:
    try:
        return replace(filters, period=published_period(filters.period))
    except ValueError:
        return filters  # a period not over yet, asked for by a caller that is not the form: its months are not counted


def statistics_key(filters: Filters, snapshot: Snapshot | None) -> str:
    """What the statistics are computed from: the lattice's snapshot, month under way, threshold and scope
    (`lattice.scope_key`), the period, and the language their labels are written in."""
    filters = _published(filters)
    scope = scope_key(filters, threshold_for(filters), snapshot)
    # v2: `Details` has the claims (a cached object of before would show none until the next refresh).
    return f"analytics:statistics:v2:{scope}:{filters.period.key}:{translation.get_language()}"


def statistics_cached(filters: Filters, *, snapshot: Snapshot | None) -> Statistics:
    """`statistics_for` computed once per snapshot, filters and language, then read from the cache (the outputs of
    one snapshot show the same figures: the dashboard, its exports, the API, the PDF)."""
    if snapshot is None:  # no snapshot to key the cache by: count now
        return statistics_for(filters)
    key = statistics_key(filters, snapshot)
    stats = cache.get(key)
    if stats is None:
        stats = statistics_for(filters, snapshot=snapshot)
        stats.cache_key = key
        cache.set(key, stats, timeout=cache_seconds())
    return replace(stats, generated_at=timezone.now())


def statistics_for(filters: Filters, *, snapshot: Snapshot | None = None) -> Statistics:
    """All the dashboard's figures for the filters, suppressed, as tables."""
    threshold = threshold_for(filters)
    filters = _published(filters)
    periods = {CURRENT: filters.period, PREVIOUS: filters.period.year_earlier()}
    trend = filters.period.trend()

    lattice = lattice_for(filters, threshold, snapshot)
    facility_ids = {
        pk for pk in lattice.facility_ids if any(lattice.value(("facility", pk), period) for period in periods.values())
    }
    categories = categories_for(filters, facility_ids)
    cells = cells_from_lattice(lattice, categories, periods, trend)
    if filters.own_facility_ids is None:
        # The details of every public scope are suppressed in one run, as the lattices are (issue 10).
        counts, detail_cells = public_detail_cells(
            filters, public_lattices(filters.period, threshold, snapshot), [p for p, _l in categories.parts], snapshot
        )
    else:
        counts, detail_cells = detail_counts(filters, snapshot), None
    details, year_cells = details_from(
        lattice, counts, list(categories.parts), with_parts=filters.own_facility_ids is None, cells=detail_cells
    )
    headline = headline_for(cells, periods)
    return Statistics(
        filters=filters,
        snapshot=snapshot,
        threshold=threshold,
        tables=[
            table
            for table in [
                *tables_for(cells, categories, periods, trend, headline),
                *attacker_tables(year_cells, details.year),
            ]
            if filters.own_facility_ids is None or table.key not in NOT_FOR_FACILITY_LEADS
        ],
        timings=timings_for(cells, sum_durations(duration_rows(filters, periods[CURRENT], periods[PREVIOUS]))),
        incidents=headline.incidents,
        victims=headline.victims,
        cancelled=headline.cancelled,
        details=details,
    )
