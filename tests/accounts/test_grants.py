"""Who may grant a role or a membership (`accounts/grants.py`)."""

from accounts.grants import SELF_GRANT, SUPERUSER_ONLY, grant_refusal, holds_a_case_role, role_grant_refusal
from accounts.models import FacilityMembership, Role
from tests import factories


def test_nobody_grants_themselves_anything_superusers_included(administrator, superuser):
    for granter in (administrator, superuser):
        assert grant_refusal(granter=granter, grantee_id=granter.pk, opens_cases=False) == str(SELF_GRANT)
        assert role_grant_refusal(granter=granter, grantee_id=granter.pk, added_roles=[Role.REPORTER]) == str(
            SELF_GRANT
        )


def test_only_a_superuser_grants_what_opens_cases(administrator, superuser, reporter):
    for role in (Role.POLICE_OFFICER, Role.FACILITY_LEAD):
        assert role_grant_refusal(granter=administrator, grantee_id=reporter.pk, added_roles=[role]) == str(
            SUPERUSER_ONLY
        )
        assert role_grant_refusal(granter=superuser, grantee_id=reporter.pk, added_roles=[role]) is None
    assert grant_refusal(granter=administrator, grantee_id=None, opens_cases=True) == str(SUPERUSER_ONLY)


def test_an_administrator_grants_the_other_roles_to_others(administrator, reporter):
    for role in (Role.REPORTER, Role.MINISTRY_ANALYST, Role.ADMINISTRATOR):
        assert role_grant_refusal(granter=administrator, grantee_id=reporter.pk, added_roles=[role]) is None
    assert role_grant_refusal(granter=administrator, grantee_id=administrator.pk, added_roles=[]) is None


def test_holders_of_a_case_role_are_told_by_role_or_membership(officer, facility_lead, reporter, facility_a):
    lead_by_membership = factories.UserFactory(username="member-lead")
    FacilityMembership.objects.create(user=lead_by_membership, facility=facility_a, is_lead=True)

    assert holds_a_case_role(officer) and holds_a_case_role(facility_lead) and holds_a_case_role(lead_by_membership)
    assert not holds_a_case_role(reporter)
