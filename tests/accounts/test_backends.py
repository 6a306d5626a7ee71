"""The model backend reads a user's own and their groups' permissions in one query, with Django's answers."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from accounts.backends import OneQueryModelBackend
from accounts.models import User

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # permissions are cached per user object


def test_own_and_group_permissions_in_one_query_as_django_reads_them(facility_lead, django_assert_num_queries):
    facility_lead.user_permissions.add(Permission.objects.get(codename="view_district"))

    user = fresh(facility_lead)

    with django_assert_num_queries(1):
        ours = OneQueryModelBackend().get_all_permissions(user)
        assert OneQueryModelBackend().get_all_permissions(user) == ours  # the second time from the cache

    assert ours == ModelBackend().get_all_permissions(fresh(facility_lead))
    assert {"incidents.report_incident", "incidents.view_facility_incidents", "facilities.view_district"} <= ours


def test_inactive_users_and_superusers_get_djangos_answer(reporter, superuser):
    reporter.is_active = False

    assert OneQueryModelBackend().get_all_permissions(reporter) == set()
    assert OneQueryModelBackend().get_all_permissions(fresh(superuser)) == ModelBackend().get_all_permissions(
        fresh(superuser)
    )
