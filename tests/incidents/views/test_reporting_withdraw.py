"""Issue 11: the withdrawal on the reporter's page, and what the post sees of it."""

import pytest
from django.urls import reverse

from incidents.models import Status
from tests.incidents.case_support import registered

pytestmark = pytest.mark.django_db


def detail(client, user, incident) -> str:
    client.force_login(user)
    response = client.get(reverse("incidents:report_detail", args=[incident.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_reporter_withdraws_from_her_page_and_the_post_sees_it_with_the_reason(client, reporter, officer, incident):
    assert 'id="withdraw"' in detail(client, reporter, incident)
    url = reverse("incidents:report_withdraw", args=[incident.pk])
    response = client.post(url, {"withdraw-reason": "Сообщила по ошибке"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == Status.CANCELLED
    html = detail(client, reporter, incident)
    assert 'id="withdraw"' not in html and "Withdrawn by the reporter" in html
    client.force_login(officer)
    case = client.get(reverse("incidents:case_detail", args=[incident.pk])).content.decode()
    assert "Withdrawn by the reporter" in case and "Сообщила по ошибке" in case
    inbox = client.get(reverse("incidents:case_inbox")).content.decode()
    assert incident.reference in inbox


def test_a_withdrawal_without_a_reason_is_refused_on_the_page(client, reporter, incident):
    client.force_login(reporter)
    response = client.post(reverse("incidents:report_withdraw", args=[incident.pk]), {"withdraw-reason": ""})
    assert response.status_code == 200
    assert "Say why you withdraw the report" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == Status.SUBMITTED


def test_a_registered_case_says_to_ask_the_police(client, reporter, officer, incident):
    incident = registered(incident, officer)
    html = detail(client, reporter, incident)
    assert 'id="withdraw"' not in html and "only through the police" in html
    response = client.post(reverse("incidents:report_withdraw", args=[incident.pk]), {"withdraw-reason": "Передумала"})
    assert response.status_code == 200 and "only through the police" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == Status.REGISTERED


def test_the_lead_cannot_withdraw_a_report_of_her_facility(client, facility_lead, incident):
    assert 'id="withdraw"' not in detail(client, facility_lead, incident)
    response = client.post(reverse("incidents:report_withdraw", args=[incident.pk]), {"withdraw-reason": "Нет"})
    assert response.status_code == 404
    incident.refresh_from_db()
    assert incident.status == Status.SUBMITTED
