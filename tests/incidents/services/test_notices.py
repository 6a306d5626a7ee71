"""PDF notices with tasks run eagerly: request, render once, e-mail, retry and fail, sweep, safe fetching.

The real-worker and broker-outage versions are in tests/integration/test_notice_worker.py.
"""

import datetime as dt
import hashlib
import http.server
import io
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from common import pdf as pdf_engine
from common.emails import email_sweep
from common.models import OutgoingEmail
from incidents import pdf as notice_pdf
from incidents.models import Evidence, Incident, IncidentEvent, Notice
from incidents.services import notices
from incidents.tasks import notice_email_task, notice_render_task, notice_sweep_task
from tests import factories
from tests.celery_support import celery_broker


@pytest.fixture
def incident(reporter, facility_a, post_a):
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    return factories.incident_update(incident, legal_applicable=True, legal_part=3)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def request_and_run(incident, capture, **kwargs) -> Notice:
    with capture(execute=True):
        notice = notices.notice_request(incident=incident, **kwargs)
    notice.refresh_from_db()
    return notice


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


def test_pdf_has_page_numbers_qr_and_generation_time(incident):
    data = notice_pdf.render_notice_pdf(incident=incident, language="ru-kk", version=incident.version)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    text = pdf_text(data)
    assert f"1 / {len(reader.pages)}" in text
    assert timezone.localtime().strftime("%Y-%m-%d") in text
    html = notice_pdf.render_notice_html(incident=incident, language="ru-kk", version=incident.version)
    assert "<svg" in html and "<path" in html  # the inline QR code


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


