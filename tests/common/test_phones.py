"""Phone numbers kept in one form (`common.phones`): Kazakhstan's as +7 and ten digits, others with their code."""

import pytest
from django.core.exceptions import ValidationError

from common.phones import PhoneField, normalise_phone, phone_display, validate_phone


@pytest.mark.parametrize(
    "typed",
    ["+7 701 123 45 67", "8 (701) 123-45-67", "87011234567", "7011234567", "+7-701-123-45-67", "+7\u00a0701 1234567"],
)
def test_kazakhstan_numbers_as_people_type_them(typed):
    assert normalise_phone(typed) == "+77011234567"


def test_another_country_keeps_its_code():
    assert normalise_phone("+998 90 123 45 67") == "+998901234567"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("+7 701 123 45", "phone_length"),
        ("+7 701 123 45 678", "phone_length"),
        ("12345", "phone_length"),
        ("701-ABC-4567", "phone_format"),
        ("+7 ٧٠١ 123 45 67", "phone_format"),  # Arabic-Indic digits are not ours
        ("+0123456789", "phone_length"),
    ],
)
def test_what_is_not_a_number_is_refused_with_a_reason(typed, code):
    with pytest.raises(ValidationError) as error:
        normalise_phone(typed)
    assert error.value.code == code


def test_blank_stays_blank():
    assert normalise_phone("") == "" and normalise_phone("   ") == "" and normalise_phone(None) == ""


def test_display_groups_kazakhstan_digits():
    assert phone_display("+77011234567") == "+7 701 123 45 67"
    assert phone_display("+998901234567") == "+998901234567"
    assert phone_display("") == ""


def test_the_model_validator_accepts_only_the_kept_form():
    validate_phone("+77011234567")
    validate_phone("")
    with pytest.raises(ValidationError):
        validate_phone("8 701 123 45 67")


def test_the_form_field_cleans_to_the_kept_form_and_says_what_is_wrong():
    field = PhoneField(required=False)
    assert field.clean("8 701 123 45 67") == "+77011234567"
    assert field.clean("") == ""
    with pytest.raises(ValidationError, match="10 digits after"):
        field.clean("+7 701")
    assert field.widget.attrs["type"] == "tel"
