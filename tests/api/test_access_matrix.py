"""The access matrix: every endpoint × every role × own or other facility/post gives the answer the page gives.

The API and the page are both asked, with the same user and the same case, and their answers compared by kind
(login needed, forbidden, not found, allowed); the table of expected answers is checked too, so that the two
cannot agree on a wrong one. Every denial has its control: for each endpoint and object, someone is allowed.
Keys (devices) have no page: their rows state the policy (api/permissions.py) and are checked the same way.
"""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from alarms.models import Alarm
from api.authentication import token_issue
from api.services import AlarmRequest, alarm_raise, apikey_create
from api.throttling import KeyOrUserRateThrottle
from tests import factories

LOGIN, FORBIDDEN, NOT_FOUND, OK = "login", "forbidden", "not_found", "ok"
USERS = ("anonymous", "reporter", "other_reporter", "facility_lead", "officer", "other_officer", "analyst", "admin")
KEYS = ("key_a", "key_b")


@pytest.fixture
def world(db, monkeypatch, reporter, other_reporter, facility_lead, officer, other_officer, analyst, post_a, post_b):
    monkeypatch.setattr(KeyOrUserRateThrottle, "THROTTLE_RATES", {"api": "100000/minute"})
    admin = factories.make_administrator(username="admin")
    incident = factories.IncidentFactory(facility=post_a.facility, reporter=reporter)
    key_a_row, key_a = apikey_create(name="button A", post_code=post_a.code)
    _row, key_b = apikey_create(name="button B", post_code=post_b.code)
    alarm, _created = alarm_raise(key=key_a_row, user=None, wanted=AlarmRequest(), idempotency_key=str(uuid.uuid4()))
    users = {
        "reporter": reporter,
        "other_reporter": other_reporter,
        "facility_lead": facility_lead,
        "officer": officer,
        "other_officer": other_officer,
        "analyst": analyst,
        "admin": admin,
    }
    return {"users": users, "incident": incident, "alarm": alarm, "keys": {"key_a": key_a, "key_b": key_b}}


def _api_outcome(status: int) -> str:
    if status == 401:
        return LOGIN
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return NOT_FOUND
    assert status < 500, status
    # 400 (the body's own fault) and 409/412/428 (the case's state) come after access was granted.
    return OK


def _page_outcome(response) -> str:
    if response.status_code == 302 and reverse("accounts:login") in response["Location"]:
        return LOGIN
    return {403: FORBIDDEN, 404: NOT_FOUND}.get(response.status_code, OK)


def _api(world, who: str, method: str, url: str, **extra):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if who in KEYS:
        extra["HTTP_AUTHORIZATION"] = f"Api-Key {world['keys'][who]}"
    elif who != "anonymous":
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token_issue(user=world['users'][who])}"
    if method == "post":
        return client.post(url, data=extra.pop("data", {}), content_type="application/json", **extra)
    return client.get(url, **extra)


def _page(world, who: str, method: str, url: str, data=None):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if who != "anonymous":
        client.force_login(world["users"][who])
    return client.post(url, data or {}) if method == "post" else client.get(url)


# endpoint: (API method, API URL, page method, page URL, page data, expected outcome per user)
def endpoints(world):
    incident, alarm = world["incident"], world["alarm"]
    ref, pk = incident.reference, incident.pk
    return {
        "reports list": ("get", "/api/v1/reports/", "get", "/incidents/mine/", None),
        "report detail": ("get", f"/api/v1/reports/{ref}/", "get", f"/incidents/reports/{pk}/", None),
        "cases list": ("get", "/api/v1/cases/", "get", "/incidents/cases/", None),
        "case detail": ("get", f"/api/v1/cases/{ref}/", "get", f"/incidents/cases/{pk}/", None),
        "case handoff": ("get", f"/api/v1/cases/{ref}/handoff", "get", f"/incidents/cases/{pk}/", None),
        "case question": (
            "post",
            f"/api/v1/cases/{ref}/question/",
            "post",
            f"/incidents/cases/{pk}/do/question/",
            {"question-body": "Who saw it?", "question-version": incident.version},
        ),
        "statistics": ("get", "/api/v1/statistics/", "get", "/statistics/", None),
        "alarm raise": ("post", "/api/v1/alarms/", "post", "/alarms/sos/", None),
        "recording status": ("get", f"/api/v1/alarms/{alarm.pk}/recordings/999999/", None, None, None),
    }


