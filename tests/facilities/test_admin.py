"""The facilities' admin (`facilities/admin.py`): sample facilities flagged, audit fields read-only, planned posts
opened by an action."""

from django.urls import reverse

from facilities.models import PolicePost
from tests import factories


def test_sample_facilities_are_flagged_in_the_changelist(client, administrator):
    factories.FacilityFactory(is_sample=True, code="sample-x")
    factories.FacilityFactory(is_sample=False, code="real-x")
    client.force_login(administrator)

    html = client.get(reverse("admin:facilities_facility_changelist"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert html.count('<strong style="color:#b02a37">SAMPLE</strong>') == 1


def test_audit_fields_are_read_only(client, administrator, facility_a):
    client.force_login(administrator)

    html = client.get(reverse("admin:facilities_facility_change", args=[facility_a.pk])).content.decode()

    assert 'name="created_at"' not in html and 'name="updated_at"' not in html
    assert 'name="name_ru"' in html


def test_the_activate_action_opens_planned_posts(client, administrator):
    planned = factories.PolicePostFactory(status=PolicePost.Status.PLANNED, opened_on=None)
    client.force_login(administrator)

    response = client.post(
        reverse("admin:facilities_policepost_changelist"), {"action": "activate", "_selected_action": [planned.pk]}
    )

    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.status == PolicePost.Status.ACTIVE
    assert planned.opened_on is not None
