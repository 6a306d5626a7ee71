"""The reporter's own civil claim on their report page (`incidents/views/reporting.py`): its status only, never the
amounts, the support or the other victims' claims, and not to the facility lead."""

import pytest
from django.urls import reverse

from incidents.models import ClaimStatus, Victim
from incidents.services.compensation import CompensationInput, compensation_record


@pytest.fixture
def colleague(incident):
    return Victim.objects.create(incident=incident, full_name="Colleague Nurse", role="nurse")


def record(victim, officer, **fields):
    return compensation_record(victim=victim, actor=officer, data=CompensationInput(**fields), expected_version=0)


def test_the_reporter_sees_the_status_of_her_claim_and_nothing_else(client, reporter, officer, incident, colleague):
    record(
        incident.victims.get(is_reporter=True),
        officer,
        claim_status=ClaimStatus.AWARDED,
        claimed_moral=7654321,
        awarded_moral=4567891,
        paid=1357913,
        sick_leave_days=33,
        legal_aid=True,
        support_notes="private note",
    )
    record(colleague, officer, claim_status=ClaimStatus.REJECTED, claimed_moral=99)
    client.force_login(reporter)
    page = client.get(reverse("incidents:report_detail", args=[incident.pk])).content.decode()
    assert 'id="claim-status"' in page and "awarded by the court" in page
    amounts = ("7654321", "7\u202f654\u202f321", "4\u202f567\u202f891", "1\u202f357\u202f913")
    for private in (*amounts, "private note", "rejected by the court"):
        assert private not in page, private


def test_nothing_is_shown_before_the_police_record_a_claim(client, reporter, incident):
    client.force_login(reporter)
    page = client.get(reverse("incidents:report_detail", args=[incident.pk])).content.decode()
    assert 'id="claim-status"' not in page


def test_the_facility_lead_does_not_see_the_reporters_claim(client, facility_lead, officer, incident):
    record(incident.victims.get(is_reporter=True), officer, claim_status=ClaimStatus.FILED, claimed_moral=1)
    client.force_login(facility_lead)
    page = client.get(reverse("incidents:report_detail", args=[incident.pk])).content.decode()
    assert 'id="claim-status"' not in page and "awaiting the court" not in page
