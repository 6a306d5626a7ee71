"""The notification settings page (`accounts/views.py: notification_settings`): the kinds of the user's roles, the
channels, quiet hours; bad input refused with a reason, keeping what was typed."""

import datetime as dt

from django.urls import reverse

from accounts.models import NotificationPreferences

URL = reverse("accounts:notification_settings")


def test_a_reporter_sees_the_reporters_kinds_only(client, reporter):
    client.force_login(reporter)
    body = client.get(URL).content.decode()
    assert 'name="question"' in body and 'name="outcome"' in body
    assert 'name="new_case"' not in body and 'name="overdue"' not in body


def test_an_officer_sees_the_officers_kinds_and_that_alarms_ignore_quiet_hours(client, officer):
    client.force_login(officer)
    body = client.get(URL).content.decode()
    assert 'name="new_case"' in body and 'name="overdue"' in body and 'name="question"' not in body
    assert "Alarms always reach you" in body


def test_no_row_means_everything_on(client, reporter):
    client.force_login(reporter)
    body = client.get(URL).content.decode()
    assert body.count("checked") >= 5  # two kinds, three channels
    assert not NotificationPreferences.objects.exists()


def test_a_reporter_saves_kinds_channels_quiet_hours_and_telegram_chat(client, reporter):
    client.force_login(reporter)
    response = client.post(
        URL,
        {
            "question": "on",
            "by_webpush": "on",
            "quiet_from": "22:00",
            "quiet_until": "07:00",
            "telegram_chat_id": "12345",
        },
    )
    assert response.status_code == 302 and response["Location"] == URL
    saved = NotificationPreferences.objects.get(user=reporter)
    assert (saved.question, saved.outcome, saved.by_webpush, saved.by_telegram, saved.by_email) == (
        True,
        False,
        True,
        False,
        False,
    )
    assert (saved.quiet_from, saved.quiet_until) == (dt.time(22), dt.time(7))
    assert saved.new_case is True  # not offered to a reporter: left as it was
    reporter.refresh_from_db()
    assert reporter.telegram_chat_id == "12345"
    assert "Your notification settings are saved." in client.get(URL).content.decode()


def test_half_of_the_quiet_hours_is_refused_keeping_what_was_typed(client, reporter):
    client.force_login(reporter)
    response = client.post(URL, {"question": "on", "quiet_from": "23:15", "telegram_chat_id": "@bad name"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Give both ends of the quiet hours, or neither." in body
    assert "A Telegram chat id is a number" in body
    assert 'value="23:15"' in body and 'value="@bad name"' in body
    assert not NotificationPreferences.objects.exists()


def test_quiet_hours_that_end_when_they_start_are_refused(client, reporter):
    client.force_login(reporter)
    response = client.post(URL, {"quiet_from": "08:00", "quiet_until": "08:00"})
    assert response.status_code == 200
    assert "end when they start" in response.content.decode()


def test_a_time_that_is_no_time_is_refused_not_a_500(client, reporter):
    client.force_login(reporter)
    response = client.post(URL, {"quiet_from": "25:99", "quiet_until": "\x00"})
    assert response.status_code == 200
    assert 'value="25:99"' in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_profile_links_to_it(client, reporter):
    client.force_login(reporter)
    assert URL in client.get(reverse("accounts:profile")).content.decode()
