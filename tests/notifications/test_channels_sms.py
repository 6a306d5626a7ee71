"""The SMS adapter against the loopback gateway (tests/notifications/fakes.py: FakeSmsGateway)."""

import base64
import json

import pytest

from notifications.channels.base import OutgoingMessage
from notifications.channels.sms import channel as sms
from tests import factories
from tests.notifications.fixtures import SMS_TOKEN

MESSAGE = OutgoingMessage(
    text="ALARM: City hospital No. 7, emergency department, 14:05",
    link="https://qorgau.test/a/41",
    drill=False,
    idempotency_key="alarm-41-sms-3",
)


def test_it_posts_the_documented_json_with_the_token_and_the_key(fake_sms):
    result = sms.send(recipient="+77011234567", message=MESSAGE, timeout=2)

    assert (result.status, result.provider_id, result.detail) == ("sent", "sms-1", "")
    [request] = fake_sms.requests
    assert request.path == "/v1/messages"
    assert request.headers["authorization"] == f"Bearer {SMS_TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["idempotency-key"] == "alarm-41-sms-3"
    assert json.loads(request.body) == {
        "to": "+77011234567",
        "text": "ALARM: City hospital No. 7, emergency department, 14:05 https://qorgau.test/a/41",
        "sender": "Qorgau",
        "client_ref": "alarm-41-sms-3",
    }
    assert fake_sms.problems == []


def test_a_retry_with_the_same_key_sends_one_sms(fake_sms):
    first = sms.send(recipient="+77011234567", message=MESSAGE, timeout=2)
    again = sms.send(recipient="+77011234567", message=MESSAGE, timeout=2)

    assert first.status == again.status == "sent"
    assert first.provider_id == again.provider_id == "sms-1"
    assert len(fake_sms.requests) == 2
    assert len(fake_sms.sent) == 1


def test_basic_credentials_when_there_is_no_token(fake_sms, settings):
    settings.SMS_GATEWAY_TOKEN = ""
    settings.SMS_GATEWAY_USERNAME = "qorgau"
    settings.SMS_GATEWAY_PASSWORD = "s3cret"  # noqa: S105 - a test's

    result = sms.send(recipient="+77011234567", message=MESSAGE, timeout=2)

    assert result.status == "failed"  # this gateway takes the bearer token only
    assert fake_sms.requests[0].headers["authorization"] == "Basic " + base64.b64encode(b"qorgau:s3cret").decode()


def test_no_answer_within_the_timeout_is_a_failed_result(fake_sms):
    fake_sms.delay = 1.0

    result = sms.send(recipient="+77011234567", message=MESSAGE, timeout=0.2)

    assert result.status == "failed"
    assert 150 <= result.latency_ms < 900


@pytest.mark.parametrize("status", [500, 503])
def test_a_5xx_is_a_failed_result(fake_sms, status):
    fake_sms.fail_with = status

    result = sms.send(recipient="+77011234567", message=MESSAGE, timeout=2)

    assert result.status == "failed"
    assert result.detail.startswith(f"HTTP {status}")


def test_a_2xx_without_an_id_is_not_taken_for_sent(fake_sms, monkeypatch):
    monkeypatch.setattr(fake_sms, "handle", lambda request: (200, {}, b"{}"))

    assert sms.send(recipient="+77011234567", message=MESSAGE, timeout=2).status == "failed"


def test_recipients_are_the_profile_phone(db, facility_a):
    with_phone = factories.make_reporter(facility_a, phone="+77011234567")
    without = factories.make_reporter(facility_a)

    assert sms.recipients_for_user(with_phone) == ["+77011234567"]
    assert sms.recipients_for_user(without) == []


def test_a_wrong_token_is_refused_and_is_a_failed_result(fake_sms, settings):
    settings.SMS_GATEWAY_TOKEN = "wrong"  # noqa: S105 - a test's

    result = sms.send(recipient="+77011234567", message=MESSAGE, timeout=2)

    assert (result.status, result.detail) == ("failed", "HTTP 401 bad credentials")
    assert fake_sms.sent == [] and fake_sms.problems == ["bad credentials"]
