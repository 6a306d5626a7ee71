"""IIN validation and the keyed digest used for repeat matching."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from legal.iin import IINField, iin_birth_date, iin_digest, is_valid_iin, validate_iin


def check_digit(first_eleven: str) -> int | None:
    """The algorithm written out again, independently of legal.iin, so a bug there cannot hide here."""
    digits = [int(c) for c in first_eleven]
    first = sum(d * w for d, w in zip(digits, range(1, 12), strict=True)) % 11
    if first != 10:
        return first
    second = sum(d * w for d, w in zip(digits, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], strict=True)) % 11
    return None if second == 10 else second


def make_iin(prefix: str) -> str:
    """A valid IIN from 11 leading digits, trying serial numbers until a check digit exists."""
    assert len(prefix) == 11
    for serial in range(10_000):
        candidate = prefix[:7] + f"{(int(prefix[7:]) + serial) % 10_000:04d}"
        digit = check_digit(candidate)
        if digit is not None:
            return candidate + str(digit)
    raise AssertionError("no IIN")


def needs_second_pass(first_eleven: str) -> bool:
    digits = [int(c) for c in first_eleven]
    return sum(d * w for d, w in zip(digits, range(1, 12), strict=True)) % 11 == 10


MAN_1985 = make_iin("8505173" + "0001")  # 17 May 1985, man born in the 1900s
WOMAN_2004 = make_iin("0402296" + "0123")  # 29 Feb 2004 (leap year), woman born in the 2000s


def test_valid_iins_pass_and_are_returned_normalised():
    assert validate_iin(MAN_1985) == MAN_1985
    assert validate_iin(f" {MAN_1985[:6]} {MAN_1985[6:]}\u00a0") == MAN_1985
    assert validate_iin(f"{WOMAN_2004[:6]}\t{WOMAN_2004[6:]}") == WOMAN_2004
    assert is_valid_iin(MAN_1985)


def test_second_pass_weights_are_used_when_first_gives_ten():
    prefix = next(p for n in range(10_000) if needs_second_pass(p := f"9001013{n:04d}") and check_digit(p) is not None)
    iin = prefix + str(check_digit(prefix))
    assert validate_iin(iin) == iin


def test_number_with_no_possible_check_digit_is_invalid():
    prefix = next(p for n in range(10_000) if check_digit(p := f"9001013{n:04d}") is None)
    for last in "0123456789":
        assert not is_valid_iin(prefix + last)


def test_wrong_check_digit_is_rejected():
    wrong = MAN_1985[:11] + str((int(MAN_1985[11]) + 1) % 10)
    with pytest.raises(ValidationError) as info:
        validate_iin(wrong)
    assert info.value.code == "iin_check_digit"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "12345",
        MAN_1985[:11],
        MAN_1985 + "0",
        "85051730001A",
        "８５０５１７３０００１２",
    ],
)
def test_wrong_length_or_letters_are_rejected(value):
    with pytest.raises(ValidationError) as info:
        validate_iin(value)
    assert info.value.code == "iin_format"


@pytest.mark.parametrize(
    "prefix",
    [
        "8513173",  # month 13
        "8502303",  # 30 February
        "0502296",  # 29 February 2005 is not a date
        "8505170",  # century digit 0
        "8505177",  # century digit 7
        "8505179",  # century digit 9
    ],
)
def test_bad_birth_date_is_rejected(prefix):
    with pytest.raises(ValidationError) as info:
        validate_iin(prefix + "00010")
    assert info.value.code == "iin_birth_date"


def test_birth_date_and_century():
    assert str(iin_birth_date(MAN_1985)) == "1985-05-17"
    assert str(iin_birth_date(WOMAN_2004)) == "2004-02-29"
    assert str(iin_birth_date(make_iin("9912312" + "0000"))) == "1899-12-31"


def test_error_message_is_translated():
    with translation.override("en"):
        message_en = str(pytest.raises(ValidationError, validate_iin, "123").value.messages[0])
    assert message_en == "An IIN is exactly 12 digits."


def test_digest_is_keyed_stable_and_hides_the_iin(settings):
    digest = iin_digest(MAN_1985)
    assert len(digest) == 64 and MAN_1985 not in digest
    assert iin_digest(f"{MAN_1985[:6]} {MAN_1985[6:]}") == digest
    assert iin_digest(WOMAN_2004) != digest
    settings.QORGAU_IIN_HASH_KEY = "another-key"
    assert iin_digest(MAN_1985) != digest


def test_digest_refuses_invalid_iin():
    with pytest.raises(ValidationError):
        iin_digest("123456789012")


class SuspectForm(forms.Form):
    iin = IINField(required=False)


def test_form_field_cleans_and_validates():
    form = SuspectForm(data={"iin": f"{MAN_1985[:6]} {MAN_1985[6:]}"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["iin"] == MAN_1985
    assert not SuspectForm(data={"iin": MAN_1985[:11] + "x"}).is_valid()
    assert SuspectForm(data={"iin": ""}).is_valid()


def test_validate_iin_works_as_a_field_validator():
    field = forms.CharField(validators=[validate_iin])
    assert field.clean(MAN_1985) == MAN_1985
    with pytest.raises(ValidationError):
        field.clean("000000000000")


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_validation_agrees_with_reference_algorithm(value):
    date_ok = iin_birth_date(value) is not None
    expected = date_ok and check_digit(value[:11]) == int(value[11])
    assert is_valid_iin(value) is expected
