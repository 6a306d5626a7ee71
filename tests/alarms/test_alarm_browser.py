"""Done when (issue 16): a nurse presses SOS in one Chromium context, an officer's open page in another shows the
alarm at once, the officer acknowledges, and the nurse sees "acknowledged" with the name. Also measures SOS → the
officer's page (p50, p95) over a series of alarms, served by uvicorn as `make run` serves it."""

import json
import re

import pytest

from alarms.models import Alarm
from tests.alarms.support import AsgiServer, asgi_application, percentile
from tests.conftest import login_in_browser, new_phone_context
from tests.incidents.reporting_support import ensure_roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIES = 20


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


@pytest.fixture
def server(transactional_db):
    with AsgiServer(asgi_application()) as running:
        yield running


def _officer_page(browser, base_url):
    context = browser.new_context(locale="en", extra_http_headers={"Accept-Language": "en"}, base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_nurse_sos_reaches_the_officers_open_page_and_the_acknowledgement_comes_back(
    browser, server, reporter, officer, telegram, capsys
):
    nurse_context, nurse = new_phone_context(browser, server.url, language="en")
    officer_context, inbox = _officer_page(browser, server.url)
    try:
        login_in_browser(inbox, officer.username)
        inbox.goto("/alarms/")
        inbox.wait_for_selector("#alarm-live[data-connected=true]", state="attached")
        login_in_browser(nurse, reporter.username)
        nurse.goto("/")
        sos = nurse.locator("#sos-form button")
        assert sos.is_visible()
        box = sos.bounding_box()
        assert box["width"] >= 88 and box["height"] >= 88  # one thumb, no aiming
        assert box["y"] + box["height"] <= 780 and box["x"] + box["width"] <= 360  # on screen without scrolling

        pressed_at = nurse.evaluate("Date.now()")
        sos.click()
        nurse.wait_for_url(re.compile(r"/alarms/\d+/$"))
        alarm = Alarm.objects.get()
        assert "Alarm sent" in nurse.locator("#alarm-status").inner_text()

        card = inbox.locator(f'#alarm-live [data-alarm-holder="{alarm.pk}"]')
        card.wait_for()
        first_ms = int(card.get_attribute("data-received-at")) - pressed_at
        assert inbox.locator("#alarm-live").get_attribute("data-rang")  # the sound was played
        assert alarm.facility.name_en in card.inner_text()
        nurse.wait_for_selector("#alarm-status[data-connected=true]", state="attached")
        card.locator("[data-alarm-acknowledge]").click()
        inbox.wait_for_url(f"**/alarms/{alarm.pk}/")

        nurse.wait_for_selector("#alarm-status[data-status=acknowledged]")
        status = nurse.locator("#alarm-status").inner_text()
        assert officer.get_full_name() in status and "acknowledged at" in status
        alarm.refresh_from_db()
        assert alarm.acknowledged_by == officer

        # The series: each SOS posted from the nurse's page (as the button does), timed to the officer's inbox.
        inbox.goto("/alarms/")
        inbox.wait_for_selector("#alarm-live[data-connected=true]", state="attached")
        nurse.goto("/")
        samples = [first_ms]
        for _ in range(SERIES):
            sent = nurse.evaluate(
                """async () => {
                    const token = document.querySelector('#sos-form [name=csrfmiddlewaretoken]').value;
                    const t0 = Date.now();
                    const response = await fetch('/alarms/sos/', {method: 'POST',
                        headers: {'Accept': 'application/json', 'X-CSRFToken': token},
                        body: new URLSearchParams({idempotency_key: crypto.randomUUID()})});
                    return {t0: t0, status: response.status, body: await response.json()};
                }"""
            )
            assert sent["status"] == 201
            holder = inbox.locator(f'#alarm-inbox-open [data-alarm-holder="{sent["body"]["id"]}"]')
            holder.wait_for()
            samples.append(int(holder.get_attribute("data-received-at")) - sent["t0"])
        figures = {
            "sos_to_officer_page_ms": {
                "n": len(samples),
                "p50": percentile(samples, 0.5),
                "p95": percentile(samples, 0.95),
                "max": max(samples),
            }
        }
        with capsys.disabled():
            print("\nalarm figures:", json.dumps(figures))
        assert figures["sos_to_officer_page_ms"]["p95"] < 2000  # the target
    finally:
        nurse_context.close()
        officer_context.close()


def test_sos_is_sent_when_the_csrf_cookie_changed_after_the_page_was_served(browser, server, reporter, telegram):
    """The service worker keeps pages for offline use and fetches them at login: a fetch that left before the login
    can answer after it and set the CSRF cookie back to the old secret, under the page's form (seen once under load:
    the press was refused with 403). The button sends the cookie's own secret, so the press still gets through."""
    nurse_context, nurse = new_phone_context(browser, server.url, language="en")
    try:
        login_in_browser(nurse, reporter.username)
        nurse.goto("/")
        old = next(c for c in nurse_context.cookies() if c["name"] == "csrftoken")
        nurse_context.add_cookies([{**old, "value": "b" * 32}])  # another valid secret, as a late response sets it
        nurse.locator("#sos-form button").click()
        nurse.wait_for_url(re.compile(r"/alarms/\d+/$"))
        assert Alarm.objects.filter(raised_by=reporter).count() == 1
    finally:
        nurse_context.close()
