"""What the officer's case page shows, and how it labels it."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from incidents.models import Incident, Injury
from tests import factories


@pytest.fixture
def incident(reporter, facility_a, post_a):
    return factories.IncidentFactory(facility=facility_a, reporter=reporter)


def case_page(client, officer, incident, language="en") -> str:
    client.force_login(officer)
    response = client.get(reverse("incidents:case_detail", args=[incident.pk]),
                          headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str, element_id: str) -> str:
    fragment = html.split(f'id="{element_id}"', 1)[1].split(">", 1)[1].split("</", 1)[0]
    return html_lib.unescape(" ".join(fragment.split()))


@pytest.mark.parametrize(("days", "expected"), [(5, "; 5 days of sick leave"), (1, "; 1 day of sick leave")])
def test_sick_leave_days_are_labelled_with_plural(client, officer, incident, days, expected):
    Incident.objects.filter(pk=incident.pk).update(injury=Injury.VISIBLE, sick_leave_days=days)
    injury = text_of(case_page(client, officer, incident), "case-injury")
    assert injury == f"Visible injury (bruise, cut){expected}"


def test_no_sick_leave_shows_the_injury_only(client, officer, incident):
    Incident.objects.filter(pk=incident.pk).update(injury=Injury.PAIN, sick_leave_days=None)
    assert text_of(case_page(client, officer, incident), "case-injury") == "Pain, no visible injury"


def test_sick_leave_label_is_translated(client, officer, incident):
    Incident.objects.filter(pk=incident.pk).update(injury=Injury.VISIBLE, sick_leave_days=5)
    injury = text_of(case_page(client, officer, incident, language="ru"), "case-injury")
    assert re.search(r"5 \w+", injury) and "days of sick leave" not in injury


def test_attackers_count_and_agreement_are_labelled(client, officer, incident):
    Incident.objects.filter(pk=incident.pk).update(attackers_count=2, attackers_agreed="unknown")
    html = case_page(client, officer, incident)
    assert text_of(html, "case-attackers-count") == "2"
    assert text_of(html, "case-attackers-agreed") == "Don't know"
    labels = [" ".join(label.split()) for label in re.findall(r'<dt class="col-5">(.*?)</dt>', html)]
    assert "Number of attackers" in labels and "The attackers acted together by agreement" in labels
    # Each value sits right after its own label.
    assert re.search(r"acted together by agreement</dt>\s*<dd[^>]*id=\"case-attackers-agreed\"", html)
    assert "2 · " not in html
