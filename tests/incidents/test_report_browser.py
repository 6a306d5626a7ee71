"""A nurse on a 360-pixel phone, in Russian, files a report with a photo in a real Chromium."""

import re

import pytest
from django.utils import translation

from common.views import unavailable
from incidents.models import Evidence, Incident, ReportDraft
from tests.conftest import login_in_browser
from tests.incidents.reporting_support import ensure_roles, jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


def test_nurse_files_a_report_with_a_photo_on_a_phone(phone_page, reporter, post_a):
    page = phone_page
    login_in_browser(page, reporter.username)
    page.goto("/incidents/report/")
    assert page.locator("html").get_attribute("lang") == "ru"
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.check("input[name=act][value=violence]")
    page.select_option("#id_place", "admission")
    page.fill("#id_account", "Пациент ударил меня по руке в приёмном покое.")
    page.set_input_files(
        "#id_evidence",
        files=[
            {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes((64, 48))},
        ],
    )
    page.click("button[data-send]")

    page.wait_for_url(re.compile(r"/incidents/reports/\d+/sent/$"))
    reference = page.locator("[data-reference]").inner_text().strip()
    assert re.fullmatch(r"ALA-\d{4}-\d{6}", reference)
    tag = page.locator("[data-legal-tag]")
    assert tag.is_visible() and "380-3" in tag.inner_text()
    assert tag.get_attribute("data-legal-tag") == "3"  # violence, no harm to health: part 3
    assert post_a.code in page.locator("[data-routed-to]").inner_text()

    incident = Incident.objects.get(reference=reference)
    assert incident.reporter == reporter and incident.police_post == post_a
    evidence = Evidence.objects.get(incident=incident)
    assert evidence.kind == Evidence.Kind.PHOTO and len(evidence.sha256) == 64

    page.goto("/incidents/mine/")
    assert reference in page.locator("main").inner_text()


def test_form_autosaves_adds_a_person_and_announces_errors(phone_page, reporter, facility_a):
    page = phone_page
    login_in_browser(page, reporter.username)
    page.goto("/incidents/report/")
    page.fill("#id_account", "Кричал и угрожал.")
    page.locator("#draft-status").filter(has_text=re.compile(r"\d{1,2}:\d{2}")).wait_for()
    draft = ReportDraft.objects.get(owner=reporter)
    assert draft.data["account"] == ["Кричал и угрожал."]

    # The district only matters away from the facility.
    assert page.locator("#away-fields").is_hidden()
    page.select_option("#id_place", "street")
    assert page.locator("#away-fields").is_visible()

    page.click("[data-add-form=victims]")
    assert page.evaluate("document.activeElement.id") == "id_victims-0-full_name"
    assert page.locator("#id_victims-TOTAL_FORMS").input_value() == "1"

    # Sending without choosing threat or violence: the error summary takes the focus and links to the field.
    page.click("button[data-send]")
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert summary.locator("a[href='#id_act_0']").count() == 1
    assert page.locator("#id_account").input_value() == "Кричал и угрожал."
    assert not Incident.objects.exists()


def test_what_was_typed_while_the_database_was_down_comes_back_in_a_new_form(phone_page, reporter, post_a):
    # Issue 12: during a database outage the draft cannot be saved and the send gets the 503 page; the copy kept
    # in the browser brings the typing back when the nurse opens the form again.
    page = phone_page
    login_in_browser(page, reporter.username)
    outage = {"on": True}
    with translation.override("ru"):
        unavailable_page = unavailable(None).content  # what the server answers while its database is down

    def unavailable_while_down(route):
        if outage["on"]:
            route.fulfill(status=503, content_type="text/html; charset=utf-8", body=unavailable_page)
        else:
            route.continue_()

    # On the context, not the page: the service worker (issue 17) fetches the page's navigations itself.
    page.context.route("**/incidents/report/**", unavailable_while_down)
    outage["on"] = False
    page.goto("/incidents/report/")
    outage["on"] = True
    page.check("input[name=act][value=violence]")
    page.select_option("#id_place", "admission")
    page.fill("#id_account", "Пациент ударил меня, пока база не отвечала.")
    page.click("[data-add-form=victims]")
    page.fill("#id_victims-0-full_name", "Айгерим Сапарова")
    page.select_option("#id_victims-0-role", "nurse")
    page.click("button[data-send]")
    page.wait_for_load_state()
    assert "Временно недоступно" in page.content()
    assert not ReportDraft.objects.filter(owner=reporter).exists()

    outage["on"] = False  # the database is back: a new form
    page.goto("/incidents/report/")
    assert page.locator("#id_account").input_value() == "Пациент ударил меня, пока база не отвечала."
    assert page.locator("input[name=act][value=violence]").is_checked()
    assert page.locator("#id_place").input_value() == "admission"
    assert page.locator("#id_victims-0-full_name").input_value() == "Айгерим Сапарова"
    assert page.locator("#id_victims-0-role").input_value() == "nurse"
    assert "возвращено" in page.locator("#draft-status").inner_text()
    page.click("button[data-send]")
    page.wait_for_url(re.compile(r"/incidents/reports/\d+/sent/$"))
    assert Incident.objects.filter(reporter=reporter, account__contains="база не отвечала").count() == 1
    # Sent: the copy on this device is gone, the next form is empty.
    assert page.evaluate("window.localStorage.length") == 0
    page.goto("/incidents/report/")
    assert page.locator("#id_account").input_value() == ""
