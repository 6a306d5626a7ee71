"""seed_casework gives seeded incidents the police side's rows, in realistic proportions, once."""

import pytest
from django.core.management import call_command
from django.db import connection

from incidents.models import CaseMessage, Incident, IncidentEvent, Notice
from legal.models import LegalAssessment
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded():
    if connection.vendor != "postgresql":
        skip_or_fail("seed_casework writes with INSERT … SELECT on PostgreSQL")
    call_command("load_demo", "--no-accounts", verbosity=0)
    call_command("seed_demo", "--incidents", "400", verbosity=0)


def test_every_seeded_incident_gets_its_history_notice_and_assessment(seeded):
    call_command("seed_casework", verbosity=0)

    incidents = Incident.objects.count()
    assessed = Incident.objects.exclude(legal_applicable=None).count()
    assert Notice.objects.filter(status=Notice.Status.READY).count() == incidents
    assert Notice.objects.values("incident").distinct().count() == incidents
    assert IncidentEvent.objects.filter(kind=IncidentEvent.Kind.SUBMITTED).count() == incidents
    assert LegalAssessment.objects.filter(sequence=1).count() == assessed
    # A second version for about one in ten, and the tagged events follow the assessments.
    assert 0 < LegalAssessment.objects.filter(sequence=2).count() < assessed / 5
    assert IncidentEvent.objects.filter(kind=IncidentEvent.Kind.TAGGED).count() == LegalAssessment.objects.count()
    first = LegalAssessment.objects.filter(sequence=1).select_related("incident").first()
    assert (first.applicable, first.part) == (first.incident.legal_applicable, first.incident.legal_part)
    assert first.facts["act"] and "applicable" in first.result
    acknowledged = Incident.objects.exclude(acknowledged_at=None).count()
    assert IncidentEvent.objects.filter(kind=IncidentEvent.Kind.ACKNOWLEDGED).count() == acknowledged
    questions = CaseMessage.objects.filter(kind=CaseMessage.Kind.QUESTION).count()
    answers = CaseMessage.objects.filter(kind=CaseMessage.Kind.ANSWER).count()
    assert 0 < questions < acknowledged / 5 and 0 < answers <= questions
    assert not CaseMessage.objects.filter(kind=CaseMessage.Kind.ANSWER, in_reply_to=None).exists()
    # Between five and ten history rows per case, as the services write them.
    assert 5 * incidents < IncidentEvent.objects.count() < 10 * incidents


def test_a_second_run_writes_nothing(seeded):
    call_command("seed_casework", verbosity=0)
    counts = (IncidentEvent.objects.count(), LegalAssessment.objects.count(), Notice.objects.count())

    call_command("seed_casework", verbosity=0)

    assert (IncidentEvent.objects.count(), LegalAssessment.objects.count(), Notice.objects.count()) == counts
