"""Steps of police case work shared by the incidents tests."""

from django.utils import timezone

from incidents.models import Outcome
from incidents.services import cases


def acknowledged(incident, officer):
    return cases.case_acknowledge(incident=incident, actor=officer, expected_version=incident.version)


def registered(incident, officer, *, on=None):
    incident = acknowledged(incident, officer)
    return cases.case_erdr_register(
        incident=incident,
        actor=officer,
        expected_version=incident.version,
        erdr_number="261750031000123",
        registered_on=on or timezone.localdate(),
    )


def under_investigation(incident, officer):
    """The outcome "registered and under investigation": recorded, the case stays open."""
    return cases.case_close(
        incident=incident, actor=officer, expected_version=incident.version, outcome=Outcome.UNDER_INVESTIGATION
    )
