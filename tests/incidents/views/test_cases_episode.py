"""Issue 19: officers link an earlier report of the same suspect as one continuing episode (CC 12 p.3)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from incidents.models import Act, EpisodeLink, Injury
from incidents.services.tagging import incident_assess, part_override_set
from legal.facts import ALMATY
from tests.factories import IncidentFactory
from tests.legal.factories import AttackerFactory, make_iin

pytestmark = pytest.mark.django_db

MAY = dt.datetime(2026, 5, 4, 10, 0, tzinfo=ALMATY)


def pair(facility):
    iin = make_iin(serial=77)
    earlier = IncidentFactory(
        facility=facility, act=Act.VIOLENCE, injury=Injury.PAIN, occurred_at=MAY - dt.timedelta(hours=3)
    )
    AttackerFactory(incident=earlier, iin_value=iin)
    incident_assess(incident=earlier, trigger="submitted")
    later = IncidentFactory(facility=facility, act=Act.THREAT, occurred_at=MAY)
    AttackerFactory(incident=later, iin_value=iin)
    incident_assess(incident=later, trigger="submitted")
    later.refresh_from_db()
    return earlier, later


def test_case_page_offers_the_link_only_with_a_repeat(client, officer, facility_a, incident):
    client.force_login(officer)
    page = client.get(reverse("incidents:case_detail", args=[incident.pk])).content.decode()
    assert 'id="action-episode"' not in page
    earlier, later = pair(facility_a)
    body = client.get(reverse("incidents:case_detail", args=[later.pk])).content.decode()
    assert 'id="action-episode"' in body
    # The form, on its own page (fetched into the section when opened), offers the earlier report.
    form = client.get(reverse("incidents:case_action", args=[later.pk, "episode"]), {"partial": "form"})
    assert 'id="form-episode"' in form.content.decode() and f'value="{earlier.reference}"' in form.content.decode()


def test_officer_links_the_reports_and_the_part_loses_the_repeat(client, officer, facility_a):
    earlier, later = pair(facility_a)
    assert later.legal_part == 2
    client.force_login(officer)
    response = client.post(
        reverse("incidents:case_action", args=[later.pk, "episode"]),
        {"episode-version": later.version, "episode-earlier": earlier.reference, "episode-linked": "1"},
    )
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.legal_part == 1 and EpisodeLink.objects.filter(incident=later, earlier=earlier).exists()


def test_an_unknown_reference_is_a_form_error_not_a_500(client, officer, facility_a):
    _, later = pair(facility_a)
    client.force_login(officer)
    response = client.post(
        reverse("incidents:case_action", args=[later.pk, "episode"]),
        {"episode-version": later.version, "episode-earlier": "ALA-1999-000001", "episode-linked": "1"},
    )
    assert response.status_code in (200, 400)
    assert not EpisodeLink.objects.exists()


def test_case_page_shows_the_attackers_age_band_and_a_minors_penalty(client, officer, facility_a):
    item = IncidentFactory(facility=facility_a, act=Act.THREAT, occurred_at=MAY)
    AttackerFactory(incident=item, minor="yes", under_16="yes", birth_date=dt.date(2011, 1, 2), not_of_sound_mind=True)
    incident_assess(incident=item, trigger="submitted")
    part_override_set(incident=item, part=3, reason="Толкнул", actor=officer)
    client.force_login(officer)
    with translation.override("en"):
        body = client.get(reverse("incidents:case_detail", args=[item.pk])).content.decode()
    assert "under 16" in body and "not of sound mind" in body
    # The computed part 1 and the officer's part 3: each with the minor's range beside the part's own.
    assert body.count("Penalty for a minor (CC art. 81)") == 2
    assert "a fine of 5 to 100 MCI" in body
