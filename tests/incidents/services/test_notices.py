"""The notice pipeline (`incidents/services/notices.py`) with tasks run eagerly: request, render once, e-mail, retry
and fail, sweep. The PDF itself is tested in tests/incidents/test_pdf.py, the case page's notices in
tests/incidents/views/test_cases_notices.py.

The real-worker and broker-outage versions are in tests/integration/test_notice_worker.py.
"""

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from common.emails import email_sweep
from common.models import OutgoingEmail
from incidents.models import Incident, IncidentEvent, Notice
from incidents.services import notices
from incidents.tasks import notice_email_task, notice_render_task, notice_sweep_task
from tests import factories
from tests.celery_support import celery_broker
from tests.incidents.notice_support import request_and_run, tagged_incident
from tests.pdf_support import pdf_text


@pytest.fixture
def incident(reporter, facility_a, post_a):
    return tagged_incident(reporter, facility_a)


def test_request_renders_stores_hash_and_emails_the_post(incident, post_a, django_capture_on_commit_callbacks):
    notice = request_and_run(incident, django_capture_on_commit_callbacks)
    assert notice.status == Notice.Status.READY, notice.error
    data = notice.file.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == notice.sha256
    assert notice.attempts == 1 and notice.render_ms is not None
    text = pdf_text(data)
    assert incident.reference in text
    assert incident.facility.name_kk in text and incident.facility.name_ru in text  # Kazakh and Russian sections
    assert "380-3" in text
    assert "Угрожал расправой" in text
    # The article's text of part 3 is printed.
    from legal.statute import CURRENT

    assert CURRENT.part_text(3, "ru")[:40].split()[0] in text
    # E-mailed once to the post, with the PDF attached.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [post_a.email] and incident.reference in message.subject
    assert message.attachments[0][1] == data
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert list(incident.events.filter(kind__startswith="notice_").values_list("kind", flat=True)) == [
        IncidentEvent.Kind.NOTICE_QUEUED,
        IncidentEvent.Kind.NOTICE_READY,
        IncidentEvent.Kind.NOTICE_SENT,
    ]


def test_english_notice_on_request(incident, django_capture_on_commit_callbacks):
    notice = request_and_run(incident, django_capture_on_commit_callbacks, language="en")
    assert notice.status == Notice.Status.READY and notice.language == "en"
    text = pdf_text(notice.file.read())
    assert incident.facility.name_en in text and incident.facility.name_kk not in text
    assert mail.outbox == []  # only the bilingual notice is e-mailed


def test_request_twice_gives_one_notice_and_task_twice_renders_once(incident, django_capture_on_commit_callbacks):
    first = request_and_run(incident, django_capture_on_commit_callbacks)
    again = request_and_run(incident, django_capture_on_commit_callbacks)
    assert first.pk == again.pk
    assert notice_render_task.apply(args=[first.pk]).get() == "skipped"
    after = Notice.objects.get(pk=first.pk)
    assert (after.sha256, after.rendered_at, after.attempts) == (first.sha256, first.rendered_at, 1)
    assert Notice.objects.filter(incident=incident).count() == 1
    assert len(mail.outbox) == 1


def test_new_version_gets_new_notice_and_keeps_the_old(incident, django_capture_on_commit_callbacks):
    first = request_and_run(incident, django_capture_on_commit_callbacks)
    Incident.objects.filter(pk=incident.pk).update(version=incident.version + 1)
    incident.refresh_from_db()
    second = request_and_run(incident, django_capture_on_commit_callbacks)
    assert second.pk != first.pk and second.version == first.version + 1
    assert Path(first.file.path).exists() and Path(second.file.path).exists()
    assert first.file.name != second.file.name


def test_render_failure_retries_then_fails_with_error(incident, settings, django_capture_on_commit_callbacks):
    # A media folder that cannot be created: a real OSError on every try.
    blocker = Path(settings.MEDIA_ROOT)
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a directory")
    notice = request_and_run(incident, django_capture_on_commit_callbacks)
    assert notice.status == Notice.Status.FAILED
    assert notice.attempts == settings.QORGAU_NOTICE_MAX_RETRIES + 1
    assert "Error" in notice.error and notice.error
    assert incident.events.filter(kind=IncidentEvent.Kind.NOTICE_FAILED).count() == 1
    # The administrator fixes the disk and re-runs it.
    blocker.unlink()
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.notice_rerun(notice=notice)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.READY and notice.error == ""


