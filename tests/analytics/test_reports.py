"""Statistics PDF reports: on demand (the page polls, then offers the file) and monthly, e-mailed."""

import datetime as dt
import io
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from analytics.models import StatisticsReport
from analytics.periods import last_complete_month
from analytics.tasks import monthly_statistics_report_task, statistics_report_email_task
from common.emails import email_sweep
from common.models import OutgoingEmail
from tests.analytics.conftest import ALMATY, incident
from tests.celery_support import celery_broker

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def one_incident_last_month(facility) -> None:
    start = last_complete_month().start
    incident(facility, occurred=dt.datetime(start.year, start.month, 10, 12, tzinfo=ALMATY))


def test_analyst_asks_for_a_pdf_and_downloads_it(client, analyst, known_data, django_capture_on_commit_callbacks):
    client.force_login(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("analytics:report_request"), {"period": "2025-07"})
    report = StatisticsReport.objects.get()
    assert response["Location"] == reverse("analytics:report_detail", args=[report.key])
    assert report.status == StatisticsReport.Status.READY and report.requested_by == analyst
    page = client.get(response["Location"]).content.decode()
    assert reverse("analytics:report_download", args=[report.key]) in page
    assert 'http-equiv="refresh"' not in page
    download = client.get(reverse("analytics:report_download", args=[report.key]))
    assert download["Content-Type"] == "application/pdf"
    assert "<3" in pdf_text(b"".join(download.streaming_content))


def test_pending_report_page_refreshes_itself(client, analyst):
    report = StatisticsReport.objects.create(requested_by=analyst, period="2025-07")
    client.force_login(analyst)
    page = client.get(reverse("analytics:report_detail", args=[report.key])).content.decode()
    assert 'http-equiv="refresh"' in page
    assert client.get(reverse("analytics:report_download", args=[report.key])).status_code == 404


def test_report_download_is_access_checked(client, analyst, reporter, officer, facility_lead):
    report = StatisticsReport.objects.create(requested_by=analyst, period="2025-07")
    client.force_login(analyst)
    assert client.get(reverse("analytics:report_detail", args=[report.key])).status_code == 200  # control
    for user in (reporter, officer, facility_lead):
        client.force_login(user)
        assert client.get(reverse("analytics:report_detail", args=[report.key])).status_code == 403
        assert client.get(reverse("analytics:report_download", args=[report.key])).status_code == 403


def test_a_failed_render_marks_the_report_failed(analyst):
    from analytics.tasks import statistics_report_render_task

    # A row that cannot be rendered (its period is not a period): the task fails, the row says so.
    report = StatisticsReport.objects.create(requested_by=analyst, period="bogus")
    statistics_report_render_task.delay(report.pk)
    report.refresh_from_db()
    assert report.status == StatisticsReport.Status.FAILED and "bogus" in report.error


def test_monthly_task_makes_last_months_pdf_and_emails_it(settings, facility_a, django_capture_on_commit_callbacks):
    settings.QORGAU_MINISTRY_EMAILS = ["stats@ministry.example", "head@ministry.example"]
    one_incident_last_month(facility_a)
    with django_capture_on_commit_callbacks(execute=True):
        monthly_statistics_report_task.delay()
    report = StatisticsReport.objects.get()
    assert report.scheduled and report.status == StatisticsReport.Status.READY and report.emailed_at
    assert report.period == last_complete_month().key
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == settings.QORGAU_MINISTRY_EMAILS
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and name == f"qorgau-statistics-{report.period}.pdf"
    assert "<3" in pdf_text(content)


def test_report_email_task_run_twice_sends_once(settings, facility_a, django_capture_on_commit_callbacks):
    settings.QORGAU_MINISTRY_EMAILS = ["stats@ministry.example"]
    one_incident_last_month(facility_a)
    with django_capture_on_commit_callbacks(execute=True):
        monthly_statistics_report_task.delay()
    report = StatisticsReport.objects.get()
    emailed_at = report.emailed_at
    assert statistics_report_email_task.apply(args=[report.pk]).get() is False
    assert len(mail.outbox) == 1
    report.refresh_from_db()
    assert report.emailed_at == emailed_at
    # Its subject is its template's, in the report's language (Russian).
    assert mail.outbox[0].subject.startswith("Статистика Qorgau")


def test_broker_down_when_the_report_is_ready_the_sweep_emails_it_later(
    settings, facility_a, django_capture_on_commit_callbacks
):
    from analytics.services import monthly_statistics_report, statistics_report_render

    settings.QORGAU_MINISTRY_EMAILS = ["stats@ministry.example"]
    one_incident_last_month(facility_a)
    with django_capture_on_commit_callbacks(execute=False):
        report = monthly_statistics_report()
    with celery_broker("redis://127.0.0.1:9/0"):  # the broker goes down while the worker renders
        with django_capture_on_commit_callbacks(execute=True):
            statistics_report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == StatisticsReport.Status.READY and not report.emailed_at and mail.outbox == []
    assert OutgoingEmail.objects.get(kind="statistics-report").status == OutgoingEmail.Status.PENDING
    assert email_sweep(older_than_seconds=0) == 1
    report.refresh_from_db()
    assert report.emailed_at and [m.to for m in mail.outbox] == [["stats@ministry.example"]]


def test_schedules_are_in_the_database_for_admin(settings):
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from config.celery_app import app

    # What `celery beat` does at start, with a worker or in-process (DatabaseScheduler.setup_schedule): each entry
    # of CELERY_BEAT_SCHEDULE, the one definition of the periodic tasks, written to the tables admin shows.
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        DatabaseScheduler.Entry.from_entry(name, app=app, **entry)

    monthly = PeriodicTask.objects.get(task="analytics.monthly_statistics_report_task")
    assert monthly.enabled and monthly.crontab.day_of_month == "1" and monthly.crontab.hour == "7"
    assert str(monthly.crontab.timezone) == "Asia/Almaty"
    refresh = PeriodicTask.objects.get(task="analytics.snapshot_refresh_task")
    assert refresh.interval.schedule.run_every == dt.timedelta(minutes=10)


@pytest.mark.integration
def test_scheduled_report_is_made_and_emailed_by_a_real_worker(celery_worker, settings, facility_a):
    settings.QORGAU_MINISTRY_EMAILS = ["stats@ministry.example"]
    one_incident_last_month(facility_a)
    monthly_statistics_report_task.delay()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not mail.outbox:
        time.sleep(0.2)
    report = StatisticsReport.objects.get()
    assert report.status == StatisticsReport.Status.READY, report.error
    assert report.scheduled and report.cutoff <= timezone.now()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["stats@ministry.example"]
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert (name, mimetype) == (f"qorgau-statistics-{report.period}.pdf", "application/pdf")
    assert report.period == last_complete_month().key
    assert "<3" in pdf_text(content)
