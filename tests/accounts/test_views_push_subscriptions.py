"""POST/DELETE /push/subscriptions/ (`accounts/views.py: push_subscriptions`): a browser's Web Push subscription
stored for the logged-in user, with the session and the CSRF token; anything else refused with a reason."""

import base64
import json
import secrets

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.test import Client
from django.urls import reverse

from accounts.models import PushSubscription

URL = reverse("push_subscriptions")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def subscription(endpoint="https://fcm.googleapis.com/fcm/send/abc123"):
    key = (
        ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    )
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": b64url(key), "auth": b64url(secrets.token_bytes(16))},
    }


def post(client, body, method="post", **headers):
    return getattr(client, method)(
        URL, json.dumps(body) if not isinstance(body, bytes) else body, content_type="application/json", **headers
    )


@pytest.fixture
def csrf_client(reporter):
    """A client that checks CSRF as the browser meets it: the token from the cookie, sent in X-CSRFToken."""
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(reporter)
    client.get(reverse("accounts:profile"))
    return client, client.cookies["csrftoken"].value


def test_a_browser_subscribes_with_the_csrf_header(csrf_client, reporter):
    client, token = csrf_client
    body = subscription()
    response = post(client, body, HTTP_X_CSRFTOKEN=token, HTTP_USER_AGENT="Mozilla/5.0 (Android 14)")
    assert response.status_code == 201
    saved = PushSubscription.objects.get()
    assert (saved.user, saved.endpoint, saved.p256dh, saved.auth) == (
        reporter,
        body["endpoint"],
        body["keys"]["p256dh"],
        body["keys"]["auth"],
    )
    assert saved.user_agent == "Mozilla/5.0 (Android 14)"
    assert response.json() == {"id": saved.pk}


def test_without_the_csrf_token_it_is_refused(csrf_client):
    client, _token = csrf_client
    assert post(client, subscription()).status_code == 403
    assert not PushSubscription.objects.exists()


def test_delete_without_the_csrf_token_is_refused(csrf_client):
    client, token = csrf_client
    body = subscription()
    post(client, body, HTTP_X_CSRFTOKEN=token)
    assert post(client, {"endpoint": body["endpoint"]}, method="delete").status_code == 403
    assert PushSubscription.objects.count() == 1
    response = post(client, {"endpoint": body["endpoint"]}, method="delete", HTTP_X_CSRFTOKEN=token)
    assert response.json() == {"removed": True}


def test_anonymous_gets_401(client):
    assert post(client, subscription()).status_code == 401


def test_the_same_browser_again_updates_and_moves_to_the_new_user(client, reporter, other_reporter):
    body = subscription()
    client.force_login(other_reporter)
    post(client, body)
    client.force_login(reporter)
    body["keys"] = subscription()["keys"]
    assert post(client, body).status_code == 201
    saved = PushSubscription.objects.get()
    assert saved.user == reporter and saved.p256dh == body["keys"]["p256dh"]


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://evil.example.com/push/1",
        "http://fcm.googleapis.com/fcm/send/abc",  # not https
        "https://user:pw@fcm.googleapis.com/x",
        "https://fcm.googleapis.com.evil.test/x",
        "http://10.0.0.1/internal",
        "javascript:alert(1)",
    ],
)
def test_a_push_service_that_is_not_allowed_is_refused(client, reporter, endpoint):
    client.force_login(reporter)
    response = post(client, subscription(endpoint))
    assert response.status_code == 400
    assert response.json()["fields"]["endpoint"] == ["This push service is not one Qorgau sends to."]
    assert not PushSubscription.objects.exists()


def test_an_apple_push_endpoint_is_allowed(client, reporter):
    client.force_login(reporter)
    assert post(client, subscription("https://web.push.apple.com/QGx_abc")).status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b"\xff\xfe",
        {"endpoint": "https://fcm.googleapis.com/fcm/send/abc"},
        {"endpoint": 5, "keys": {"p256dh": "x", "auth": "y"}},
        {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": {"p256dh": "AAAA", "auth": "AAAA"}},
        {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": {"p256dh": ["a"], "auth": None}},
        {"endpoint": "https://fcm.googleapis.com/fcm/\x00", "keys": subscription()["keys"]},
    ],
)
def test_what_is_no_subscription_is_a_400_with_a_reason(client, reporter, body):
    client.force_login(reporter)
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_delete_removes_only_the_users_own(client, reporter, other_reporter):
    body = subscription()
    client.force_login(reporter)
    post(client, body)
    client.force_login(other_reporter)
    assert post(client, {"endpoint": body["endpoint"]}, method="delete").json() == {"removed": False}
    assert PushSubscription.objects.count() == 1
    client.force_login(reporter)
    assert post(client, {"endpoint": body["endpoint"]}, method="delete").json() == {"removed": True}
    assert not PushSubscription.objects.exists()


def test_get_is_not_served(client, reporter):
    client.force_login(reporter)
    assert client.get(URL).status_code == 405


def test_a_user_keeps_at_most_the_newest_subscriptions(client, reporter, settings):
    settings.QORGAU_WEBPUSH_MAX_SUBSCRIPTIONS = 2
    client.force_login(reporter)
    endpoints = [f"https://fcm.googleapis.com/fcm/send/{n}" for n in range(3)]
    for endpoint in endpoints:
        post(client, subscription(endpoint))
    assert sorted(PushSubscription.objects.values_list("endpoint", flat=True)) == endpoints[1:]


def test_the_vapid_public_key_is_in_every_page(client, reporter, settings):
    settings.VAPID_PUBLIC_KEY = "BPublicKeyForTests"
    assert (
        '<meta name="vapid-public-key" content="BPublicKeyForTests">'
        in client.get(reverse("accounts:login")).content.decode()
    )
    settings.VAPID_PUBLIC_KEY = ""
    assert "vapid-public-key" not in client.get(reverse("accounts:login")).content.decode()
