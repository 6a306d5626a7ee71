"""Drafts (`incidents/services/drafts.py`): saved by their owner only, merged with a report kept over a login,
submitted once; abandoned ones are deleted after the retention period, recent ones and sent ones stay."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from incidents.models import ReportDraft
from incidents.services import drafts
from incidents.services.evidence import upload_check
from incidents.tasks import drafts_purge_task
from tests import factories
from tests.incidents.reporting_support import photo, submit

pytestmark = pytest.mark.django_db


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


def test_a_submitted_draft_submits_once_and_is_not_overwritten(reporter, facility_a):
    draft = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={"account": ["first"]})
    incident = submit(reporter, facility_a, key=draft.key, draft=draft)
    assert submit(reporter, facility_a, key=uuid.uuid4(), draft=draft).pk == incident.pk
    drafts.draft_save(owner=reporter, key=draft.key, data={"account": ["later"]})
    draft.refresh_from_db()
    assert draft.data == {"account": ["first"]}


def test_draft_of_another_user_cannot_be_saved_over(reporter, other_reporter):
    draft = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={"account": ["mine"]})
    with pytest.raises(PermissionDenied):
        drafts.draft_save(owner=other_reporter, key=draft.key, data={"account": ["theirs"]})


def test_kept_report_is_merged_into_the_draft_it_continued(reporter):
    draft = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={"account": ["old"]})
    kept = drafts.report_keep(
        author=reporter,
        data={"account": ["typed while logged out"]},
        uploads=[upload_check(photo())],
        resume_key=draft.key,
    )
    claimed = drafts.kept_report_claim(kept=kept, user=reporter)
    assert claimed.pk == draft.pk
    assert claimed.data == {"account": ["typed while logged out"]}
    assert claimed.uploads.count() == 1
    assert not ReportDraft.objects.filter(pk=kept.pk).exists()


def test_kept_report_of_someone_elses_draft_is_refused(reporter, other_reporter):
    draft = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={})
    kept = drafts.report_keep(author=reporter, data={}, uploads=[], resume_key=draft.key)
    with pytest.raises(PermissionDenied):
        drafts.kept_report_claim(kept=kept, user=other_reporter)


def test_old_unsubmitted_drafts_and_kept_reports_are_purged(reporter, facility_a, django_capture_on_commit_callbacks):
    import io
    import os

    from django.core.management import call_command

    old = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={})
    kept = drafts.report_keep(author=reporter, data={}, uploads=[upload_check(photo())], resume_key=None)
    stored = kept.uploads.get().file.path
    fresh = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={})
    sent = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={})
    submit(reporter, facility_a, key=sent.key, draft=sent)
    month_ago = timezone.now() - dt.timedelta(days=31)
    ReportDraft.objects.filter(pk__in=[old.pk, kept.pk, sent.pk]).update(updated_at=month_ago)

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_drafts", "--days", "30", stdout=out)
    assert out.getvalue().startswith("2 ")
    assert set(ReportDraft.objects.values_list("pk", flat=True)) == {fresh.pk, sent.pk}
    assert not os.path.exists(stored)
