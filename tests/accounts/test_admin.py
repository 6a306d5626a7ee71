"""Django admin for accounts (`accounts/admin.py`): the administrator role opens it through group permissions, on the
demo data too; others are sent to its login; a group administrator cannot make or edit a superuser."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts.models import PostAssignment, User
from facilities.models import Facility
from tests import factories
from tests.conftest import login_with_password

DEMO_PASSWORD = "demo-password-for-admin-tests"
CHANGELISTS = (
    "facilities_facility",
    "facilities_policepost",
    "facilities_district",
    "facilities_department",
    "facilities_policedepartment",
    "accounts_user",
    "accounts_facilitymembership",
    "accounts_postassignment",
    "accounts_policedepartmentassignment",
)


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setenv("QORGAU_DEMO_PASSWORD", DEMO_PASSWORD)
    with translation.override("en"):
        call_command("load_demo", stdout=StringIO())


def test_the_demo_administrator_opens_admin_through_group_permissions(client, demo):
    admin_user = User.objects.get(username="admin")
    assert not admin_user.is_superuser and not admin_user.user_permissions.exists()
    assert login_with_password(client, "admin", DEMO_PASSWORD)

    for name in CHANGELISTS:
        response = client.get(reverse(f"admin:{name}_changelist"))
        assert response.status_code == 200, name
    facility = Facility.objects.get(code="ala-gkb-7")
    user = User.objects.get(username="nurse")
    assert client.get(reverse("admin:facilities_facility_change", args=[facility.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_user_change", args=[user.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200


def test_admin_search_and_filters_work_on_the_demo_data(client, demo):
    login_with_password(client, "admin", DEMO_PASSWORD)

    found = client.get(reverse("admin:facilities_policepost_changelist"), {"q": "ALA-PP-03"})
    samples = client.get(reverse("admin:facilities_facility_changelist"), {"is_sample__exact": "1"})
    users = client.get(reverse("admin:accounts_user_changelist"), {"role": "police_officer"})

    assert [post.code for post in found.context["cl"].result_list] == ["ALA-PP-03"]
    assert all(f.is_sample for f in samples.context["cl"].result_list)
    assert samples.context["cl"].result_count == Facility.objects.filter(is_sample=True).count()
    assert {u.username for u in users.context["cl"].result_list} == {
        "officer",
        "officer2",
        "district_officer",
        "street_officer",
    }
    listing = client.get(reverse("admin:accounts_user_changelist"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Facility lead, Reporter (medical staff)" in listing and "Ministry analyst" in listing


@pytest.mark.parametrize("persona", ["reporter", "facility_lead", "officer", "analyst"])
def test_non_administrators_are_sent_to_the_admin_login(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert client.get(reverse("admin:facilities_facility_changelist")).status_code == 302


def test_a_group_administrator_cannot_grant_superuser_or_edit_a_superuser(client, administrator, reporter):
    superuser = User.objects.create_superuser("root", "root@example.com", "x-root-password")
    client.force_login(administrator)

    form = client.get(reverse("admin:accounts_user_change", args=[reporter.pk])).content.decode()
    blocked = client.post(reverse("admin:accounts_user_change", args=[superuser.pk]), {"username": "taken"})

    assert 'name="groups"' in form
    assert 'name="is_superuser"' not in form and 'name="user_permissions"' not in form
    assert blocked.status_code == 403
    superuser.refresh_from_db()
    assert superuser.username == "root"


def test_administrators_manage_roles_and_memberships_in_the_user_form(client, administrator, facility_a, post_a):
    user = factories.UserFactory(username="newcomer")
    client.force_login(administrator)
    reporter_group = Group.objects.get(name="reporter")
    data = {
        "username": "newcomer",
        "first_name": "Асель",
        "last_name": "Нурова",
        "middle_name": "",
        "email": "",
        "profession": "midwife",
        "phone": "+7 700 000 00 00",
        "is_active": "on",
        "groups": [reporter_group.pk],
        "facility_memberships-TOTAL_FORMS": "1",
        "facility_memberships-INITIAL_FORMS": "0",
        "facility_memberships-0-facility": facility_a.pk,
        "facility_memberships-0-department": "",
        "post_assignments-TOTAL_FORMS": "0",
        "post_assignments-INITIAL_FORMS": "0",
        "department_assignments-TOTAL_FORMS": "0",
        "department_assignments-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.is_reporter and user.profession == "midwife"
    assert list(user.facility_memberships.values_list("facility", flat=True)) == [facility_a.pk]


def test_admin_edits_a_users_phone_as_typed_and_their_contact_choice(client, administrator, reporter):
    client.force_login(administrator)
    url = reverse("admin:accounts_user_change", args=[reporter.pk])
    form = client.get(url).context["adminform"].form
    assert {"phone", "contact_only_through_qorgau"} <= set(form.fields)
    assert form.fields["phone"].clean("8 701 123 45 67") == "+77011234567"


def _user_form(user, **changes) -> dict:
    """The user change form as admin renders it for `user`, with `changes`, and empty membership inlines."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "middle_name": "",
        "email": user.email,
        "profession": user.profession,
        "phone": "",
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "groups": [group.pk for group in user.groups.all()],
    }
    for prefix in ("facility_memberships", "post_assignments", "department_assignments"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return {key: value for key, value in (data | changes).items() if value != ""}


def _post_row(post) -> dict:
    return {"post_assignments-TOTAL_FORMS": "1", "post_assignments-0-post": post.pk}


def _errors(response) -> str:
    return response.content.decode() if response.status_code == 200 else ""


def test_an_administrator_cannot_make_themselves_a_police_officer(client, administrator, post_a):
    """The audit's finding: the officer role and a post added to one's own account, then other posts' cases."""
    client.force_login(administrator)
    officers = Group.objects.get(name="police_officer")
    url = reverse("admin:accounts_user_change", args=[administrator.pk])

    by_role = client.post(url, _user_form(administrator, groups=[*_user_form(administrator)["groups"], officers.pk]))
    by_post = client.post(url, _user_form(administrator) | _post_row(post_a))

    assert by_role.status_code == 200 and "Nobody may grant themselves" in _errors(by_role)
    assert by_post.status_code == 200 and "Nobody may grant themselves" in _errors(by_post)
    administrator.refresh_from_db()
    assert not administrator.groups.filter(name="police_officer").exists()
    assert not administrator.post_assignments.exists()


def test_a_superuser_cannot_grant_themselves_a_role_either(client, superuser):
    client.force_login(superuser)
    analysts = Group.objects.get(name="ministry_analyst")

    response = client.post(
        reverse("admin:accounts_user_change", args=[superuser.pk]),
        _user_form(superuser, groups=[analysts.pk], is_superuser="on"),
    )

    assert response.status_code == 200 and "Nobody may grant themselves" in _errors(response)
    assert not superuser.groups.exists()


def test_only_a_superuser_grants_the_officer_role_and_a_post(client, administrator, superuser, post_a):
    colleague = factories.UserFactory(username="colleague")
    officers = Group.objects.get(name="police_officer")
    url = reverse("admin:accounts_user_change", args=[colleague.pk])
    client.force_login(administrator)

    refused_role = client.post(url, _user_form(colleague, groups=[officers.pk]))
    refused_post = client.post(url, _user_form(colleague) | _post_row(post_a))
    colleague.refresh_from_db()
    assert "Only a superuser can grant" in _errors(refused_role) and "Only a superuser can grant" in _errors(
        refused_post
    )
    assert not colleague.groups.exists() and not colleague.post_assignments.exists()

    client.force_login(superuser)
    granted = client.post(url, _user_form(colleague, groups=[officers.pk]) | _post_row(post_a))

    assert granted.status_code == 302
    assert colleague.groups.filter(name="police_officer").exists()
    assert list(colleague.post_assignments.values_list("post", flat=True)) == [post_a.pk]


def test_an_administrator_cannot_make_a_facility_lead(client, administrator, facility_a):
    colleague = factories.UserFactory(username="colleague")
    client.force_login(administrator)
    row = {
        "facility_memberships-TOTAL_FORMS": "1",
        "facility_memberships-0-facility": facility_a.pk,
        "facility_memberships-0-is_lead": "on",
    }

    refused = client.post(reverse("admin:accounts_user_change", args=[colleague.pk]), _user_form(colleague) | row)

    assert "Only a superuser can grant" in _errors(refused)
    assert not colleague.facility_memberships.exists()


def test_memberships_in_their_own_admins_and_the_post_page_are_checked_too(client, administrator, post_a, reporter):
    client.force_login(administrator)

    own_post = client.post(reverse("admin:accounts_postassignment_add"), {"user": administrator.pk, "post": post_a.pk})
    other_post = client.post(reverse("admin:accounts_postassignment_add"), {"user": reporter.pk, "post": post_a.pk})
    on_the_post_page = client.post(
        reverse("admin:facilities_policepost_change", args=[post_a.pk]),
        {
            "code": post_a.code,
            "facility": post_a.facility_id,
            "police_department": post_a.police_department_id,
            "phone": post_a.phone,
            "email": post_a.email,
            "round_the_clock": "on",
            "status": post_a.status,
            "opened_on": post_a.opened_on.isoformat(),
            "assignments-TOTAL_FORMS": "1",
            "assignments-INITIAL_FORMS": "0",
            "assignments-0-user": administrator.pk,
        },
    )
    own_facility = client.post(
        reverse("admin:accounts_facilitymembership_add"), {"user": administrator.pk, "facility": post_a.facility_id}
    )

    assert "Nobody may grant themselves" in _errors(own_post)
    assert "Only a superuser can grant" in _errors(other_post)
    assert "Nobody may grant themselves" in _errors(on_the_post_page)
    assert "Nobody may grant themselves" in _errors(own_facility)
    assert not PostAssignment.objects.filter(user__in=[administrator, reporter]).exists()
    assert not administrator.facility_memberships.exists()


def test_an_administrator_adds_an_ordinary_membership_for_someone_else(client, administrator, facility_b, reporter):
    """The control of the refusals above: a reporter's facility is an administrator's to grant."""
    client.force_login(administrator)

    response = client.post(
        reverse("admin:accounts_facilitymembership_add"), {"user": reporter.pk, "facility": facility_b.pk}
    )

    assert response.status_code == 302
    assert reporter.facility_memberships.filter(facility=facility_b).exists()


def test_only_a_superuser_changes_the_roles_groups(client, administrator, superuser):
    group = Group.objects.get(name="administrator")
    work_case = Permission.objects.get(codename="work_case")
    url = reverse("admin:auth_group_change", args=[group.pk])
    client.force_login(administrator)

    assert client.get(url).status_code == 200  # seen
    refused = client.post(url, {"name": "administrator", "permissions": [work_case.pk]})

    assert refused.status_code == 403
    assert not group.permissions.filter(codename="work_case").exists()
    client.force_login(superuser)
    assert client.get(url).status_code == 200 and 'name="permissions"' in client.get(url).content.decode()


def test_an_administrator_cannot_take_over_an_officers_account(client, administrator, officer, reporter):
    client.force_login(administrator)

    password = client.post(
        reverse("admin:auth_user_password_change", args=[officer.pk]),
        {"password1": "new-Passw0rd-for-officer", "password2": "new-Passw0rd-for-officer"},
    )
    email = client.post(
        reverse("admin:accounts_user_change", args=[officer.pk]), _user_form(officer, email="mine@example.com")
    )
    control = client.get(reverse("admin:auth_user_password_change", args=[reporter.pk]))

    assert password.status_code == 403
    officer.refresh_from_db()
    assert officer.check_password(factories.PASSWORD) and officer.email != "mine@example.com"
    assert email.status_code in (200, 302)
    assert control.status_code == 200
