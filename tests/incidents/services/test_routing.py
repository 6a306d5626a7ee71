"""Routing and reference numbers (`incidents/services/routing.py`): which police a report goes to, and its number."""

import pytest
from django.utils import timezone

from accounts.models import Profession
from facilities.models import PolicePost
from incidents.models import Place
from incidents.services import routing
from tests import factories
from tests.incidents.reporting_support import ensure_roles, in_threads, report_for, submit

pytestmark = pytest.mark.django_db


# --- Reference numbers --------------------------------------------------------------------------------------


def test_reference_numbers_follow_each_other_and_restart_each_year(reporter, facility_a):
    first = submit(reporter, facility_a)
    second = submit(reporter, facility_a)
    year = timezone.localdate().year
    assert (first.reference, second.reference) == (f"ALA-{year}-000001", f"ALA-{year}-000002")
    assert routing.reference_next(year=year + 1) == f"ALA-{year + 1}-000001"


def test_reference_counter_starts_after_numbers_already_issued(reporter, facility_a):
    year = timezone.localdate().year
    factories.IncidentFactory(facility=facility_a, reference=f"ALA-{year}-000041")
    assert submit(reporter, facility_a).reference == f"ALA-{year}-000042"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_get_distinct_consecutive_references(postgres_db):
    ensure_roles()
    facility = factories.PolicePostFactory().facility
    nurse = factories.make_reporter(facility)
    references = in_threads(8, lambda i: submit(nurse, facility).reference)
    year = timezone.localdate().year
    assert sorted(references) == [f"ALA-{year}-{n:06d}" for n in range(1, 9)]


# --- Routing ------------------------------------------------------------------------------------------------


def test_report_from_a_facility_goes_to_its_active_post(reporter, facility_a, post_a):
    PolicePost.objects.create(
        code="POST-A-PLANNED",
        facility=facility_a,
        police_department=post_a.police_department,
        status=PolicePost.Status.PLANNED,
    )
    assert submit(reporter, facility_a).police_post == post_a


def test_facility_without_an_active_post_falls_back_to_its_district_police(db):
    post = factories.PolicePostFactory(status=PolicePost.Status.PLANNED)
    nurse = factories.make_reporter(post.facility)
    incident = submit(nurse, post.facility)
    assert incident.police_post is None
    assert incident.police_department == post.facility.district.police_department


def test_ambulance_crew_at_a_patients_home_goes_to_that_districts_police(db):
    station = factories.PolicePostFactory(facility=factories.FacilityFactory(kind="ambulance")).facility
    elsewhere = factories.PoliceDepartmentFactory()
    paramedic = factories.make_reporter(station, profession=Profession.PARAMEDIC)
    for place in (Place.PATIENT_HOME, Place.STREET):
        incident = submit(
            paramedic,
            station,
            report=report_for(station, place=place, district=elsewhere.district, address="мкр. Орбита-1, 5"),
        )
        assert incident.police_post is None
        assert incident.police_department == elsewhere
        assert incident.district == elsewhere.district


def test_away_from_the_facility_without_a_district_uses_the_facilitys_district(reporter, facility_a):
    incident = submit(reporter, facility_a, report=report_for(facility_a, place=Place.STREET))
    assert incident.police_post is None
    assert incident.police_department.district == facility_a.district


def test_no_police_for_the_district_is_a_clear_error(reporter, facility_a):
    nowhere = factories.DistrictFactory()
    with pytest.raises(routing.RoutingError):
        routing.incident_route(facility=facility_a, place=Place.STREET, district=nowhere)
