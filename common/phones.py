"""Phone numbers: what people type, kept in one international form (E.164), shown in Kazakhstan's grouping.

Kazakhstan's numbers are +7 and ten digits; people write them "8 701 123 45 67", "+7 (727) 000-00-01" or
"87011234567", and all of these are kept as "+77011234567". A number of another country must start with "+"
and its country code (8 to 15 digits in all).
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s().\-\u00a0]+")
KAZAKHSTAN_DIGITS = 10  # after +7 (or the trunk prefix 8)
INTERNATIONAL_DIGITS = (8, 15)


def normalise_phone(value: object) -> str:
    """The number as +digits; raises ValidationError when it is not a phone number. Blank stays blank."""
    text = _SEPARATORS.sub("", str(value or "")).strip()
    if not text:
        return ""
    plus = text.startswith("+")
    digits = text[1:] if plus else text
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(
            _("A phone number has only digits, spaces, brackets and dashes, e.g. +7 701 123 45 67."),
            code="phone_format",
        )
    if not plus and len(digits) == KAZAKHSTAN_DIGITS + 1 and digits[0] in "78":
        return "+7" + digits[1:]
    if not plus and len(digits) == KAZAKHSTAN_DIGITS:
        return "+7" + digits
    if plus and digits.startswith("7") and len(digits) != KAZAKHSTAN_DIGITS + 1:
        raise ValidationError(
            _("A number in Kazakhstan has 10 digits after +7, e.g. +7 701 123 45 67."), code="phone_length"
        )
    if plus and INTERNATIONAL_DIGITS[0] <= len(digits) <= INTERNATIONAL_DIGITS[1] and digits[0] != "0":
        return "+" + digits
    raise ValidationError(
        _("Enter a number in Kazakhstan (+7 and 10 digits) or with its country code after +."), code="phone_length"
    )


def validate_phone(value: object) -> None:
    """A model field validator: the stored value must already be in the one form."""
    if value and normalise_phone(value) != value:
        raise ValidationError(_("Enter the phone number as +7 and 10 digits."), code="phone_form")


def phone_display(value: str) -> str:
    """+77011234567 as "+7 701 123 45 67"; other numbers as they are kept."""
    if value.startswith("+7") and len(value) == KAZAKHSTAN_DIGITS + 2:
        d = value[2:]
        return f"+7 {d[0:3]} {d[3:6]} {d[6:8]} {d[8:10]}"
    return value


class PhoneField(forms.CharField):
    """A form field that accepts a phone number as people type it and cleans it to +digits."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("label", _("Phone"))
        kwargs.setdefault("help_text", _("For example +7 701 123 45 67."))
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"type": "tel", "inputmode": "tel", "autocomplete": "tel"})
        return attrs

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return normalise_phone(text) if text else ""


class PhoneNumberField(models.CharField):  # type: ignore[type-arg]  # a CharField of str, as Django's own
    """A model field holding a phone number in its one form; its form field takes the number as people type it."""

    default_validators = [validate_phone]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(form_class=form_class or PhoneField, choices_form_class=choices_form_class, **kwargs)
