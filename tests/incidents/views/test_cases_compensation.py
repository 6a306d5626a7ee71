"""Compensation and victim support on the case page (`incidents/views/cases.py`): the form per victim, what it
shows, bad input kept with a clear message, a conflict told, and nobody outside the case's post."""

import pytest
from django.urls import reverse

from incidents.models import IncidentEvent, VictimCompensation


@pytest.fixture
def victim(incident):
    return incident.victims.get()


def url(victim):
    return reverse("incidents:case_compensation", args=[victim.incident_id, victim.pk])


def form_data(victim, version=0, **fields):
    prefix = f"comp{victim.pk}"
    data = {f"{prefix}-version": version, f"{prefix}-disability": "none", f"{prefix}-claim_status": "not_filed"}
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return data


def test_officer_records_and_the_case_page_shows_it(client, officer, victim):
    client.force_login(officer)
    response = client.post(
        url(victim),
        form_data(victim, sick_leave_days=14, claim_status="filed", claimed_material=300000, legal_aid="on"),
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#victim-{victim.pk}")
    record = VictimCompensation.objects.get(victim=victim)
    assert (record.sick_leave_days, record.claimed_material, record.legal_aid) == (14, 300000, True)
    page = client.get(reverse("incidents:case_detail", args=[victim.incident_id])).content.decode()
    assert 'data-claim-status="filed"' in page and "300\u202f000" in page
    assert victim.incident.events.filter(kind=IncidentEvent.Kind.COMPENSATION_RECORDED, actor=officer).exists()


def test_bad_figures_are_refused_with_what_was_typed_kept(client, officer, victim):
    client.force_login(officer)
    response = client.post(url(victim), form_data(victim, claim_status="filed", paid="777"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Only an awarded claim has amounts awarded or paid." in page
    assert "Enter the amount claimed." in page
    assert 'value="777"' in page
    assert not VictimCompensation.objects.exists()


def test_a_negative_or_huge_amount_is_a_clear_error_not_a_500(client, officer, victim):
    client.force_login(officer)
    for value in ("-5", "10000000000000", "abc"):
        response = client.post(url(victim), form_data(victim, claim_status="filed", claimed_moral=value))
        assert response.status_code == 400, value
    assert not VictimCompensation.objects.exists()


def test_an_old_form_is_refused_and_the_new_figures_shown(client, officer, victim):
    client.force_login(officer)
    client.post(url(victim), form_data(victim, sick_leave_days=4))
    response = client.post(url(victim), form_data(victim, version=0, sick_leave_days=40))
    assert response.status_code == 409
    assert "Another officer changed this case" in response.content.decode()
    assert VictimCompensation.objects.get(victim=victim).sick_leave_days == 4


@pytest.mark.parametrize("persona", ["other_officer", "reporter", "facility_lead", "analyst", "administrator"])
def test_nobody_but_the_case_post_records(client, victim, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(url(victim), form_data(victim, sick_leave_days=1)).status_code == 404
    assert not VictimCompensation.objects.exists()


def test_a_victim_of_another_case_is_404(client, officer, victim, other_reporter, facility_b):
    from tests import factories

    other = factories.IncidentFactory(facility=facility_b, reporter=other_reporter).victims.get()
    client.force_login(officer)
    wrong = reverse("incidents:case_compensation", args=[victim.incident_id, other.pk])
    assert client.post(wrong, form_data(other, sick_leave_days=1)).status_code == 404


def test_the_case_page_links_the_form_which_its_own_page_writes_with_the_recorded_figures(client, officer, victim):
    # The case page links each victim's form (and fetches it in place when opened) instead of writing every one.
    client.force_login(officer)
    client.post(url(victim), form_data(victim, sick_leave_days=14))
    page = client.get(reverse("incidents:case_detail", args=[victim.incident_id])).content.decode()
    assert f'href="{url(victim)}"' in page and f'id="form-compensation-{victim.pk}"' not in page
    for params in ({}, {"partial": "form"}):
        form = client.get(url(victim), params)
        html = form.content.decode()
        assert form.status_code == 200 and f'id="form-compensation-{victim.pk}"' in html
        assert f'name="comp{victim.pk}-sick_leave_days" value="14"' in html
        assert ("<html" in html) is not bool(params)  # the whole page, or only the form


def test_nobody_but_the_case_post_opens_the_form(client, victim, analyst):
    client.force_login(analyst)
    assert client.get(url(victim)).status_code == 404
