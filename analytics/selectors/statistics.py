"""The statistics as tables, read from the snapshot, with small-cell suppression applied.

Every output (dashboard, PDF, CSV, XLSX) is made from one `Statistics` object, so they show the same
figures and the same hidden cells. It holds tables only: the dashboard and the PDF draw their charts from
them (`analytics.charts`); the exports, which show no chart, do not pay for drawing one.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from analytics.models import Snapshot
from analytics.selectors.categories import categories_for
from analytics.selectors.filters import Filters
from analytics.selectors.sums import CURRENT, PREVIOUS, sum_districts_and_kinds, sums_for
from analytics.selectors.tables import headline_for, suppress, suppressor_for, tables_for, timings_for
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

    @property
    def headline(self) -> list[Row]:
        return [self.incidents, self.victims, self.cancelled]

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


# Tables a lead's statistics leave out: the part is the police's assessment, which counts a repeat found in
# another facility's case (`legal.audiences`); her reports show her the part without it, and her unsuppressed
# counts must not show the other.
NOT_FOR_FACILITY_LEADS = frozenset({"part"})


def statistics_for(filters: Filters, *, snapshot: Snapshot | None = None) -> Statistics:
    """All the dashboard's figures for the filters, suppressed, as tables."""
    # A lead's own facilities are not suppressed (a threshold of 1 hides nothing): she reads those reports one by
    # one anyway. Her statistics hold nothing of any other facility; everyone else's outputs are suppressed.
    threshold = 1 if filters.own_facility_ids is not None else settings.QORGAU_STATS_MIN_CELL
    periods = {CURRENT: filters.period, PREVIOUS: filters.period.year_earlier()}
    trend = filters.period.trend()

    sums = sums_for(filters, periods[CURRENT], periods[PREVIOUS], trend)
    categories = categories_for(filters, sums.facility_ids)
    sum_districts_and_kinds(sums, categories)

    cells = suppress(suppressor_for(sums, categories, periods, trend, threshold))
    headline = headline_for(cells, periods)
    return Statistics(
        filters=filters,
        snapshot=snapshot,
        threshold=threshold,
        tables=[
            table
            for table in tables_for(cells, categories, periods, trend, headline)
            if filters.own_facility_ids is None or table.key not in NOT_FOR_FACILITY_LEADS
        ],
        timings=timings_for(cells, sums.histograms),
        incidents=headline.incidents,
        victims=headline.victims,
        cancelled=headline.cancelled,
    )
