"""The case state machine (`incidents.workflow`): one table decides what each status allows, and the page,
the forms and the services all follow it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.forms.cases import ACTION_FORMS
from incidents.models import Incident, Outcome, Status
from incidents.services import cases
from incidents.workflow import CASE_ACTIONS, actions_offered
from tests import factories
from tests.incidents.case_support import acknowledged, registered

pytestmark = pytest.mark.django_db

VALID_IIN = "900101300017"


def with_a_repeat(incident: Incident) -> Incident:
    """An earlier report naming the same suspect (by IIN): the episode link applies to `incident`; the earlier one."""
    from incidents.models import Attacker
    from incidents.services.tagging import incident_assess
    from legal.iin import iin_digest
    from tests.legal.factories import make_iin

    iin = make_iin(serial=77)
    earlier = factories.IncidentFactory(
        facility=incident.facility, reporter=incident.reporter, occurred_at=incident.occurred_at - dt.timedelta(days=2)
    )
    for row in (earlier, incident):
        Attacker.objects.create(incident=row, relation="patient", iin=iin, iin_digest=iin_digest(iin))
    incident_assess(incident=earlier, trigger="submitted")
    incident_assess(incident=incident, trigger="submitted")
    return earlier


def payload(action: str, incident: Incident, post_b, earlier: Incident | None = None) -> dict:
    fields = {
        "acknowledge": {},
        "question": {"body": "Были ли свидетели?"},
        # Today in Almaty: from 19:00 UTC the UTC date is the day before the incident's local date.
        "erdr": {"erdr_number": "261750031000123", "registered_on": timezone.localdate().isoformat()},
        "forensic": {"harm": "pain"},
        "suspect": {"full_name": "Иванов Иван", "iin": VALID_IIN},
        "override": {"part": "3", "reason": "По видеозаписи"},
        "handover": {"post": post_b.pk},
        "close": {"outcome": Outcome.NO_OFFENCE},
        "episode": {"earlier": earlier.reference if earlier else "", "linked": "1"},
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
    # Each offered action has its section; the next step's form is written in it, the others' on their own page
    # (which the section links to, and fetches in place when opened).
    shown = [action for action in CASE_ACTIONS if f'id="action-{action}"' in html]
    # An action whose form does not apply to this case is left out (the episode link: only with a repeat found).
    offered = [action for action in actions_offered(status) if ACTION_FORMS[action].applies_to(incident)]
    assert sorted(shown) == sorted(offered)
    assert all(status in CASE_ACTIONS[action].allowed_from for action in shown)
    assert [action for action in CASE_ACTIONS if f'id="form-{action}"' in html] == offered[:1]
    for action in CASE_ACTIONS:
        url = reverse("incidents:case_action", args=[incident.pk, action])
        form_page = client.get(url, {"partial": "form"})
        if action in offered:
            assert form_page.status_code == 200 and f'id="form-{action}"' in form_page.content.decode()
            assert f'href="{url}"' in html or action == offered[0]
        else:  # not allowed in this status: no form, back to the case
            assert form_page.status_code == 302 and 'id="form-' not in form_page.content.decode()


@pytest.mark.parametrize("action", list(CASE_ACTIONS))
@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.ACKNOWLEDGED, Status.REGISTERED, Status.CLOSED])
def test_an_action_is_done_only_from_the_statuses_the_table_allows(client, officer, post_b, incident, action, status):
    earlier = with_a_repeat(incident) if action == "episode" else None
    incident = in_status(status, Incident.objects.get(pk=incident.pk), officer)
    client.force_login(officer)
    response = client.post(
        reverse("incidents:case_action", args=[incident.pk, action]), payload(action, incident, post_b, earlier)
    )
    allowed = status in CASE_ACTIONS[action].allowed_from
    if allowed:
        assert response.status_code == 302, response.content.decode()[:500]
    else:
        assert response.status_code == 409
        incident_after = Incident.objects.get(pk=incident.pk)
        assert (incident_after.version, incident_after.status) == (incident.version, incident.status)
