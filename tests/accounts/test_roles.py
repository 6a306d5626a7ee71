import importlib
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection

from accounts.models import Role


def test_every_role_has_a_group_with_permissions(db):
    groups = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    assert set(groups) >= {role.value for role in Role}
    assert groups["reporter"] == {"report_incident"}
    assert groups["facility_lead"] == {"report_incident", "view_facility_incidents", "view_facility"}
    assert groups["police_officer"] == {"work_case", "view_facility"}
    assert groups["ministry_analyst"] == {"view_statistics"}
    assert {"change_facility", "view_statistics", "view_facility"} <= groups["administrator"]
    # Administrators use admin: reporting and case work are not theirs.
    assert not {"report_incident", "view_facility_incidents", "work_case"} & groups["administrator"]


def test_login_page_renders_in_russian_by_default(db):
    from django.test import Client

    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert 'lang="ru"' in response.content.decode()


def test_the_migration_takes_case_work_from_administrators_and_nothing_else(db):
    migration = importlib.import_module("accounts.migrations.0003_administrators_without_case_work")
    administrators = Group.objects.get(name=Role.ADMINISTRATOR)
    role_only = Permission.objects.filter(
        content_type__app_label="incidents", codename__in=["report_incident", "view_facility_incidents", "work_case"]
    )
    administrators.permissions.add(*role_only)  # as the group was before
    before = set(administrators.permissions.values_list("codename", flat=True))
    officers = set(Group.objects.get(name=Role.POLICE_OFFICER).permissions.all())

    migration.remove_role_permissions(apps, SimpleNamespace(connection=connection))

    after = set(administrators.permissions.values_list("codename", flat=True))
    assert after == before - {"report_incident", "view_facility_incidents", "work_case"}
    assert set(Group.objects.get(name=Role.POLICE_OFFICER).permissions.all()) == officers
