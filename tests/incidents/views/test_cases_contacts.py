"""The case page and the notice give the police post the reporter's and victims' contacts; nobody else sees them
(`incidents/views/cases.py`, `incidents/pdf.py`)."""

import pytest
from django.urls import reverse

from incidents import pdf as notice_pdf
from tests.incidents.search_support import named_case

REPORTER_PHONE, VICTIM_PHONE = "+77011234567", "+77027654321"
SHOWN = ("+7 701 123 45 67", "+7 702 765 43 21")


@pytest.fixture
def case(reporter, facility_a):
    reporter.phone = REPORTER_PHONE
    reporter.save()
    return named_case(reporter, facility_a, victim="Иванова Алия", victim_phone=VICTIM_PHONE)


def test_the_officer_of_the_post_sees_the_phones_and_how_to_reach_them(client, officer, case):
    client.force_login(officer)
    body = client.get(reverse("incidents:case_detail", args=[case.pk])).content.decode()
    contacts = body.split('id="case-contacts"')[1].split("</section>")[0]
    assert all(phone in contacts for phone in SHOWN)
    assert f'href="tel:{REPORTER_PHONE}"' in contacts and "Иванова Алия" in contacts
    assert "By phone" in contacts


def test_a_reporter_who_chose_qorgau_only_is_never_shown_with_a_phone(client, officer, reporter, case):
    reporter.contact_only_through_qorgau = True
    reporter.save()
    client.force_login(officer)
    body = client.get(reverse("incidents:case_detail", args=[case.pk])).content.decode()
    assert SHOWN[0] not in body and REPORTER_PHONE not in body
    assert "Only through Qorgau" in body
    assert SHOWN[1] in body  # the other victim's phone, which the reporter gave, still shows


def test_the_notice_lists_the_contacts_in_each_language(case):
    html = notice_pdf.render_notice_html(incident=case, language="ru-kk", version=case.version)
    assert html.count(SHOWN[0]) == 2 and html.count(SHOWN[1]) == 2
    assert "Контакты" in html and "Байланыс" in html


def test_the_notice_of_a_qorgau_only_reporter_has_no_phone_of_theirs(reporter, case):
    reporter.contact_only_through_qorgau = True
    reporter.save()
    html = notice_pdf.render_notice_html(incident=case, language="en", version=case.version)
    assert SHOWN[0] not in html and "Only through Qorgau" in html


def test_an_officer_of_another_post_gets_404(client, other_officer, case):
    client.force_login(other_officer)
    assert client.get(reverse("incidents:case_detail", args=[case.pk])).status_code == 404


def test_the_reporter_and_the_lead_see_no_contacts_on_their_pages(client, reporter, facility_lead, case):
    for user in (reporter, facility_lead):
        client.force_login(user)
        response = client.get(reverse("incidents:report_detail", args=[case.pk]))
        assert response.status_code == 200
        body = response.content.decode()
        assert not any(phone in body for phone in (*SHOWN, REPORTER_PHONE, VICTIM_PHONE))
        assert client.get(reverse("incidents:case_detail", args=[case.pk])).status_code == 404


def test_another_reporter_learns_nothing_of_the_case_or_its_contacts(client, other_reporter, case):
    client.force_login(other_reporter)
    for url in (
        reverse("incidents:report_detail", args=[case.pk]),
        reverse("incidents:case_detail", args=[case.pk]),
    ):
        assert client.get(url).status_code == 404
    body = client.get(reverse("incidents:my_reports")).content.decode()
    assert case.reference not in body and not any(phone in body for phone in SHOWN)
