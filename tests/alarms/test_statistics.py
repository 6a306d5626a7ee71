"""Time to acknowledge and to arrival, per post and month, on the analyst's dashboard (aggregate only)."""

import datetime as dt

import pytest
from django.utils import timezone

from alarms.models import Alarm
from alarms.selectors import response_times
from tests import factories

pytestmark = pytest.mark.django_db


def _alarm(post, *, ack_s=None, arrive_s=None, **kwargs):
    raised = timezone.now() - dt.timedelta(hours=1)
    return Alarm.objects.create(
        facility=post.facility,
        post=post,
        source=Alarm.Source.SOS,
        raised_at=raised,
        acknowledged_at=raised + dt.timedelta(seconds=ack_s) if ack_s is not None else None,
        arrived_at=raised + dt.timedelta(seconds=arrive_s) if arrive_s is not None else None,
        **kwargs,
    )


def test_medians_per_post_and_month_leave_out_drills_and_false_alarms(post_a, post_b, settings):
    settings.QORGAU_STATS_MIN_CELL = 3
    for ack, arrive in ((30, 200), (60, 300), (90, None)):
        _alarm(post_a, ack_s=ack, arrive_s=arrive)
    _alarm(post_a, ack_s=1, drill=True)
    _alarm(post_a, ack_s=1, status=Alarm.Status.FALSE_ALARM)
    _alarm(post_b, ack_s=10)  # one alarm only: below the threshold
    rows = {row.post: row for row in response_times()}
    assert rows[post_a.code].alarms == 3 and rows[post_a.code].shown
    assert rows[post_a.code].acknowledge_median_s == 60 and rows[post_a.code].arrival_median_s == 250
    assert not rows[post_b.code].shown and rows[post_b.code].acknowledge_median_s is None


def test_the_dashboard_shows_them_to_the_analyst(client, analyst, post_a, settings):
    settings.QORGAU_STATS_MIN_CELL = 1
    _alarm(post_a, ack_s=42, arrive_s=120)
    client.force_login(analyst)
    page = client.get("/statistics/").text
    assert 'id="alarm-response-times"' in page and f'data-alarm-row="{post_a.code}"' in page and "42.0" in page
    officer = factories.make_officer(post_a, username="o2")
    client.force_login(officer)
    assert client.get("/statistics/").status_code == 403
