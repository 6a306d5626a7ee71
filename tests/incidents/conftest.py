"""Fixtures shared by the incidents tests (case steps: case_support.py)."""

import pytest

from tests import factories


@pytest.fixture
def incident(reporter, facility_a, post_a):
    """A report of the `reporter` persona at facility A, routed to post A."""
    return factories.IncidentFactory(facility=facility_a, reporter=reporter)
