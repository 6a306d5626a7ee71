"""The case file pipeline (`incidents/services/casefiles.py`) with tasks run eagerly: request, render once with its
hash, retry then fail, sweep, broker outage, and only the case's post may ask. What the PDF holds is tested in
tests/incidents/test_pdf_casefile.py, the case page's part in tests/incidents/views/test_cases_casefile.py."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from incidents.models import CaseFile, IncidentEvent
from incidents.services import casefiles
from incidents.tasks import casefile_render_task, casefile_sweep_task
from tests.celery_support import celery_broker
from tests.incidents.casefile_support import request_and_run
from tests.incidents.notice_support import tagged_incident
from tests.pdf_support import pdf_text


@pytest.fixture
def incident(reporter, facility_a, post_a):
    return tagged_incident(reporter, facility_a)


def test_request_renders_and_stores_the_hash(incident, officer, django_capture_on_commit_callbacks):
    casefile = request_and_run(incident, officer, django_capture_on_commit_callbacks)
    assert casefile.status == CaseFile.Status.READY, casefile.error
    data = casefile.file.read()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == casefile.sha256 and casefile.size == len(data)
    assert casefile.attempts == 1 and casefile.render_ms is not None and casefile.requested_by == officer
    assert incident.reference in pdf_text(data)
    kinds = list(incident.events.filter(kind__startswith="casefile_").values_list("kind", "actor"))
    assert kinds == [(IncidentEvent.Kind.CASEFILE_REQUESTED, officer.pk), (IncidentEvent.Kind.CASEFILE_READY, None)]
    ready = incident.events.get(kind=IncidentEvent.Kind.CASEFILE_READY)
    assert ready.data["sha256"] == casefile.sha256


def test_officer_of_another_post_cannot_ask(incident, other_officer, reporter, analyst):
    for user in (other_officer, reporter, analyst):
        with pytest.raises(PermissionDenied):
            casefiles.casefile_request(incident=incident, actor=user)
    assert not CaseFile.objects.exists()


def test_a_second_click_while_it_renders_gives_the_same_file(incident, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = casefiles.casefile_request(incident=incident, actor=officer)
        again = casefiles.casefile_request(incident=incident, actor=officer)
    assert first.pk == again.pk
    assert incident.events.filter(kind=IncidentEvent.Kind.CASEFILE_REQUESTED).count() == 1
    # Once ready, a new request makes a new file (the case may have moved on).
    assert casefile_render_task.apply(args=[first.pk]).get() == "ready"
    later = request_and_run(incident, officer, django_capture_on_commit_callbacks)
    assert later.pk != first.pk and later.status == CaseFile.Status.READY


def test_task_run_twice_renders_once(incident, officer, django_capture_on_commit_callbacks):
    casefile = request_and_run(incident, officer, django_capture_on_commit_callbacks)
    assert casefile_render_task.apply(args=[casefile.pk]).get() == "skipped"
    after = CaseFile.objects.get(pk=casefile.pk)
    assert (after.sha256, after.rendered_at, after.attempts) == (casefile.sha256, casefile.rendered_at, 1)
    assert incident.events.filter(kind=IncidentEvent.Kind.CASEFILE_READY).count() == 1


def test_render_failure_retries_then_fails_with_error(incident, officer, settings, django_capture_on_commit_callbacks):
    blocker = Path(settings.MEDIA_ROOT)
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a directory")  # the media folder cannot be created: an OSError on every try
    casefile = request_and_run(incident, officer, django_capture_on_commit_callbacks)
    assert casefile.status == CaseFile.Status.FAILED
    assert casefile.attempts == settings.QORGAU_NOTICE_MAX_RETRIES + 1
    assert casefile.error
    assert incident.events.filter(kind=IncidentEvent.Kind.CASEFILE_FAILED).count() == 1
    # The disk is fixed: the officer asks again and gets a file.
    blocker.unlink()
    again = request_and_run(incident, officer, django_capture_on_commit_callbacks)
    assert again.pk != casefile.pk and again.status == CaseFile.Status.READY


def test_sweep_requeues_never_published_and_dead_renders(incident, officer):
    old = timezone.now() - dt.timedelta(minutes=10)
    never_published = CaseFile.objects.create(incident=incident, requested_by=officer)  # the broker was down
    dead = CaseFile.objects.create(incident=incident, requested_by=officer, language="kk")
    casefiles.casefile_claim(casefile_id=dead.pk)  # its worker was killed mid-render: the lease runs out
    fresh = CaseFile.objects.create(incident=incident, requested_by=officer, language="en")
    CaseFile.objects.filter(pk__in=[never_published.pk, dead.pk]).update(
        created_at=old, queued_at=None, lease_expires_at=None
    )
    CaseFile.objects.filter(pk=dead.pk).update(queued_at=old, lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert casefile_sweep_task.apply().get() == 2
    statuses = dict(CaseFile.objects.values_list("pk", "status"))
    assert statuses[never_published.pk] == statuses[dead.pk] == CaseFile.Status.READY
    assert statuses[fresh.pk] == CaseFile.Status.PENDING  # too recent: its own publish may be in flight


def test_a_queued_render_waiting_behind_others_is_not_published_again(incident, officer):
    # Issue 11: the sweep used to publish every PENDING case file older than 10 s again, so a backlog in the queue
    # got a second message per file, every minute. Published, its message still in the broker: left alone.
    old = timezone.now() - dt.timedelta(minutes=10)
    casefile = CaseFile.objects.create(incident=incident, requested_by=officer)
    CaseFile.objects.filter(pk=casefile.pk).update(created_at=old, queued_at=old)
    assert casefiles.casefile_sweep(older_than_seconds=0, waiting=1) == 0
    casefile.refresh_from_db()
    assert casefile.status == CaseFile.Status.PENDING and casefile.lease_expires_at is None


def test_a_render_the_broker_lost_is_published_again_once_its_queue_lease_runs_out(incident, officer):
    old = timezone.now() - dt.timedelta(minutes=10)
    casefile = CaseFile.objects.create(incident=incident, requested_by=officer)
    CaseFile.objects.filter(pk=casefile.pk).update(created_at=old, queued_at=old)
    assert casefiles.casefile_sweep(older_than_seconds=0, waiting=0) == 0  # marked: may just be on a worker
    casefile.refresh_from_db()
    assert casefile.lease_expires_at > timezone.now()
    CaseFile.objects.filter(pk=casefile.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert casefiles.casefile_sweep(older_than_seconds=0, waiting=0) == 1
    casefile.refresh_from_db()
    assert casefile.status == CaseFile.Status.READY and casefile.attempts == 1


def test_a_render_that_lost_its_lease_writes_no_pdf(incident, officer):
    casefile = CaseFile.objects.create(incident=incident, requested_by=officer)
    frozen = casefiles.casefile_claim(casefile_id=casefile.pk)  # this worker freezes mid-render
    CaseFile.objects.filter(pk=casefile.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    before = set(Path(settings.MEDIA_ROOT).glob("casefiles/**/*.pdf"))
    assert casefile_render_task.apply(args=[casefile.pk]).get() == "ready"  # another worker takes it over
    rendered = CaseFile.objects.get(pk=casefile.pk)
    with pytest.raises(casefiles.CaseFileNotClaimed):
        casefiles.casefile_render(casefile=frozen)  # wakes up: no longer the lease's holder, writes nothing
    assert len(set(Path(settings.MEDIA_ROOT).glob("casefiles/**/*.pdf")) - before) == 1
    after = CaseFile.objects.get(pk=casefile.pk)
    assert (after.file.name, after.sha256) == (rendered.file.name, rendered.sha256)
    assert incident.events.filter(kind=IncidentEvent.Kind.CASEFILE_READY).count() == 1


def test_case_files_have_their_own_queue():
    assert settings.CELERY_TASK_ROUTES["incidents.casefile_render_task"] == {"queue": settings.QORGAU_QUEUE_CASEFILES}
    assert settings.QORGAU_QUEUE_CASEFILES in {queue.name for queue in settings.CELERY_TASK_QUEUES}


def test_broker_down_leaves_the_file_pending_and_never_raises(incident, officer, django_capture_on_commit_callbacks):
    with celery_broker("redis://127.0.0.1:9/0"):  # nothing listens on the discard port
        with django_capture_on_commit_callbacks(execute=True):
            casefile = casefiles.casefile_request(incident=incident, actor=officer)
        assert casefiles.casefile_publish(casefile_id=casefile.pk) is False
    casefile.refresh_from_db()
    assert casefile.status == CaseFile.Status.PENDING and casefile.attempts == 0


def test_the_sweep_is_scheduled():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "incidents.casefile_sweep_task" in tasks
