"""What waits on the phone and the session: an expired session leads to the login, then the report goes; logging out
warns and deletes what waits, with its key; SOS with no connection says "call 102" and queues the alarm."""

import hashlib
import json

import pytest

from incidents.models import Evidence, Incident
from tests import factories
from tests.conftest import login_in_browser
from tests.incidents.reporting_support import ensure_roles, jpeg_bytes
from tests.pwa.support import outbox_count, poll, wait_for_shell, wait_for_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


def queue_a_report(page, account: str, photo: bytes | None = None) -> None:
    page.goto("/")
    wait_for_worker(page)
    wait_for_shell(page)
    page.context.set_offline(True)
    page.goto("/incidents/report/")
    page.check("input[name=act][value=threat]")
    page.select_option("#id_place", "ward")
    page.fill("#id_account", account)
    if photo:
        page.set_input_files("#id_evidence", files=[{"name": "p.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    page.click("button[data-send]")
    page.locator("[data-outbox-status][data-outbox-count='1']").wait_for()


def test_expired_session_leads_to_login_then_the_report_goes(phone_page, reporter, post_a):
    page = phone_page
    login_in_browser(page, reporter.username)
    photo = jpeg_bytes((32, 32))
    queue_a_report(page, "Угрожали в палате, сессия истекла.", photo)
    page.context.clear_cookies()  # the session ended while the phone was offline
    page.context.set_offline(False)
    login = page.locator("a[data-outbox-login]")
    login.wait_for()
    assert outbox_count(page) == 1
    login.click()
    page.fill("input[name=username]", reporter.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.locator("[data-outbox-status]").filter(has_text="Только что отправлено").wait_for()
    assert outbox_count(page) == 0
    incident = Incident.objects.get(reporter=reporter)
    assert incident.account == "Угрожали в палате, сессия истекла."
    assert Evidence.objects.get(incident=incident).sha256 == hashlib.sha256(photo).hexdigest()


def test_logout_warns_then_deletes_the_waiting_reports_and_their_key(phone_page, reporter, post_a):
    page = phone_page
    login_in_browser(page, reporter.username)
    queue_a_report(page, "Не успело уйти.")
    # The server does not take it yet (the post is unreachable from here): it keeps waiting. Routed on the context
    # so that the worker's Background Sync is held back too.
    page.context.route(
        "**/incidents/report/", lambda route: route.abort() if route.request.method == "POST" else route.continue_()
    )
    page.context.set_offline(False)
    page.goto("/")
    wait_for_worker(page)
    assert outbox_count(page) == 1

    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    page.locator("form[data-logout]").evaluate("(form) => form.requestSubmit()")
    page.wait_for_timeout(500)
    assert "1" in messages[0] and "удалены" in messages[0]
    assert page.url.endswith("/") and outbox_count(page) == 1  # still logged in, still waiting

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form[data-logout]").evaluate("(form) => form.requestSubmit()")
    page.wait_for_url(lambda url: "/accounts/login/" in url or url.endswith("/logged-out/") or "logout" in url)
    databases = page.evaluate("() => indexedDB.databases().then((dbs) => dbs.map((db) => db.name))")
    assert "qorgau-outbox" not in databases
    assert not [name for name in page.evaluate("() => caches.keys()") if name.startswith("qorgau-pages-")]
    assert not Incident.objects.exists()


def test_sos_with_no_connection_says_call_102_and_sends_the_alarm_once_online(phone_page, reporter):
    page = phone_page
    login_in_browser(page, reporter.username)
    page.goto("/")
    wait_for_worker(page)
    received = []

    def alarm_endpoint(route):
        request = route.request
        received.append((request.headers.get("accept"), request.post_data_buffer))
        route.fulfill(status=201, content_type="application/json", body=json.dumps({"id": 1, "status_url": "/x"}))

    page.route("**/alarms/sos/", alarm_endpoint)
    # The SOS form of the alarm issue, as it will be on the home page.
    page.evaluate(
        """() => { const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            document.querySelector("main").insertAdjacentHTML("afterbegin",
              `<form method="post" action="/alarms/sos/" id="sos-form">
                 <input type="hidden" name="csrfmiddlewaretoken" value="${token}">
                 <input type="hidden" name="idempotency_key" value="3f1c1d9e-8e0b-4b55-9a43-2d5d3c0c9a11">
                 <input name="place" value="Приёмный покой"><button type="submit">SOS</button></form>`); }"""
    )
    page.context.set_offline(True)
    page.click("#sos-form button")
    call = page.locator("#sos-offline a[href='tel:102']")
    call.wait_for()
    assert "102" in page.locator("#sos-offline").inner_text()
    poll(page, "() => window.QorgauOutbox.waiting().then((items) => items.length === 1)")
    assert received == []

    page.context.set_offline(False)
    poll(page, "() => window.QorgauOutbox.waiting().then((items) => items.length === 0)")
    assert len(received) == 1
    accept, body = received[0]
    assert accept == "application/json"
    assert b"3f1c1d9e-8e0b-4b55-9a43-2d5d3c0c9a11" in body and "Приёмный покой".encode() in body


def test_send_that_fails_on_the_way_is_kept_by_the_worker(phone_page, reporter, post_a):
    # A lift: the phone says it is online, but the post never reaches the server.
    page = phone_page
    login_in_browser(page, reporter.username)
    page.goto("/")
    wait_for_worker(page)
    wait_for_shell(page)
    page.goto("/incidents/report/")
    photo = jpeg_bytes((40, 30))
    page.context.route(
        "**/incidents/report/", lambda route: route.abort() if route.request.method == "POST" else route.continue_()
    )
    page.check("input[name=act][value=violence]")
    page.select_option("#id_place", "admission")
    page.fill("#id_account", "В лифте: сеть есть, данных нет.")
    page.set_input_files("#id_evidence", files=[{"name": "lift.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    page.click("button[data-send]")
    page.locator("[data-outbox-status][data-outbox-count='1']").filter(has_text="Ожидает связи").wait_for()
    assert "queued=1" in page.url
    assert not Incident.objects.exists()

    page.context.unroute("**/incidents/report/")  # out of the lift
    page.goto("/")
    page.locator("[data-outbox-status]").filter(has_text="Только что отправлено").wait_for()
    incident = Incident.objects.get(reporter=reporter)
    assert incident.account == "В лифте: сеть есть, данных нет."
    assert Evidence.objects.get(incident=incident).sha256 == hashlib.sha256(photo).hexdigest()
