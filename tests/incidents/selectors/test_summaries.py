"""The inbox's cached summary of a scope (incidents/selectors/summaries.py): read from the cache between writes,
read afresh after every write that changes a case's status, deadline or post."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from incidents.models import Status
from incidents.services import cases

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def poll(client) -> dict:
    return client.get(reverse("incidents:case_inbox_poll")).json()


def test_a_case_action_shows_in_the_next_poll_and_inbox(client, officer, incident, django_capture_on_commit_callbacks):
    client.force_login(officer)
    assert poll(client)["counts"][Status.SUBMITTED] == 1  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        cases.case_acknowledge(incident=incident, actor=officer, expected_version=incident.version)

    counts = poll(client)["counts"]
    assert (counts[Status.SUBMITTED], counts[Status.ACKNOWLEDGED]) == (0, 1)
    inbox = client.get(reverse("incidents:case_inbox"))
    assert inbox.context["counts"][Status.ACKNOWLEDGED] == 1


def test_a_handed_over_case_leaves_the_old_posts_counts(client, officer, other_officer, incident, post_b):
    client.force_login(officer)
    assert poll(client)["latest_id"] == incident.pk

    cases.case_hand_over(incident=incident, actor=officer, expected_version=incident.version, post=post_b)

    after = poll(client)
    assert after["latest_id"] is None and after["counts"][Status.SUBMITTED] == 0
    client.force_login(other_officer)
    assert poll(client)["latest_id"] == incident.pk


def test_a_row_changed_behind_the_services_back_is_not_seen_until_the_cache_expires(client, officer, incident):
    # What the cache trades: a write that bypasses the services (here a bare UPDATE) is seen only after
    # QORGAU_INBOX_POLL_SECONDS. Every service write replaces the scope's generation.
    client.force_login(officer)
    assert poll(client)["counts"][Status.SUBMITTED] == 1
    type(incident).objects.filter(pk=incident.pk).update(status=Status.CLOSED)
    assert poll(client)["counts"][Status.SUBMITTED] == 1
    cache.clear()
    assert poll(client)["counts"][Status.SUBMITTED] == 0


def test_the_poll_says_whether_anything_came_since_the_newest_case_the_page_has(client, officer, incident):
    client.force_login(officer)
    url = reverse("incidents:case_inbox_poll")
    assert client.get(url, {"since": incident.pk}).json()["changed"] is False
    assert client.get(url, {"since": incident.pk - 1}).json()["changed"] is True
    assert client.get(url).json()["changed"] is True
