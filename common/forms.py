"""The form bases every form of the project takes, and its shared fields: text that can be stored and shown is all a
form lets through; text with a limit shows its length (`CountedCharField`).

Django's CharField refuses a NUL character (PostgreSQL cannot store one). These bases refuse the rest of what
nobody types: the other C0 control characters (a tab and line breaks stay allowed in multi-line text) and lone
surrogates (no UTF-8 encoding exists for them, so the database driver fails). The error names the character
next to its field, and the form shows again what was typed.
"""

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
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


class BootstrapWidgetsMixin:
    """Bootstrap's classes on the widgets themselves (and `is-invalid` on a field with errors), for a form laid out
    by `{% plain_form %}` (common/templatetags/plain_forms.py) instead of crispy's templates: a page with many forms
    spent most of its time in crispy's template per field (issue 14)."""

    fields: dict[str, forms.Field]
    errors: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if widget.is_hidden:
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class Form(PlainTextFormMixin, forms.Form):
    """The base of the project's forms."""


class ModelForm(PlainTextFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """The base of the project's model forms."""


class CountedCharField(forms.CharField):
    """Text with a limit the writer can see: a character counter (static/js/qorgau.js) and, past the limit, a
    message saying by how much, the text kept whole.

    No `maxlength` attribute: a browser cuts a paste at it without a word. Line breaks count once, as the
    counter counts them (a browser sends each as CR LF).
    """

    default_error_messages = {
        "too_long": _(
            "This text is %(length)s characters long; the limit is %(limit)s. Shorten it by %(over)s characters. "
            "Nothing has been cut."
        ),
    }

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)
        self.limit = max_length
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        if self.max_length is not None:
            attrs["data-max-chars"] = str(self.max_length)
            attrs["data-counter-text"] = _("%(count)s of %(limit)s characters")
            attrs["data-over-text"] = _("%(over)s characters over the limit: shorten the text before sending.")
        return attrs

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if text is not None else None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and len(value) > self.limit:
            raise ValidationError(
                self.error_messages["too_long"],
                code="max_length",
                params={"length": len(value), "limit": self.limit, "over": len(value) - self.limit},
            )


def choices_from_rows(field: "forms.ModelChoiceField[Any]", rows: Iterable[Any]) -> None:
    """The field's choices from rows already read, so that rendering it sends no query of its own (a ModelChoiceField
    lists its queryset through a new server-side cursor on every render); its queryset still validates the choice."""
    listed = field.iterator(field)
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = [*empty, *(listed.choice(row) for row in rows)]
