"""A long pasted link or word never widens the page on a 360-pixel phone (issue 17): the reporter's, the lead's and
the officer's pages stay 360 px wide, so nothing covers "Send"."""

import pytest

from incidents.models import Attacker, Victim
from incidents.services import cases
from tests import factories
from tests.conftest import login_in_browser
from tests.incidents.reporting_support import ensure_roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD = "ж" * 2000
LINK = "https://example.kz/" + "a" * 1980


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


@pytest.fixture
def long_incident(reporter, officer, facility_a, post_a):
    incident = factories.IncidentFactory(
        facility=facility_a,
        reporter=reporter,
        account=f"{WORD} {LINK}",
        witnesses=WORD,
        address="д" * 255,
    )
    Victim.objects.filter(incident=incident).update(full_name="Ф" * 255)
    Attacker.objects.create(incident=incident, description=WORD, full_name="А" * 255)
    cases.case_question_ask(incident=incident, actor=officer, body=LINK)
    return incident


def page_width(page, path: str) -> int:
    page.goto(path)
    return page.evaluate("document.documentElement.scrollWidth")


def test_reporters_pages_stay_360_px_wide(phone_page, reporter, long_incident):
    login_in_browser(phone_page, reporter.username)
    widths = {
        path: page_width(phone_page, path)
        for path in (
            "/incidents/mine/",
            f"/incidents/reports/{long_incident.pk}/",
            f"/incidents/reports/{long_incident.pk}/sent/",
        )
    }
    assert all(width <= 360 for width in widths.values()), widths


def test_the_report_form_with_a_long_word_keeps_send_in_view(phone_page, reporter, facility_a):
    login_in_browser(phone_page, reporter.username)
    phone_page.goto("/incidents/report/")
    phone_page.fill("#id_account", f"{WORD} {LINK}")
    phone_page.click("[data-add-form=victims]")
    phone_page.fill("#id_victims-0-full_name", "Ф" * 255)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    send = phone_page.locator("button[data-send]").bounding_box()
    assert send["x"] >= 0 and send["x"] + send["width"] <= 360


def test_leads_pages_stay_360_px_wide(phone_page, facility_a, long_incident):
    lead = factories.make_facility_lead(facility_a, username="lead")
    login_in_browser(phone_page, lead.username)
    widths = {
        path: page_width(phone_page, path)
        for path in ("/incidents/facility/", f"/incidents/reports/{long_incident.pk}/")
    }
    assert all(width <= 360 for width in widths.values()), widths


def test_officers_pages_stay_360_px_wide(phone_page, officer, long_incident):
    login_in_browser(phone_page, officer.username)
    widths = {
        path: page_width(phone_page, path) for path in ("/incidents/cases/", f"/incidents/cases/{long_incident.pk}/")
    }
    assert all(width <= 360 for width in widths.values()), widths
