"""Reads about notices (`incidents/selectors/notices.py`): the pipeline's health, for /readyz and monitoring."""

import datetime as dt

import pytest
from django.utils import timezone

from incidents.models import Notice
from incidents.selectors.notices import notice_health
from tests.incidents.notice_support import tagged_incident


@pytest.fixture
def incident(reporter, facility_a, post_a):
    return tagged_incident(reporter, facility_a)


def test_a_quiet_pipeline_is_healthy(incident):
    assert notice_health().ok
    Notice.objects.create(incident=incident, version=incident.version)  # just submitted
    health = notice_health()
    assert health.ok and health.oldest_pending_seconds < 60


def test_failed_notices_for_a_human_and_stuck_renders_are_not_healthy(incident, settings):
    now = timezone.now()
    Notice.objects.create(incident=incident, version=1, language="ru-kk", status=Notice.Status.FAILED, auto_reruns=0)
    health = notice_health()
    assert (health.failed, health.failed_retrying) == (0, 1) and health.ok  # the sweep re-runs it
    Notice.objects.update(auto_reruns=settings.QORGAU_NOTICE_AUTO_RERUNS)
    assert notice_health().failed == 1 and not notice_health().ok
    Notice.objects.all().delete()
    Notice.objects.create(
        incident=incident, version=1, status=Notice.Status.RENDERING, lease_expires_at=now - dt.timedelta(seconds=5)
    )
    assert notice_health().stuck == 1 and not notice_health().ok
    Notice.objects.all().delete()
    late = Notice.objects.create(incident=incident, version=1)
    Notice.objects.filter(pk=late.pk).update(created_at=now - dt.timedelta(minutes=10))
    assert not notice_health().ok
