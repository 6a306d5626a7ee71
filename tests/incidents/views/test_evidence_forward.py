"""Issue 11: a copy of an evidence file handed over outside Qorgau (to the investigator, an expert, the court) is a
link of the item's chain of custody: recorded by an officer of the case's post, with whom and how, in the case
history and the case file; refused to anyone else; a bad form keeps what was typed."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from incidents.models import CaseFile, ForwardMeans, IncidentEvent
from incidents.pdf import render_casefile_pdf
from incidents.selectors.casefiles import evidence_custody
from incidents.selectors.cases import case_timeline
from incidents.services import downloads
from tests.incidents.casefile_support import stored_evidence
from tests.incidents.notice_support import tagged_incident
from tests.pdf_support import pdf_text

pytestmark = pytest.mark.django_db

RECIPIENT = "Следователь УП Алмалинского района, капитан Ахметов"


@pytest.fixture
def incident(reporter, facility_a, post_a):
    return tagged_incident(reporter, facility_a)


def forward_url(incident, evidence) -> str:
    return reverse("incidents:case_evidence_forward", args=[incident.pk, evidence.pk])


def form_data(evidence, **changes) -> dict:
    data = {"recipient": RECIPIENT, "means": ForwardMeans.OFFICIAL_LETTER} | changes
    return {f"forward-{evidence.pk}-{name}": value for name, value in data.items()}


def test_an_officer_records_a_hand_over_in_the_history_and_the_chain_of_custody(client, officer, incident):
    evidence = stored_evidence(incident)
    client.force_login(officer)
    response = client.post(forward_url(incident, evidence), form_data(evidence))
    assert response.status_code == 302 and response["Location"].endswith("#h-evidence")
    event = incident.events.get(kind=IncidentEvent.Kind.EVIDENCE_FORWARDED)
    assert event.actor == officer and not event.visible_to_reporter
    assert event.data == {
        "evidence_id": evidence.pk,
        "sha256": evidence.sha256,
        "recipient": RECIPIENT,
        "means": ForwardMeans.OFFICIAL_LETTER,
    }
    (custody,) = evidence_custody(incident, case_timeline(incident))
    assert [entry.kind for entry in custody.entries] == ["uploaded", "forwarded"]
    assert custody.entries[1].detail == f"{RECIPIENT} (sent with an official letter)"
    assert custody.entries[1].actor == officer


def test_the_case_file_prints_the_hand_over(officer, incident):
    evidence = stored_evidence(incident)
    downloads.evidence_forward(evidence=evidence, actor=officer, recipient=RECIPIENT, means=ForwardMeans.IN_PERSON)
    casefile = CaseFile.objects.create(incident=incident, requested_by=officer, language="en")
    text = pdf_text(render_casefile_pdf(casefile=casefile)).replace("\n", " ")
    assert "copy handed over to" in text and "Ахметов" in text


def test_a_missing_recipient_is_refused_and_keeps_what_was_typed(client, officer, incident):
    evidence = stored_evidence(incident)
    client.force_login(officer)
    response = client.post(
        forward_url(incident, evidence), form_data(evidence, recipient="   ", means=ForwardMeans.POLICE_SYSTEM)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="form-forward-{evidence.pk}"' in html and "This field is required." in html
    assert f'value="{ForwardMeans.POLICE_SYSTEM}" selected' in html  # the choice made is kept
    assert not incident.events.filter(kind=IncidentEvent.Kind.EVIDENCE_FORWARDED).exists()


def test_an_unknown_means_is_refused_with_an_error_not_a_crash(client, officer, incident):
    evidence = stored_evidence(incident)
    client.force_login(officer)
    response = client.post(forward_url(incident, evidence), form_data(evidence, means="carrier pigeon"))
    assert response.status_code == 400
    assert RECIPIENT in response.content.decode()  # the recipient typed is kept
    assert not incident.events.filter(kind=IncidentEvent.Kind.EVIDENCE_FORWARDED).exists()


@pytest.mark.parametrize("who", ["other_officer", "reporter", "facility_lead", "analyst"])
def test_only_an_officer_of_the_cases_post_records_a_hand_over(client, request, officer, incident, who):
    evidence = stored_evidence(incident)
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.post(forward_url(incident, evidence), form_data(evidence)).status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        downloads.evidence_forward(evidence=evidence, actor=user, recipient=RECIPIENT, means=ForwardMeans.IN_PERSON)
    assert not incident.events.filter(kind=IncidentEvent.Kind.EVIDENCE_FORWARDED).exists()
    # The control: the case's own officer is let through.
    client.force_login(officer)
    assert client.post(forward_url(incident, evidence), form_data(evidence)).status_code == 302


def test_evidence_of_another_case_is_not_found_through_this_case(client, officer, incident, reporter, facility_a):
    other = tagged_incident(reporter, facility_a)
    evidence = stored_evidence(other)
    client.force_login(officer)
    assert client.post(forward_url(incident, evidence), form_data(evidence)).status_code == 404


def test_the_case_page_offers_the_form_per_item(client, officer, incident):
    evidence = stored_evidence(incident)
    client.force_login(officer)
    html = client.get(reverse("incidents:case_detail", args=[incident.pk])).content.decode()
    assert f'action="{forward_url(incident, evidence)}"' in html
