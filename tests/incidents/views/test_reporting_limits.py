"""Issue 11 (fix first): length limits. Text over a limit gets a visible counter and a clear message; nothing is
cut silently (a browser cuts a paste at a `maxlength` attribute without a word)."""

import re

import pytest
from django.urls import reverse

from incidents.models import Incident
from tests.incidents.reporting_support import minimal_post

pytestmark = pytest.mark.django_db


def textarea(html: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert match, name
    return match.group(0)


@pytest.mark.parametrize(("name", "limit"), [("account", 5000), ("witnesses", 2000), ("attackers-0-description", 2000)])
def test_the_report_forms_texts_have_a_counter_and_no_maxlength(client, reporter, name, limit):
    client.force_login(reporter)
    tag = textarea(client.get(reverse("incidents:report")).content.decode(), name)
    assert "maxlength" not in tag
    assert f'data-max-chars="{limit}"' in tag


def test_an_account_over_the_limit_is_refused_with_its_length_and_kept_whole(client, reporter, facility_a):
    account = "Пациент угрожал. " * 300 + "КОНЕЦ"  # 5,105 characters
    client.force_login(reporter)
    response = client.post(reverse("incidents:report"), minimal_post(facility_a, account=account))
    assert response.status_code == 200 and not Incident.objects.exists()
    html = response.content.decode()
    assert f"This text is {len(account)} characters long; the limit is 5000. Shorten it by 105" in html
    assert "Nothing has been cut" in html
    assert "КОНЕЦ</textarea>" in html  # the whole text comes back, to be shortened by the reporter


def test_windows_line_breaks_count_once_as_the_counter_counts_them(client, reporter, facility_a):
    """The browser's counter sees one character per line break; the form must not see two and refuse it."""
    account = ("Угрожал." + "\r\n") * 555 + "ab"  # 4,997 characters if a break is one, 5,552 if it is two
    assert len(account.replace("\r\n", "\n")) <= 5000 < len(account)
    client.force_login(reporter)
    response = client.post(reverse("incidents:report"), minimal_post(facility_a, account=account))
    assert response.status_code == 302, response.content.decode()[:500]


def test_a_message_to_the_police_has_a_counter_too(client, reporter, incident):
    client.force_login(reporter)
    html = client.get(reverse("incidents:report_detail", args=[incident.pk])).content.decode()
    tag = textarea(html, "info-body")
    assert "maxlength" not in tag and 'data-max-chars="5000"' in tag
