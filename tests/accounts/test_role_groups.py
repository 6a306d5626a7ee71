import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.models import Role
from accounts.roles import ensure_role_groups


@pytest.mark.django_db(transaction=True)
def test_role_groups_come_back_after_a_flush():
    Group.objects.all().delete()

    call_command("flush", interactive=False, verbosity=0)

    groups = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    assert set(groups) == set(Role.values)
    assert groups["police_officer"] == {"work_case", "view_facility"}
    assert {"change_facility", "change_user", "view_policepost"} <= groups["administrator"]
    assert not {"report_incident", "view_facility_incidents", "work_case"} & groups["administrator"]


def test_running_the_handler_again_adds_nothing(db):
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    ensure_role_groups()

    assert {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()} == before
