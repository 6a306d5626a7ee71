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
    # Nor is the roster linked from their inbox (the senior's link: the first test).
    assert f"/alarms/roster/{post_a.code}/" not in client.get("/alarms/").text


def test_the_senior_gets_404_for_another_post_and_for_an_unknown_code(client, senior, post_a, post_b):
    client.force_login(senior)
    assert client.get(f"/alarms/roster/{post_a.code}/").status_code == 200  # control
    assert client.get(f"/alarms/roster/{post_b.code}/").status_code == 404
    assert client.get("/alarms/roster/NO-SUCH-POST/").status_code == 404


def test_an_officer_of_another_post_cannot_be_put_on_this_roster(client, senior, other_officer, post_a):
    client.force_login(senior)
    response = client.post(f"/alarms/roster/{post_a.code}/", {"officer": other_officer.pk, "on_duty": "1"})
    assert response.status_code == 302
    assert not DutyEntry.objects.filter(officer=other_officer).exists()
    for junk in ("1\x00", "abc", "", "99999999999999999999"):
        bad = client.post(f"/alarms/roster/{post_a.code}/", {"officer": junk, "on_duty": "1"}, follow=True)
        assert bad.status_code == 200 and "This officer does not belong to the post." in bad.text
    assert not DutyEntry.objects.filter(on_duty=True).exists()


def test_a_deactivated_officer_cannot_be_put_on_duty(client, senior, officer, post_a):
    client.force_login(senior)
    client.post(f"/alarms/roster/{post_a.code}/", {"officer": officer.pk, "on_duty": "1"})
    assert DutyEntry.objects.get(officer=officer).on_duty  # control: while active
    client.post(f"/alarms/roster/{post_a.code}/", {"officer": officer.pk, "on_duty": "0"})
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    response = client.post(f"/alarms/roster/{post_a.code}/", {"officer": officer.pk, "on_duty": "1"}, follow=True)
    assert "This officer does not belong to the post." in response.text
    assert not DutyEntry.objects.get(officer=officer).on_duty


def test_a_reporter_gets_403(client, reporter, post_a):
    client.force_login(reporter)
    assert client.get(f"/alarms/roster/{post_a.code}/").status_code == 403
