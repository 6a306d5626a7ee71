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
