"""The case state machine (`incidents.workflow`): one table decides what each status allows, and the page,
the forms and the services all follow it."""

import pytest
from django.urls import reverse

from incidents.forms.cases import ACTION_FORMS
from incidents.models import Incident, Outcome, Status
from incidents.services import cases
from incidents.workflow import CASE_ACTIONS, actions_offered
from tests.incidents.case_support import acknowledged, registered

pytestmark = pytest.mark.django_db

VALID_IIN = "900101300017"


def payload(action: str, incident: Incident, post_b) -> dict:
    fields = {
        "acknowledge": {},
        "question": {"body": "Были ли свидетели?"},
        "erdr": {"erdr_number": "261750031000123", "registered_on": incident.submitted_at.date().isoformat()},
        "forensic": {"harm": "pain"},
        "suspect": {"full_name": "Иванов Иван", "iin": VALID_IIN},
        "override": {"part": "3", "reason": "По видеозаписи"},
        "handover": {"post": post_b.pk},
        "close": {"outcome": Outcome.NO_OFFENCE},
    }[action]
    return {f"{action}-{name}": value for name, value in {**fields, "version": incident.version}.items()}


def in_status(status: str, incident: Incident, officer) -> Incident:
    if status == Status.ACKNOWLEDGED:
        return acknowledged(incident, officer)
    if status == Status.REGISTERED:
        return registered(incident, officer)
    if status == Status.CLOSED:
        incident = acknowledged(incident, officer)
        return cases.case_close(
            incident=incident, actor=officer, expected_version=incident.version, outcome=Outcome.NO_OFFENCE
        )
    return incident


def test_every_action_has_one_form_and_one_row():
    assert sorted(ACTION_FORMS) == sorted(CASE_ACTIONS)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.ACKNOWLEDGED, Status.REGISTERED, Status.CLOSED])
def test_the_page_offers_exactly_the_actions_the_status_allows(client, officer, incident, status):
    incident = in_status(status, incident, officer)
    client.force_login(officer)
    html = client.get(reverse("incidents:case_detail", args=[incident.pk])).content.decode()
    shown = [action for action in CASE_ACTIONS if f'id="form-{action}"' in html]
    assert sorted(shown) == sorted(actions_offered(status))
    assert all(status in CASE_ACTIONS[action].allowed_from for action in shown)


@pytest.mark.parametrize("action", list(CASE_ACTIONS))
@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.ACKNOWLEDGED, Status.REGISTERED, Status.CLOSED])
def test_an_action_is_done_only_from_the_statuses_the_table_allows(client, officer, post_b, incident, action, status):
    incident = in_status(status, incident, officer)
    client.force_login(officer)
    response = client.post(
        reverse("incidents:case_action", args=[incident.pk, action]), payload(action, incident, post_b)
    )
    allowed = status in CASE_ACTIONS[action].allowed_from
    if allowed:
        assert response.status_code == 302, response.content.decode()[:500]
    else:
        assert response.status_code == 409
        incident_after = Incident.objects.get(pk=incident.pk)
        assert (incident_after.version, incident_after.status) == (incident.version, incident.status)
