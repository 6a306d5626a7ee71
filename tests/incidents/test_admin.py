"""The incidents' admin (`incidents/admin.py`)."""

import pytest
from django.urls import reverse

from incidents.models import CaseSearch, Notice
from incidents.selectors.search import search_query_parse
from incidents.services.search import case_search
from tests import factories
from tests.incidents.notice_support import tagged_incident
from tests.incidents.search_support import OTHER_IIN, SUSPECT_IIN


@pytest.fixture
def incident(reporter, facility_a, post_a):
    return tagged_incident(reporter, facility_a)


def test_admin_can_rerun_failed_notice(client, incident, django_capture_on_commit_callbacks):
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    notice = Notice.objects.create(
        incident=incident, version=incident.version, status=Notice.Status.FAILED, error="OSError: disk full", attempts=5
    )
    client.force_login(admin)
    changelist = reverse("admin:incidents_notice_changelist")
    assert "disk full" in client.get(reverse("admin:incidents_notice_change", args=[notice.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "rerun_notices", "_selected_action": [notice.pk]})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == Notice.Status.READY


def test_admin_lists_failed_notices_with_their_automatic_reruns(client, incident, settings):
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    Notice.objects.create(
        incident=incident,
        version=incident.version,
        status=Notice.Status.FAILED,
        error="OSError: disk full",
        auto_reruns=settings.QORGAU_NOTICE_AUTO_RERUNS,
    )
    client.force_login(admin)
    changelist = reverse("admin:incidents_notice_changelist")
    html = client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert "disk full" in html and "column-auto_reruns" in html and "column-failed_at" in html


def test_the_search_audit_log_is_read_only_and_found_by_the_name_or_iin_searched(client, administrator, officer):
    case_search(user=officer, query=search_query_parse(SUSPECT_IIN))
    case_search(user=officer, query=search_query_parse("Семёнов Пётр"))
    case_search(user=officer, query=search_query_parse("ALA-2026-0001"))
    by_iin, by_name, by_reference = CaseSearch.objects.order_by("pk")
    client.force_login(administrator)
    changelist = reverse("admin:incidents_casesearch_changelist")

    def listed(term):
        return set(client.get(changelist, {"q": term}).context["cl"].result_list)

    assert listed(SUSPECT_IIN) == {by_iin}
    assert listed("semenov petr") == {by_name}  # any spelling of the name
    assert listed("ALA-2026") == {by_reference}
    assert listed(OTHER_IIN) == set()
    assert client.get(reverse("admin:incidents_casesearch_change", args=[by_iin.pk])).status_code == 200
    assert client.post(reverse("admin:incidents_casesearch_delete", args=[by_iin.pk])).status_code == 403
    assert client.get(reverse("admin:incidents_casesearch_add")).status_code == 403
