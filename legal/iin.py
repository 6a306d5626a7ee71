"""Kazakhstan's individual identification number (IIN, ЖСН/ИИН): validation and a keyed digest for matching.

An IIN is 12 digits: the birth date as YYMMDD, a century-and-sex digit (1-2: 1800s, 3-4: 1900s,
5-6: 2000s; odd male, even female), four registration digits and a check digit. The check digit is the
weighted sum of the first eleven digits modulo 11 with weights 1..11; when that gives 10, a second pass
with weights 3..11, 1, 2; when that still gives 10 the number is never issued.

Repeat detection compares `iin_digest` values (HMAC-SHA256 under `settings.QORGAU_IIN_HASH_KEY`), so
the clear IIN is never needed to find an earlier report of the same person.
"""

import datetime as dt
import hashlib
import hmac
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _

IIN_LENGTH = 12
FIRST_WEIGHTS = tuple(range(1, 12))
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
CENTURY_BY_DIGIT = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}

_WHITESPACE = re.compile(r"\s+")


def normalise_iin(value: object) -> str:
    """The value as a string with all whitespace (spaces, tabs, non-breaking spaces) removed."""
    if value is None:
        return ""
    return _WHITESPACE.sub("", str(value))


def iin_check_digit(first_eleven: str) -> int | None:
    """The check digit for the first 11 digits, or None when no valid check digit exists."""
    digits = [int(char) for char in first_eleven]
    for weights in (FIRST_WEIGHTS, SECOND_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def iin_birth_date(iin: str) -> dt.date | None:
    """The birth date encoded in a 12-digit IIN, or None when digits 1-7 do not form a real date."""
    century = CENTURY_BY_DIGIT.get(int(iin[6]))
    if century is None:
        return None
    try:
        return dt.date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None


def validate_iin(value: object) -> str:
    """The normalised IIN; raises ValidationError when it is not a valid Kazakhstan IIN."""
    iin = normalise_iin(value)
    if len(iin) != IIN_LENGTH or not iin.isascii() or not iin.isdigit():
        raise ValidationError(_("An IIN is exactly 12 digits."), code="iin_format")
    if iin_birth_date(iin) is None:
        raise ValidationError(_("This IIN does not contain a valid date of birth."), code="iin_birth_date")
    if iin_check_digit(iin[:11]) != int(iin[11]):
        raise ValidationError(_("This IIN has a wrong check digit; please check it for typos."), code="iin_check_digit")
    return iin


def is_valid_iin(value: object) -> bool:
    try:
        validate_iin(value)
    except ValidationError:
        return False
    return True


def iin_digest(value: str) -> str:
    """HMAC-SHA256 (hex) of the normalised IIN under QORGAU_IIN_HASH_KEY; equal IINs give equal digests."""
    key = getattr(settings, "QORGAU_IIN_HASH_KEY", "")
    if not key:
        raise ImproperlyConfigured("QORGAU_IIN_HASH_KEY (or SECRET_KEY) must be set to hash IINs.")
    iin = validate_iin(value)
    return hmac.new(key.encode(), iin.encode(), hashlib.sha256).hexdigest()


class IINField(forms.CharField):
    """A form field that accepts an IIN with spaces, validates it and cleans it to 12 digits."""

    default_error_messages = {"required": _("Enter the IIN.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)  # room for spaces typed between digit groups
        kwargs.setdefault("label", _("IIN"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "off", "pattern": r"[0-9 ]*"})
        return attrs

    def to_python(self, value: Any) -> str:
        return normalise_iin(super().to_python(value))

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value not in self.empty_values:
            validate_iin(value)
