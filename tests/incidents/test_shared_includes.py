"""What several pages show of an incident is written by one include, so it reads the same on each of them."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from incidents.models import Incident, Status
from tests.incidents.case_support import acknowledged

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'<span class="badge text-bg-\w+"(?: id="case-status")? data-status="\w+">[^<]*</span>')


def page(client, user, name, *args) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args), headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("status", "colour"),
    [
        (Status.SUBMITTED, "warning"),
        (Status.ACKNOWLEDGED, "primary"),
        (Status.REGISTERED, "primary"),
        (Status.SENT_TO_COURT, "secondary"),
        (Status.CLOSED, "secondary"),
        (Status.CANCELLED, "secondary"),
    ],
)
def test_status_badge_has_one_colour_per_status(status, colour):
    with translation.override("en"):
        badge = render_to_string("incidents/includes/status_badge.html", {"incident": Incident(status=status)})
    assert badge == f'<span class="badge text-bg-{colour}" data-status="{status}">{status.label}</span>'


def test_status_badge_is_the_same_on_the_case_page_the_inbox_and_the_reporters_pages(
    client, incident, officer, reporter, facility_lead
):
    incident = acknowledged(incident, officer)
    expected = '<span class="badge text-bg-primary" data-status="acknowledged">acknowledged by the police</span>'
    pages = {
        "case page": page(client, officer, "incidents:case_detail", incident.pk),
        "inbox": page(client, officer, "incidents:case_inbox"),
        "report page": page(client, reporter, "incidents:report_detail", incident.pk),
        "my reports": page(client, reporter, "incidents:my_reports"),
        "facility reports": page(client, facility_lead, "incidents:facility_reports"),
    }
    for name, html in pages.items():
        badges = [badge.replace(' id="case-status"', "") for badge in BADGE.findall(html)]
        assert badges == [expected], name
    # The case page's badge keeps the id that its scripts and browser tests look for.
    assert '<span class="badge text-bg-primary" id="case-status" data-status="acknowledged">' in pages["case page"]
