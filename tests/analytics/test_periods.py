"""Periods (`analytics/periods.py`): which period the dashboard opens on, and what "a year earlier" means for a
period not over yet."""

import datetime as dt

import pytest
from django.utils import timezone

from analytics.periods import (
    MONTH,
    YEAR,
    Period,
    default_period,
    last_complete_month,
    period_choices,
    published_period,
)
from tests import factories

TODAY = dt.date(2026, 11, 22)


def test_dashboard_default_is_the_current_years_quarters_so_far():
    so_far = Period(dt.date(2026, 1, 1), YEAR, until=dt.date(2026, 10, 1))
    assert default_period(TODAY, latest=dt.date(2026, 11, 1)) == so_far
    assert default_period(TODAY, latest=None) == so_far
    assert so_far.key == "2026-01..2026-09" and Period.parse(so_far.key) == so_far


def test_dashboard_default_is_last_year_while_this_year_has_no_incident():
    assert default_period(dt.date(2027, 1, 3), latest=dt.date(2026, 12, 1)) == Period(dt.date(2026, 1, 1), YEAR)


def test_dashboard_default_is_last_year_while_no_quarter_of_this_one_is_over():
    assert default_period(dt.date(2027, 3, 31), latest=dt.date(2027, 3, 1)) == Period(dt.date(2026, 1, 1), YEAR)
    assert default_period(dt.date(2027, 4, 1), latest=dt.date(2027, 3, 1)).end == dt.date(2027, 4, 1)


def test_only_periods_that_are_over_are_published():
    assert published_period(Period.parse("2026"), TODAY).end == dt.date(2026, 10, 1)
    assert published_period(Period.parse("2026-10"), TODAY) == Period.parse("2026-10")
    assert published_period(Period.parse("2026-Q3"), TODAY) == Period.parse("2026-Q3")
    for unfinished in ("2026-11", "2026-Q4", "2027", "2026-12"):
        with pytest.raises(ValueError):
            published_period(Period.parse(unfinished), TODAY)
    offered = [key for _title, options in period_choices(dt.date(2025, 1, 1), TODAY) for key, _label in options]
    assert "2026" in offered and "2026-10" in offered and "2026-Q3" in offered
    assert "2026-11" not in offered and "2026-Q4" not in offered


def test_monthly_report_still_covers_the_last_complete_month():
    assert last_complete_month(TODAY) == Period(dt.date(2026, 10, 1), MONTH)


def test_a_year_not_over_yet_compares_with_the_same_quarters_a_year_before():
    earlier = published_period(Period.parse("2026"), TODAY).year_earlier()
    assert (earlier.start, earlier.end) == (dt.date(2025, 1, 1), dt.date(2025, 10, 1))
    assert earlier.label == "2025-01–2025-09"


def test_a_complete_period_or_a_month_compares_with_the_whole_period_before():
    assert Period.parse("2025").year_earlier(TODAY) == Period(dt.date(2024, 1, 1), YEAR)
    assert Period.parse("2026-11").year_earlier(TODAY) == Period(dt.date(2025, 11, 1), MONTH)
    assert Period.parse("2026-Q3").year_earlier(TODAY).end == dt.date(2025, 10, 1)


@pytest.mark.django_db
def test_the_month_under_way_counts_in_no_figure_and_the_year_compares_same_quarters(settings, facility_a, post_a):
    from analytics.selectors.filters import Filters
    from analytics.selectors.statistics import statistics_for
    from analytics.snapshot import snapshot_refresh

    settings.QORGAU_STATS_MIN_CELL = 1
    today = timezone.localdate()
    so_far = published_period(Period.containing(today, YEAR)) if today.month > 3 else None
    factories.IncidentFactory(facility=facility_a, occurred_at=timezone.now() - dt.timedelta(minutes=5))  # not counted
    last_month = last_complete_month(today)
    factories.IncidentFactory(
        facility=facility_a, occurred_at=timezone.make_aware(dt.datetime(today.year - 1, 1, 15, 12))
    )
    factories.IncidentFactory(
        facility=facility_a, occurred_at=timezone.make_aware(dt.datetime(today.year - 1, 12, 15, 12))
    )
    snapshot_refresh()
    month = statistics_for(Filters(last_month))
    assert month.incidents.current.value == 0
    if so_far is not None:
        stats = statistics_for(Filters(Period.containing(today, YEAR)))
        assert stats.filters.period == so_far
        # A year earlier: January counts; December is not among the same quarters.
        assert (stats.incidents.current.value, stats.incidents.previous.value) == (0, 1)
