"""Periods (`analytics/periods.py`): which period the dashboard opens on, and what "a year earlier" means for a
period not over yet."""

import datetime as dt

import pytest
from django.utils import timezone

from analytics.periods import MONTH, QUARTER, YEAR, Period, default_period, last_complete_month
from tests import factories

TODAY = dt.date(2026, 11, 22)


def test_dashboard_default_is_the_current_year_to_date():
    assert default_period(TODAY, latest=dt.date(2026, 11, 1)) == Period(dt.date(2026, 1, 1), YEAR)
    assert default_period(TODAY, latest=None) == Period(dt.date(2026, 1, 1), YEAR)


def test_dashboard_default_is_last_year_while_this_year_has_no_incident():
    assert default_period(dt.date(2027, 1, 3), latest=dt.date(2026, 12, 1)) == Period(dt.date(2026, 1, 1), YEAR)


def test_monthly_report_still_covers_the_last_complete_month():
    assert last_complete_month(TODAY) == Period(dt.date(2026, 10, 1), MONTH)


def test_a_year_not_over_yet_compares_with_the_same_months_a_year_before():
    earlier = Period.parse("2026").year_earlier(TODAY)
    assert (earlier.start, earlier.end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 1))
    assert earlier.label == "2025-01–2025-11"
    quarter = Period.parse("2026-Q4").year_earlier(TODAY)
    assert (quarter.start, quarter.end, quarter.granularity) == (dt.date(2025, 10, 1), dt.date(2025, 12, 1), QUARTER)


def test_a_complete_period_or_a_month_compares_with_the_whole_period_before():
    assert Period.parse("2025").year_earlier(TODAY) == Period(dt.date(2024, 1, 1), YEAR)
    assert Period.parse("2026-11").year_earlier(TODAY) == Period(dt.date(2025, 11, 1), MONTH)
    assert Period.parse("2026-Q3").year_earlier(TODAY).end == dt.date(2025, 10, 1)


@pytest.mark.django_db
def test_year_to_date_counts_the_same_months_a_year_earlier(settings, facility_a, post_a):
    from analytics.selectors.filters import Filters
    from analytics.selectors.statistics import statistics_for
    from analytics.snapshot import snapshot_refresh

    settings.QORGAU_STATS_MIN_CELL = 1
    today = timezone.localdate()
    this_year = timezone.now() - dt.timedelta(minutes=5)
    factories.IncidentFactory(facility=facility_a, occurred_at=this_year)
    # A year earlier: one incident in the same month (counted) and one in a month still to come (not counted).
    same_month = this_year.replace(year=this_year.year - 1, day=1)
    factories.IncidentFactory(facility=facility_a, occurred_at=same_month)
    if today.month < 12:
        factories.IncidentFactory(facility=facility_a, occurred_at=same_month.replace(month=12))
    snapshot_refresh()
    stats = statistics_for(Filters(Period.containing(today, YEAR)))
    assert (stats.incidents.current.value, stats.incidents.previous.value) == (1, 1)
