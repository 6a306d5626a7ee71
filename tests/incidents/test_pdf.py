"""The notice PDF (`incidents/pdf.py`): A4 pages numbered, a QR code, the evidence's hashes, each section in its own
language, no deadline once the case is in court or closed, and a hostile account printed as text, fetching nothing."""

import hashlib
import http.server
import io
import threading

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from common import pdf as pdf_engine
from incidents import pdf as notice_pdf
from incidents.models import Evidence, Incident
from tests import factories
from tests.incidents.notice_support import tagged_incident
from tests.pdf_support import pdf_text


@pytest.fixture
def incident(reporter, facility_a, post_a):
    return tagged_incident(reporter, facility_a)


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


def test_a_notice_made_after_a_question_was_answered_prints_the_answer(incident, officer):
    from incidents.services import cases, reporting

    before = pdf_text(notice_pdf.render_notice_pdf(incident=incident, language="en", version=incident.version))
    question = cases.case_question_ask(incident=incident, actor=officer, body="Which ward was it?")
    unanswered = pdf_text(notice_pdf.render_notice_pdf(incident=incident, language="en", version=incident.version))
    reporting.question_answer(question=question, author=incident.reporter, body="Ward 7, second floor.")
    after = pdf_text(notice_pdf.render_notice_pdf(incident=incident, language="ru-kk", version=incident.version))
    assert "Ward 7" not in before and "Which ward" not in unanswered
    assert after.count("Ward 7, second floor.") == 2  # in the Russian and the Kazakh section
    assert "Which ward was it?" in after
