"""An officer on a phone, in a real Chromium: a new case appears in the inbox without reloading; they
acknowledge it, register it in the ERDR and download its PDF notice."""

import hashlib
import re
from pathlib import Path

import pytest
from django.utils import timezone

from incidents.models import Incident, Notice, Status
from incidents.services.notices import notice_request
from tests import factories
from tests.conftest import login_in_browser, new_phone_context
from tests.incidents.reporting_support import ensure_roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


def test_officer_acknowledges_registers_and_downloads_notice(phone_page, officer, reporter, facility_a, settings):
    settings.QORGAU_INBOX_POLL_SECONDS = 2
    first = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    page = phone_page
    login_in_browser(page, officer.username)
    page.goto("/incidents/cases/")
    assert first.reference in page.locator("#case-list").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # A nurse submits meanwhile; its notice is rendered (tasks run in-process here).
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    Incident.objects.filter(pk=incident.pk).update(legal_applicable=True, legal_part=3)
    incident.refresh_from_db()
    notice = notice_request(incident=incident)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.READY, notice.error
    page.locator("#case-list").get_by_text(incident.reference).wait_for(timeout=15_000)
    assert page.locator("#inbox-new").is_visible()

    page.locator("#case-list").get_by_text(incident.reference).click()
    page.wait_for_url(re.compile(rf"/incidents/cases/{incident.pk}/$"))
    assert page.locator("#case-status").get_attribute("data-status") == Status.SUBMITTED
    page.click("#submit-acknowledge")
    page.wait_for_url(re.compile(rf"/incidents/cases/{incident.pk}/$"))
    assert page.locator("#case-status").get_attribute("data-status") == Status.ACKNOWLEDGED

    page.fill("#id_erdr-erdr_number", "2617 5003 1000 123")
    page.fill("#id_erdr-registered_on", timezone.localdate().isoformat())
    page.click("#submit-erdr")
    page.locator("#erdr-number").wait_for()
    assert page.locator("#case-status").get_attribute("data-status") == Status.REGISTERED
    assert "261750031000123" in page.locator("#erdr-number").inner_text()
    assert page.locator("#case-deadline").is_visible()
    incident.refresh_from_db()
    assert incident.status == Status.REGISTERED and incident.acknowledged_by == officer

    with page.expect_download() as download_info:
        page.locator("a.notice-download").first.click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == notice.sha256


# The widest single word of each label against the width the label has: wider means the word is cut.
WORDS_CUT = """() => [...document.querySelectorAll('#h-facts ~ dl dt')].flatMap(dt => {
  const style = getComputedStyle(dt), ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = dt.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return dt.textContent.trim().split(/\\s+/).filter(word => ctx.measureText(word).width > room + 0.5);
})"""


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_case_facts_labels_keep_their_words_whole_on_a_phone(
    browser, live_server, officer, reporter, facility_a, language
):
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    context, page = new_phone_context(browser, live_server.url, language)
    login_in_browser(page, officer.username)
    page.goto(f"/incidents/cases/{incident.pk}/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#h-facts ~ dl dt").count() >= 10
    assert page.evaluate(WORDS_CUT) == []
    context.close()


def test_on_a_later_page_a_new_case_is_announced_without_losing_the_officers_place(
    phone_page, officer, reporter, facility_a, settings
):
    settings.QORGAU_INBOX_POLL_SECONDS = 2
    for _ in range(30):
        factories.IncidentFactory(facility=facility_a, reporter=reporter)
    page = phone_page
    login_in_browser(page, officer.username)
    page.goto("/incidents/cases/?page=2")
    before = page.locator("#case-list").inner_text()

    new = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    link = page.locator("#inbox-new a")
    link.wait_for(timeout=15_000)

    assert page.locator("#case-list").inner_text() == before  # still page 2, as the officer left it
    assert new.reference not in before
    link.click()
    page.wait_for_load_state()
    assert "page=" not in page.url
    assert new.reference in page.locator("#case-list").inner_text()
