"""A victim's compensation and support (`incidents/services/compensation.py`): recorded by the case's post in one
transaction with a history event, the claim's figures checked against its status, two officers never overwriting
each other."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from incidents.models import ClaimStatus, IncidentEvent, Status, VictimCompensation
from incidents.services.cases import CaseActionRefused, CaseConflict
from incidents.services.compensation import CompensationInput, compensation_check, compensation_record
from tests import factories


@pytest.fixture
def victim(incident):
    return incident.victims.get()


def test_officer_records_a_claim_and_the_history_names_the_fields_not_the_amounts(victim, officer):
    data = CompensationInput(
        sick_leave_days=21,
        disability="group_3",
        claim_status=ClaimStatus.FILED,
        claim_filed_on=timezone.localdate(),
        claimed_material=250000,
        claimed_moral=1000000,
        psychologist=True,
    )
    record = compensation_record(victim=victim, actor=officer, data=data, expected_version=0)
    assert (record.sick_leave_days, record.claimed_total, record.version) == (21, 1250000, 1)
    event = victim.incident.events.get(kind=IncidentEvent.Kind.COMPENSATION_RECORDED)
    assert event.actor == officer and not event.visible_to_reporter
    assert event.data["victim"] == victim.pk and event.data["claim_status"] == "filed"
    assert "claimed_moral" in event.data["changed"] and 1000000 not in event.data.values()


def test_the_court_awards_and_the_payment_follows(victim, officer):
    filed = CompensationInput(claim_status=ClaimStatus.FILED, claimed_moral=900000)
    compensation_record(victim=victim, actor=officer, data=filed, expected_version=0)
    awarded = CompensationInput(
        claim_status=ClaimStatus.AWARDED, claimed_moral=900000, awarded_moral=400000, awarded_monthly=85000, paid=50000
    )
    record = compensation_record(victim=victim, actor=officer, data=awarded, expected_version=1)
    assert (record.awarded_total, record.paid, record.version) == (400000, 50000, 2)
    assert victim.incident.events.filter(kind=IncidentEvent.Kind.COMPENSATION_RECORDED).count() == 2


def test_saving_the_same_figures_again_writes_no_history(victim, officer):
    data = CompensationInput(sick_leave_days=3)
    compensation_record(victim=victim, actor=officer, data=data, expected_version=0)
    compensation_record(victim=victim, actor=officer, data=data, expected_version=1)
    assert victim.incident.events.filter(kind=IncidentEvent.Kind.COMPENSATION_RECORDED).count() == 1


def test_a_second_officer_with_an_old_form_is_refused(victim, officer, post_a):
    colleague = factories.make_officer(post_a, username="colleague")
    compensation_record(victim=victim, actor=officer, data=CompensationInput(sick_leave_days=5), expected_version=0)
    with pytest.raises(CaseConflict):
        compensation_record(
            victim=victim, actor=colleague, data=CompensationInput(sick_leave_days=9), expected_version=0
        )
    assert VictimCompensation.objects.get(victim=victim).sick_leave_days == 5


def test_only_the_case_post_records(victim, other_officer, reporter, facility_lead, analyst):
    for user in (other_officer, reporter, facility_lead, analyst):
        with pytest.raises(PermissionDenied):
            compensation_record(victim=victim, actor=user, data=CompensationInput(), expected_version=0)
    assert not VictimCompensation.objects.exists()


def test_a_cancelled_report_takes_no_compensation(incident, victim, officer):
    factories.incident_update(incident, status=Status.CANCELLED)
    victim.refresh_from_db()
    with pytest.raises(CaseActionRefused):
        compensation_record(victim=victim, actor=officer, data=CompensationInput(), expected_version=0)


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(1)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (CompensationInput(claimed_material=100), "claimed_material"),  # figures of a claim not filed
        (CompensationInput(claim_status=ClaimStatus.FILED), "claimed_material"),  # filed without an amount
        (CompensationInput(claim_status=ClaimStatus.FILED, claimed_moral=1, paid=1), "paid"),  # paid, not awarded
        (CompensationInput(claim_status=ClaimStatus.AWARDED, claimed_moral=1), "awarded_material"),
        # Tomorrow is reckoned when the test runs, not when it is collected (a run across Almaty's midnight).
        (
            lambda: CompensationInput(claim_status=ClaimStatus.FILED, claimed_moral=1, claim_filed_on=tomorrow()),
            "claim_filed_on",
        ),
    ],
)
def test_figures_must_agree_with_the_claim_status(data, field):
    if callable(data):
        data = data()
    with pytest.raises(ValidationError) as raised:
        compensation_check(data)
    assert field in raised.value.error_dict
