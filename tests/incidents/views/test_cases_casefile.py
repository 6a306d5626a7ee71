"""The case file on the case page (`incidents/views/cases.py`): asked for, listed with its hash, downloaded with the
download recorded in the history; officers of the case's post only."""

import hashlib

import pytest
from django.urls import reverse

from incidents.models import CaseFile, IncidentEvent
from tests.incidents.casefile_support import request_and_run


@pytest.fixture
def ready(incident, officer, django_capture_on_commit_callbacks):
    return request_and_run(incident, officer, django_capture_on_commit_callbacks)


def test_officer_asks_for_the_case_file_and_downloads_it(client, officer, incident, django_capture_on_commit_callbacks):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("incidents:case_casefile_request", args=[incident.pk]), {"language": "kk"})
    assert response.status_code == 302
    casefile = CaseFile.objects.get(incident=incident)
    assert casefile.status == CaseFile.Status.READY and casefile.language == "kk"
    page = client.get(reverse("incidents:case_detail", args=[incident.pk])).content.decode()
    url = reverse("incidents:case_casefile_download", args=[incident.pk, casefile.pk])
    assert url in page and casefile.sha256 in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-SHA256"] == casefile.sha256 and "attachment" in response["Content-Disposition"]
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == casefile.sha256
    event = incident.events.get(kind=IncidentEvent.Kind.CASEFILE_DOWNLOADED)
    assert event.actor == officer and event.data["sha256"] == casefile.sha256


def test_a_bad_language_makes_the_file_in_the_page_language(
    client, officer, incident, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("incidents:case_casefile_request", args=[incident.pk]), {"language": "xx"})
    assert response.status_code == 302
    assert CaseFile.objects.get(incident=incident).language == "en"


@pytest.mark.parametrize("persona", ["other_officer", "reporter", "facility_lead", "analyst", "administrator"])
def test_nobody_but_the_case_post_asks_for_or_downloads_it(client, incident, ready, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("incidents:case_casefile_request", args=[incident.pk])).status_code == 404
    assert client.get(reverse("incidents:case_casefile_download", args=[incident.pk, ready.pk])).status_code == 404
    assert CaseFile.objects.count() == 1
    assert not incident.events.filter(kind=IncidentEvent.Kind.CASEFILE_DOWNLOADED).exists()


def test_a_file_not_ready_is_listed_but_not_offered(client, officer, incident):
    casefile = CaseFile.objects.create(incident=incident, requested_by=officer)
    client.force_login(officer)
    page = client.get(reverse("incidents:case_detail", args=[incident.pk])).content.decode()
    assert 'data-casefile-status="pending"' in page
    url = reverse("incidents:case_casefile_download", args=[incident.pk, casefile.pk])
    assert url not in page and client.get(url).status_code == 404


def test_download_only_answers_get(client, officer, incident, ready):
    client.force_login(officer)
    url = reverse("incidents:case_casefile_download", args=[incident.pk, ready.pk])
    assert client.post(url).status_code == 405
    assert client.get(reverse("incidents:case_casefile_request", args=[incident.pk])).status_code == 405
