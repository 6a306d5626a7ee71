"""The case history (`incidents/events.py`): what each writer records, and the readers that give it back."""

import datetime as dt

import pytest

from incidents import events
from incidents.models import IncidentEvent, Outcome

pytestmark = pytest.mark.django_db


def test_an_outcome_is_read_back_as_its_label_and_says_whether_it_closed(incident, officer):
    going_on = events.outcome_recorded(incident=incident, actor=officer, outcome=Outcome.UNDER_INVESTIGATION)
    closed = events.outcome_recorded(incident=incident, actor=officer, outcome=Outcome.NO_OFFENCE)
    assert (going_on.kind, closed.kind) == (IncidentEvent.Kind.OUTCOME_RECORDED, IncidentEvent.Kind.CLOSED)
    assert events.outcome_of(closed) == Outcome.NO_OFFENCE
    assert events.outcome_label_of(closed) == str(Outcome.NO_OFFENCE.label)
    assert going_on.visible_to_reporter and closed.visible_to_reporter


def test_readers_give_nothing_for_events_of_another_kind(incident, officer):
    acknowledged = events.case_acknowledged(incident=incident, actor=officer)
    assert events.outcome_of(acknowledged) is None
    assert events.erdr_number_of(acknowledged) == ""
    assert events.reason_of(acknowledged) == ""


def test_the_erdr_number_and_a_reason_are_read_back(incident, officer, post_b):
    registered = events.erdr_registered(
        incident=incident, actor=officer, erdr_number="261750031000123", registered_on=dt.date(2026, 5, 4)
    )
    handed = events.handed_over(
        incident=incident, actor=officer, from_post_id=incident.police_post_id, to_post_id=post_b.pk, reason="Их район"
    )
    assert events.erdr_number_of(registered) == "261750031000123"
    assert events.reason_of(handed) == "Их район"


def test_only_suspects_the_police_added_are_police_data(incident, officer):
    added = events.suspect_identified(incident=incident, actor=officer, attacker_id=991, created=True)
    named = events.suspect_identified(incident=incident, actor=officer, attacker_id=992, created=False)
    assert events.police_added_attacker_ids([added, named]) == {991}


def test_a_repeat_is_recorded_by_reference_never_by_iin(incident, officer):
    event = events.repeat_found(incident=incident, actor=officer, assessment_id=1, references=["ALA-2026-000001"])
    assert event.data == {"assessment": 1, "references": ["ALA-2026-000001"]}


def test_the_first_view_of_each_officer_is_recorded_once(incident, officer, other_officer):
    assert events.case_viewed(incident=incident, actor=officer) is not None
    assert events.case_viewed(incident=incident, actor=officer) is None
    assert events.case_viewed(incident=incident, actor=other_officer) is not None
    assert incident.events.filter(kind=IncidentEvent.Kind.VIEWED).count() == 2
