"""Issue 2: a reporter of facility A cannot open admin or any page of another facility.

Every page is tried with a control first: the people who may see it (the reporter of B, the lead of B's
facility, the officer of B's post) get 200 on the very same URL, so a 404 for the reporter of A means
"not yours", not "no such page".
"""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from incidents.models import CaseMessage, Evidence, Notice
from tests import factories
from tests.incidents.reporting_support import jpeg_bytes

pytestmark = pytest.mark.django_db

SECRET_ACCOUNT = "Пациент из палаты 12 угрожал медсестре Б ножом."


@pytest.fixture
def incident_b(other_reporter, other_officer, facility_b):
    """A report of facility B with a photo, a notice and a question from B's post."""
    incident = factories.IncidentFactory(facility=facility_b, reporter=other_reporter, account=SECRET_ACCOUNT)
    content = jpeg_bytes()
    evidence = Evidence(
        incident=incident,
        kind=Evidence.Kind.PHOTO,
        original_name="b.jpg",
        content_type="image/jpeg",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=other_reporter,
    )
    evidence.file.save("b", ContentFile(content), save=True)
    notice = Notice.objects.create(
        incident=incident,
        version=incident.version,
        status=Notice.Status.READY,
        sha256=hashlib.sha256(b"%PDF-1.7 b").hexdigest(),
    )
    notice.file.save("b.pdf", ContentFile(b"%PDF-1.7 b"), save=True)
    question = CaseMessage.objects.create(
        incident=incident, kind=CaseMessage.Kind.QUESTION, body="Кто свидетель?", author=other_officer
    )
    return {"incident": incident, "evidence": evidence, "notice": notice, "question": question}


def reporter_pages(b) -> list[str]:
    incident = b["incident"]
    return [
        reverse("incidents:report_detail", args=[incident.pk]),
        reverse("incidents:report_sent", args=[incident.pk]),
        reverse("incidents:evidence_download", args=[b["evidence"].pk]),
    ]


def police_pages(b) -> list[str]:
    incident = b["incident"]
    return [
        reverse("incidents:case_detail", args=[incident.pk]),
        reverse("incidents:case_evidence_download", args=[incident.pk, b["evidence"].pk]),
        reverse("incidents:case_notice_download", args=[incident.pk, b["notice"].pk]),
    ]


def test_controls_the_pages_of_facility_b_open_for_its_own_people(client, incident_b, other_reporter, other_officer):
    client.force_login(other_reporter)
    for url in reporter_pages(incident_b):
        assert client.get(url).status_code == 200, url
    client.force_login(other_officer)
    for url in police_pages(incident_b):
        assert client.get(url).status_code == 200, url


def test_reporter_of_a_gets_404_on_every_page_of_a_report_of_facility_b(client, reporter, incident_b):
    client.force_login(reporter)
    for url in reporter_pages(incident_b) + police_pages(incident_b):
        response = client.get(url)
        assert response.status_code == 404, url
        assert incident_b["incident"].reference not in response.content.decode()
        assert SECRET_ACCOUNT not in response.content.decode()


def test_reporter_of_a_cannot_post_to_a_report_of_facility_b(
    client, reporter, other_reporter, other_officer, incident_b
):
    incident, question = incident_b["incident"], incident_b["question"]
    add_info = reverse("incidents:report_add_info", args=[incident.pk])
    answer = reverse("incidents:report_answer", args=[incident.pk, question.pk])
    acknowledge = reverse("incidents:case_action", args=[incident.pk, "acknowledge"])
    info_data, answer_data = {"info-body": "Дополнение"}, {f"q{question.pk}-body": "Ответ"}
    acknowledge_data = {"acknowledge-version": incident.version}
    client.force_login(reporter)

    assert client.post(add_info, info_data).status_code == 404
    assert client.post(answer, answer_data).status_code == 404
    # A case URL: 404 to a role without case work, as to an officer of another post.
    assert client.post(acknowledge, acknowledge_data).status_code == 404

    incident.refresh_from_db()
    assert incident.acknowledged_at is None
    assert not CaseMessage.objects.filter(incident=incident, author=reporter).exists()
    # Control: the same posts by the reporter of B, and by B's officer, are accepted.
    client.force_login(other_reporter)
    assert client.post(add_info, info_data).status_code == 302
    assert client.post(answer, answer_data).status_code == 302
    assert CaseMessage.objects.filter(incident=incident, author=other_reporter).count() == 2
    client.force_login(other_officer)
    assert client.post(acknowledge, acknowledge_data).status_code == 302
    incident.refresh_from_db()
    assert incident.acknowledged_at is not None


def test_reporter_of_a_does_not_see_facility_b_in_any_list(
    client, reporter, facility_lead, other_officer, incident_b, facility_a
):
    own = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    # Control: the lists themselves open for the roles that use them.
    client.force_login(facility_lead)
    assert client.get(reverse("incidents:facility_reports")).status_code == 200
    client.force_login(other_officer)
    assert client.get(reverse("incidents:case_inbox")).status_code == 200
    client.force_login(reporter)

    mine = client.get(reverse("incidents:my_reports")).content.decode()

    assert own.reference in mine
    assert incident_b["incident"].reference not in mine
    # Kinds of pages the reporter's role does not use: 403 (accounts/permissions.py).
    assert client.get(reverse("incidents:facility_reports")).status_code == 403
    assert client.get(reverse("incidents:case_inbox")).status_code == 403


def test_lead_of_a_sees_facility_a_reports_and_not_facility_b(client, facility_lead, reporter, incident_b, facility_a):
    own = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    client.force_login(facility_lead)

    listing = client.get(reverse("incidents:facility_reports")).content.decode()

    assert own.reference in listing
    assert incident_b["incident"].reference not in listing
    assert client.get(reverse("incidents:report_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("incidents:report_detail", args=[incident_b["incident"].pk])).status_code == 404


def test_reporter_of_a_cannot_open_facility_b_or_admin(client, reporter, facility_b):
    client.force_login(reporter)

    assert client.get(reverse("facilities:detail", args=[facility_b.code])).status_code == 403
    for url in (
        reverse("admin:index"),
        reverse("admin:incidents_incident_changelist"),
        reverse("admin:accounts_user_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login")), url
