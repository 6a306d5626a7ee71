"""`incidents/access.py`: the officer's scope asked of one row agrees with the query it builds."""

from accounts.models import PoliceDepartmentAssignment
from incidents import access
from incidents.models import Incident
from tests import factories


def test_the_scope_of_a_row_and_the_query_agree(officer, other_officer, analyst, facility_a, facility_b, post_a):
    without_post = factories.FacilityFactory(district=facility_a.district)
    district_officer = factories.make_officer(post_a, username="district")
    district_officer.post_assignments.all().delete()
    PoliceDepartmentAssignment.objects.create(user=district_officer, police_department=post_a.police_department)
    incidents = [
        factories.IncidentFactory(facility=facility_a),
        factories.IncidentFactory(facility=facility_b),
        factories.IncidentFactory(facility=without_post),
    ]
    assert incidents[2].police_post is None and incidents[2].police_department == post_a.police_department

    for user in (officer, other_officer, district_officer, analyst):
        scope = access.officer_scope(user)
        queried = set(access.incidents_for_officer(user).values_list("pk", flat=True))
        assert {i.pk for i in incidents if scope.covers(i)} == queried
        assert {i.pk for i in incidents if access.can_read_in_admin(scope, i)} == queried
    assert {i.pk for i in Incident.objects.filter(access.officer_scope(officer).as_q())} == {incidents[0].pk}
    assert not access.can_read_in_admin(access.officer_scope(officer), None)


def test_a_victims_name_is_hidden_only_when_it_is_the_confidential_reporters(facility_a):
    incident = factories.IncidentFactory(facility=facility_a)
    reporter = incident.victims.create(is_reporter=True, full_name="Aigerim Reporter", role="nurse")
    colleague = incident.victims.create(is_reporter=False, full_name="Dana Colleague", role="nurse")
    assert access.victim_name_shown(reporter, show_reporter=False) == ""
    assert access.victim_name_shown(reporter, show_reporter=True) == "Aigerim Reporter"
    assert access.victim_name_shown(colleague, show_reporter=False) == "Dana Colleague"
