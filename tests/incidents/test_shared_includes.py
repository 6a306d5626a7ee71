"""What several pages show of an incident is written by one include, so it reads the same on each of them."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from facilities.models import Department, DepartmentKind
from incidents import pdf as notice_pdf
from incidents.models import Incident, Place, Status
from tests import factories
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


def test_place_line_is_the_same_on_the_case_page_the_reporters_page_and_the_notice(client, incident, officer, reporter):
    cardiology = Department.objects.create(facility=incident.facility, kind=DepartmentKind.WARD, name="Cardiology")
    district = factories.DistrictFactory(name_en="Bostandyk")
    Incident.objects.filter(pk=incident.pk).update(
        place=Place.WARD, department=cardiology, district=district, address="Abai Ave 1"
    )
    incident.refresh_from_db()
    with translation.override("en"):
        line = render_to_string("incidents/includes/place_line.html", {"incident": incident})
        notice = notice_pdf.render_notice_html(incident=incident, language="en", version=incident.version)
    assert line == "ward, Cardiology, Bostandyk, Abai Ave 1"
    case_page = page(client, officer, "incidents:case_detail", incident.pk)
    assert f'id="case-place">{line}</dd>' in case_page
    report_page = page(client, reporter, "incidents:report_detail", incident.pk)
    assert f'<dd class="col-sm-8">{incident.facility.name}, {line}</dd>' in report_page
    assert f"<td>{line}</td>" in notice
