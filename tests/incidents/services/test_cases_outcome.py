"""The outcome "registered and under investigation" is not a closure: status, pages and statistics agree."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from analytics.periods import Period
from analytics.selectors.filters import Filters
from analytics.selectors.statistics import statistics_for
from analytics.snapshot import snapshot_refresh
from incidents.models import Incident, IncidentEvent, Outcome, Status
from incidents.services import cases
from tests import factories
from tests.incidents.case_support import registered


def under_investigation(incident, officer):
    return cases.case_close(
        incident=incident, actor=officer, expected_version=incident.version, outcome=Outcome.UNDER_INVESTIGATION
    )


def test_under_investigation_keeps_the_case_registered_and_open(incident, officer):
    incident = under_investigation(registered(incident, officer), officer)
    assert incident.status == Status.REGISTERED
    assert incident.outcome == Outcome.UNDER_INVESTIGATION
    assert incident.closed_at is None
    assert not incident.events.filter(kind=IncidentEvent.Kind.CLOSED).exists()
    event = incident.events.get(kind=IncidentEvent.Kind.OUTCOME_RECORDED)
    assert event.data["outcome"] == Outcome.UNDER_INVESTIGATION and event.actor == officer
    assert event.visible_to_reporter  # good news for the nurse: the case is being investigated
    # The investigation goes on: the officer can still ask, and later record the final outcome.
    cases.case_question_ask(incident=incident, actor=officer, body="Есть ли видео?")
    incident = cases.case_close(
        incident=incident, actor=officer, expected_version=incident.version, outcome=Outcome.SENT_TO_COURT
    )
    assert incident.status == Status.SENT_TO_COURT and incident.closed_at is not None


def test_under_investigation_is_recorded_once(incident, officer):
    incident = under_investigation(registered(incident, officer), officer)
    with translation.override("en"), pytest.raises(cases.CaseActionRefused) as refused:
        under_investigation(incident, officer)
    assert "already recorded" in refused.value.message
    assert incident.events.filter(kind=IncidentEvent.Kind.OUTCOME_RECORDED).count() == 1


def test_under_investigation_needs_the_erdr_registration(incident, officer):
    incident = cases.case_acknowledge(incident=incident, actor=officer, expected_version=incident.version)
    with pytest.raises(cases.CaseActionRefused):
        under_investigation(incident, officer)
    assert Incident.objects.get(pk=incident.pk).status == Status.ACKNOWLEDGED


def test_nurse_lead_and_officer_see_no_closed_badge_for_an_investigation(
    client, incident, officer, reporter, facility_lead
):
    incident = under_investigation(registered(incident, officer), officer)
    for user in (reporter, facility_lead):
        client.force_login(user)
        html = client.get(
            reverse("incidents:report_detail", args=[incident.pk]), headers={"Accept-Language": "en"}
        ).content.decode()
        header = html.split('id="outcome"', 1)[0]
        assert 'data-status="registered"' in header and 'data-status="closed"' not in html
        assert "Registered and under investigation" in html
        assert "Closed:" not in html.split('id="history-heading"', 1)[1]
        listing = client.get(
            reverse("incidents:my_reports" if user == reporter else "incidents:facility_reports"),
            headers={"Accept-Language": "en"},
        ).content.decode()
        assert 'data-status="closed"' not in listing and 'data-status="registered"' in listing
    client.force_login(officer)
    html = client.get(
        reverse("incidents:case_detail", args=[incident.pk]), headers={"Accept-Language": "en"}
    ).content.decode()
    assert 'id="case-status" data-status="registered"' in html
    timeline = html.split('id="timeline"', 1)[1]
    assert "Outcome: registered and under investigation" in timeline and "· Closed" not in timeline
    # The close form no longer offers the outcome already recorded.
    form = html.split('id="form-close"', 1)[1].split("</form>", 1)[0]
    assert 'value="under_investigation"' not in form and 'value="sent_to_court"' in form


def test_statistics_count_an_investigation_as_registered_not_closed(incident, officer, settings):
    settings.QORGAU_STATS_MIN_CELL = 1
    incident = under_investigation(registered(incident, officer), officer)
    other = factories.IncidentFactory(facility=incident.facility, occurred_at=incident.occurred_at)
    other = cases.case_acknowledge(incident=other, actor=officer, expected_version=other.version)
    cases.case_close(incident=other, actor=officer, expected_version=other.version, outcome=Outcome.NO_OFFENCE)
    snapshot_refresh()
    month = Period.containing(timezone.localdate(incident.occurred_at), "month")
    with translation.override("en"):
        funnel = {row.label: row.current.value for row in statistics_for(Filters(month)).table("funnel").rows}
    assert funnel == {
        "reported": 2,
        "acknowledged by the police": 2,
        "registered in the ERDR": 1,
        "sent to court": 0,
        "closed": 1,
    }


def test_statistics_do_not_count_an_investigation_closed_by_the_old_rule(incident, officer, settings):
    settings.QORGAU_STATS_MIN_CELL = 1
    incident = registered(incident, officer)
    Incident.objects.filter(pk=incident.pk).update(status=Status.CLOSED, outcome=Outcome.UNDER_INVESTIGATION)
    snapshot_refresh()
    month = Period.containing(timezone.localdate(incident.occurred_at), "month")
    with translation.override("en"):
        funnel = {row.label: row.current.value for row in statistics_for(Filters(month)).table("funnel").rows}
    assert funnel["registered in the ERDR"] == 1 and funnel["closed"] == 0
