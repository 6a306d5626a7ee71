"""Input limits (issue 10, low): values that look right to a person but are not what the field means."""

import pytest
from django.core.exceptions import ValidationError

from incidents.services.cases import clean_erdr_number


@pytest.mark.parametrize("number", ["١٢٣٤٥٦٧", "۱۲۳۴۵۶۷", "１２３４５６７", "１23456"])
def test_an_erdr_number_in_other_digits_is_refused(number):
    with pytest.raises(ValidationError):
        clean_erdr_number(number)


@pytest.mark.parametrize(
    ("typed", "stored"), [("261750031000123", "261750031000123"), ("2617 5003-1000", "261750031000")]
)
def test_an_erdr_number_in_ascii_digits_is_kept(typed, stored):
    assert clean_erdr_number(typed) == stored
