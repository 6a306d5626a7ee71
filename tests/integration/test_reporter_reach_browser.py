"""Issue 11, the walkthrough: a reporter who can no longer learn anything of another case.

In a real browser a nurse reports an attacker by the IIN of a suspect in another facility's case. Nothing she can
open tells her of it: not the sent page, not her report, not her list; the other case's pages, files and drafts
answer 404, and her withdrawal form is hers alone.
"""

import datetime as dt
import re
import uuid

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from incidents.models import Evidence, Incident, ReportDraft
from incidents.services.tagging import incident_assess
from tests import factories
from tests.conftest import login_in_browser, new_phone_context
from tests.incidents.reporting_support import ensure_roles
from tests.legal.factories import AttackerFactory, make_iin

pytestmark = pytest.mark.browser

REPEAT_WORDS = ("повторно", "тот же подозреваемый", "same suspect", "repeatedly", "ст. 12", "CC art. 12")


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


def test_a_reporter_learns_nothing_of_another_case(browser, live_server, reporter, other_reporter, facility_b):
    suspect = make_iin(serial=6161)
    earlier = factories.IncidentFactory(
        facility=facility_b, reporter=other_reporter, occurred_at=timezone.now() - dt.timedelta(days=10)
    )
    AttackerFactory(incident=earlier, iin_value=suspect)
    incident_assess(incident=earlier, trigger="submitted", actor=other_reporter)
    evidence = Evidence.objects.create(
        incident=earlier,
        file=ContentFile(b"%PDF-1.4 bob", name="bob.pdf"),
        kind=Evidence.Kind.DOCUMENT,
        original_name="bob.pdf",
        content_type="application/pdf",
        size=12,
        sha256="0" * 64,
        uploaded_by=other_reporter,
    )
    draft = ReportDraft.objects.create(owner=other_reporter, key=uuid.uuid4(), data={"account": ["Черновик Боба"]})

    context, nurse = new_phone_context(browser, live_server.url)
    login_in_browser(nurse, reporter.username)
    nurse.goto("/incidents/report/")
    nurse.check("input[name=act][value=threat]")
    nurse.select_option("#id_place", "admission")
    nurse.fill("#id_account", "Родственник пациента угрожал мне расправой в приёмном покое.")
    nurse.locator("#details summary").click()
    nurse.click("button[data-add-form=attackers]")
    nurse.fill("#id_attackers-0-iin", suspect)
    nurse.click("button[data-send]")
    nurse.wait_for_url(re.compile(r"/incidents/reports/\d+/sent/$"))
    later = Incident.objects.get(reference=nurse.locator("[data-reference]").inner_text().strip())
    assert later.legal_part == 2, "control: the police's tag counts the repeat"

    seen = {"sent": nurse.content()}
    for name, url in (("detail", f"/incidents/reports/{later.pk}/"), ("list", "/incidents/mine/"), ("home", "/")):
        assert nurse.goto(url).status == 200
        seen[name] = nurse.content()
    for name, html in seen.items():
        assert earlier.reference not in html, name
        assert not any(word in html for word in REPEAT_WORDS), name
    assert 'data-legal-tag="1"' in seen["detail"]  # the part her own report supports

    for url in (
        f"/incidents/reports/{earlier.pk}/",
        f"/incidents/reports/{earlier.pk}/sent/",
        f"/incidents/evidence/{evidence.pk}/",
        f"/incidents/cases/{earlier.pk}/",
        f"/incidents/report/?draft={draft.key}",
    ):
        response = nurse.goto(url)
        assert response.status in (403, 404), url
        assert earlier.reference not in nurse.content() and "Черновик Боба" not in nurse.content(), url

    # Her own report she can withdraw; the form is on her page only.
    nurse.goto(f"/incidents/reports/{later.pk}/")
    assert nurse.locator("#withdraw").count() == 1
    context.close()
