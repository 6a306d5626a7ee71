"""Django admin for accounts (`accounts/admin.py`): the administrator role opens it through group permissions, on the
demo data too; others are sent to its login; a group administrator cannot make or edit a superuser."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts.models import User
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
    assert {u.username for u in users.context["cl"].result_list} == {"officer", "officer2", "district_officer"}
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