def test_admin_can_rerun_failed_notice(client, incident, django_capture_on_commit_callbacks):
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    notice = Notice.objects.create(
        incident=incident, version=incident.version, status=Notice.Status.FAILED, error="OSError: disk full", attempts=5
    )
    client.force_login(admin)
    changelist = reverse("admin:incidents_notice_changelist")
    assert "disk full" in client.get(reverse("admin:incidents_notice_change", args=[notice.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "rerun_notices", "_selected_action": [notice.pk]})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == Notice.Status.READY


def test_sweep_requeues_old_pending_and_stale_rendering(incident, django_capture_on_commit_callbacks):
    old = timezone.now() - dt.timedelta(minutes=10)
    pending = Notice.objects.create(incident=incident, version=incident.version)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    stuck = Notice.objects.create(
        incident=incident, version=incident.version, language="en", status=Notice.Status.RENDERING, claimed_at=long_ago
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


def test_case_page_lists_notice_and_officer_downloads_it(client, officer, incident, django_capture_on_commit_callbacks):
    notice = request_and_run(incident, django_capture_on_commit_callbacks)
    client.force_login(officer)
    page = client.get(reverse("incidents:case_detail", args=[incident.pk])).content.decode()
    url = reverse("incidents:case_notice_download", args=[incident.pk, notice.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == notice.sha256


def test_officer_requests_english_notice(client, officer, incident, django_capture_on_commit_callbacks):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("incidents:case_notice_english", args=[incident.pk]))
    assert incident.notices.get(language="en").status == Notice.Status.READY


def test_evidence_listed_with_sha256(incident, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    evidence = Evidence(
        incident=incident,
        kind="photo",
        original_name="bruise.jpg",
        content_type="image/jpeg",
        size=3,
        sha256=hashlib.sha256(b"abc").hexdigest(),
        uploaded_by=incident.reporter,
    )
    evidence.file.save("x", ContentFile(b"abc"))
    text = pdf_text(notice_pdf.render_notice_pdf(incident=incident, language="ru-kk", version=1))
    assert "bruise.jpg" in text
    assert evidence.sha256[:16] in text.replace("\n", "")


# --- fetching nothing but our static files ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:1/x.css",
        "https://example.com/a.png",
        "ftp://example.com/a",
        "data:text/plain,hello",
        f"file://{settings.BASE_DIR}/static/../config/settings/base.py",
        f"file://{settings.BASE_DIR}/static/%2e%2e/manage.py",
        f"file://evil.example{settings.BASE_DIR}/static/css/qorgau.css",
        f"file://{settings.BASE_DIR}/manage.py",
    ],
)
def test_fetcher_refuses_everything_outside_static(url):
    with pytest.raises(pdf_engine.FetchRefused):
        pdf_engine.static_path_for(url)
    with pytest.raises(pdf_engine.FetchRefused):
        pdf_engine.make_url_fetcher().fetch(url)


def test_fetcher_serves_a_static_file():
    url = (Path(settings.BASE_DIR) / "static" / "css" / "qorgau.css").as_uri()
    response = pdf_engine.make_url_fetcher().fetch(url)
    assert response.read() == (Path(settings.BASE_DIR) / "static" / "css" / "qorgau.css").read_bytes()


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def http_trap():
    _CountingHandler.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _CountingHandler.hits
    server.shutdown()


def test_hostile_account_renders_as_text_and_fetches_nothing(incident, http_trap):
    base, hits = http_trap
    hostile = (
        f'<img src="file:///etc/passwd"> <link rel="stylesheet" href="{base}/evil.css"> '
        f'<script>document.write("x")</script> <img src="{base}/pixel.png"> '
        f'<style>@import url("{base}/imp.css");</style>'
    )
    Incident.objects.filter(pk=incident.pk).update(account=hostile, witnesses=f'<iframe src="{base}/w">')
    incident.refresh_from_db()
    fetcher = pdf_engine.make_url_fetcher()
    calls = []
    original = fetcher.fetch

    def recording(url, headers=None):
        calls.append(url)
        return original(url, headers)

    fetcher.fetch = recording
    data = notice_pdf.render_notice_pdf(incident=incident, language="ru-kk", version=1, url_fetcher=fetcher)
    assert calls == []
    assert hits == []
    text = pdf_text(data)
    assert '<img src="file:///etc/passwd">' in text.replace("\n", " ")
    assert "<script>" in text
    assert "root:x:0:0" not in text


def test_beat_schedule_names_registered_tasks():
    from config.celery_app import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_beat_reads_the_one_schedule_with_a_worker_and_in_process():
    # `make run` with and without REDIS_URL: the same beat, the default (database) scheduler, no schedule of its own.
    for procfile in ("Procfile", "Procfile.eager"):
        lines = (Path(settings.BASE_DIR) / procfile).read_text().splitlines()
        assert [line for line in lines if line.startswith("beat:")] == [
            "beat: .venv/bin/celery -A config beat --loglevel=INFO"
        ]


def test_sweep_command_queues_pending(incident):
    from django.core.management import call_command

    notice = Notice.objects.create(incident=incident, version=incident.version)
    out = io.StringIO()
    call_command("notices_sweep", "--after", "0", stdout=out)
    assert "1 notice(s) queued" in out.getvalue()
    notice.refresh_from_db()
    assert notice.status == Notice.Status.READY


def test_each_section_names_the_deadline_in_its_own_language(incident):
    # Rendered by a worker whose active language is Russian, the Kazakh and English sections still
    # name the investigation procedure in their own language.
    incident = factories.incident_update(
        incident, status="registered", erdr_number="261100031000123", erdr_registered_on=timezone.localdate()
    )
    with translation.override("ru"):
        bilingual = notice_pdf.render_notice_html(incident=incident, language="ru-kk", version=incident.version)
        english = notice_pdf.render_notice_html(incident=incident, language="en", version=incident.version)
    russian_half, kazakh_half = bilingual.split('<div lang="kk">')
    assert "дознание" in russian_half
    assert "анықтау" in kazakh_half and "дознание" not in kazakh_half
    assert "Deadline: inquiry" in english and "дознание" not in english


@pytest.mark.parametrize("outcome", ["sent_to_court", "no_offence"])
def test_a_notice_of_a_case_sent_to_court_or_closed_prints_no_deadline(incident, officer, outcome):
    from incidents.services import cases
    from tests.incidents.case_support import registered

    incident = registered(incident, officer, on=timezone.localdate())

    def rendered() -> tuple[str, str]:
        with translation.override("ru"):
            return (
                notice_pdf.render_notice_html(incident=incident, language="en", version=incident.version),
                notice_pdf.render_notice_html(incident=incident, language="ru-kk", version=incident.version),
            )

    english, bilingual = rendered()
    assert "Deadline: inquiry" in english and "Срок: дознание" in bilingual and "Мерзімі: анықтау" in bilingual
    incident = cases.case_close(
        incident=incident, actor=officer, expected_version=incident.version, outcome=outcome, reason="Основание"
    )
    english, bilingual = rendered()
    assert "Срок:" not in bilingual and "Мерзімі" not in bilingual
    assert "Deadline" not in english


def test_notice_header_file_and_mail_show_the_number_the_case_page_shows(
    client, officer, incident, django_capture_on_commit_callbacks
):
    first = request_and_run(incident, django_capture_on_commit_callbacks)
    # Changes that produce no notice (the version counts every change) do not shift the number.
    Incident.objects.filter(pk=incident.pk).update(version=incident.version + 3)
    incident.refresh_from_db()
    second = request_and_run(incident, django_capture_on_commit_callbacks)
    assert second.version == first.version + 3
    with translation.override("en"):
        first_html = notice_pdf.render_notice_html(incident=incident, language="en", version=first.version)
        second_html = notice_pdf.render_notice_html(incident=incident, language="en", version=second.version)
    assert "Notice 1" in first_html and "Notice 2" in second_html
    assert f"version {second.version}" not in second_html
    client.force_login(officer)
    page = client.get(reverse("incidents:case_detail", args=[incident.pk])).content.decode()
    assert 'data-notice-number="2"' in page
    response = client.get(reverse("incidents:case_notice_download", args=[incident.pk, second.pk]))
    assert f'filename="{incident.reference}-notice-2-ru-kk.pdf"' in response["Content-Disposition"]
    assert [m.attachments[0][0] for m in mail.outbox] == [
        f"{incident.reference}-notice-1-ru-kk.pdf",
        f"{incident.reference}-notice-2-ru-kk.pdf",
    ]
    assert mail.outbox[1].subject.endswith(" 2")
