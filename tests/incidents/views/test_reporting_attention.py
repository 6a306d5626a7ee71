"""Issue 11: the facility lead's "needs attention" list: unanswered police questions, cases past the post's own
time limits, and victims on sick leave now."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import CaseMessage, Status, Victim, VictimCompensation
from tests import factories
from tests.incidents.case_support import registered

pytestmark = pytest.mark.django_db


def attention(client, lead) -> str:
    client.force_login(lead)
    html = client.get(reverse("incidents:facility_reports")).content.decode()
    assert 'id="needs-attention"' in html
    return html.split('id="needs-attention"', 1)[1].split("</section>", 1)[0]


def test_a_question_the_reporter_has_not_answered_needs_attention(client, facility_lead, officer, incident):
    CaseMessage.objects.create(incident=incident, kind=CaseMessage.Kind.QUESTION, author=officer, body="Кто?")
    section = attention(client, facility_lead)
    assert incident.reference in section.split('id="attention-questions"', 1)[1].split("</ul>", 1)[0]


def test_a_case_the_post_has_not_acknowledged_in_time_needs_attention(client, facility_lead, incident):
    factories.incident_update(incident, submitted_at=timezone.now() - dt.timedelta(hours=5))
    section = attention(client, facility_lead)
    assert incident.reference in section.split('id="attention-overdue"', 1)[1].split("</ul>", 1)[0]


def test_an_investigation_past_its_limit_is_not_listed_as_its_length_may_come_from_another_case(
    client, facility_lead, officer, incident
):
    """The same rule as the overdue e-mail (`LEAD_WATCHED_STATUSES`): a repeat would change the month it shows."""
    Incident = type(incident)
    Incident.objects.filter(pk=incident.pk).update(
        occurred_at=timezone.now() - dt.timedelta(days=90), legal_part=2, legal_applicable=True
    )
    incident.refresh_from_db()
    incident = registered(incident, officer, on=timezone.localdate() - dt.timedelta(days=80))
    assert incident.due_at < timezone.now()  # past the inquiry's month: overdue for the post
    assert incident.reference not in attention(client, facility_lead)


def test_a_victim_on_sick_leave_now_needs_attention_and_one_back_at_work_not(
    client, facility_lead, reporter, facility_a
):
    now = timezone.now()
    on_leave = factories.IncidentFactory(
        facility=facility_a, reporter=reporter, occurred_at=now - dt.timedelta(days=3), sick_leave_days=10
    )
    back = factories.IncidentFactory(
        facility=facility_a, reporter=reporter, occurred_at=now - dt.timedelta(days=30), sick_leave_days=5
    )
    listed = attention(client, facility_lead).split('id="attention-sick-leave"', 1)[1].split("</ul>", 1)[0]
    assert on_leave.reference in listed and back.reference not in listed


def test_the_sick_leave_the_post_recorded_replaces_the_reporters_estimate(client, facility_lead, reporter, facility_a):
    """The compensation record (the certificate's figure, per victim) wins over the estimate given on the report."""
    now = timezone.now()
    estimated_short = factories.IncidentFactory(
        facility=facility_a, reporter=reporter, occurred_at=now - dt.timedelta(days=20), sick_leave_days=3
    )
    estimated_long = factories.IncidentFactory(
        facility=facility_a, reporter=reporter, occurred_at=now - dt.timedelta(days=20), sick_leave_days=60
    )
    for incident, days in ((estimated_short, 45), (estimated_long, 7)):
        VictimCompensation.objects.create(victim=incident.victims.get(), sick_leave_days=days)
    # A second victim with a shorter leave: the longest counts.
    shorter = Victim.objects.create(incident=estimated_short, full_name="Second", role="nurse", duty_link="performing")
    VictimCompensation.objects.create(victim=shorter, sick_leave_days=2)
    listed = attention(client, facility_lead).split('id="attention-sick-leave"', 1)[1].split("</ul>", 1)[0]
    assert estimated_short.reference in listed and "45 days of sick leave" in listed
    assert estimated_long.reference not in listed  # back at work after the recorded 7 days


def test_nothing_of_another_facility_and_nothing_withdrawn(client, facility_lead, other_reporter, facility_b, incident):
    other = factories.IncidentFactory(
        facility=facility_b, reporter=other_reporter, submitted_at=timezone.now() - dt.timedelta(hours=5)
    )
    factories.incident_update(incident, submitted_at=timezone.now() - dt.timedelta(hours=5), status=Status.CANCELLED)
    section = attention(client, facility_lead)
    assert other.reference not in section and incident.reference not in section
    assert "Nothing needs your attention" in section
