"""The notices on the case page (`incidents/views/cases.py`): listed, downloaded, asked for in English, and numbered
as the PDF and the e-mail number them."""

import hashlib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from incidents import pdf as notice_pdf
from incidents.models import Incident, Notice
from tests.incidents.notice_support import request_and_run, tagged_incident


@pytest.fixture
def incident(reporter, facility_a, post_a):
    return tagged_incident(reporter, facility_a)


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
