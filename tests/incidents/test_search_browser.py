"""An officer on a 360-pixel phone, in Russian, in a real Chromium, finds a case by the suspect's name typed in
Latin and by the suspect's IIN, opens it and sees the reporter's contacts; another post's officer finds nothing."""

import re

import pytest

from incidents.models import CaseSearch
from tests.conftest import login_in_browser, new_phone_context
from tests.incidents.reporting_support import ensure_roles
from tests.incidents.search_support import SUSPECT_IIN, named_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


def search(page, typed: str) -> None:
    page.goto("/incidents/cases/search/")
    page.fill("#id_q", typed)
    page.click("#case-search-submit")
    page.locator("#search-summary").wait_for()


def test_officer_finds_a_case_by_suspect_name_and_by_iin(phone_page, officer, reporter, facility_a):
    reporter.phone = "+77011234567"
    reporter.save()
    case = named_case(reporter, facility_a, suspect="Ахметов Ерлан Қасымұлы", iin=SUSPECT_IIN)
    named_case(reporter, facility_a, suspect="Петров Сергей")
    page = phone_page
    login_in_browser(page, officer.username)

    page.goto("/incidents/cases/")
    page.click(".navbar-toggler")  # the menu is folded on a phone
    page.locator("#nav-main").get_by_role("link", name="Поиск", exact=True).click()
    page.wait_for_url(re.compile(r"/incidents/cases/search/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    search(page, "akhmetov erlan")
    results = page.locator("#search-results")
    assert results.locator(".case-reference").all_inner_texts() == [case.reference]
    assert "Ахметов Ерлан Қасымұлы" in results.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    search(page, SUSPECT_IIN[:6] + " " + SUSPECT_IIN[6:])
    results.locator(".case-reference").get_by_text(case.reference).click()
    page.wait_for_url(re.compile(rf"/incidents/cases/{case.pk}/$"))
    assert page.locator("#case-reference").inner_text() == case.reference
    assert "+7 701 123 45 67" in page.locator("#case-contacts").inner_text()

    kinds = list(CaseSearch.objects.filter(user=officer).order_by("pk").values_list("kind", "results"))
    assert kinds == [("name", 1), ("iin", 1)]


def test_another_posts_officer_finds_nothing(browser, live_server, other_officer, reporter, facility_a):
    case = named_case(reporter, facility_a, suspect="Ахметов Ерлан", iin=SUSPECT_IIN)
    context, page = new_phone_context(browser, live_server.url)
    login_in_browser(page, other_officer.username)
    for typed in ("Ахметов", SUSPECT_IIN, case.reference):
        search(page, typed)
        assert page.locator("#search-none").is_visible()
        assert page.locator("#search-results").count() == 0
    context.close()
