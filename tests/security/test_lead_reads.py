"""Issue 10 (low), reads of cases: every time a facility lead opens a report someone else filed, the case
history records it (as it records the police's openings and every download)."""

import pytest
from django.urls import reverse

from incidents.models import IncidentEvent
from tests import factories

pytestmark = pytest.mark.django_db

LEAD_VIEWED = "lead_viewed"


@pytest.fixture
def incident(reporter, facility_a, post_a):
    return factories.IncidentFactory(facility=facility_a, reporter=reporter)


def lead_reads(incident) -> list[IncidentEvent]:
    return list(incident.events.filter(kind=LEAD_VIEWED).order_by("pk"))


def test_a_lead_opening_a_report_is_recorded_each_time(client, facility_lead, incident):
    client.force_login(facility_lead)
    url = reverse("incidents:report_detail", args=[incident.pk])

    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200

    reads = lead_reads(incident)
    assert [(event.actor, event.visible_to_reporter) for event in reads] == [(facility_lead, False)] * 2


def test_the_reporter_opening_her_own_report_is_not_a_lead_read(client, reporter, facility_lead, incident):
    client.force_login(reporter)
    assert client.get(reverse("incidents:report_detail", args=[incident.pk])).status_code == 200
    assert lead_reads(incident) == []
    # Control: the same page opened by the lead is recorded.
    client.force_login(facility_lead)
    client.get(reverse("incidents:report_detail", args=[incident.pk]))
    assert len(lead_reads(incident)) == 1


def test_a_lead_reporting_herself_is_not_recorded_as_a_lead_read(client, facility_lead, facility_a):
    own = factories.IncidentFactory(facility=facility_a, reporter=facility_lead)
    client.force_login(facility_lead)
    assert client.get(reverse("incidents:report_detail", args=[own.pk])).status_code == 200
    assert lead_reads(own) == []


def test_a_refused_open_is_not_recorded(client, facility_b, incident):
    other_lead = factories.make_facility_lead(facility_b, username="lead_b")
    client.force_login(other_lead)
    assert client.get(reverse("incidents:report_detail", args=[incident.pk])).status_code == 404
    assert lead_reads(incident) == []


def test_the_police_see_the_lead_read_in_the_case_history_and_the_reporter_does_not(
    client, officer, reporter, facility_lead, incident
):
    client.force_login(facility_lead)
    client.get(reverse("incidents:report_detail", args=[incident.pk]))
    client.force_login(officer)
    police = client.get(reverse("incidents:case_detail", args=[incident.pk])).content.decode()
    assert "report opened by the facility lead" in police.lower()
    client.force_login(reporter)
    mine = client.get(reverse("incidents:report_detail", args=[incident.pk])).content.decode()
    assert "report opened by the facility lead" not in mine.lower()
