"""The role gate (accounts/permissions.py): permissions are the check, with one 403/404 policy.

Each denial is paired with a control: the same request by the role that may make it.
"""

import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.models import Role
from accounts.permissions import RoleRequiredMixin, role_required
from tests import factories

pytestmark = pytest.mark.django_db

NOT_REPORTERS = ["officer", "analyst", "administrator", "superuser"]
NOT_OFFICERS = ["reporter", "facility_lead", "analyst", "administrator", "superuser"]
# Each kind of page: a persona whose role uses it, and every persona whose role does not.
KINDS_OF_PAGES = {
    "incidents:report": ("reporter", NOT_REPORTERS),
    "incidents:my_reports": ("reporter", NOT_REPORTERS),
    "incidents:facility_reports": ("facility_lead", ["reporter", *NOT_REPORTERS]),
    "incidents:case_inbox": ("officer", NOT_OFFICERS),
    "incidents:case_inbox_poll": ("officer", NOT_OFFICERS),
    "analytics:dashboard": ("analyst", ["reporter", "facility_lead", "officer"]),
    "facilities:list": ("officer", ["reporter", "analyst"]),
}


@pytest.mark.parametrize(
    ("url_name", "allowed", "denied"),
    [(url_name, allowed, persona) for url_name, (allowed, denied) in KINDS_OF_PAGES.items() for persona in denied],
)
def test_a_kind_of_page_is_403_for_a_role_without_its_permission(client, request, url_name, allowed, denied):
    url = reverse(url_name)
    # Control: the role that uses the page opens it.
    client.force_login(request.getfixturevalue(allowed))
    assert client.get(url).status_code == 200

    client.force_login(request.getfixturevalue(denied))

    assert client.get(url).status_code == 403


def test_anonymous_users_go_to_the_login_page_not_403(client):
    for url_name in KINDS_OF_PAGES:
        response = client.get(reverse(url_name))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), url_name


@pytest.mark.parametrize("persona", NOT_OFFICERS)
def test_a_case_url_is_404_for_every_role_without_case_work(client, request, persona, officer, reporter, facility_a):
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    case_url = reverse("incidents:case_detail", args=[incident.pk])
    # Control: the post's officer opens it.
    client.force_login(officer)
    assert client.get(case_url).status_code == 200

    client.force_login(request.getfixturevalue(persona))
    response = client.get(case_url)

    assert response.status_code == 404
    assert incident.reference not in response.content.decode()


def test_a_superuser_is_an_administrator_unless_given_a_role(superuser, administrator, post_a):
    for user in (superuser, administrator):
        assert user.has_perm("incidents.view_statistics") and user.has_perm("facilities.view_facility")
        assert not user.has_perm("incidents.work_case")
        assert not user.has_perm("incidents.report_incident")
        assert not user.has_perm("incidents.view_facility_incidents")
    assert superuser.has_perm("incidents.change_incident") and superuser.has_perm("auth.change_group")

    superuser.groups.add(Group.objects.get(name=Role.POLICE_OFFICER))
    superuser = type(superuser).objects.get(pk=superuser.pk)  # a fresh object: roles are cached per object

    assert superuser.has_perm("incidents.work_case")
    assert not superuser.has_perm("incidents.report_incident")


def test_a_superuser_given_the_officer_role_opens_the_inbox(client, superuser, officer):
    # Control: an officer opens it, and the superuser without the role does not.
    client.force_login(officer)
    assert client.get(reverse("incidents:case_inbox")).status_code == 200
    client.force_login(superuser)
    assert client.get(reverse("incidents:case_inbox")).status_code == 403

    superuser.groups.add(Group.objects.get(name=Role.POLICE_OFFICER))

    assert client.get(reverse("incidents:case_inbox")).status_code == 200


def test_a_misspelt_permission_is_refused_when_the_view_is_defined():
    with pytest.raises(ImproperlyConfigured):
        role_required("incidents.work_cases")
    with pytest.raises(ImproperlyConfigured):
        type("Gate", (RoleRequiredMixin,), {"permission_required": "facilities.view_facilities"})
    # Control: the right names are accepted.
    role_required("incidents.work_case")
    type("Gate", (RoleRequiredMixin,), {"permission_required": "facilities.view_facility"})


@pytest.mark.parametrize("persona", NOT_REPORTERS)
def test_the_report_forms_autosave_says_403_in_json_to_a_role_without_reporting(client, request, persona, reporter):
    url = reverse("incidents:draft_save")
    # Control: a reporter's autosave is stored.
    client.force_login(reporter)
    assert client.post(url, {"draft_key": str(uuid.uuid4())}).json()["saved"] is True

    client.force_login(request.getfixturevalue(persona))
    response = client.post(url, {"draft_key": str(uuid.uuid4())})

    assert response.status_code == 403
    assert response.json() == {"saved": False, "reason": "forbidden"}
