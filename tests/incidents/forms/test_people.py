"""The victims' and attackers' formsets (`incidents/forms/people.py`)."""

import pytest

from tests.incidents.reporting_support import bound

pytestmark = pytest.mark.django_db


def test_untouched_extra_rows_are_ignored(reporter, facility_a):
    forms = bound(reporter, facility_a, **{"attackers-0-relation": "patient", "attackers-0-minor": "unknown"})
    assert forms.is_valid()
    assert forms.attacker_inputs() == []
