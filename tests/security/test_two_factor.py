"""Two-factor login (issue 10, low): officers and administrators give a TOTP code after their password.

Enforced with QORGAU_2FA_REQUIRED (on in production, off for `make run` and the rest of the suite); these tests
switch it on. Personas: the reporter alice (never asked), the officer of post A, the administrator (staff).
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from tests import factories
from tests.conftest import login_with_password

HOME = reverse("home")
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")
RECOVERY = reverse("accounts:two_factor_recovery_codes")
INBOX = reverse("incidents:case_inbox")


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.QORGAU_2FA_REQUIRED = True


def current_code(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)).zfill(
        device.digits
    )


def authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def recovery_codes(user, *codes: str) -> None:
    device = StaticDevice.objects.create(user=user, name="backup")
    for code in codes:
        StaticToken.objects.create(device=device, token=code)


# Who is asked.


def test_a_reporter_is_not_asked_for_a_second_factor(client, reporter):
    assert login_with_password(client, "alice")
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("incidents:my_reports")).status_code == 200


def test_an_analyst_is_not_asked_for_a_second_factor(client, analyst):
    assert login_with_password(client, "analyst")
    assert client.get(HOME).status_code == 200


def test_an_officer_without_an_authenticator_must_set_one_up_first(client, officer):
    assert login_with_password(client, "officer")

    response = client.get(INBOX)

    assert response.status_code == 302
    assert response.url == f"{SETUP}?next=%2Fincidents%2Fcases%2F"
    assert client.get(HOME).url.startswith(SETUP)


def test_an_officer_with_an_authenticator_is_asked_for_its_code(client, officer):
    authenticator(officer)
    assert login_with_password(client, "officer")

    response = client.get(INBOX)

    assert response.status_code == 302 and response.url.startswith(VERIFY)


@pytest.mark.parametrize("persona", ["administrator", "superuser"])
def test_admin_needs_the_second_factor(client, db, persona):
    if persona == "superuser":
        user = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    else:
        user = factories.make_administrator(username="admin")
    authenticator(user)
    assert login_with_password(client, user.username)

    for url in (reverse("admin:index"), reverse("admin:accounts_user_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(VERIFY), url


def test_an_administrator_role_without_staff_is_asked_too(client, db):
    factories.UserFactory(username="quiet-admin", roles=[Role.ADMINISTRATOR])
    assert login_with_password(client, "quiet-admin")
    assert client.get(HOME).url.startswith(SETUP)


def test_switched_off_nobody_is_asked(client, officer, settings):
    settings.QORGAU_2FA_REQUIRED = False
    authenticator(officer)
    assert login_with_password(client, "officer")
    assert client.get(INBOX).status_code == 200


def test_a_role_granted_mid_session_is_asked_on_the_next_page(client, reporter):
    assert login_with_password(client, "alice")
    assert client.get(HOME).status_code == 200

    reporter.groups.add(Group.objects.get(name=Role.POLICE_OFFICER))

    assert client.get(HOME).url.startswith(SETUP)


# Setting up.


def test_setup_shows_a_qr_code_and_the_key_and_a_right_code_confirms_it(client, officer):
    assert login_with_password(client, "officer")

    page = client.get(f"{SETUP}?next=/incidents/cases/")
    device = TOTPDevice.objects.get(user=officer)
    body = page.content.decode()
    assert page.status_code == 200 and not device.confirmed
    assert 'src="data:image/svg+xml' in body
    key = re.search(r'data-testid="totp-key">([A-Z2-7 ]+)<', body).group(1)
    assert key.replace(" ", "") and len(key.replace(" ", "")) == 32
    assert client.get(SETUP).status_code == 200 and TOTPDevice.objects.filter(user=officer).count() == 1

    response = client.post(SETUP, {"code": current_code(device), "next": "/incidents/cases/"})

    assert response.status_code == 302 and response.url == f"{RECOVERY}?next=%2Fincidents%2Fcases%2F"
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(response.url).content.decode()
    codes = re.findall(r'<li class="col">([a-z0-9]+)</li>', codes_page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)) == set(codes)
    assert codes[0] not in client.get(RECOVERY).content.decode()  # shown once
    assert client.get(INBOX).status_code == 200


def test_a_wrong_code_does_not_confirm_the_authenticator(client, officer):
    assert login_with_password(client, "officer")
    client.get(SETUP)

    response = client.post(SETUP, {"code": "000000"})

    assert response.status_code == 200 and response.context["form"].errors
    assert not TOTPDevice.objects.get(user=officer).confirmed
    assert client.get(INBOX).url.startswith(SETUP)


def test_a_password_alone_cannot_add_a_second_authenticator(client, officer):
    phone = authenticator(officer)
    assert login_with_password(client, "officer")

    response = client.get(SETUP)

    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=officer)) == [phone]
    client.post(SETUP, {"code": "123456"})
    assert list(TOTPDevice.objects.filter(user=officer)) == [phone]


# Logging in with the code.


def test_an_officer_with_a_verified_device_gets_in(client, officer):
    device = authenticator(officer)
    assert login_with_password(client, "officer")

    response = client.post(VERIFY, {"code": current_code(device), "next": "/incidents/cases/"})

    assert response.status_code == 302 and response.url == "/incidents/cases/"
    assert client.get(INBOX).status_code == 200


def test_a_wrong_code_is_refused(client, officer):
    device = authenticator(officer)
    assert login_with_password(client, "officer")
    wrong = str((int(current_code(device)) + 500_000) % 1_000_000).zfill(6)

    response = client.post(VERIFY, {"code": wrong})

    assert response.status_code == 200 and response.context["form"].errors
    assert client.get(INBOX).url.startswith(VERIFY)


def test_the_same_code_cannot_be_used_twice(client, officer):
    device = authenticator(officer)
    code = current_code(device)
    assert login_with_password(client, "officer")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))

    assert login_with_password(client, "officer")
    assert client.post(VERIFY, {"code": code}).status_code == 200
    assert client.get(INBOX).url.startswith(VERIFY)


def test_a_code_is_asked_at_each_login(client, officer):
    device = authenticator(officer)
    assert login_with_password(client, "officer")
    client.post(VERIFY, {"code": current_code(device)})
    client.post(reverse("accounts:logout"))

    assert login_with_password(client, "officer")
    assert client.get(INBOX).url.startswith(VERIFY)


def test_a_recovery_code_works_once(client, officer):
    authenticator(officer)
    recovery_codes(officer, "abcdefghjk", "mnpqrstuvw")
    assert login_with_password(client, "officer")

    used = client.post(VERIFY, {"code": "ABCD-EFGH-JK"})

    assert used.status_code == 302
    assert client.get(INBOX).status_code == 200
    client.post(reverse("accounts:logout"))
    assert login_with_password(client, "officer")
    again = client.post(VERIFY, {"code": "abcdefghjk"})
    assert again.status_code == 200 and again.context["form"].errors
    assert client.get(INBOX).url.startswith(VERIFY)
    assert list(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)) == ["mnpqrstuvw"]


def test_another_users_recovery_code_is_refused(client, officer, other_officer):
    authenticator(officer)
    recovery_codes(other_officer, "abcdefghjk")
    assert login_with_password(client, "officer")

    assert client.post(VERIFY, {"code": "abcdefghjk"}).status_code == 200
    assert client.get(INBOX).url.startswith(VERIFY)


def test_a_verified_administrator_opens_admin(client, administrator):
    device = authenticator(administrator)
    assert login_with_password(client, "admin")
    client.post(VERIFY, {"code": current_code(device)})

    assert client.get(reverse("admin:index")).status_code == 200


def test_verify_sends_only_to_pages_of_this_site(client, officer):
    device = authenticator(officer)
    assert login_with_password(client, "officer")

    response = client.post(VERIFY, {"code": current_code(device), "next": "https://evil.example/"})

    assert response.status_code == 302 and response.url == HOME


def test_an_unverified_officer_can_still_log_out(client, officer):
    authenticator(officer)
    assert login_with_password(client, "officer")

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302 and "_auth_user_id" not in client.session


# Recovery codes afterwards.


def test_new_recovery_codes_replace_the_old_ones(client, officer):
    device = authenticator(officer)
    recovery_codes(officer, "abcdefghjk")
    assert login_with_password(client, "officer")
    client.post(VERIFY, {"code": current_code(device)})

    response = client.post(RECOVERY)
    page = client.get(response.url).content.decode()

    codes = re.findall(r'<li class="col">([a-z0-9]+)</li>', page)
    assert len(codes) == 10 and "abcdefghjk" not in codes
    assert not StaticToken.objects.filter(token="abcdefghjk").exists()


def test_recovery_codes_page_needs_the_second_factor(client, officer):
    recovery_codes(officer, "abcdefghjk")
    authenticator(officer)
    assert login_with_password(client, "officer")

    response = client.post(RECOVERY)

    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert StaticToken.objects.filter(token="abcdefghjk").exists()
