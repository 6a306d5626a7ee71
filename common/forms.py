"""The form bases every form of the project takes: text that can be stored and shown is all a form lets through.

Django's CharField refuses a NUL character (PostgreSQL cannot store one). These bases refuse the rest of what
nobody types: the other C0 control characters (a tab and line breaks stay allowed in multi-line text) and lone
surrogates (no UTF-8 encoding exists for them, so the database driver fails). The error names the character
next to its field, and the form shows again what was typed.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# NUL is left to Django's own validator, which every CharField has, so that it gets one message, not two.
SINGLE_LINE_REFUSED = re.compile("[\x01-\x1f\ud800-\udfff]")
MULTI_LINE_REFUSED = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


@deconstructible
class PlainTextValidator:
    """Refuses control characters and lone surrogates; `multiline` lets a tab and line breaks through."""

    code = "control_character"

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            return
        match = (MULTI_LINE_REFUSED if self.multiline else SINGLE_LINE_REFUSED).search(value)
        if match:
            raise ValidationError(
                _("This text has a character that cannot be stored (%(code)s). Remove it and send again."),
                code=self.code,
                params={"code": f"U+{ord(match.group()):04X}"},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline


class PlainTextFormMixin:
    """Adds `PlainTextValidator` to every text field of the form (multi-line for a Textarea)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(PlainTextValidator(multiline=isinstance(field.widget, forms.Textarea)))


class Form(PlainTextFormMixin, forms.Form):
    """The base of the project's forms."""


class ModelForm(PlainTextFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """The base of the project's model forms."""
