"""The facility a member of several facilities acts from: the one they joined first, or the one they name."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from accounts.models import FacilityMembership
from alarms.models import Alarm
from api.authentication import token_issue
from facilities.selectors import member_facility
from tests import factories


@pytest.fixture
def nurse_of_two(facility_a, facility_b):
    """A nurse of facility B since last year who also joined facility A (the lower id) this week."""
    nurse = factories.make_reporter(facility_b, username="dana")
    FacilityMembership.objects.create(user=nurse, facility=facility_a)
    now = timezone.now()
    FacilityMembership.objects.filter(user=nurse, facility=facility_b).update(created_at=now - dt.timedelta(days=365))
    FacilityMembership.objects.filter(user=nurse, facility=facility_a).update(created_at=now - dt.timedelta(days=2))
    assert facility_a.pk < facility_b.pk
    return nurse


def test_the_facility_joined_first_is_chosen(nurse_of_two, facility_b):
    assert member_facility(nurse_of_two) == facility_b


def test_a_named_facility_of_the_member_is_chosen(nurse_of_two, facility_a):
    assert member_facility(nurse_of_two, code=facility_a.code) == facility_a


def test_a_facility_of_which_the_user_is_no_member_is_none(nurse_of_two):
    other = factories.PolicePostFactory(code="POST-C").facility
    assert member_facility(nurse_of_two, code=other.code) is None


def test_an_inactive_facility_is_skipped(nurse_of_two, facility_a, facility_b):
    facility_b.is_active = False
    facility_b.save(update_fields=["is_active"])
    assert member_facility(nurse_of_two) == facility_a
    assert member_facility(nurse_of_two, code=facility_b.code) is None


def test_the_sos_page_and_the_api_raise_from_the_same_facility(nurse_of_two, facility_b, client):
    client.force_login(nurse_of_two)
    assert client.post("/alarms/sos/", {"idempotency_key": str(uuid.uuid4())}).status_code == 302
    response = client.post(
        "/api/v1/alarms/",
        data={},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_issue(user=nurse_of_two)}",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 201, response.content
    assert [alarm.facility for alarm in Alarm.objects.order_by("pk")] == [facility_b, facility_b]