def test_sweep_requeues_a_never_published_pending_and_a_render_whose_lease_ran_out(
    incident, django_capture_on_commit_callbacks
):
    old = timezone.now() - dt.timedelta(minutes=10)
    pending = Notice.objects.create(incident=incident, version=incident.version)  # its publish failed: no queued_at
    stuck = Notice.objects.create(
        incident=incident,
        version=incident.version,
        language="en",
        status=Notice.Status.RENDERING,
        claimed_at=old,
        queued_at=old,
        lease_expires_at=timezone.now() - dt.timedelta(seconds=1),  # its worker died: nobody renewed it
    )
    fresh_incident = factories.IncidentFactory(facility=incident.facility)
    fresh = Notice.objects.create(incident=fresh_incident, version=1)
    Notice.objects.filter(pk__in=[pending.pk, stuck.pk]).update(created_at=old)
    assert notice_sweep_task.apply().get() == 2
    statuses = dict(Notice.objects.values_list("pk", "status"))
    assert statuses[pending.pk] == statuses[stuck.pk] == Notice.Status.READY
    assert statuses[fresh.pk] == Notice.Status.PENDING  # too recent: its own on_commit publish may be in flight


def test_broker_down_leaves_notice_pending_and_never_raises(incident, django_capture_on_commit_callbacks):
    with celery_broker("redis://127.0.0.1:9/0"):  # nothing listens on the discard port
        with django_capture_on_commit_callbacks(execute=True):
            notice = notices.notice_request(incident=incident)
        assert notices.notice_publish(notice_id=notice.pk) is False
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PENDING and notice.attempts == 0


def test_notice_email_task_run_twice_sends_once(incident, post_a, django_capture_on_commit_callbacks):
    notice = request_and_run(incident, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert notice_email_task.apply(args=[notice.pk]).get() is False
    assert len(mail.outbox) == 1
    assert incident.events.filter(kind=IncidentEvent.Kind.NOTICE_SENT).count() == 1
    email = OutgoingEmail.objects.get(kind="notice", object_id=notice.pk)
    assert email.status == OutgoingEmail.Status.SENT and email.recipients == [post_a.email]


def test_broker_down_when_the_notice_is_ready_the_sweep_emails_it_later(
    incident, post_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        notice = notices.notice_request(incident=incident)
    with celery_broker("redis://127.0.0.1:9/0"):  # the broker goes down while the worker renders
        with django_capture_on_commit_callbacks(execute=True):
            notices.notice_render(notice=notices.notice_claim(notice_id=notice.pk))
    notice.refresh_from_db()
    assert notice.status == Notice.Status.READY and notice.emailed_at is None and mail.outbox == []
    assert OutgoingEmail.objects.get(kind="notice", object_id=notice.pk).status == OutgoingEmail.Status.PENDING
    # The broker is back: the sweep queues the e-mail, once.
    assert email_sweep(older_than_seconds=0) == 1
    assert email_sweep(older_than_seconds=0) == 0
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[post_a.email]]
    assert mail.outbox[0].attachments[0][1] == notice.file.read()


def test_sweep_command_queues_pending(incident):
    from django.core.management import call_command

    notice = Notice.objects.create(incident=incident, version=incident.version)
    out = io.StringIO()
    call_command("notices_sweep", "--after", "0", stdout=out)
    assert "1 notice(s) queued" in out.getvalue()
    notice.refresh_from_db()
    assert notice.status == Notice.Status.READY


def test_the_sweep_emails_a_ready_notice_whose_email_was_never_recorded(
    incident, post_a, django_capture_on_commit_callbacks
):
    notice = request_and_run(incident, django_capture_on_commit_callbacks)
    # As if the e-mail were lost in a fault before it was recorded (or the notice rendered before the outbox).
    OutgoingEmail.objects.filter(kind="notice", object_id=notice.pk).delete()
    Notice.objects.filter(pk=notice.pk).update(emailed_at=None, rendered_at=timezone.now() - dt.timedelta(minutes=5))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notices.notice_sweep(older_than_seconds=0, waiting=0)
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[post_a.email]]
    with django_capture_on_commit_callbacks(execute=True):
        notices.notice_sweep(older_than_seconds=0, waiting=0)
    assert len(mail.outbox) == 1  # once
