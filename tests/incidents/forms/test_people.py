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


def test_attacker_age_band_under_16_is_asked_separately_from_under_18(reporter, facility_a):
    row = {"attackers-0-relation": "patient", "attackers-0-minor": "yes", "attackers-0-under_16": "yes"}
    forms = bound(reporter, facility_a, **row, **{"attackers-0-not_of_sound_mind": "on"})
    assert forms.is_valid(), forms.error_list()
    [attacker] = forms.attacker_inputs()
    assert (attacker.minor, attacker.under_16, attacker.not_of_sound_mind) == ("yes", "yes", True)
    contradiction = bound(reporter, facility_a, **(row | {"attackers-0-minor": "no"}))
    assert not contradiction.is_valid()
    assert "Someone under 16 is also under 18." in str(contradiction.error_list())


def test_trainee_victim_flags_are_carried(reporter, facility_a):
    forms = bound(
        reporter,
        facility_a,
        **{
            "victims-0-full_name": "Айгерим",
            "victims-0-role": "intern",
            "victims-0-medical_qualification": "on",
            "victims-0-medical_work": "on",
        },
    )
    assert forms.is_valid(), forms.error_list()
    [intern] = [v for v in forms.victim_inputs() if not v.is_reporter]
    assert (intern.role, intern.medical_qualification, intern.medical_work) == ("intern", True, True)
