"""The report form (`incidents/forms/reporting.py`): the quick path asks little, lay answers become service inputs."""

import pytest
from django.utils import timezone

from accounts.models import FacilityMembership
from facilities.models import Department
from incidents.forms.reporting import ReportForm
from incidents.models import DutyLink
from tests import factories
from tests.incidents.reporting_support import bound

pytestmark = pytest.mark.django_db

QUICK_PATH_FIELDS = (
    "act",
    "occurred_at",
    "facility",
    "department",
    "place",
    "reporter_hurt",
    "reporter_duty_link",
    "account",
)


def test_the_quick_path_shows_seven_fields_and_three_need_an_answer(reporter):
    form = ReportForm(user=reporter)
    visible = [name for name in QUICK_PATH_FIELDS if not form[name].is_hidden]
    # One facility: shown as text, not asked.
    assert visible == ["act", "occurred_at", "department", "place", "reporter_hurt", "reporter_duty_link", "account"]
    prefilled = {name for name in visible if form[name].initial not in (None, "")}
    must_answer = {name for name in visible if form.fields[name].required and name not in prefilled}
    assert must_answer == {"act", "place", "account"}


def test_when_defaults_to_now_in_almaty(reporter):
    value = ReportForm(user=reporter)["occurred_at"].value()
    value = value() if callable(value) else value
    assert value == timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def test_the_department_comes_from_the_membership_and_must_be_of_the_facility(reporter, facility_a, facility_b):
    ward = Department.objects.create(facility=facility_a, kind="ward")
    elsewhere = Department.objects.create(facility=facility_b, kind="ward")
    FacilityMembership.objects.filter(user=reporter).update(department=ward)
    assert ReportForm(user=reporter)["department"].value() == ward.pk
    forms = bound(reporter, facility_a, department=str(elsewhere.pk))
    assert not forms.is_valid()
    assert "department" in forms.form.errors


def test_profession_is_asked_only_when_the_account_has_none(facility_a):
    nurse = factories.make_reporter(facility_a, profession="")
    assert not ReportForm(user=nurse)["reporter_role"].is_hidden
    forms = bound(nurse, facility_a, reporter_role="")
    assert not forms.is_valid() and "reporter_role" in forms.form.errors


def test_revenge_links_an_unrelated_act_to_work(reporter, facility_a):
    forms = bound(reporter, facility_a, reporter_duty_link="none", revenge="on")
    assert forms.is_valid()
    assert forms.victim_inputs()[0].duty_link == DutyLink.REVENGE


def test_away_from_the_facility_the_district_defaults_to_the_facilitys(reporter, facility_a):
    forms = bound(reporter, facility_a, place="street", district="")
    assert forms.is_valid()
    assert forms.form.report_input().district == facility_a.district
    assert bound(reporter, facility_a).form.is_valid()
    inside = bound(reporter, facility_a)
    inside.is_valid()
    assert inside.form.report_input().district is None
