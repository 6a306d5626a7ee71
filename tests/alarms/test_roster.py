"""The post's duty roster: kept by its senior officer on a simple page; the ladder's first step reads it."""

import pytest

from alarms.models import DutyEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def senior(post_a):
    senior = factories.make_officer(post_a, username="senior")
    DutyEntry.objects.create(post=post_a, officer=senior, is_senior=True)
    return senior


def test_senior_officer_puts_an_officer_on_duty_and_off(client, senior, officer, post_a):
    client.force_login(senior)
    page = client.get(f"/alarms/roster/{post_a.code}/")
    assert page.status_code == 200 and str(officer) in page.text
    assert client.post(f"/alarms/roster/{post_a.code}/", {"officer": officer.pk, "on_duty": "1"}).status_code == 302
    entry = DutyEntry.objects.get(post=post_a, officer=officer)
    assert entry.on_duty and entry.changed_by == senior
    client.post(f"/alarms/roster/{post_a.code}/", {"officer": officer.pk, "on_duty": "0"})
    entry.refresh_from_db()
    assert not entry.on_duty
    # The inbox links the roster for its keeper.
    assert f"/alarms/roster/{post_a.code}/" in client.get("/alarms/").text


def test_an_officer_who_is_not_the_senior_gets_404(client, officer, other_officer, senior, post_a):
    client.force_login(officer)
    assert client.get(f"/alarms/roster/{post_a.code}/").status_code == 404
    assert client.post(f"/alarms/roster/{post_a.code}/", {"officer": officer.pk, "on_duty": "1"}).status_code == 404
    assert not DutyEntry.objects.filter(officer=officer).exists()


def test_an_officer_of_another_post_cannot_be_put_on_this_roster(client, senior, other_officer, post_a):
    client.force_login(senior)
    response = client.post(f"/alarms/roster/{post_a.code}/", {"officer": other_officer.pk, "on_duty": "1"})
    assert response.status_code == 302
    assert not DutyEntry.objects.filter(officer=other_officer).exists()
    bad = client.post(f"/alarms/roster/{post_a.code}/", {"officer": "1\x00", "on_duty": "1"})
    assert bad.status_code == 302


def test_a_reporter_gets_403(client, reporter, post_a):
    client.force_login(reporter)
    assert client.get(f"/alarms/roster/{post_a.code}/").status_code == 403
