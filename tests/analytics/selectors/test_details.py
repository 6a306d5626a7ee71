"""The dashboard's presentation figures (`analytics/selectors/details.py`): the 24-month trend by act, the weekday ×
hour heat map and the refusals by part, counted right and hidden by the same rules as the tables they repeat."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from analytics.periods import Period
from analytics.selectors.details import trend_months
from analytics.selectors.filters import Filters
from analytics.selectors.statistics import statistics_for

pytestmark = pytest.mark.django_db


def stats_of(period: str, **filters):
    with translation.override("en"):
        return statistics_for(Filters(Period.parse(period), **filters))


def test_the_trend_is_24_months_ending_with_the_period_or_the_last_month_over():
    months = trend_months(Period.parse("2025-07"), today=dt.date(2026, 11, 28))
    assert len(months) == 24 and months[0] == dt.date(2023, 8, 1) and months[-1] == dt.date(2025, 7, 1)
    months = trend_months(Period.parse("2026"), today=dt.date(2026, 11, 28))
    # The month under way is in no figure (the lattice publishes whole months only).
    assert months[-1] == dt.date(2026, 10, 1) and months[0] == dt.date(2024, 11, 1)


def test_trend_counts_each_act_per_month(known_data, no_suppression):
    details = stats_of("2025-07").details
    july = details.months.index(dt.date(2025, 7, 1))
    by_act = {series.key: series.cells[july].value for series in details.trend}
    assert by_act == {"threat": 4, "violence_not_dangerous": 1, "violence_dangerous": 1, "violence_unclassified": 0}
    assert details.month_totals[july].value == 6
    june = details.months.index(dt.date(2025, 6, 1))
    assert details.month_totals[june].value == 1  # 30 June 23:30 Almaty


def test_heat_map_counts_the_whole_year_by_almaty_weekday_and_hour(known_data, no_suppression):
    details = stats_of("2025-07").details
    assert details.year == Period.parse("2025")  # July's year, over: its heat map goes with July
    shown = {key: cell.value for key, cell in details.heat.items() if cell.value}
    assert shown == {
        # 30 June 23:30 and 31 July 20:00 UTC (01:00 on Friday 1 August in Almaty): 2025, outside July.
        (dt.date(2025, 6, 30).isoweekday(), 23): 1,
        (dt.date(2025, 8, 1).isoweekday(), 1): 1,
        (dt.date(2025, 7, 3).isoweekday(), 10): 1,
        (dt.date(2025, 7, 10).isoweekday(), 12): 1,
        (dt.date(2025, 7, 12).isoweekday(), 8): 1,
        (dt.date(2025, 7, 15).isoweekday(), 9): 1,
        (dt.date(2025, 7, 20).isoweekday(), 14): 1,
        # 20:00 UTC on 30 June is 01:00 on Tuesday 1 July in Almaty.
        (dt.date(2025, 7, 1).isoweekday(), 1): 1,
    }
    assert details.heat_total.value == 8


def test_every_period_of_a_year_shows_the_same_heat_map_and_refusals(known_data):
    """Issue 10: a heat map of a quarter beside those of its months could be subtracted to give a hidden cell away.
    The live-count figures are published for whole calendar years only, which never overlap: a month, its quarter
    and its year all show the one year's figures, so there is nothing to subtract."""
    stats = [stats_of(period) for period in ("2025-07", "2025-Q3", "2025-08", "2025")]
    assert {s.details.year for s in stats} == {Period.parse("2025")}
    texts = {
        (
            tuple(cell.text for cell in s.details.heat.values()),
            tuple(cell.text for _k, _l, parts, total in s.details.refusals for _p, cell in [*parts, ("", total)]),
            tuple(row.current.text for row in s.table("attacker").rows),
        )
        for s in stats
    }
    assert len(texts) == 1


def test_the_year_under_way_shows_the_last_year_over(known_data):
    this_year = timezone.localdate().year
    assert stats_of(str(this_year)).details.year == Period.parse(str(this_year - 1))


def test_a_heat_map_cannot_give_back_a_total_the_lattice_hid():
    """Synthetic: the year's incidents hidden by the lattice (as a complement elsewhere), and a heat map whose cells
    are all 3 or more. Shown, they would add up to the hidden total: the run tied to the lattice hides some."""
    from analytics.selectors.details import HEAT_TOTAL, DetailCounts, heat_key, suppress_details
    from analytics.selectors.lattice import INCIDENTS, Lattice, window

    year = Period.parse("2025")
    lattice = Lattice(3, {(*INCIDENTS, *window(year)): 9}, {(*INCIDENTS, *window(year)): "secondary"}, [], [], [])
    counts = DetailCounts([], year, {(1, 10): 3, (2, 11): 3, (3, 12): 3}, {}, {})
    cells = suppress_details(lattice, counts, [])
    assert cells[HEAT_TOTAL].hidden
    shown = [cells[heat_key(day, hour)] for day, hour in ((1, 10), (2, 11), (3, 12))]
    assert any(cell.hidden for cell in shown)
    # The control: the same heat map with the total published shows its cells.
    lattice.states.clear()
    cells = suppress_details(lattice, counts, [])
    assert not cells[HEAT_TOTAL].hidden and not any(cells[heat_key(d, h)].hidden for d, h in ((1, 10), (2, 11)))


