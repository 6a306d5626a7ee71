"""The snapshot (`analytics/snapshot.py`): counts equal a direct count, hold no incident, follow the changes, and
split violence by the statute's parts; suppression switched off."""

import pytest

from analytics.models import MonthlyCount
from analytics.periods import Period
from analytics.selectors.filters import Filters
from analytics.selectors.statistics import statistics_for
from analytics.snapshot import act_value, current_snapshot, snapshot_refresh
from incidents.models import Act, Incident, Status
from legal.statute import CURRENT as STATUTE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_suppression")]


def test_snapshot_matches_a_direct_count_and_stores_no_incident_link(known_data):
    counted = Incident.objects.exclude(status=Status.CANCELLED).count()
    assert current_snapshot().incidents == counted
    assert sum(MonthlyCount.objects.filter(dimension="incidents").values_list("count", flat=True)) == counted
    field_names = {field.name for field in MonthlyCount._meta.get_fields()}
    assert "incident" not in field_names


def test_refresh_picks_up_changes_and_is_repeatable(known_data):
    before = MonthlyCount.objects.count()
    snapshot_refresh()
    assert MonthlyCount.objects.count() == before
    Incident.objects.filter(facility=known_data["b"]).update(status=Status.CANCELLED)
    snapshot_refresh()
    stats = statistics_for(Filters(Period.parse("2025-07")))
    assert stats.incidents.current.value == 5 and stats.cancelled.current.value == 2


def test_act_is_split_by_danger_as_the_statute_part_says():
    assert act_value(Act.THREAT, None) == "threat"
    assert act_value(Act.THREAT, 5) == "threat"
    assert act_value(Act.VIOLENCE, None) == "violence_unclassified"
    by_part = {part: act_value(Act.VIOLENCE, part) for part in STATUTE.part_numbers}
    # Violence under a threat part (an officer's correction) says nothing about danger.
    assert by_part == {
        1: "violence_unclassified",
        2: "violence_unclassified",
        3: "violence_not_dangerous",
        4: "violence_not_dangerous",
        5: "violence_dangerous",
        6: "violence_dangerous",
    }


def test_refresh_aggregates_in_the_database_and_brings_no_row_to_python(known_data, monkeypatch):
    def one_by_one(*args, **kwargs):
        raise AssertionError("snapshot rows built in Python")

    monkeypatch.setattr(MonthlyCount.objects, "bulk_create", one_by_one)
    monkeypatch.setattr(Incident.objects, "iterator", one_by_one)
    before = sorted(MonthlyCount.objects.values_list("month", "facility_id", "dimension", "value", "count"))
    snapshot_refresh()
    assert sorted(MonthlyCount.objects.values_list("month", "facility_id", "dimension", "value", "count")) == before
    assert current_snapshot().incidents == Incident.objects.exclude(status=Status.CANCELLED).count() == 9


def test_postgresqls_one_pass_counts_what_the_portable_queries_count(known_data):
    """PostgreSQL counts in one pass (GROUPING SETS); SQLite with one GROUP BY per table. Same rows."""
    from django.db import connection

    from analytics import snapshot
    from analytics.models import MonthlyDuration

    if connection.vendor != "postgresql":
        pytest.skip("the one-pass GROUPING SETS query is PostgreSQL's; SQLite runs the portable ones")
    Incident.objects.filter(pk=Incident.objects.first().pk).update(status=Status.CANCELLED)  # a cancelled one too
    snapshot_refresh()
    sources = [
        (snapshot.CUBE, snapshot.cube_queryset()),
        (snapshot.VICTIMS, snapshot.victims_queryset()),
        (snapshot.ACK, snapshot.durations_queryset(MonthlyDuration.Metric.ACK_MINUTES)),
        (snapshot.ERDR, snapshot.durations_queryset(MonthlyDuration.Metric.ERDR_DAYS)),
    ]
    with connection.cursor() as cursor:
        for name, queryset in sources:
            sql, params = queryset.query.sql_with_params()
            cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {sql}", params)
        cursor.execute(snapshot._counts_sql().split(") ", 1)[1])
        portable = sorted(cursor.fetchall())
        cursor.execute(snapshot._durations_sql().split(") ", 1)[1])
        portable_durations = sorted(cursor.fetchall())
        for name, _queryset in sources:
            cursor.execute(f"DROP TABLE {name}")
    stored = sorted(MonthlyCount.objects.values_list("month", "facility_id", "dimension", "value", "count"))
    durations = sorted(MonthlyDuration.objects.values_list("month", "facility_id", "metric", "value", "count"))
    assert len(stored) > 20 and [tuple(row) for row in portable] == stored
    assert len(durations) > 3 and [tuple(row) for row in portable_durations] == durations
