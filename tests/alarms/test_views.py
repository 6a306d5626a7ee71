"""The SOS endpoint (the PWA's contract), the status page, the officer's answers, access."""

import uuid

import pytest

from alarms.models import Alarm
from tests import factories

pytestmark = pytest.mark.django_db


def test_sos_html_redirects_to_the_status_page(client, reporter, officer, telegram):
    client.force_login(reporter)
    response = client.post("/alarms/sos/")
    alarm = Alarm.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/alarms/{alarm.pk}/"
    assert alarm.raised_by == reporter and alarm.source == Alarm.Source.SOS
    page = client.get(response["Location"])
    assert "Alarm sent" in page.text and 'id="alarm-status"' in page.text


def test_sos_json_answers_201_with_the_status_url_and_is_idempotent(client, reporter, officer, telegram):
    client.force_login(reporter)
    key = str(uuid.uuid4())
    first = client.post("/alarms/sos/", {"idempotency_key": key, "place": "Room 5"}, HTTP_ACCEPT="application/json")
    second = client.post("/alarms/sos/", {"idempotency_key": key}, HTTP_ACCEPT="application/json")
    assert first.status_code == 201 == second.status_code
    assert (
        first.json()
        == second.json()
        == {"id": Alarm.objects.get().pk, "status_url": f"/alarms/{Alarm.objects.get().pk}/"}
    )
    assert Alarm.objects.get().place == "Room 5"


def test_sos_needs_post_and_the_reporter_role(client, reporter, officer):
    client.force_login(reporter)
    assert client.get("/alarms/sos/").status_code == 405
    client.force_login(officer)
    assert client.post("/alarms/sos/").status_code == 403
    assert not Alarm.objects.exists()


