"""The notice pipeline and the e-mail outbox with a real Celery worker, a real Redis and PostgreSQL (CI runs these)."""

import datetime as dt
import io
import time
import uuid

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from incidents.models import Incident, IncidentEvent, Notice, Place, Status
from incidents.services.notices import notice_publish, notice_sweep
from incidents.tasks import notice_render_task
from tests.integration.conftest import wait_for, worker_on

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def submit(reporter, facility, *, account="Пациент ударил медсестру по лицу в приёмном покое.") -> Incident:
    from accounts.models import Profession
    from incidents.services.reporting import ReportInput, VictimInput, incident_submit

    report = ReportInput(
        act="violence",
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        facility=facility,
        place=Place.ADMISSION,
        account=account,
    )
    return incident_submit(
        reporter=reporter,
        report=report,
        victims=[VictimInput(role=Profession.NURSE, is_reporter=True, full_name=str(reporter))],
        idempotency_key=uuid.uuid4(),
    )


def ready(incident: Incident) -> Notice | None:
    return Notice.objects.filter(incident=incident, status=Notice.Status.READY).first()


def pdf_text(notice: Notice) -> str:
    with notice.file.open("rb") as fh:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(fh.read())).pages)


def test_submit_gives_ready_notice_through_the_worker(celery_worker, reporter, facility_a, post_a):
    incident = submit(reporter, facility_a)
    notice = wait_for(lambda: ready(incident))
    incident.refresh_from_db()
    text = pdf_text(notice)
    assert incident.reference in text
    assert incident.legal_part is not None and "380-3" in text
    assert str(incident.legal_part) in text
    assert facility_a.name_kk in text  # the Kazakh section
    # The worker e-mailed the post with the PDF attached.
    wait_for(lambda: Notice.objects.get(pk=notice.pk).emailed_at)
    assert any(post_a.email in message.to for message in mail.outbox)


def test_task_delivered_twice_renders_once(celery_worker, reporter, facility_a, post_a):
    incident = submit(reporter, facility_a)
    notice = wait_for(lambda: ready(incident))
    first = (notice.sha256, notice.rendered_at)
    notice_render_task.delay(notice.pk)
    notice_render_task.delay(notice.pk)
    # A new notice published twice as well; the solo worker consumes in order, so once it is READY the
    # duplicates before it have all run.
    english = Notice.objects.create(incident=incident, version=incident.version, language="en")
    notice_publish(notice_id=english.pk)
    notice_publish(notice_id=english.pk)
    wait_for(lambda: Notice.objects.get(pk=english.pk).status == Notice.Status.READY)
    time.sleep(1)  # the second English delivery, if any, has had time to run too
    notice.refresh_from_db()
    english.refresh_from_db()
    assert (notice.sha256, notice.rendered_at, notice.attempts) == (*first, 1)
    assert english.attempts == 1
    assert Notice.objects.filter(incident=incident).count() == 2
    assert IncidentEvent.objects.filter(incident=incident, kind=IncidentEvent.Kind.NOTICE_READY).count() == 2


def test_render_failure_ends_failed_with_its_error(celery_worker, reporter, facility_a, post_a, settings, tmp_path):
    settings.QORGAU_NOTICE_RETRY_BACKOFF = 0
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker  # the PDF cannot be stored: a real OSError on every try
    incident = submit(reporter, facility_a)
    notice = wait_for(lambda: Notice.objects.filter(incident=incident, status=Notice.Status.FAILED).first())
    assert notice.attempts == settings.QORGAU_NOTICE_MAX_RETRIES + 1
    assert "Error" in notice.error
    assert IncidentEvent.objects.filter(incident=incident, kind=IncidentEvent.Kind.NOTICE_FAILED).count() == 1


def test_broker_outage_loses_nothing(postgres_db, private_redis, reporter, facility_a, post_a):
    from tests.celery_support import celery_broker

    private_redis.stop()
    with celery_broker(private_redis.url):
        incident = submit(reporter, facility_a)  # Redis is down: the report is saved all the same
    assert Incident.objects.filter(pk=incident.pk, status=Status.SUBMITTED).exists()
    notice = Notice.objects.get(incident=incident)
    assert notice.status == Notice.Status.PENDING and notice.attempts == 0

    private_redis.start()
    with worker_on(private_redis.url):
        assert notice_sweep(older_than_seconds=0) == 1
        notice = wait_for(lambda: ready(incident))
    assert incident.reference in pdf_text(notice)


def test_question_email_survives_a_broker_outage_and_the_worker_sends_it_once(
    postgres_db, private_redis, reporter, officer, facility_a, post_a
):
    from common.emails import email_sweep
    from common.models import OutgoingEmail
    from incidents.services.cases import case_question_ask
    from incidents.tasks import case_question_email_task
    from tests.celery_support import celery_broker

    private_redis.stop()
    with celery_broker(private_redis.url):  # Redis is down: the question is asked all the same
        incident = submit(reporter, facility_a)
        question = case_question_ask(incident=incident, actor=officer, body="Who saw it?")
    email = OutgoingEmail.objects.get(kind="case-question", object_id=question.pk)
    assert (email.status, email.attempts) == (OutgoingEmail.Status.PENDING, 0)
    assert mail.outbox == []

    private_redis.start()
    with worker_on(private_redis.url):
        assert email_sweep(older_than_seconds=0) == 1
        wait_for(lambda: OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT)
        case_question_email_task.delay(question.pk)  # delivered a second time
        time.sleep(1)  # the solo worker has had time to run it
    assert [message.to for message in mail.outbox] == [[reporter.email]]
    assert OutgoingEmail.objects.get(pk=email.pk).attempts == 1
