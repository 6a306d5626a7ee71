"""Issue 11: a reporter withdraws a report not yet registered in the ERDR, with a reason; the post sees it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from incidents.models import IncidentEvent, Status
from incidents.services import reporting
from incidents.workflow import WITHDRAWABLE
from tests.incidents.case_support import acknowledged, registered

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("acknowledge", [False, True])
def test_a_report_not_registered_is_withdrawn_with_its_reason_in_the_history(incident, reporter, officer, acknowledge):
    if acknowledge:
        incident = acknowledged(incident, officer)
    version = incident.version
    incident = reporting.incident_withdraw(incident=incident, actor=reporter, reason="  Ошиблась больницей  ")
    assert incident.status == Status.CANCELLED and incident.version == version + 1
    assert incident.closed_at is not None and incident.due_at is None  # nothing left for the post to do in time
    event = incident.events.get(kind=IncidentEvent.Kind.WITHDRAWN)
    assert event.actor == reporter and event.visible_to_reporter and event.data["reason"] == "Ошиблась больницей"


def test_a_registered_case_is_withdrawn_only_through_the_police(incident, reporter, officer):
    incident = registered(incident, officer)
    with pytest.raises(ValidationError) as refused:
        reporting.incident_withdraw(incident=incident, actor=reporter, reason="Передумала")
    assert refused.value.code == "registered"
    incident.refresh_from_db()
    assert incident.status == Status.REGISTERED
    assert Status.REGISTERED not in WITHDRAWABLE


def test_a_withdrawal_needs_a_reason(incident, reporter):
    with pytest.raises(ValidationError) as refused:
        reporting.incident_withdraw(incident=incident, actor=reporter, reason="   ")
    assert refused.value.code == "reason"


def test_only_the_reporter_withdraws(incident, facility_lead, officer):
    for user in (facility_lead, officer):
        with pytest.raises(PermissionDenied):
            reporting.incident_withdraw(incident=incident, actor=user, reason="Не моё")


def test_a_registration_that_came_first_wins(incident, reporter, officer):
    """The reporter's page was loaded before the officer registered the case: the withdrawal is refused."""
    stale = type(incident).objects.get(pk=incident.pk)
    registered(incident, officer)
    with pytest.raises(ValidationError) as refused:
        reporting.incident_withdraw(incident=stale, actor=reporter, reason="Передумала")
    assert refused.value.code == "registered"
    stale.refresh_from_db()
    assert stale.status == Status.REGISTERED


def test_a_withdrawn_report_cannot_be_withdrawn_again(incident, reporter):
    reporting.incident_withdraw(incident=incident, actor=reporter, reason="Ошибка")
    with pytest.raises(ValidationError) as refused:
        reporting.incident_withdraw(incident=incident, actor=reporter, reason="Ошибка")
    assert refused.value.code == "withdrawn"
    assert incident.events.filter(kind=IncidentEvent.Kind.WITHDRAWN).count() == 1
