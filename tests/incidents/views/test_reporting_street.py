"""Issue 11 (fix first): a hospital nurse who picks "street" is told, before sending, which police get the report.

A report from away from the facility (the street, a patient's home) goes to the police department of the
district where it happened, not to the hospital's post; the form says so and names the department, and that
department's officers can then open the case.
"""

import re

import pytest
from django.urls import reverse

from accounts.models import PoliceDepartmentAssignment, Role
from incidents.models import Incident
from tests import factories
from tests.incidents.reporting_support import minimal_post

pytestmark = pytest.mark.django_db


def away_note(html: str) -> str:
    match = re.search(r'<div[^>]*id="away-routing".*?</div>', html, re.S)
    assert match, "the form has no note on where a report away from the facility goes"
    return match.group(0)


def test_the_form_names_the_district_police_department_a_street_report_goes_to(client, reporter, facility_a):
    department = facility_a.district.police_department
    client.force_login(reporter)
    html = client.get(reverse("incidents:report")).content.decode()
    note = away_note(html)
    assert department.name_en in note
    assert "not to the police post of your facility" in note
    # The script names the department of whichever district is chosen: every district's is in the page.
    other = factories.PoliceDepartmentFactory()
    html = client.get(reverse("incidents:report")).content.decode()
    assert other.name_en in away_note(html)


def test_a_form_sent_back_names_the_chosen_districts_department(client, reporter, facility_a):
    elsewhere = factories.PoliceDepartmentFactory()
    client.force_login(reporter)
    data = minimal_post(facility_a, place="street", district=str(elsewhere.district_id), account="")
    response = client.post(reverse("incidents:report"), data)
    assert response.status_code == 200  # the account is missing: the form comes back
    note = away_note(response.content.decode())
    assert re.search(r'id="away-department"[^>]*>\s*' + re.escape(elsewhere.name_en), note)


def test_the_district_departments_officer_sees_the_street_report_and_the_post_does_not(
    client, reporter, officer, facility_a
):
    department = facility_a.district.police_department
    district_officer = factories.UserFactory(roles=[Role.POLICE_OFFICER], username="district")
    PoliceDepartmentAssignment.objects.create(user=district_officer, police_department=department)
    client.force_login(reporter)
    response = client.post(reverse("incidents:report"), minimal_post(facility_a, place="street"))
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.police_post is None and incident.police_department == department
    for user, status in ((district_officer, 200), (officer, 404)):
        client.force_login(user)
        assert client.get(reverse("incidents:case_detail", args=[incident.pk])).status_code == status
