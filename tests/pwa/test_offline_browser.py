"""Reports with no connection (issue 17): kept on the phone, encrypted, with their photos; sent once when the
connection returns, whatever the language, however many."""

import hashlib
import re
import time

import pytest

from incidents.models import Evidence, Incident
from tests.conftest import login_in_browser, new_phone_context
from tests.incidents.reporting_support import ensure_roles, jpeg_bytes
from tests.pwa.support import outbox_count, poll, wait_for_shell, wait_for_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


def fill_report(page, account: str, photo: bytes | None = None, name: str = "photo.jpg") -> None:
    page.check("input[name=act][value=violence]")
    page.select_option("#id_place", "admission")
    page.fill("#id_account", account)
    if photo is not None:
        page.set_input_files("#id_evidence", files=[{"name": name, "mimeType": "image/jpeg", "buffer": photo}])


def wait_until_sent(page, timeout: float = 20.0) -> float:
    """Seconds until the phone's outbox is empty: every report answered by the server as stored. (Polled in the
    browser, not the database: SQLite's shared test database locks while the live server writes.)"""
    start = time.monotonic()
    poll(page, "() => window.QorgauOutbox.waiting().then((items) => items.length === 0)", timeout=timeout)
    return time.monotonic() - start


def test_offline_mid_report_with_a_photo_arrives_once_with_the_photo_intact(phone_page, reporter, post_a):
    page = phone_page
    login_in_browser(page, reporter.username)
    page.goto("/incidents/report/")
    wait_for_worker(page)
    photo = jpeg_bytes((64, 48))

    page.fill("#id_account", "Начала писать в приёмном покое")
    page.context.set_offline(True)  # the lift doors close
    fill_report(page, "Пациент ударил меня в лифте, связи не было.", photo)
    page.click("button[data-send]")
    status = page.locator("[data-outbox-status]")
    status.filter(has_text="Ожидает связи").wait_for()
    assert "ждут отправки на этом телефоне: 1" in status.inner_text()
    assert not Incident.objects.exists()

    page.reload()  # still offline: the form comes from the cache, the report is still waiting
    page.locator("[data-outbox-status]").filter(has_text="Ожидает связи").wait_for()
    assert page.locator("#report-form").count() == 1
    assert outbox_count(page) == 1
    # Encrypted at rest: the stored bytes hold neither the account nor the photo.
    stored = page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("qorgau-outbox");
            open.onsuccess = () => {
                const read = open.result.transaction("items").objectStore("items").getAll();
                read.onsuccess = () => { const item = read.result[0]; open.result.close();
                    resolve(Array.from(new Uint8Array(item.data))); };
            };
        })"""
    )
    assert photo[:64] not in bytes(stored) and "лифте".encode() not in bytes(stored)

    page.context.set_offline(False)
    wait_until_sent(page)
    incident = Incident.objects.get(reporter=reporter)
    assert incident.account == "Пациент ударил меня в лифте, связи не было."
    evidence = Evidence.objects.get(incident=incident)
    assert evidence.sha256 == hashlib.sha256(photo).hexdigest()
    assert evidence.original_name == "photo.jpg"
    page.locator("[data-outbox-status]").filter(has_text="Только что отправлено").wait_for()

    # Going online again, reloading: still one report.
    page.reload()
    page.wait_for_timeout(500)
    assert Incident.objects.filter(reporter=reporter).count() == 1


@pytest.mark.parametrize(
    ("language", "waiting", "sent"), [("ru", "Ожидает связи", "Только что"), ("kk", "Байланыс күтілуде", "жаңа ғана")]
)
def test_paramedic_files_three_reports_offline_and_all_arrive_once(
    browser, live_server, reporter, post_a, language, waiting, sent
):
    context, page = new_phone_context(browser, live_server.url, language)
    try:
        login_in_browser(page, reporter.username)
        page.goto("/")
        wait_for_worker(page)
        wait_for_shell(page)  # the report form was never opened online: the worker keeps it anyway
        context.set_offline(True)  # a basement in the suburbs
        photos = [jpeg_bytes((80, 60)), None, jpeg_bytes((60, 80))]
        for number, photo in enumerate(photos, start=1):
            page.goto("/incidents/report/")
            assert page.locator("html").get_attribute("lang") == language
            fill_report(page, f"Вызов {number}: угрожали ножом.", photo, name=f"photo-{number}.jpg")
            page.click("button[data-send]")
            # The fresh form (from the cache) counts the reports waiting, this one included.
            page.locator(f"[data-outbox-status][data-outbox-count='{number}']").filter(has_text=waiting).wait_for()
        page.goto("/")  # the home page counts them too
        home_status = page.locator("[data-outbox-status]")
        home_status.filter(has_text=waiting).wait_for()
        assert "3" in home_status.inner_text()

        started = time.monotonic()
        context.set_offline(False)
        elapsed = wait_until_sent(page)
        print(f"\nonline → 3 reports stored ({language}): {elapsed * 1000:.0f} ms")
        page.locator("[data-outbox-status]").filter(has_text=sent).wait_for()
        assert time.monotonic() - started < 20
        incidents = Incident.objects.filter(reporter=reporter).order_by("account")
        assert [i.account for i in incidents] == [f"Вызов {n}: угрожали ножом." for n in (1, 2, 3)]
        assert len({i.idempotency_key for i in incidents}) == 3
        hashes = sorted(Evidence.objects.filter(incident__reporter=reporter).values_list("sha256", flat=True))
        assert hashes == sorted(hashlib.sha256(p).hexdigest() for p in photos if p)
        page.reload()
        page.wait_for_timeout(500)
        assert Incident.objects.filter(reporter=reporter).count() == 3

        # The floor, in the same run: one report sent online the ordinary way, from "Send" to the reference page.
        page.goto("/incidents/report/")
        fill_report(page, "Вызов 4: онлайн.", jpeg_bytes((80, 60)), name="photo-4.jpg")
        started = time.monotonic()
        page.click("button[data-send]")
        page.wait_for_url(re.compile(r"/incidents/reports/\d+/sent/$"))
        online = time.monotonic() - started
        print(f"one report online: {online * 1000:.0f} ms; offline three ÷ (3 × online) = {elapsed / (3 * online):.2f}")
    finally:
        context.close()
