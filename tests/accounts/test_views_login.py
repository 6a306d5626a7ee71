"""Issue 11: the login warns before the lockout, and the forgotten-password page helps a user without e-mail."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
WARNING = "One more wrong password"


def fail(client, username="alice"):
    return client.post(LOGIN, {"username": username, "password": "wrong-guess"}, REMOTE_ADDR="10.2.2.2")


def test_the_fourth_failed_attempt_warns_that_the_next_one_locks_the_account(client, reporter, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(1, 4):
        response = fail(client)
        assert response.status_code == 200 and WARNING not in response.content.decode(), attempt
    fourth = fail(client).content.decode()
    assert WARNING in fourth and "15 minutes" in fourth
    assert fail(client).status_code == 429  # the fifth locks, as warned


def test_the_warning_counts_the_username_typed_whether_or_not_it_exists(client, reporter):
    """The same words for an account that does not exist: the warning tells nobody which usernames are real."""
    for _attempt in range(3):
        fail(client, username="nobody-here")
    assert WARNING in fail(client, username="nobody-here").content.decode()


def test_a_good_password_after_three_failures_logs_in_and_starts_afresh(client, reporter):
    for _attempt in range(3):
        fail(client)
    assert client.post(LOGIN, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.2.2.2").status_code == 302
    client.logout()
    assert WARNING not in fail(client).content.decode()


def test_the_forgotten_password_page_says_what_to_do_without_e_mail(client):
    html = client.get(reverse("accounts:password_reset")).content.decode()
    assert "No e-mail in your account" in html
    assert "facility lead" in html and "administrator" in html