def test_sos_without_a_facility_says_call_102(client, telegram):
    nurse = factories.UserFactory(roles=["reporter"])
    client.force_login(nurse)
    response = client.post("/alarms/sos/", HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "102" in response.json()["error"]


def test_officer_of_the_post_acknowledges_and_the_nurse_sees_the_name(client, reporter, officer, telegram):
    client.force_login(reporter)
    alarm_id = client.post("/alarms/sos/", HTTP_ACCEPT="application/json").json()["id"]
    client.force_login(officer)
    assert client.post(f"/alarms/{alarm_id}/acknowledge/").status_code == 302
    client.force_login(reporter)
    state = client.get(f"/alarms/{alarm_id}/", HTTP_ACCEPT="application/json").json()
    assert state["status"] == "acknowledged"
    assert officer.get_full_name() in state["status_text"] and "acknowledged at" in state["status_text"]


def test_officer_of_other_post_gets_404(client, reporter, officer, other_officer, telegram):
    client.force_login(reporter)
    alarm_id = client.post("/alarms/sos/", HTTP_ACCEPT="application/json").json()["id"]
    client.force_login(other_officer)
    assert client.get(f"/alarms/{alarm_id}/").status_code == 404
    assert client.post(f"/alarms/{alarm_id}/acknowledge/").status_code == 404
    assert Alarm.objects.get().status == Alarm.Status.RAISED


def test_other_reporter_gets_404_and_the_lead_only_once_the_ladder_reaches_them(
    client, reporter, other_reporter, facility_lead, officer, telegram
):
    client.force_login(reporter)
    alarm_id = client.post("/alarms/sos/", HTTP_ACCEPT="application/json").json()["id"]
    client.force_login(other_reporter)
    assert client.get(f"/alarms/{alarm_id}/").status_code == 404
    client.force_login(facility_lead)
    assert client.get(f"/alarms/{alarm_id}/").status_code == 404
    Alarm.objects.filter(pk=alarm_id).update(step=Alarm.Step.POST_AND_LEAD)
    assert client.get(f"/alarms/{alarm_id}/").status_code == 200
    assert client.post(f"/alarms/{alarm_id}/acknowledge/").status_code == 403


def test_false_alarm_needs_a_reason_and_keeps_what_was_typed(client, reporter, officer, telegram):
    client.force_login(reporter)
    alarm_id = client.post("/alarms/sos/", HTTP_ACCEPT="application/json").json()["id"]
    response = client.post(f"/alarms/{alarm_id}/false/", {"reason": "  "})
    assert response.status_code == 400 and "Say why it was a false alarm." in response.text
    too_long = "x" * 1001
    response = client.post(f"/alarms/{alarm_id}/false/", {"reason": too_long})
    assert response.status_code == 400 and too_long in response.text
    response = client.post(f"/alarms/{alarm_id}/false/", {"reason": "Pressed by mistake"})
    assert response.status_code == 302
    alarm = Alarm.objects.get()
    assert alarm.status == Alarm.Status.FALSE_ALARM and alarm.false_alarm_reason == "Pressed by mistake"


def test_place_added_afterwards(client, reporter, officer, telegram):
    client.force_login(reporter)
    alarm_id = client.post("/alarms/sos/", HTTP_ACCEPT="application/json").json()["id"]
    assert client.post(f"/alarms/{alarm_id}/place/", {"place": "Ward 3, room 12"}).status_code == 302
    assert Alarm.objects.get().place == "Ward 3, room 12"
    assert client.post(f"/alarms/{alarm_id}/place/", {"place": "a\x00" + "b" * 300}).status_code == 400


def test_the_status_page_offers_the_draft_then_the_report_and_the_officer_the_case(
    client, reporter, officer, facility_a, telegram
):
    from alarms import services
    from tests.incidents.reporting_support import submit

    client.force_login(reporter)
    alarm_id = client.post("/alarms/sos/", HTTP_ACCEPT="application/json").json()["id"]
    alarm = Alarm.objects.get(pk=alarm_id)
    page = client.get(f"/alarms/{alarm_id}/").text
    assert f"/incidents/report/?draft={alarm.draft.key}" in page
    incident = submit(reporter, facility_a, key=alarm.draft.key, draft=alarm.draft)
    services.alarm_reports_link()
    page = client.get(f"/alarms/{alarm_id}/").text
    assert f"/incidents/reports/{incident.pk}/" in page and "?draft=" not in page
    client.force_login(officer)
    assert f"/incidents/cases/{incident.pk}/" in client.get(f"/alarms/{alarm_id}/").text


@pytest.mark.parametrize(
    ("language", "sent", "button"),
    [("ru", "Тревога отправлена", "SOS"), ("kk", "Дабыл жіберілді", "SOS"), ("en", "Alarm sent", "SOS")],
)
def test_the_sos_button_and_status_speak_the_users_language(
    client, reporter, officer, telegram, language, sent, button
):
    client.force_login(reporter)
    home = client.get("/", HTTP_ACCEPT_LANGUAGE=language).text
    assert 'id="sos-form"' in home and 'action="/alarms/sos/"' in home and button in home
    alarm_id = client.post("/alarms/sos/", HTTP_ACCEPT="application/json").json()["id"]
    assert sent in client.get(f"/alarms/{alarm_id}/", HTTP_ACCEPT_LANGUAGE=language).text


def test_the_case_page_links_the_alarm_the_report_began_as(client, reporter, officer, facility_a, telegram):
    from alarms import services
    from tests.incidents.reporting_support import submit

    client.force_login(reporter)
    alarm_id = client.post("/alarms/sos/", HTTP_ACCEPT="application/json").json()["id"]
    alarm = Alarm.objects.get(pk=alarm_id)
    incident = submit(reporter, facility_a, key=alarm.draft.key, draft=alarm.draft)
    client.force_login(officer)
    assert f'href="/alarms/{alarm_id}/"' not in client.get(f"/incidents/cases/{incident.pk}/").text
    services.alarm_reports_link()
    assert f'href="/alarms/{alarm_id}/" data-case-alarm' in client.get(f"/incidents/cases/{incident.pk}/").text
