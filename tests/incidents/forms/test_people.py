"""The victims' and attackers' formsets (`incidents/forms/people.py`)."""

import pytest

from tests.incidents.reporting_support import bound

pytestmark = pytest.mark.django_db


def test_untouched_extra_rows_are_ignored(reporter, facility_a):
    forms = bound(reporter, facility_a, **{"attackers-0-relation": "patient", "attackers-0-minor": "unknown"})
    assert forms.is_valid()
    assert forms.attacker_inputs() == []


def test_another_victims_phone_is_cleaned_to_its_kept_form(reporter, facility_a):
    forms = bound(
        reporter,
        facility_a,
        **{"victims-0-full_name": "Дана", "victims-0-role": "doctor", "victims-0-phone": "8 702 765 43 21"},
    )
    assert forms.is_valid()
    assert [victim.phone for victim in forms.victim_inputs() if not victim.is_reporter] == ["+77027654321"]


def test_a_wrong_phone_of_a_victim_is_refused_at_its_field(reporter, facility_a):
    forms = bound(
        reporter, facility_a, **{"victims-0-full_name": "Дана", "victims-0-role": "doctor", "victims-0-phone": "12"}
    )
    assert not forms.is_valid()
    assert "phone" in forms.victims.forms[0].errors
