"""Issue 11's walkthrough, in a real Chromium: an officer makes the whole case file, downloads it and checks its
hashes against the files; a victim's civil claim recorded on the case page reaches the reporter (its status) and
the analyst's aggregates (counts and median). Tasks run in-process here (the real worker: test_whole_path_browser)."""

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from django.utils import timezone

from analytics.periods import default_period
from analytics.selectors.details import details_year
from incidents.models import CaseFile, ClaimStatus, IncidentEvent, VictimCompensation
from incidents.services.compensation import CompensationInput, compensation_record
from tests import factories
from tests.conftest import login_in_browser, new_phone_context
from tests.incidents.casefile_support import stored_evidence
from tests.incidents.reporting_support import ensure_roles
from tests.pdf_support import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


def open_details(page, selector: str) -> None:
    details = page.locator(selector)
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def test_officer_downloads_the_case_file_and_checks_its_hashes(phone_page, officer, reporter, facility_a):
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    photo = stored_evidence(incident, name="bruise.jpg", content=b"\xff\xd8 the bruise")
    video = stored_evidence(incident, name="corridor.mp4", content=b"\x00\x00\x00\x18ftypmp42 the corridor")
    page = phone_page
    login_in_browser(page, officer.username)
    page.goto(f"/incidents/cases/{incident.pk}/")

    # The officer takes a copy of one piece of evidence: the file's own hash, as received.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="bruise.jpg").click()
    photo_received = hashlib.sha256(Path(download_info.value.path()).read_bytes()).hexdigest()

    page.click("#submit-casefile")
    page.wait_for_url(re.compile(rf"/incidents/cases/{incident.pk}/#h-casefiles$"))
    link = page.locator("a.casefile-download").first
    link.wait_for()
    shown = page.locator(".casefile-sha256").first.inner_text().replace("SHA-256", "").strip()
    with page.expect_download() as download_info:
        link.click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"%PDF")

    # The file is the one whose hash the page shows and Qorgau keeps.
    casefile = CaseFile.objects.get(incident=incident)
    assert hashlib.sha256(data).hexdigest() == shown == casefile.sha256
    # Read back, it lists each piece of evidence with the SHA-256 of the stored file (and of the copy taken).
    text = pdf_text(data).replace("\n", "")
    for item in (photo, video):
        with item.file.open("rb") as fh:
            assert hashlib.sha256(fh.read()).hexdigest() in text, item.original_name
    assert photo_received in text
    # The chain of custody names the officer's download, and the case file's own download is in the history.
    assert "скачано" in text and str(officer) in text
    assert incident.events.filter(kind=IncidentEvent.Kind.CASEFILE_DOWNLOADED, actor=officer).count() == 1


def test_a_claim_recorded_on_the_case_page_reaches_the_reporter_and_the_analyst(
    browser, live_server, officer, reporter, analyst, facility_a
):
    # Two claims of other victims are on record already; the officer records the third. All three incidents happened
    # within the whole year whose claims the dashboard shows by default (the last year that is over: issue 10).
    year = details_year(default_period())
    when = timezone.make_aware(dt.datetime.combine(year.start + dt.timedelta(days=14), dt.time(12)))
    for amount in (100000, 900000):
        other = factories.IncidentFactory(facility=facility_a, occurred_at=when)
        compensation_record(
            victim=other.victims.get(),
            actor=officer,
            data=CompensationInput(claim_status=ClaimStatus.FILED, claimed_moral=amount),
            expected_version=0,
        )
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter, occurred_at=when)
    victim = incident.victims.get()

    context, page = new_phone_context(browser, live_server.url)
    login_in_browser(page, officer.username)
    page.goto(f"/incidents/cases/{incident.pk}/")
    open_details(page, f"#victim-{victim.pk} details")
    prefix = f"#id_comp{victim.pk}-"
    page.fill(prefix + "sick_leave_days", "30")
    page.select_option(prefix + "disability", "group_3")
    page.select_option(prefix + "claim_status", "filed")
    page.fill(prefix + "claimed_material", "250000")
    page.fill(prefix + "claimed_moral", "250000")
    page.check(prefix + "psychologist")
    page.click(f"#submit-compensation-{victim.pk}")
    page.wait_for_url(re.compile(rf"/incidents/cases/{incident.pk}/#victim-{victim.pk}$"))
    assert page.locator(f"#victim-{victim.pk} [data-claim-status]").get_attribute("data-claim-status") == "filed"
    record = VictimCompensation.objects.get(victim=victim)
    assert (record.sick_leave_days, record.claimed_total, record.psychologist) == (30, 500000, True)
    context.close()

    # The nurse sees the status of her claim, and nothing of its figures.
    context, page = new_phone_context(browser, live_server.url)
    login_in_browser(page, reporter.username)
    page.goto(f"/incidents/reports/{incident.pk}/")
    assert page.locator("#claim-status [data-claim-status]").inner_text().strip() == "заявлен, ожидает решения суда"
    assert "250" not in page.locator("main").inner_text()
    context.close()

    # The analyst's dashboard counts three claims filed, with their median amount.
    context, page = new_phone_context(browser, live_server.url)
    login_in_browser(page, analyst.username)
    page.goto("/statistics/")
    row = page.locator('#table-compensation [data-stage="filed"]')
    assert row.locator("[data-count]").inner_text().strip() == "3"
    assert row.locator("[data-median]").inner_text().strip().replace("\u202f", " ") == "500 000"
    assert page.locator('#table-compensation [data-stage="awarded"] [data-count]').inner_text().strip() == "0"
    context.close()