def test_refusals_by_part(known_data, no_suppression):
    refusals = {key: (dict(parts), total) for key, _label, parts, total in stats_of("2025-07").details.refusals}
    parts, total = refusals["refused"]
    assert total.value == 1 and parts["Part 5"].value == 1 and parts["Part 1"].value == 0
    assert refusals["no_offence"][1].value == 0


def test_small_figures_are_hidden_and_shared_with_the_tables(known_data):
    stats = stats_of("2025-07")
    details = stats.details
    assert all(cell.text == "<3" for cell in details.heat.values() if cell.value in (1, 2))
    # The heat map's total is the period's incidents: one cell, one state.
    assert details.heat_total.text == stats.incidents.current.text
    # A month period: the act table's cells and the trend's July cells are the same figures, hidden alike.
    july = details.months.index(dt.date(2025, 7, 1))
    acts = {row.code: row.current.text for row in stats.table("act").rows if not row.is_total}
    assert {series.key: series.cells[july].text for series in details.trend} == acts
    assert acts["violence_dangerous"] == "<3"
    refusals = {key: dict(parts) for key, _label, parts, _total in details.refusals}
    assert refusals["refused"]["Part 5"].text == "<3"


def test_a_year_hides_what_its_months_would_give_away(known_data):
    """A cell of the year's act table is the sum of its months in the trend: when it is hidden, its months may not all
    be shown, or adding them up would show it."""
    stats = stats_of("2025")
    details = stats.details
    months = [index for index, month in enumerate(details.months) if month.year == 2025]
    for row in stats.table("act").rows:
        if row.is_total or not row.current.hidden:
            continue
        series = next(series for series in details.trend if series.key == row.code)
        assert any(series.cells[index].hidden for index in months), row.code


def test_a_facility_leads_statistics_have_no_refusals_by_part(known_data):
    stats = stats_of("2025-07", own_facility_ids=frozenset({known_data["a"].pk}))
    assert stats.details.refusals == []
    assert stats.details.heat_total.value == 7  # facility A's incidents of 2025


def test_attackers_by_who_they_were_and_intoxication(known_data, no_suppression):
    from incidents.models import Incident
    from tests.legal.factories import AttackerFactory

    july = list(Incident.objects.filter(facility=known_data["a"], occurred_at__month=7).order_by("pk")[:2])
    AttackerFactory(incident=july[0], relation="patient", intoxicated=True)
    AttackerFactory(incident=july[0], relation="relative")
    AttackerFactory(incident=july[1], relation="relative", intoxicated=True)
    earlier = Incident.objects.get(facility=known_data["c"])
    AttackerFactory(incident=earlier, relation="visitor")
    stats = stats_of("2025-07")
    who = {row.code: (row.current.value, row.previous.value) for row in stats.table("attacker").rows}
    assert who == {"patient": (1, 0), "relative": (2, 0), "visitor": (0, 1), "other": (0, 0), "total": (3, 1)}
    drunk = {row.code: row.current.value for row in stats.table("intoxication").rows}
    assert drunk == {"yes": 2, "no": 1, "total": 3}
    assert stats.table("attacker").unit == "attackers"


def test_attacker_figures_are_hidden_below_the_threshold(known_data):
    from incidents.models import Incident
    from tests.legal.factories import AttackerFactory

    incident = Incident.objects.filter(facility=known_data["a"], occurred_at__month=7).order_by("pk").first()
    AttackerFactory(incident=incident, relation="patient", intoxicated=True)
    stats = stats_of("2025-07")
    who = {row.code: row.current.text for row in stats.table("attacker").rows}
    assert who["patient"] == "<3" and who["total"] != "1"


def test_the_counted_figures_follow_each_new_snapshot(known_data, no_suppression):
    """The heat map is cached per snapshot: a report added after a snapshot shows at the next one, not before."""
    from analytics.snapshot import current_snapshot, snapshot_refresh
    from tests.analytics.conftest import at, incident

    def heat_total() -> int:
        stats = statistics_for(Filters(Period.parse("2025-07")), snapshot=current_snapshot())
        return stats.details.heat_total.value

    assert heat_total() == 8  # July's whole year, 2025
    incident(known_data["b"], occurred=at(2025, 7, 16, 3))
    assert heat_total() == 8  # not before the next snapshot: every figure of a snapshot counts the same rows
    snapshot_refresh()
    assert heat_total() == 9
