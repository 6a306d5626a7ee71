"""Compensation in aggregate (`analytics/selectors/compensation.py`): claims filed, awarded and paid with median
amounts, for the incidents of the details' whole year and the dashboard's filters, small cells hidden in the one run
of every public scope (`details.py`)."""

import datetime as dt
import zoneinfo

import pytest

from analytics.periods import Period
from analytics.selectors.compensation import AWARDED, FILED, PAID
from analytics.selectors.filters import Filters
from analytics.selectors.statistics import statistics_for
from incidents.models import ClaimStatus, Status, VictimCompensation
from tests import factories

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
YEAR_2025 = Filters(period=Period.parse("2025"))


def claim(facility, *, occurred=dt.datetime(2025, 5, 1, 12, tzinfo=ALMATY), status=Status.SUBMITTED, **fields):
    incident = factories.IncidentFactory(facility=facility, occurred_at=occurred, status=status)
    return VictimCompensation.objects.create(victim=incident.victims.get(), **fields)


def filed(facility, amount, **kwargs):
    return claim(facility, claim_status=ClaimStatus.FILED, claimed_moral=amount, **kwargs)


def awarded(facility, claimed, award, paid=None, **kwargs):
    return claim(
        facility, claim_status=ClaimStatus.AWARDED, claimed_moral=claimed, awarded_moral=award, paid=paid, **kwargs
    )


def compensation_for(filters):
    return statistics_for(filters).details.compensation


def figures(filters=YEAR_2025):
    result = compensation_for(filters)
    return {stage.key: (stage.count.text, stage.median) for stage in result.stages}


def test_counts_and_median_amounts(facility_a, settings):
    settings.QORGAU_STATS_MIN_CELL = 3
    for amount in (100000, 200000, 700000):
        filed(facility_a, amount)
    for claimed, award, paid in ((300000, 150000, 150000), (400000, 200000, 50000), (500000, 250000, 10000)):
        awarded(facility_a, claimed, award, paid)
    for claimed, award in ((600000, 300000), (800000, 400000), (900000, 450000)):
        awarded(facility_a, claimed, award)
    claim(facility_a, claim_status=ClaimStatus.NOT_FILED, sick_leave_days=10)  # no claim: not counted
    assert figures() == {
        FILED: ("9", "500\u202f000"),  # claimed 100k … 900k: the nearest-rank median is the 5th
        AWARDED: ("6", "250\u202f000"),
        PAID: ("3", "50\u202f000"),
    }


def test_small_counts_are_hidden_with_their_medians(facility_a, settings):
    settings.QORGAU_STATS_MIN_CELL = 3
    for amount in (100000, 200000, 300000, 400000):
        filed(facility_a, amount)
    awarded(facility_a, 500000, 123456, 123456)
    result = figures()
    assert result[AWARDED] == ("<3", "—") and result[PAID] == ("<3", "—")
    # The filed count (5) is shown; the difference to a hidden count is not a published figure.
    assert result[FILED][0] == "5"
    assert "123" not in str(result)


def test_a_shown_count_that_gives_a_small_difference_away_is_hidden_too(facility_a, settings):
    settings.QORGAU_STATS_MIN_CELL = 3
    for _ in range(3):
        awarded(facility_a, 100000, 50000, 50000)
    filed(facility_a, 100000)
    # filed 4, awarded 3: the difference 1 (one claim still waiting) must not be readable.
    result = figures()
    assert result[FILED][0] == "4" and result[AWARDED][0] == "x" and result[PAID][0] == "x"


def test_period_filters_and_cancelled_reports(facility_a, facility_b, settings):
    settings.QORGAU_STATS_MIN_CELL = 1
    filed(facility_a, 100)
    filed(facility_a, 200, occurred=dt.datetime(2024, 12, 31, 23, 30, tzinfo=ALMATY))  # another year in Almaty
    filed(facility_a, 300, status=Status.CANCELLED)
    filed(facility_b, 400)
    assert figures()[FILED] == ("2", "100")
    assert figures(Filters(period=Period.parse("2025"), facility_kind="children"))[FILED] == ("0", "—")
    district = facility_b.district
    assert figures(Filters(period=Period.parse("2025"), district=district))[FILED][0] == str(
        VictimCompensation.objects.filter(victim__incident__facility__district=district)
        .exclude(victim__incident__status=Status.CANCELLED)
        .filter(victim__incident__occurred_at__year=2025)
        .count()
    )


@pytest.mark.parametrize("threshold", [3, 5])
def test_no_shown_count_is_below_the_threshold(facility_a, settings, threshold):
    settings.QORGAU_STATS_MIN_CELL = threshold
    for index in range(7):
        if index % 2:
            awarded(facility_a, 1000 + index, 500, 100 if index % 3 else None)
        else:
            filed(facility_a, 1000 + index)
    for stage in compensation_for(YEAR_2025).stages:
        assert stage.count.hidden or stage.count.value == 0 or stage.count.value >= threshold


def test_a_quarter_or_month_shows_the_claims_of_its_whole_year(facility_a, settings):
    """Whole years never overlap: a quarter's claims next to its months' could be subtracted (issue 10)."""
    settings.QORGAU_STATS_MIN_CELL = 1
    filed(facility_a, 100)  # 1 May 2025
    filed(facility_a, 200, occurred=dt.datetime(2025, 11, 3, 12, tzinfo=ALMATY))
    filed(facility_a, 400, occurred=dt.datetime(2024, 11, 3, 12, tzinfo=ALMATY))  # the year before: not counted
    for period in ("2025", "2025-Q2", "2025-05", "2025-Q4"):
        stats = statistics_for(Filters(period=Period.parse(period)))
        assert stats.details.year == Period.parse("2025")
        assert figures(Filters(period=Period.parse(period)))[FILED] == ("2", "100"), period


def test_a_facility_leads_statistics_have_no_claims(facility_a, settings):
    settings.QORGAU_STATS_MIN_CELL = 1
    filed(facility_a, 100)
    assert compensation_for(YEAR_2025) is not None  # control: the public statistics have them
    lead = Filters(period=Period.parse("2025"), own_facility_ids=frozenset({facility_a.pk}))
    assert compensation_for(lead) is None
    # Nor are her claims read (or cached): the counts behind her details have none.
    from analytics.selectors.details import detail_counts

    assert detail_counts(lead, None).compensation == {}
