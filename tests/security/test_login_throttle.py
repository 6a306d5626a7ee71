"""Login throttling (issue 10, low): spraying across accounts, password-reset floods, forged forwarded addresses.

Lockout per username and address stays (tests/accounts/test_auth.py); these add the address alone, across
usernames, with its own higher limit; a limit on password-reset e-mails per address and per target address;
and X-Forwarded-For read only from the proxies we name.
"""

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.security import client_ip, trusted_proxy_networks
from tests import factories
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")
RESET = reverse("accounts:password_reset")
RESET_DONE = reverse("accounts:password_reset_done")


@pytest.fixture(autouse=True)
def _fresh_counters():
    # The password-reset counters live in the cache, which outlives each test's database transaction.
    cache.clear()
    yield
    cache.clear()


def fail_login(client, username: str, address: str, **extra):
    return client.post(LOGIN, {"username": username, "password": "wrong-guess"}, REMOTE_ADDR=address, **extra)


def log_in(client, username: str, address: str, **extra):
    return client.post(LOGIN, {"username": username, "password": PASSWORD}, REMOTE_ADDR=address, **extra)


# Spraying: one guess for each of many accounts from one address.


def test_spraying_many_accounts_from_one_address_locks_that_address(client, reporter, settings):
    settings.QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(8):
        fail_login(client, f"guessed-user-{n}", "10.3.3.3")

    locked = log_in(client, "alice", "10.3.3.3")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many wrong passwords from this network" in locked.content.decode()


def test_spraying_from_one_address_leaves_other_addresses_alone(client, reporter, settings):
    settings.QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(8):
        fail_login(client, f"guessed-user-{n}", "10.3.3.3")

    assert log_in(client, "alice", "10.4.4.4").status_code == 302


def test_a_few_typos_on_a_shared_address_lock_nobody_else(client, reporter, other_reporter, settings):
    settings.QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        fail_login(client, "alice", "10.5.5.5")

    assert log_in(client, "bob", "10.5.5.5").status_code == 302


def test_a_sprayer_logging_in_to_their_own_account_does_not_reset_the_address(
    client, reporter, other_reporter, settings
):
    settings.QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(7):
        fail_login(client, f"guessed-user-{n}", "10.6.6.6")
    assert log_in(client, "bob", "10.6.6.6").status_code == 302
    client.post(reverse("accounts:logout"), REMOTE_ADDR="10.6.6.6")
    fail_login(client, "guessed-user-7", "10.6.6.6")

    assert log_in(client, "alice", "10.6.6.6").status_code == 429


def test_a_successful_login_still_clears_the_users_own_typos(client, reporter, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        fail_login(client, "alice", "10.7.7.7")
    assert log_in(client, "alice", "10.7.7.7").status_code == 302
    client.post(reverse("accounts:logout"), REMOTE_ADDR="10.7.7.7")

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        fail_login(client, "alice", "10.7.7.7")
    assert log_in(client, "alice", "10.7.7.7").status_code == 302


def test_the_address_limit_is_higher_than_the_account_limit():
    from django.conf import settings

    assert settings.QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]


# Password reset: at most so many e-mails per target address and per client address, the same answer always.


def test_password_reset_flood_to_one_address_sends_only_the_limit(client, reporter, settings):
    settings.QORGAU_PASSWORD_RESET_LIMIT_PER_EMAIL = 3
    responses = [client.post(RESET, {"email": reporter.email}, REMOTE_ADDR=f"10.8.0.{n}") for n in range(20)]

    assert [r.status_code for r in responses] == [302] * 20
    assert {r.url for r in responses} == {RESET_DONE}
    assert len(mail.outbox) == 3


def test_password_reset_limit_for_one_address_does_not_stop_another(client, reporter, other_reporter, settings):
    settings.QORGAU_PASSWORD_RESET_LIMIT_PER_EMAIL = 3
    for _ in range(5):
        client.post(RESET, {"email": reporter.email}, REMOTE_ADDR="10.8.1.1")
    mail.outbox.clear()

    response = client.post(RESET, {"email": other_reporter.email}, REMOTE_ADDR="10.8.1.2")

    assert response.status_code == 302 and response.url == RESET_DONE
    assert [m.to for m in mail.outbox] == [[other_reporter.email]]


def test_password_reset_from_one_client_address_is_limited_across_e_mails(client, facility_a, settings):
    settings.QORGAU_PASSWORD_RESET_LIMIT_PER_ADDRESS = 4
    users = [factories.make_reporter(facility_a, username=f"nurse{n}") for n in range(6)]
    responses = [client.post(RESET, {"email": user.email}, REMOTE_ADDR="10.9.1.1") for user in users]

    assert {(r.status_code, r.url) for r in responses} == {(302, RESET_DONE)}
    assert len(mail.outbox) == 4

    mail.outbox.clear()
    client.post(RESET, {"email": users[5].email}, REMOTE_ADDR="10.9.1.2")
    assert [m.to for m in mail.outbox] == [[users[5].email]]


def test_password_reset_counts_unknown_addresses_too(client, reporter, settings):
    """Probing for accounts uses up the client's allowance as sending does: the answer never tells them apart."""
    settings.QORGAU_PASSWORD_RESET_LIMIT_PER_ADDRESS = 4
    for n in range(4):
        client.post(RESET, {"email": f"nobody{n}@example.com"}, REMOTE_ADDR="10.9.2.1")

    response = client.post(RESET, {"email": reporter.email}, REMOTE_ADDR="10.9.2.1")

    assert response.status_code == 302 and response.url == RESET_DONE
    assert mail.outbox == []


# Forwarded addresses: read only from the proxies named in QORGAU_TRUSTED_PROXIES.


def test_through_the_trusted_proxy_each_client_is_told_apart(client, reporter, settings):
    settings.QORGAU_TRUSTED_PROXIES = ["10.0.0.1"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail_login(client, "alice", "10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert log_in(client, "alice", "10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert log_in(client, "alice", "10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302


def test_a_direct_client_rotating_x_forwarded_for_is_still_locked_out(client, reporter, settings):
    settings.QORGAU_TRUSTED_PROXIES = ["10.0.0.1"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail_login(client, "alice", "203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    locked = log_in(client, "alice", "203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert locked.status_code == 429


def test_with_no_trusted_proxy_the_forwarded_header_is_ignored(rf, settings):
    settings.QORGAU_TRUSTED_PROXIES = []
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_the_forged_part_left_of_our_proxies_is_ignored(rf, settings):
    settings.QORGAU_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client sent "6.6.6.6"; the outer proxy appended the client's real address, the inner one the outer's.
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.1.1.1", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "198.51.100.7"


def test_a_garbled_forwarded_entry_stops_the_walk_at_the_last_trusted_hop(rf, settings):
    settings.QORGAU_TRUSTED_PROXIES = ["10.0.0.1"]
    request = rf.get("/", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"


def test_a_misspelt_trusted_proxy_is_refused():
    with pytest.raises(ImproperlyConfigured):
        trusted_proxy_networks(("10.0.0.300",))
