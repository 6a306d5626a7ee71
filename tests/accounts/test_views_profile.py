"""The user's own profile page (`accounts/views.py: profile`): the phone, kept in one form, and the choice to be
contacted only through Qorgau."""

from django.urls import reverse

URL = reverse("accounts:profile")


def test_a_reporter_saves_a_phone_as_typed_and_it_is_kept_in_one_form(client, reporter):
    client.force_login(reporter)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"phone": "8 (701) 123-45-67"})
    assert response.status_code == 302 and response["Location"] == URL
    reporter.refresh_from_db()
    assert (reporter.phone, reporter.contact_only_through_qorgau) == ("+77011234567", False)
    assert 'value="+77011234567"' in client.get(URL).content.decode()


def test_a_reporter_chooses_to_be_contacted_only_through_qorgau(client, reporter):
    client.force_login(reporter)
    client.post(URL, {"phone": "+7 701 123 45 67", "contact_only_through_qorgau": "on"})
    reporter.refresh_from_db()
    assert reporter.contact_only_through_qorgau is True
    client.post(URL, {"phone": ""})
    reporter.refresh_from_db()
    assert (reporter.phone, reporter.contact_only_through_qorgau) == ("", False)


def test_a_wrong_number_is_refused_with_a_reason_keeping_what_was_typed(client, reporter):
    reporter.phone = "+77011234567"
    reporter.save()
    client.force_login(reporter)
    response = client.post(URL, {"phone": "+7 701 12", "contact_only_through_qorgau": "on"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "10 digits after +7" in body and 'value="+7 701 12"' in body
    reporter.refresh_from_db()
    assert (reporter.phone, reporter.contact_only_through_qorgau) == ("+77011234567", False)


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_navigation_links_every_user_to_their_profile(client, officer):
    client.force_login(officer)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
