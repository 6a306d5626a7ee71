"""The request guards of common/middleware.py: methods no page serves, NUL characters in the address, and admin
bulk actions on ids that are not ids (issue 10, low: 500s and method handling)."""

import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse

from common.problems import PROBLEM_CONTENT_TYPE
from common.views import bad_request
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("method", ["put", "delete", "trace", "patch", "options"])
def test_a_method_no_page_serves_is_refused_before_the_login_redirect(client, method):
    response = getattr(client, method)(reverse("incidents:case_inbox"))
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}


@pytest.mark.parametrize("method", ["put", "delete", "trace", "patch"])
def test_admin_refuses_methods_it_does_not_serve(client, superuser, method):
    client.force_login(superuser)
    assert getattr(client, method)(reverse("admin:accounts_user_changelist")).status_code == 405


@pytest.mark.parametrize(
    "query",
    [{"q": "ali\x00ce"}, {"status__exact": "\x00"}, {"is_staff__exact": "1\x00"}, {"o": "\x00"}, {"q": ["\x00", "a"]}],
)
def test_a_nul_in_an_admin_list_filter_is_a_bad_request(client, superuser, incident, query):
    client.force_login(superuser)
    for url in (reverse("admin:incidents_incident_changelist"), reverse("admin:accounts_user_changelist")):
        response = client.get(url, query, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "The request could not be understood." in response.content.decode()


def test_the_bad_request_page_is_translated(client, reporter):
    client.force_login(reporter)
    response = client.get(reverse("incidents:my_reports"), {"page": "1\x00"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert "Запрос не удалось понять" in response.content.decode()


def test_a_nul_in_the_path_is_a_bad_request(client, reporter):
    client.force_login(reporter)
    assert client.get("/incidents/reports/1%00/").status_code == 400


def test_an_ordinary_query_passes(client, superuser, incident):
    client.force_login(superuser)
    response = client.get(reverse("admin:incidents_incident_changelist"), {"q": "ALA"})
    assert response.status_code == 200


@pytest.mark.parametrize("selected", [["abc"], ["1", "x"], ["١"], ["99999999999999999999999"], ["1\x01"]])
def test_an_admin_action_on_ids_that_are_not_ids_is_a_bad_request(client, superuser, selected):
    client.force_login(superuser)
    group = Group.objects.create(name="kept")
    post = {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
    for model in ("accounts_user", "auth_group"):
        response = client.post(reverse(f"admin:{model}_changelist"), post, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code in (302, 400), (model, selected, response.status_code)
    assert Group.objects.filter(pk=group.pk).exists()


def test_an_admin_action_on_real_ids_still_runs(client, superuser):
    client.force_login(superuser)
    group = Group.objects.create(name="gone")
    post = {"action": "delete_selected", "_selected_action": [str(group.pk)], "post": "yes"}
    response = client.post(reverse("admin:auth_group_changelist"), post)
    assert response.status_code == 302 and not Group.objects.filter(pk=group.pk).exists()


DATED_ADMINS = sorted(
    (model._meta.label, f"{model_admin.date_hierarchy}__{part}")
    for model, model_admin in admin.site._registry.items()
    if model_admin.date_hierarchy
    for part in ("year", "day")
)


def test_some_admins_have_a_date_hierarchy():
    assert ("incidents.Incident", "submitted_at__year") in DATED_ADMINS


@pytest.mark.parametrize(("label", "param"), DATED_ADMINS)
@pytest.mark.parametrize("value", ["99999999999999999999999", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠"])
def test_a_huge_year_month_or_day_in_an_admin_date_hierarchy_is_a_bad_request(client, superuser, label, param, value):
    client.force_login(superuser)
    app_label, model_name = label.lower().split(".")
    response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"), {param: value})
    assert response.status_code in (302, 400)  # Django's own answer to a date it cannot read is a redirect


def test_a_plain_date_hierarchy_still_works(client, superuser, incident):
    client.force_login(superuser)
    response = client.get(
        reverse("admin:incidents_incident_changelist"), {"submitted_at__year": "2026", "submitted_at__month": "3"}
    )
    assert response.status_code == 200


def test_a_list_filter_value_too_big_for_its_column_is_a_bad_request(client, superuser):
    # auditlog's resource type filter passes the number to the database as it is: SQLite raises OverflowError
    # (400 here), PostgreSQL's backend finds nothing for a number no column holds (an empty list).
    client.force_login(superuser)
    url = reverse("admin:auditlog_logentry_changelist")
    assert client.get(url, {"resource_type": "99999999999999999999"}).status_code in (200, 400)
    assert client.get(url).status_code == 200


def test_an_api_request_gets_the_same_400_problem_from_the_guard_and_from_handler400(client, rf):
    guarded = client.get("/api/v1/facilities/", {"q": "a\x00"}, HTTP_ACCEPT_LANGUAGE="en")
    handled = bad_request(rf.get("/api/v1/facilities/"), SuspiciousOperation("bad"))
    for response in (guarded, handled):
        assert (response.status_code, response["Content-Type"]) == (400, PROBLEM_CONTENT_TYPE)
    assert (
        json.loads(guarded.content)
        == json.loads(handled.content)
        == {
            "type": "urn:qorgau:problem:bad_request",
            "title": "The request is malformed.",
            "status": 400,
        }
    )
