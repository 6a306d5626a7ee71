"""The API's stack: keys (hashed, scoped, revocable), tokens, session with CSRF, problem+json errors, throttling,
the schema and the docs from static files."""

import json
import re

import pytest
from django.core.management import call_command
from django.test import Client

from api.models import PlaceAPIKey
from api.services import apikey_revoke
from common.problems import PROBLEM_CONTENT_TYPE

FACILITIES = "/api/v1/facilities/"


def test_a_key_reads_reference_data(api, key_a, facility_a):
    response = api.as_key(key_a).get(FACILITIES)
    assert response.status_code == 200
    assert facility_a.code in [row["code"] for row in response.json()]


def test_no_credentials_is_a_401_problem(api, facility_a):
    response = api.get(FACILITIES)
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert response.json()["status"] == 401
    assert "WWW-Authenticate" in response


@pytest.mark.parametrize("header", ["Api-Key nope.nope", "Api-Key ", "Api-Key a b", "Bearer forged", "Api-Key é"])
def test_a_wrong_key_or_token_is_a_401_problem(api, key_a, header):
    response = api.get(FACILITIES, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    # Control: the right key passes.
    assert api.as_key(key_a).get(FACILITIES).status_code == 200


def test_a_revoked_key_is_refused(api, key_a):
    assert api.as_key(key_a).get(FACILITIES).status_code == 200
    apikey_revoke(key=PlaceAPIKey.objects.get(prefix=key_a.split(".")[0]))
    response = api.as_key(key_a).get(FACILITIES)
    assert response.status_code == 401
    assert response.json()["type"] == "urn:qorgau:problem:bad_key"


def test_keys_are_stored_hashed(key_a):
    row = PlaceAPIKey.objects.get(prefix=key_a.split(".")[0])
    assert key_a.split(".")[1] not in row.hashed_key
    assert row.hashed_key.startswith("sha512$$")


def test_apikey_create_prints_the_key_once(post_a, capsys):
    call_command("apikey_create", "--post", post_a.code, "--name", "panic button, admission")
    out, err = capsys.readouterr()
    raw = out.strip()
    row = PlaceAPIKey.objects.get(prefix=raw.split(".")[0])
    assert row.post == post_a and row.name == "panic button, admission"
    assert row.is_valid(raw)
    assert raw not in err


def test_apikey_create_refuses_an_unknown_post(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="NOPE"):
        call_command("apikey_create", "--post", "NOPE", "--name", "x")


def test_a_token_authenticates_its_user_until_the_password_changes(api, officer):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(officer)
    response = client.post("/api/v1/auth/token/")
    assert response.status_code == 201
    token = response.json()["token"]
    assert api.get("/api/v1/posts/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    officer.set_password("another-password-123")
    officer.save()
    assert api.get("/api/v1/posts/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_a_token_expires(api, officer, settings):
    api.as_token(officer)
    assert api.get("/api/v1/posts/").status_code == 200
    settings.QORGAU_API_TOKEN_SECONDS = -1
    assert api.get("/api/v1/posts/").status_code == 401


def test_a_token_cannot_make_another_token(api, officer):
    assert api.as_token(officer).post("/api/v1/auth/token/").status_code in (401, 403)


def test_the_session_needs_the_csrf_token_for_writes(officer, reporter):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", enforce_csrf_checks=True)
    client.force_login(reporter)
    response = client.post("/api/v1/reports/", data="{}", content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    # Control: with the token the request reaches validation (400 for the empty report).
    page = client.get("/incidents/report/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post("/api/v1/reports/", data="{}", content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 400


def test_a_huge_body_is_a_413_problem(api, reporter, settings):
    settings.QORGAU_API_JSON_MAX_BYTES = 1000
    body = json.dumps({"account": "x" * 2000})
    response = api.as_token(reporter).post("/api/v1/reports/", data=body)
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE


def test_a_body_over_the_site_limit_is_a_413_problem_before_reading(api, key_a, settings):
    settings.QORGAU_REQUEST_MAX_BYTES = 100
    response = api.as_key(key_a).post("/api/v1/reports/", data=json.dumps({"account": "x" * 200}))
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE


def test_invalid_json_is_a_400_problem(api, reporter):
    response = api.as_token(reporter).post("/api/v1/reports/", data="{not json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE


def test_a_method_no_page_serves_is_a_405_problem(api, key_a):
    response = api.as_key(key_a).generic("DELETE", FACILITIES, HTTP_AUTHORIZATION=f"Api-Key {key_a}")
    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE


def test_throttling_per_key(api, key_a, key_b, monkeypatch):
    from django.core.cache import cache

    from api.throttling import KeyOrUserRateThrottle

    cache.clear()
    monkeypatch.setattr(KeyOrUserRateThrottle, "THROTTLE_RATES", {"api": "3/minute"})
    try:
        codes = [api.as_key(key_a).get(FACILITIES).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = api.as_key(key_a).get(FACILITIES)
        assert limited["Content-Type"] == PROBLEM_CONTENT_TYPE and "Retry-After" in limited
        # Control: another key has its own budget.
        assert api.as_key(key_b).get(FACILITIES).status_code == 200
    finally:
        cache.clear()


def test_the_schema_and_the_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "/static/drf_spectacular_sidecar/" in html
        assert "https://" not in html and "http://" not in html.replace("http://testserver", "")
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "/api/v1/schema/" in script.content.decode()


def test_admin_creates_a_key_shown_once_and_scoped(client, post_a):
    from tests import factories

    root = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.post(
        "/admin/api/placeapikey/add/", {"name": "badge", "post": post_a.pk, "facility": ""}, follow=True
    )
    assert response.status_code == 200
    row = PlaceAPIKey.objects.get(name="badge")
    shown = [str(m) for m in response.context["messages"]]
    raw = re.search(rf"{row.prefix}\.[A-Za-z0-9]+", " ".join(shown)).group(0)
    assert row.post == post_a
    assert row.is_valid(raw)


def test_the_demo_key_is_kept_and_replaced_when_it_no_longer_works(post_a, tmp_path, capsys):
    path = tmp_path / "demo-api-key"
    call_command("apikey_demo", str(path), "--post", post_a.code)
    first = capsys.readouterr().out.strip()
    call_command("apikey_demo", str(path), "--post", post_a.code)
    assert capsys.readouterr().out.strip() == first
    apikey_revoke(key=PlaceAPIKey.objects.get(prefix=first.split(".")[0]))
    call_command("apikey_demo", str(path), "--post", post_a.code)
    second = capsys.readouterr().out.strip()
    assert second != first and path.read_text().strip() == second
    assert PlaceAPIKey.objects.get(prefix=second.split(".")[0]).post == post_a


def test_problems_speak_the_callers_language(key_a, db):
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    response = client.get(FACILITIES)
    assert response.status_code == 401
    assert response.json()["title"] == "Нужна аутентификация: API-ключ, токен или сессия."
    kazakh = Client(HTTP_ACCEPT_LANGUAGE="kk").get(FACILITIES, HTTP_AUTHORIZATION="Api-Key nope.nope")
    assert kazakh.json()["detail"] == "API кілті қате, кері қайтарылған немесе мерзімі өткен."


def test_a_database_outage_is_a_503_problem_with_retry_after(key_a, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    assert client.get(FACILITIES, HTTP_AUTHORIZATION=f"Api-Key {key_a}").status_code == 200

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get(FACILITIES, HTTP_AUTHORIZATION=f"Api-Key {key_a}")
    monkeypatch.undo()  # before the teardown's own queries
    assert response.status_code == 503
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE and response["Retry-After"] == "30"
    assert response.json()["title"] == "Temporarily unavailable: try again shortly."


def test_a_session_without_the_second_factor_gets_a_403_problem_not_a_redirect(officer, settings):
    settings.QORGAU_2FA_REQUIRED = True
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(officer)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert response.json()["type"] == "urn:qorgau:problem:second_factor"
    # Control: the pages still send the officer to the second factor.
    assert client.get("/incidents/cases/").status_code == 302
