"""Evidence and notice downloads: only for those who may see the case, and each one is in its history."""

import hashlib

from django.core.files.base import ContentFile
from django.urls import reverse

from incidents.models import Evidence, IncidentEvent, Notice
from tests import factories
from tests.incidents.reporting_support import jpeg_bytes


def evidence_of(incident) -> Evidence:
    content = jpeg_bytes()
    evidence = Evidence(
        incident=incident,
        kind=Evidence.Kind.PHOTO,
        original_name="face.jpg",
        content_type="image/jpeg",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=incident.reporter,
    )
    evidence.file.save("face", ContentFile(content), save=True)
    return evidence


def test_officer_download_of_evidence_is_recorded(client, officer, reporter, facility_a):
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    evidence = evidence_of(incident)
    client.force_login(officer)

    response = client.get(reverse("incidents:case_evidence_download", args=[incident.pk, evidence.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    event = incident.events.get(kind=IncidentEvent.Kind.EVIDENCE_DOWNLOADED)
    assert event.actor == officer and event.data["evidence_id"] == evidence.pk
    assert not event.visible_to_reporter


def test_reporter_download_of_own_evidence_is_recorded_and_outsiders_get_404(
    client, reporter, other_reporter, facility_a
):
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    evidence = evidence_of(incident)
    url = reverse("incidents:evidence_download", args=[evidence.pk])

    client.force_login(other_reporter)
    assert client.get(url).status_code == 404
    client.force_login(reporter)
    assert client.get(url).status_code == 200

    assert list(
        incident.events.filter(kind=IncidentEvent.Kind.EVIDENCE_DOWNLOADED).values_list("actor", flat=True)
    ) == [reporter.pk]


def test_notice_download_is_recorded(client, officer, reporter, facility_a):
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    notice = Notice.objects.create(
        incident=incident,
        version=incident.version,
        status=Notice.Status.READY,
        sha256=hashlib.sha256(b"%PDF-1.7 test").hexdigest(),
    )
    notice.file.save("n.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    client.force_login(officer)

    response = client.get(reverse("incidents:case_notice_download", args=[incident.pk, notice.pk]))

    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert incident.events.filter(kind=IncidentEvent.Kind.NOTICE_DOWNLOADED, actor=officer).count() == 1


def test_behind_nginx_the_download_is_handed_to_it_after_the_check(client, officer, reporter, facility_a, settings):
    settings.QORGAU_X_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    evidence = evidence_of(incident)
    client.force_login(officer)

    response = client.get(reverse("incidents:case_evidence_download", args=[incident.pk, evidence.pk]))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{evidence.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="face.jpg"'
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Content-SHA256"] == evidence.sha256
    assert incident.events.filter(kind=IncidentEvent.Kind.EVIDENCE_DOWNLOADED).count() == 1


def test_behind_nginx_an_outsider_gets_404_and_no_redirect(client, other_officer, reporter, facility_a, settings):
    settings.QORGAU_X_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    evidence = evidence_of(incident)
    client.force_login(other_officer)

    response = client.get(reverse("incidents:case_evidence_download", args=[incident.pk, evidence.pk]))

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
