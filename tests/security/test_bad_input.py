"""Bad input never gives a 500 and never loses what was typed (issue 10, low)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from incidents.models import Incident, ReportDraft
from tests.incidents.reporting_support import minimal_post

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_report_field_is_refused_and_the_rest_kept(client, reporter, facility_a):
    client.force_login(reporter)
    post = minimal_post(facility_a, account="Он угрожал\x00 мне ножом в коридоре.")
    response = client.post(reverse("incidents:report"), post, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Incident.objects.exists()
    draft = ReportDraft.objects.get(key=post["draft_key"])
    assert draft.data["account"] == ["Он угрожал мне ножом в коридоре."]


def test_a_nul_in_the_autosave_is_dropped_and_the_draft_saved(client, reporter, facility_a):
    client.force_login(reporter)
    post = minimal_post(facility_a, account="Начала\x00 писать")
    response = client.post(reverse("incidents:draft_save"), post)
    assert response.status_code == 200 and response.json()["saved"] is True
    assert ReportDraft.objects.get(key=post["draft_key"]).data["account"] == ["Начала писать"]


@pytest.mark.parametrize(
    "query",
    [
        {"period_to": "9999-12-31"},
        {"period_from": "0001-01-01"},
        {"period_from": "0001-01-01", "period_to": "9999-12-31"},
        {"period_to": "not a date"},
    ],
)
def test_odd_inbox_filters_answer_without_an_error(client, officer, incident, query):
    client.force_login(officer)
    response = client.get(reverse("incidents:case_inbox"), query)
    assert response.status_code == 200
    assert incident.reference in response.content.decode()  # the bad filter is left out, the list still shown


def test_a_nul_in_an_inbox_filter_is_a_bad_request(client, officer, incident):
    client.force_login(officer)
    response = client.get(reverse("incidents:case_inbox"), {"q": "ALA\x00"})
    assert response.status_code == 400  # common/middleware.py: no NUL in an address reaches a query
    assert "The request could not be understood." in response.content.decode()


def test_a_valid_filter_still_applies_beside_a_bad_one(client, officer, incident):
    client.force_login(officer)
    response = client.get(reverse("incidents:case_inbox"), {"period_to": "9999-12-31", "q": "NO-SUCH-REF"})
    assert response.status_code == 200 and incident.reference not in response.content.decode()


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_a_very_long_login_name_is_a_clear_error(client, reporter, url):
    response = client.post(url, {"username": "a" * 10_000, "password": "whatever"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters (it has 10000)." in response.content.decode()
    assert not AccessAttempt.objects.exists()  # nothing tried, nothing stored


def test_a_very_long_address_for_a_password_reset_is_a_clear_error(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "a" * 10_000 + "@example.kz"})
    assert response.status_code == 200
    assert "Ensure this value has at most 254 characters" in response.content.decode()
    assert mailoutbox == []


@pytest.mark.parametrize("value", ["²", "¹²", "١", "1\x01", "99999999999999999999999", "-1", "abc"])
def test_a_garbled_facility_filter_is_left_out(client, facility_lead, incident, value):
    client.force_login(facility_lead)
    response = client.get(reverse("incidents:facility_reports"), {"facility": value, "status": "nonsense"})
    assert response.status_code == 200
    assert incident.reference in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999999999999999999", "٢", "²"])
def test_a_garbled_page_number_shows_a_page(client, officer, page):
    client.force_login(officer)
    assert client.get(reverse("facilities:list"), {"page": page}).status_code == 200


@pytest.mark.parametrize("value", ["²", "¹²", "١", "99999999999999999999999", "-1", "x"])
def test_a_garbled_file_to_remove_keeps_the_draft(client, reporter, facility_a, value):
    client.force_login(reporter)
    post = {**minimal_post(facility_a), "remove_upload": value}
    response = client.post(reverse("incidents:report"), post)
    assert response.status_code == 302
    assert ReportDraft.objects.get(key=post["draft_key"]).data["account"] == [post["account"]]
