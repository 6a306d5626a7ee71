from django.contrib.auth.models import Group

from accounts.models import Role


def test_every_role_has_a_group_with_permissions(db):
    groups = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    assert set(groups) >= {role.value for role in Role}
    assert groups["reporter"] == {"report_incident"}
    assert groups["police_officer"] == {"work_case"}
    assert groups["ministry_analyst"] == {"view_statistics"}
    assert "change_facility" in groups["administrator"]


def test_login_page_renders_in_russian_by_default(db):
    from django.test import Client

    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert 'lang="ru"' in response.content.decode()
