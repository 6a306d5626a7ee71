"""The incidents' admin (`incidents/admin.py`)."""

import pytest
from django.urls import reverse

from incidents.models import Notice
from tests import factories
from tests.incidents.notice_support import tagged_incident


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
