"""The whole path on the real stack: a nurse reports on a phone, a real Celery worker (through Redis) renders
the PDF notice, the officer works the case to an outcome in the browser, and the nurse sees the outcome.

Real Chromium, real Redis, a real worker, PostgreSQL (the worker thread needs a shared database).
"""

import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from incidents.models import Incident, Notice, Outcome, Status
from tests.conftest import login_in_browser, new_phone_context
from tests.incidents.reporting_support import ensure_roles, jpeg_bytes
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


def new_phone_page(browser, live_server):
    context, page = new_phone_context(browser, live_server.url)
    page.set_default_timeout(20_000)
    return context, page


def open_action(page, action: str) -> None:
    """Opens the folded section of a case action, as an officer would tap its title; its form is fetched into it."""
    details = page.locator(f"details#action-{action}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    details.locator(f"#form-{action}").wait_for()


def test_report_to_outcome_through_a_real_worker(
    celery_worker, browser, live_server, reporter, officer, other_officer, post_a
):
    # The nurse reports an attack with a photo.
    nurse_context, nurse = new_phone_page(browser, live_server)
    login_in_browser(nurse, reporter.username)
    nurse.goto("/incidents/report/")
    nurse.check("input[name=act][value=violence]")
    nurse.select_option("#id_place", "ward")
    nurse.fill("#id_account", "Родственник пациента толкнул меня и ударил по лицу в палате.")
    nurse.set_input_files(
        "#id_evidence",
        files=[
            {"name": "face.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes((80, 60))},
        ],
    )
    nurse.click("button[data-send]")
    nurse.wait_for_url(re.compile(r"/incidents/reports/\d+/sent/$"))
    reference = nurse.locator("[data-reference]").inner_text().strip()
    incident = Incident.objects.get(reference=reference)
    assert incident.police_post == post_a

    # The worker renders the notice from Redis; nobody ran it in-process.
    notice = wait_for(lambda: Notice.objects.filter(incident=incident, status=Notice.Status.READY).first())
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(notice.file.read())).pages)
    assert reference in text and "380-3" in text
    assert "Хабарлама" in text or "бөлігі" in text  # the Kazakh section

    # The officer of another post does not even learn that the case exists.
    intruder_context, intruder = new_phone_page(browser, live_server)
    login_in_browser(intruder, other_officer.username)
    assert intruder.goto(f"/incidents/cases/{incident.pk}/").status == 404
    intruder_context.close()

    # The officer of the post works it.
    officer_context, police = new_phone_page(browser, live_server)
    login_in_browser(police, officer.username)
    police.goto("/incidents/cases/")
    police.locator("#case-list").get_by_text(reference).click()
    police.wait_for_url(re.compile(rf"/incidents/cases/{incident.pk}/$"))
    police.click("#submit-acknowledge")
    police.locator("#case-status[data-status=acknowledged]").wait_for()

    open_action(police, "question")
    police.fill("#id_question-body", "Есть ли свидетели? Кто был в палате?")
    police.click("#submit-question")
    police.wait_for_load_state()

    open_action(police, "erdr")
    police.fill("#id_erdr-erdr_number", "261750031000777")
    police.fill("#id_erdr-registered_on", timezone.localdate().isoformat())
    police.click("#submit-erdr")
    police.locator("#erdr-number").wait_for()

    with police.expect_download() as download:
        police.locator("a.notice-download").first.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    open_action(police, "close")
    police.select_option("#id_close-outcome", Outcome.SENT_TO_COURT)
    police.click("#submit-close")
    police.locator("#case-status[data-status=sent_to_court]").wait_for()
    officer_context.close()

    # The nurse answers the question and sees the outcome.
    nurse.goto(f"/incidents/reports/{incident.pk}/")
    question = incident.messages.get(kind="question")
    nurse.fill(f"#id_q{question.pk}-body", "Да, санитарка Айгуль видела всё.")
    nurse.locator("#questions button[type=submit]").first.click()
    nurse.wait_for_load_state()
    nurse.goto(f"/incidents/reports/{incident.pk}/")
    outcome = nurse.locator("[data-outcome]").inner_text()
    assert str(Outcome.SENT_TO_COURT.label) != outcome  # shown in Russian, not the English source
    assert outcome.strip()
    nurse_context.close()

    incident.refresh_from_db()
    assert incident.status == Status.SENT_TO_COURT and incident.outcome == Outcome.SENT_TO_COURT
    assert incident.erdr_number == "261750031000777"
    assert incident.messages.filter(kind="answer").exists()
    kinds = set(incident.events.values_list("kind", flat=True))
    assert {
        "submitted",
        "acknowledged",
        "question_asked",
        "erdr_registered",
        "closed",
        "question_answered",
        "notice_ready",
    } <= kinds
