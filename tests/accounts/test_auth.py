import datetime as dt
import re

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login_with_password
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")


def test_login_with_the_right_password_goes_home(client, reporter):
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(reporter.pk)


def test_login_with_a_wrong_password_stays_on_the_form(client, reporter):
    response = client.post(LOGIN, {"username": "alice", "password": "wrong"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors


def test_logout_is_a_post_and_ends_the_session(client, reporter):
    client.force_login(reporter)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response.url == LOGIN
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_password_change_needs_the_old_password(client, reporter):
    client.force_login(reporter)
    url = reverse("accounts:password_change")

    refused = client.post(
        url, {"old_password": "wrong", "new_password1": "Zx9-kettle-arrow", "new_password2": "Zx9-kettle-arrow"}
    )
    accepted = client.post(
        url, {"old_password": PASSWORD, "new_password1": "Zx9-kettle-arrow", "new_password2": "Zx9-kettle-arrow"}
    )

    assert refused.status_code == 200 and refused.context["form"].errors
    assert accepted.status_code == 302 and accepted.url == reverse("accounts:password_change_done")
    reporter.refresh_from_db()
    assert reporter.check_password("Zx9-kettle-arrow")


def test_password_reset_by_email_sets_a_new_password(client, reporter):
    response = client.post(reverse("accounts:password_reset"), {"email": reporter.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [reporter.email]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Zx9-kettle-arrow", "new_password2": "Zx9-kettle-arrow"}
    )
    assert done.status_code == 302 and done.url == reverse("accounts:password_reset_complete")
    assert login_with_password(client, "alice", "Zx9-kettle-arrow")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, reporter):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_sessions_expire_after_the_configured_age(client, reporter):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert 0 < client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    assert client.get("/").status_code == 200

    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_repeated_wrong_passwords_lock_the_account_on_that_device_only(client, reporter, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "alice", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")

    locked = client.post(LOGIN, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session

    elsewhere = client.post(LOGIN, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.2.2.2")
    assert elsewhere.status_code == 302


def test_behind_a_proxy_the_address_it_saw_is_used_not_the_forged_one(rf, settings):
    from accounts.security import client_ip

    settings.QORGAU_TRUSTED_PROXIES = ["127.0.0.1"]
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.9.9.9", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "10.9.9.9"
    settings.QORGAU_TRUSTED_PROXIES = []
    assert client_ip(request) == "127.0.0.1"


def test_pages_carry_a_content_security_policy_that_allows_only_our_scripts(client, db):
    response = client.get(LOGIN)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "onchange=" not in response.content.decode()
