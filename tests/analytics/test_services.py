"""Statistics PDF reports (`analytics/services.py`, run by `analytics/tasks.py`): a failed render is marked, the
monthly report is made and e-mailed once, and e-mailed later when the broker was down."""

import datetime as dt
import time

import pytest
from django.core import mail
from django.utils import timezone

from analytics.models import StatisticsReport
from analytics.periods import last_complete_month
from analytics.tasks import monthly_statistics_report_task, statistics_report_email_task
from common.emails import email_sweep
from common.models import OutgoingEmail
from tests.analytics.conftest import ALMATY, incident
from tests.celery_support import celery_broker
from tests.pdf_support import pdf_text

pytestmark = pytest.mark.django_db


def one_incident_last_month(facility) -> None:
    start = last_complete_month().start
    incident(facility, occurred=dt.datetime(start.year, start.month, 10, 12, tzinfo=ALMATY))


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


@pytest.mark.django_db
def test_refresh_task_suppresses_once_and_the_dashboard_does_not_recompute(client, analyst, known_data, monkeypatch):
    from django.urls import reverse

    from analytics.selectors import lattice
    from analytics.tasks import snapshot_refresh_task

    snapshot_refresh_task.delay()

    def recompute(*args, **kwargs):
        raise AssertionError("the dashboard computed the suppression again")

    monkeypatch.setattr(lattice, "build_lattice", recompute)  # a lead's scope
    monkeypatch.setattr(lattice, "build_public_lattices", recompute)  # Almaty, the districts and the kinds, one run
    client.force_login(analyst)
    for period in ("", "?period=2025-07", "?period=2025", "?period=2024-Q3", "?period=2025-07&facility_kind=children"):
        assert client.get(reverse("analytics:dashboard") + period).status_code == 200
    assert client.get(reverse("analytics:export_csv") + "?period=2025-07").status_code == 200