EXPECTED = {
    # who: reporter (facility A, the case's), other_reporter (B), facility_lead (A), officer (post A),
    # other_officer (post B), analyst, admin; anonymous always LOGIN.
    "reports list": {
        "reporter": OK,
        "other_reporter": OK,
        "facility_lead": OK,  # a lead also reports (the role holds report_incident)
        "officer": FORBIDDEN,
        "other_officer": FORBIDDEN,
        "analyst": FORBIDDEN,
        "admin": FORBIDDEN,
    },
    "report detail": {
        "reporter": OK,
        "other_reporter": NOT_FOUND,
        "facility_lead": OK,
        "officer": NOT_FOUND,
        "other_officer": NOT_FOUND,
        "analyst": NOT_FOUND,
        "admin": NOT_FOUND,
    },
    "cases list": {
        "reporter": FORBIDDEN,
        "other_reporter": FORBIDDEN,
        "facility_lead": FORBIDDEN,
        "officer": OK,
        "other_officer": OK,
        "analyst": FORBIDDEN,
        "admin": FORBIDDEN,
    },
    "case detail": {
        "reporter": NOT_FOUND,
        "other_reporter": NOT_FOUND,
        "facility_lead": NOT_FOUND,
        "officer": OK,
        "other_officer": NOT_FOUND,
        "analyst": NOT_FOUND,
        "admin": NOT_FOUND,
    },
    "statistics": {
        "reporter": FORBIDDEN,
        "other_reporter": FORBIDDEN,
        "facility_lead": FORBIDDEN,
        "officer": FORBIDDEN,
        "other_officer": FORBIDDEN,
        "analyst": OK,
        "admin": OK,
    },
    "alarm raise": {
        "reporter": OK,
        "other_reporter": OK,
        "facility_lead": OK,
        "officer": FORBIDDEN,
        "other_officer": FORBIDDEN,
        "analyst": FORBIDDEN,
        "admin": FORBIDDEN,
    },
}
EXPECTED["case handoff"] = EXPECTED["case question"] = EXPECTED["case detail"]
# Keys: reference data and their own place's alarms only; a user's endpoint refuses a key (403) before any lookup.
EXPECTED_KEYS = {
    "reports list": {"key_a": FORBIDDEN, "key_b": FORBIDDEN},
    "report detail": {"key_a": FORBIDDEN, "key_b": FORBIDDEN},
    "cases list": {"key_a": FORBIDDEN, "key_b": FORBIDDEN},
    "case detail": {"key_a": FORBIDDEN, "key_b": FORBIDDEN},
    "case handoff": {"key_a": FORBIDDEN, "key_b": FORBIDDEN},
    "case question": {"key_a": FORBIDDEN, "key_b": FORBIDDEN},
    "statistics": {"key_a": FORBIDDEN, "key_b": FORBIDDEN},
    "alarm raise": {"key_a": OK, "key_b": OK},
    # The alarm is A's: B's key is not told it exists; A's is told the recording does not (404 both, by design of
    # the test: the control below asks for A's alarm with its own key).
    "recording status": {"key_a": NOT_FOUND, "key_b": NOT_FOUND},
}
ENDPOINTS = sorted(EXPECTED_KEYS)


def _extra(name: str) -> dict:
    return {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())} if name == "alarm raise" else {}


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("name", [n for n in ENDPOINTS if n != "recording status"])
def test_api_answers_as_the_page(world, name, who):
    api_method, api_url, page_method, page_url, page_data = endpoints(world)[name]
    data = {"body": "Who saw it?"} if name == "case question" else {}
    api = _api_outcome(_api(world, who, api_method, api_url, data=data, **_extra(name)).status_code)
    page = _page_outcome(_page(world, who, page_method, page_url, page_data))
    assert api == page, (name, who, api, page)
    expected = LOGIN if who == "anonymous" else EXPECTED[name][who]
    assert api == expected, (name, who, api)


@pytest.mark.parametrize("who", KEYS)
@pytest.mark.parametrize("name", ENDPOINTS)
def test_keys_answer_as_the_policy_says(world, name, who):
    api_method, api_url, *_ = endpoints(world)[name]
    response = _api(world, who, api_method, api_url, **_extra(name))
    assert _api_outcome(response.status_code) == EXPECTED_KEYS[name][who], (name, who, response.status_code)


def test_every_denial_has_a_control(world):
    """For each endpoint someone is allowed on the same object, so a denial is the policy, not a broken URL."""
    for name, allowed in EXPECTED.items():
        assert OK in allowed.values(), name
    # The recording endpoint's control: A's key reaches A's alarm (its bad file is then refused, 400); B's key is not
    # told the alarm exists (404).
    alarm = world["alarm"]
    client = Client()
    for who, status in (("key_a", 400), ("key_b", 404)):
        response = client.post(
            f"/api/v1/alarms/{alarm.pk}/recordings/",
            data=b"\xff\xd8\xff",
            content_type="image/jpeg",
            HTTP_AUTHORIZATION=f"Api-Key {world['keys'][who]}",
        )
        assert response.status_code == status, (who, response.status_code)
    assert Alarm.objects.filter(pk=alarm.pk).exists()


def test_reference_data_for_every_key_and_user_and_no_one_else(world):
    for who in (*USERS, *KEYS):
        status = _api(world, who, "get", "/api/v1/facilities/").status_code
        assert status == (401 if who == "anonymous" else 200), who
