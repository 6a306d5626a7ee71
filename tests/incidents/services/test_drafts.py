"""Abandoned drafts are deleted by the daily task after the retention period; recent ones and sent ones stay."""

import datetime as dt

from django.utils import timezone

from incidents.models import ReportDraft
from incidents.tasks import drafts_purge_task
from tests import factories


def test_daily_task_deletes_only_drafts_untouched_past_retention(reporter, facility_a, settings):
    settings.QORGAU_DRAFT_RETENTION_DAYS = 30
    old = ReportDraft.objects.create(owner=reporter, data={"account": ["старый"]})
    recent = ReportDraft.objects.create(owner=reporter, data={"account": ["новый"]})
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    sent = ReportDraft.objects.create(owner=reporter, data={}, submitted_incident=incident)
    long_ago = timezone.now() - dt.timedelta(days=31)
    ReportDraft.objects.filter(pk__in=[old.pk, sent.pk]).update(updated_at=long_ago)

    assert drafts_purge_task.delay().get() == 1

    assert set(ReportDraft.objects.values_list("pk", flat=True)) == {recent.pk, sent.pk}


def test_the_purge_is_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "incidents.drafts_purge_task" in tasks
